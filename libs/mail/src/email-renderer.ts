import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

type Template = (context: object) => string;

/** Templates live beside the source in development and are copied beside dist/ by the build. */
export function defaultTemplatesDir(): string {
  const candidates = [join(__dirname, '..', 'templates'), join(process.cwd(), 'libs', 'mail', 'templates')];
  const found = candidates.find((d) => existsSync(join(d, 'layouts')));
  if (!found) throw new Error(`email templates not found in ${candidates.join(' or ')}`);
  return found;
}

/**
 * Renders emails from handlebars files: layouts/ (html, text), partials/, and emails/NAME/
 * (subject, html, text). A private Handlebars instance per renderer keeps escaping and helpers in
 * one place; HTML is escaped, text and subjects are not. Every template is compiled at start, so
 * a broken template stops the worker instead of a send.
 */
export class EmailRenderer {
  private readonly hbs = Handlebars.create();
  private readonly layouts: { html: Template; text: Template };
  private readonly emails = new Map<string, { subject: Template; html: Template; text: Template }>();

  constructor(dir: string = defaultTemplatesDir()) {
    const read = (...p: string[]) => readFileSync(join(dir, ...p), 'utf8');
    for (const file of readdirSync(join(dir, 'partials')).filter((f) => f.endsWith('.hbs'))) {
      this.hbs.registerPartial(file.replace(/\.hbs$/, ''), read('partials', file));
    }
    const compile = (source: string, escape: boolean) => this.hbs.compile(source, { noEscape: !escape, strict: false });
    this.layouts = {
      html: compile(read('layouts', 'html.hbs'), true),
      text: compile(read('layouts', 'text.hbs'), false),
    };
    for (const name of readdirSync(join(dir, 'emails'))) {
      this.emails.set(name, {
        subject: compile(read('emails', name, 'subject.hbs'), false),
        html: compile(read('emails', name, 'html.hbs'), true),
        text: compile(read('emails', name, 'text.hbs'), false),
      });
    }
    // Fail now, not at the first send, if a template cannot render.
    for (const name of this.emails.keys()) this.render(name, {});
  }

  has(name: string): boolean {
    return this.emails.has(name);
  }

  render(name: string, context: object): RenderedEmail {
    const t = this.emails.get(name);
    if (!t) throw new Error(`no email template called ${name}`);
    return {
      subject: t.subject(context).replace(/\s+/g, ' ').trim(),
      html: this.layouts.html({ ...context, body: t.html(context) }),
      text: this.layouts.text({ ...context, body: t.text(context) }),
    };
  }
}
