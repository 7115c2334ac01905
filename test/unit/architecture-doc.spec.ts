import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const DOC = 'docs/architecture.md';
const HEADING = '## Where does X live';

/** The rows of the "Where does X live" table: each row's cells, as written. */
function tableRows(markdown: string): string[][] {
  const start = markdown.indexOf(`\n${HEADING}\n`);
  if (start < 0) throw new Error(`${DOC} has no "${HEADING}" section`);
  const rest = markdown.slice(start + HEADING.length + 2);
  const end = rest.search(/\n## /);
  const lines = (end < 0 ? rest : rest.slice(0, end)).split('\n').filter((l) => l.trim().startsWith('|'));
  return lines
    .slice(2) // the header and its separator
    .map((l) =>
      l
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((c) => c.trim()),
    );
}

/** Backticked text that reads as a path in the repository: relative, with a slash, no wildcard or placeholder. */
function pathsIn(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)]
    .map((m) => m[1])
    .filter((t) => /^[\w.-]+(\/[\w.-]+)*\/?$/.test(t) && t.includes('/'));
}

function isDirectory(path: string): boolean {
  return existsSync(join(ROOT, path)) && statSync(join(ROOT, path)).isDirectory();
}

function subfolders(path: string): string[] {
  if (!isDirectory(path)) return [];
  return readdirSync(join(ROOT, path), { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'node_modules')
    .map((e) => `${path}/${e.name}`);
}

/** Folders .gitignore names (node_modules/, dist/, var/, …): not part of the repository. */
function ignoredFolders(): Set<string> {
  const lines = readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n');
  return new Set([
    '.git',
    ...lines
      .map((l) => l.trim())
      .filter((l) => l.endsWith('/'))
      .map((l) => l.replace(/\/$/, '')),
  ]);
}

/**
 * The folders the table must cover: every top-level folder, every folder under apps/ and libs/ to
 * the depth of `find apps libs -maxdepth 3 -type d` (so every folder directly under apps/*\/src and
 * libs/*\/src), and the folders directly under test/ and config/.
 */
function foldersToCover(): string[] {
  const ignored = ignoredFolders();
  const top = readdirSync(ROOT, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !ignored.has(e.name))
    .map((e) => e.name);
  const deep: string[] = [];
  for (const base of ['apps', 'libs']) {
    for (const one of subfolders(base)) {
      deep.push(one);
      for (const two of subfolders(one)) deep.push(two, ...subfolders(two));
    }
  }
  return [...top, ...deep, ...subfolders('test'), ...subfolders('config')];
}

describe(`${DOC}: the "Where does X live" table is true`, () => {
  const rows = tableRows(readFileSync(join(ROOT, DOC), 'utf8'));
  const listed = rows.map((cells) => pathsIn(cells[0] ?? ''));

  it('has rows, each naming one path in backticks in its first cell and saying what lives there', () => {
    expect(rows.length).toBeGreaterThan(50);
    const malformed = rows
      .filter((cells, i) => listed[i].length !== 1 || (cells[1] ?? '') === '')
      .map((c) => c.join(' | '));
    expect(malformed).toEqual([]);
  });

  it('names only paths that exist in the repository', () => {
    const named = rows.flatMap((cells) => cells.flatMap(pathsIn));
    const missing = named.filter((p) =>
      p.endsWith('/') ? !isDirectory(p.replace(/\/$/, '')) : !existsSync(join(ROOT, p)),
    );
    expect(missing).toEqual([]);
  });

  it('has a row for every folder under apps/*/src and libs/*/src, and every top-level, test/ and config/ folder', () => {
    const covered = new Set(listed.flat().map((p) => p.replace(/\/$/, '')));
    const unlisted = foldersToCover().filter((f) => !covered.has(f));
    expect(unlisted).toEqual([]);
  });
});
