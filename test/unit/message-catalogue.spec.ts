import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APPLICATION_STATES } from '../../libs/domain/src/lifecycle/application-state';
import { LIFECYCLE_ACTIONS } from '../../libs/domain/src/lifecycle/lifecycle-action';
import { SECURITY_EVENT_KINDS } from '../../libs/domain/src/identity/security-events';
import { LEGAL_FORMS } from '../../libs/domain/src/organisations/organisation-identity';

const root = join(__dirname, '..', '..');
const catalogue: Record<string, string> = JSON.parse(readFileSync(join(root, 'config', 'messages', 'en.json'), 'utf8'));

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), ext) : e.name.endsWith(ext) ? [join(dir, e.name)] : [],
  );
}

/** Every word a page shows comes from the catalogue, so a new language is a new file and nothing else. */
describe('the portal’s message catalogue', () => {
  it('has every key the templates and page code use', () => {
    const used = new Set<string>();
    for (const f of filesUnder(join(root, 'apps', 'api', 'views'), '.hbs'))
      for (const m of readFileSync(f, 'utf8').matchAll(/\bt "([\w.]+)"/g)) used.add(m[1]);
    for (const f of filesUnder(join(root, 'apps', 'api', 'src', 'portal'), '.ts')) {
      for (const m of readFileSync(f, 'utf8').matchAll(/(?:\.t\(|labelKey: |hintKey: )'([\w.]+)'/g)) used.add(m[1]);
    }
    for (const s of APPLICATION_STATES) used.add(`state.${s}`).add(`next.${s}`);
    // The security log's page names each kind of event (admin-view.ts looks them up by kind).
    for (const k of SECURITY_EVENT_KINDS) used.add(`securityEvents.kind.${k}`);
    for (const a of [...LIFECYCLE_ACTIONS, 'meet-condition', 'waive-condition']) used.add(`event.${a}`);
    for (const l of LEGAL_FORMS) used.add(`legalForm.${l}`);
    for (const k of ['notFound', 'csrf', 'tooLarge', 'forbidden', 'server', 'bad'])
      used.add(`error.${k}.title`).add(`error.${k}.body`);
    for (const k of ['completed', 'in_progress', 'not_started']) used.add(`taskList.${k}`);
    for (const k of ['offer_acceptance', 'first_payment', 'nothing']) used.add(`blocks.${k}`);
    for (const k of ['waiting', 'amount', 'area', 'submitted', 'state']) used.add(`desk.sort.${k}`);
    for (const k of ['possible_duplicate', 'eligibility_failed', 'countersignature_needed']) used.add(`flag.${k}`);
    for (const k of [
      'start-screening',
      'confirm-eligible',
      'mark-ineligible',
      'request-information',
      'complete-assessment',
      'approve',
      'reject',
      'withdraw-offer',
      'confirm-conditions',
      'suspend',
      'reinstate',
    ])
      used.add(`action.${k}`);
    for (const k of ['mark-ineligible', 'reject', 'withdraw-offer', 'suspend']) used.add(`desk.reasonFor.${k}`);
    used
      .add('desk.messageFor.request-information')
      .add('assess.keepComputed')
      .add('desk.required.reason')
      .add('desk.required.message');
    for (const k of ['low', 'medium', 'high']) used.add(`tier.${k}`);
    for (const k of ['capable', 'capable_with_conditions', 'not_yet_capable']) used.add(`outcome.${k}`);
    for (const k of ['open', 'met', 'waived']) used.add(`condition.${k}`);
    for (const k of ['same_registration_number', 'same_name_and_postcode']) used.add(`duplicate.${k}`);
    for (const k of ['fund_open', 'legal_form', 'area', 'amount_within_headroom', 'documents', 'led_by_and_for'])
      used.add(`eligibility.${k}`);
    expect(used.size).toBeGreaterThan(150);
    expect([...used].filter((k) => !(k in catalogue)).sort()).toEqual([]);
  });

  it('keeps page templates free of hard-coded English sentences', () => {
    for (const f of filesUnder(join(root, 'apps', 'api', 'views'), '.hbs')) {
      // Text between tags that is not a handlebars expression: three or more words is a sentence.
      const text = readFileSync(f, 'utf8')
        .replace(/\{\{[^}]*\}\}/g, ' ')
        .replace(/<[^>]*>/g, '\n');
      const sentences = text
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => /[A-Za-z]+ [A-Za-z]+ [A-Za-z]+/.test(l));
      expect({ file: f.slice(root.length + 1), sentences }).toEqual({ file: f.slice(root.length + 1), sentences: [] });
    }
  });
});
