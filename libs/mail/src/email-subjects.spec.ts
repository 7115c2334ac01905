import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Subjects are what a mail client shows before anyone opens an email, and what a phishing
 * message imitates: none may carry words someone else typed (a person's or organisation's name,
 * an inviter's name). Only values the service makes itself may appear; a new field must be added
 * here on purpose.
 */
const ALLOWED = new Set([
  'application.reference',
  'reminder.due',
  'reminder.reportKind',
  // Fund names are set by the fund's administrators in its definition, not by applicants.
  'fund.name',
  'alert.threshold',
  'digest.count',
  'digest.one',
  'event.conditionWaived',
]);

describe('email subjects', () => {
  const dir = join(__dirname, '../templates/emails');
  const subjects = readdirSync(dir).map((t) => ({
    template: t,
    subject: readFileSync(join(dir, t, 'subject.hbs'), 'utf8'),
  }));

  it('exist for every template', () => expect(subjects.length).toBeGreaterThan(30));

  it.each(subjects.map((s) => [s.template, s.subject]))('%s names only values the service makes', (_t, subject) => {
    const fields = [...subject.matchAll(/\{\{\s*[#/]?(?:if|unless|else)?\s*([\w.]+)?\s*\}\}/g)]
      .map((m) => m[1])
      .filter((f): f is string => !!f && !['if', 'unless', 'else'].includes(f));
    for (const f of fields) expect(ALLOWED.has(f) ? f : `${f} (not allowed in a subject)`).toBe(f);
  });
});
