import { adminRemovalRefusal, isDisableReason, staffAccountState } from './staff-accounts';

describe('staff accounts', () => {
  it('refuses to take administration from oneself or from the last active administrator', () => {
    expect(adminRemovalRefusal({ self: true, removesAdministration: true, activeAdministrators: 5 })).toBe('self');
    expect(adminRemovalRefusal({ self: false, removesAdministration: true, activeAdministrators: 1 })).toBe(
      'last_administrator',
    );
    expect(adminRemovalRefusal({ self: false, removesAdministration: true, activeAdministrators: 2 })).toBeNull();
    // Changing someone who administers nothing (or keeps administering) is never refused by this rule.
    expect(adminRemovalRefusal({ self: true, removesAdministration: false, activeAdministrators: 1 })).toBeNull();
  });

  it('reads an account’s state from its facts', () => {
    expect(staffAccountState({ disabledAt: new Date(), hasPassword: true })).toBe('disabled');
    expect(staffAccountState({ disabledAt: null, hasPassword: true })).toBe('active');
    expect(staffAccountState({ disabledAt: null, hasPassword: false })).toBe('invited');
  });

  it('knows only its own reasons', () => {
    expect(isDisableReason('left_the_organisation')).toBe(true);
    expect(isDisableReason('because I said so')).toBe(false);
  });
});
