import { ActorRole } from '../lifecycle/actor-role';
import { can, CAPABILITIES, Capability, isCapability, rolesWith } from './permissions';

/**
 * The policy written out by hand, role by role (docs/domain.md §1 and the authorisation matrix): every
 * capability a role must have. Every capability not listed for a role is one it must not have.
 * Nothing here is read from PERMISSIONS.
 */
const EVERY_CAPABILITY: readonly Capability[] = [
  'apply-for-organisation',
  'screen-and-assess',
  'sign-off-conditions',
  'waive-payment-conditions',
  'decide-awards',
  'manage-grants',
  'run-scheduled-transitions',
  'declare-conflicts',
  'read-internal-notes',
  'write-internal-notes',
  'use-desk',
  'view-applicant-organisations',
  'view-every-application',
  'oversee-managed-funds',
  'view-applications-in-area',
  'view-applications-for-decision',
  'oversee-every-fund',
  'view-evidence',
  'view-evidence-as-funder',
  'view-evidence-in-own-areas',
  'view-fund-money',
  'view-money-report',
  'read-fund-records',
  'create-funds',
  'create-staff-accounts',
  'hold-staff-account',
  'work-for-partner-organisation',
  'receive-daily-digest',
  'administer-queues',
  'manage-staff-accounts',
  'read-security-events',
];

const MUST_HAVE: Record<ActorRole, readonly Capability[]> = {
  applicant: ['apply-for-organisation'],
  officer: [
    'screen-and-assess',
    'sign-off-conditions',
    'waive-payment-conditions',
    'decide-awards',
    'manage-grants',
    'declare-conflicts',
    'read-internal-notes',
    'write-internal-notes',
    'use-desk',
    'view-applicant-organisations',
    'oversee-managed-funds',
    'view-evidence',
    'view-evidence-in-own-areas',
    'view-fund-money',
    'view-money-report',
    'read-fund-records',
    'hold-staff-account',
    'work-for-partner-organisation',
    'receive-daily-digest',
  ],
  partner_officer: [
    'screen-and-assess',
    'sign-off-conditions',
    'declare-conflicts',
    'read-internal-notes',
    'write-internal-notes',
    'use-desk',
    'view-applicant-organisations',
    'view-applications-in-area',
    'view-evidence',
    'view-evidence-in-own-areas',
    'view-fund-money',
    'view-money-report',
    'hold-staff-account',
    'work-for-partner-organisation',
    'receive-daily-digest',
  ],
  panel_member: [
    'decide-awards',
    'declare-conflicts',
    'read-internal-notes',
    'use-desk',
    'view-applicant-organisations',
    'view-applications-for-decision',
    'view-fund-money',
    'view-money-report',
    'hold-staff-account',
    'work-for-partner-organisation',
    'receive-daily-digest',
  ],
  funder_viewer: [
    'view-evidence',
    'view-evidence-as-funder',
    'view-fund-money',
    'hold-staff-account',
    'work-for-partner-organisation',
  ],
  admin: [
    'oversee-every-fund',
    'view-evidence',
    'view-fund-money',
    'view-money-report',
    'read-fund-records',
    'create-funds',
    'create-staff-accounts',
    'hold-staff-account',
    'receive-daily-digest',
    'administer-queues',
    'manage-staff-accounts',
    'read-security-events',
  ],
  system: ['run-scheduled-transitions', 'view-every-application', 'create-funds', 'create-staff-accounts'],
};

const ROLES = Object.keys(MUST_HAVE) as ActorRole[];

describe('the permissions table', () => {
  it('has exactly the capabilities written out here', () => {
    expect([...CAPABILITIES].sort()).toEqual([...EVERY_CAPABILITY].sort());
  });

  describe.each(ROLES)('%s', (role) => {
    const has = MUST_HAVE[role];
    const hasNot = EVERY_CAPABILITY.filter((c) => !has.includes(c));

    it.each(has)('may %s', (capability) => {
      expect(can(role, capability)).toBe(true);
    });

    if (hasNot.length > 0) {
      it.each(hasNot)('may not %s', (capability) => {
        expect(can(role, capability)).toBe(false);
      });
    }
  });

  it('lists the roles with a capability in the order of ACTOR_ROLES', () => {
    expect(rolesWith('hold-staff-account')).toEqual([
      'officer',
      'partner_officer',
      'panel_member',
      'funder_viewer',
      'admin',
    ]);
    expect(rolesWith('screen-and-assess')).toEqual(['officer', 'partner_officer']);
    expect(rolesWith('decide-awards')).toEqual(['officer', 'panel_member']);
    expect(rolesWith('create-funds')).toEqual(['admin', 'system']);
    expect(rolesWith('apply-for-organisation')).toEqual(['applicant']);
  });

  it('gives no staff capability to an applicant and nothing on the desk to a funder viewer or an admin', () => {
    expect(can('applicant', 'use-desk')).toBe(false);
    expect(can('funder_viewer', 'use-desk')).toBe(false);
    expect(can('admin', 'use-desk')).toBe(false);
    expect(can('admin', 'screen-and-assess')).toBe(false);
  });

  it('knows its own capability names', () => {
    expect(isCapability('view-evidence')).toBe(true);
    expect(isCapability('view-everything')).toBe(false);
    expect(isCapability(undefined)).toBe(false);
  });
});
