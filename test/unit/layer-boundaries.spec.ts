import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

/** Lints one made-up file at a path of the tree, as `npm test`'s lint step would see it. */
function lint(fileName: string, source: string): { status: number | null; output: string } {
  const r = spawnSync(join(ROOT, 'node_modules/.bin/eslint'), ['--stdin', '--stdin-filename', fileName], {
    cwd: ROOT,
    input: `${source}\nexport const probe = 1;\n`,
    encoding: 'utf8',
  });
  return { status: r.status, output: r.stdout + r.stderr };
}

describe('the layers are lint rules', () => {
  it.each([
    ['apps/api/src/funds/probe.ts', "import { DataSource } from 'typeorm';"],
    ['apps/api/src/portal/probe.ts', "import { InjectDataSource } from '@nestjs/typeorm';"],
    ['apps/worker/src/probe.ts', "import { Pool } from 'pg';"],
    ['apps/api/src/cli/probe.ts', "import { EntityManager } from 'typeorm/entity-manager/EntityManager';"],
  ])('apps/ never reach the database directly: %s refuses %s', (file, line) => {
    const r = lint(file, line);
    expect(r.status).toBe(1);
    expect(r.output).toContain('apps/ reach the database through a library');
  });

  it.each(["import { Messages } from '../portal/messages';", "import { sendPageError } from '../portal/page-errors';"])(
    'the HTTP plumbing does not import the pages: %s',
    (line) => {
      const r = lint('apps/api/src/http/probe.ts', line);
      expect(r.status).toBe(1);
      expect(r.output).toContain('must not import the pages');
    },
  );

  it.each([
    ['libs/applications/src/probe.ts', "import { FeeStatement } from '../../funds/src/management-fee/fee-statement';"],
    ['libs/funds/src/read-fund/probe.ts', "import { x } from '../../../notifications/src/daily-digests';"],
    ['libs/notifications/src/probe.ts', "import { x } from '@sg/applications/src/reminders/reminder-scan';"],
    ['apps/api/src/funds/probe.ts', "import { x } from '../../../../libs/funds/src/payment-run/payment-run';"],
  ])('a library is used through its index, not its files: %s refuses %s', (file, line) => {
    const r = lint(file, line);
    expect(r.status).toBe(1);
    expect(r.output).toContain('through its public index');
  });

  it('allows what the layers allow', () => {
    // A library's own files, another library's index, typeorm inside a library, pages using the HTTP plumbing.
    const allowed: [string, string][] = [
      ['libs/applications/src/probe.ts', "export { ReminderScan } from './reminders/reminder-scan';"],
      ['libs/applications/src/probe.ts', "export { CalculateFeeUseCase } from '@sg/funds';"],
      ['libs/funds/src/probe.ts', "export { DataSource } from 'typeorm';"],
      ['apps/api/src/portal/probe.ts', "export { problem } from '../http/problem';"],
      ['apps/api/src/funds/probe.ts', "export { CalculateFeeUseCase } from '@sg/funds';"],
    ];
    for (const [file, line] of allowed) expect({ file, line, ...lint(file, line) }).toMatchObject({ status: 0 });
  });
});
