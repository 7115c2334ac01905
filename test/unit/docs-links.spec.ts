import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const ROOT = join(__dirname, '../..');

/** README.md and every Markdown file under docs/. */
function documents(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(`${dir}/${e.name}`) : e.name.endsWith('.md') ? [`${dir}/${e.name}`] : [],
    );
  return ['README.md', ...walk('docs')];
}

/** The text a reader sees as prose: fenced code blocks and inline code removed, so `[x](y)` in code is not a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

function links(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens; repeats get -1, -2, … */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = m[1]
      .toLowerCase()
      .replace(/`/g, '')
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

describe('relative links in README.md and docs/', () => {
  const broken: string[] = [];
  let checked = 0;
  for (const doc of documents()) {
    for (const link of links(readFileSync(join(ROOT, doc), 'utf8'))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // http:, https:, mailto:
      checked++;
      const [path, anchor] = link.split('#');
      const target = path === '' ? doc : normalize(join(dirname(doc), path));
      const where = `${doc}: ${link}`;
      if (relative(ROOT, join(ROOT, target)).startsWith('..')) {
        broken.push(`${where} (leads outside the repository)`);
      } else if (!existsSync(join(ROOT, target))) {
        broken.push(`${where} (no such file)`);
      } else if (anchor && statSync(join(ROOT, target)).isFile() && target.endsWith('.md')) {
        if (!anchors(readFileSync(join(ROOT, target), 'utf8')).has(anchor)) broken.push(`${where} (no such heading)`);
      }
    }
  }

  it('finds links to check', () => {
    expect(checked).toBeGreaterThan(20);
  });

  it('leads every one to a file (and heading) that exists', () => {
    expect(broken).toEqual([]);
  });
});

describe('README.md', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('stays short enough to walk: at most 150 lines', () => {
    expect(readme.trimEnd().split('\n').length).toBeLessThanOrEqual(150);
  });

  it('explains the two commands', () => {
    expect(readme).toContain('npm start');
    expect(readme).toContain('npm test');
  });
});
