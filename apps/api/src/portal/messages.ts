import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Catalogue = Readonly<Record<string, string>>;

/**
 * The portal's words, one catalogue per language in config/messages/<lang>.json, so that another
 * language is a new file, not a change to templates. Keys are dotted; "{name}" takes a parameter.
 */
export class Messages {
  private readonly catalogues = new Map<string, Catalogue>();

  constructor(dir = join(process.cwd(), 'config', 'messages')) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      this.catalogues.set(file.replace(/\.json$/, ''), JSON.parse(readFileSync(join(dir, file), 'utf8')));
    }
    if (!this.catalogues.has('en')) throw new Error(`no English message catalogue in ${dir}`);
  }

  /** A message in the language, falling back to English, then to the key (which a test would catch). */
  t(key: string, params: Record<string, unknown> = {}, lang = 'en'): string {
    const text = this.catalogues.get(lang)?.[key] ?? this.catalogues.get('en')![key] ?? key;
    return text.replace(/\{(\w+)\}/g, (_, name: string) =>
      params[name] === undefined ? `{${name}}` : String(params[name]),
    );
  }

  has(key: string): boolean {
    return key in this.catalogues.get('en')!;
  }

  keys(lang = 'en'): string[] {
    return Object.keys(this.catalogues.get(lang) ?? {});
  }
}
