import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { actionTableMarkdown } from '../../libs/domain/src';

/**
 * docs/actions.md carries the action table generated from the command schemas and the transition
 * table. To regenerate it: UPDATE_ACTION_TABLE=1 npx jest test/unit/action-table.spec.ts
 */
const DOC = join(__dirname, '../../docs/actions.md');
const BEGIN = '<!-- action-table:begin -->';
const END = '<!-- action-table:end -->';

describe('docs/actions.md', () => {
  it('holds the action table as the schemas generate it', () => {
    const doc = readFileSync(DOC, 'utf8');
    const table = `${BEGIN}\n${actionTableMarkdown()}\n${END}`;
    const current = doc.slice(doc.indexOf(BEGIN), doc.indexOf(END) + END.length);
    if (process.env.UPDATE_ACTION_TABLE) writeFileSync(DOC, doc.replace(current, table));
    else expect(current).toBe(table);
  });
});
