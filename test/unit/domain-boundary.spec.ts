import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

/** The lint rule that keeps libs/domain pure: it passes on the domain and fails on a framework import. */
function lint(fileName: string, source: string): { status: number | null; output: string } {
  const r = spawnSync(join(ROOT, 'node_modules/.bin/eslint'), ['--stdin', '--stdin-filename', fileName], {
    cwd: ROOT,
    input: source,
    encoding: 'utf8',
  });
  return { status: r.status, output: r.stdout + r.stderr };
}

describe('libs/domain imports nothing but itself', () => {
  it.each([
    "import { Injectable } from '@nestjs/common';",
    "import { DataSource } from 'typeorm';",
    "import { Queue } from 'bullmq';",
    "import { readFileSync } from 'node:fs';",
    "import { loadConfig } from '@sg/config';",
  ])('refuses %s', (line) => {
    const r = lint('libs/domain/src/lifecycle/probe.ts', `${line}\nexport const x = 1;\n`);
    expect(r.status).toBe(1);
    expect(r.output).toContain('libs/domain is pure TypeScript');
  });

  it('allows its own files, and the same import elsewhere', () => {
    expect(
      lint(
        'libs/domain/src/lifecycle/probe.ts',
        "import { formatPounds } from '../money/pence';\nexport const x = formatPounds;\n",
      ).status,
    ).toBe(0);
    expect(
      lint(
        'libs/applications/src/probe.ts',
        "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n",
      ).status,
    ).toBe(0);
  });
});
