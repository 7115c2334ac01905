import { decideTransition } from './decide-transition';
import { LifecycleCommand } from './lifecycle-action';
import { ActorRole } from './actor-role';
import { generousContext } from './test-fixtures';

/** extend-offer: an officer moves an open offer's expiry later, with a reason, before it lapses. */
describe('extending an offer', () => {
  // The offer lapses at the end of 28 February 2027 (London is on GMT then).
  const current = new Date('2027-02-28T23:59:59.999Z');
  const extend = (command: LifecycleCommand, o: { now?: Date; role?: ActorRole } = {}) =>
    decideTransition({
      state: 'offered',
      role: o.role ?? 'officer',
      action: 'extend-offer',
      context: { ...generousContext({ offerExpiresAt: current }), now: o.now ?? new Date('2027-02-20T10:00:00Z') },
      command,
    });

  it('moves the expiry to the end of the new London day, keeps the offer open, records both dates and tells the applicant', () => {
    expect(extend({ offerExpiresOn: '2027-04-15', reason: 'The trustees meet in April' })).toMatchObject({
      ok: true,
      from: 'offered',
      to: 'offered',
      // 15 April is in British Summer Time: the day ends at 22:59:59.999 UTC.
      patch: { offerExpiresAt: new Date('2027-04-15T22:59:59.999Z') },
      event: {
        action: 'extend-offer',
        reason: 'The trustees meet in April',
        data: { previousExpiresOn: '2027-02-28', offerExpiresOn: '2027-04-15' },
      },
      notifications: [{ template: 'offer-extended', audience: 'applicant' }],
      ledger: [],
      jobs: [],
    });
  });

  it('is refused without a reason', () => {
    expect(extend({ offerExpiresOn: '2027-04-15' })).toMatchObject({
      ok: false,
      code: 'invalid_command',
      field: 'reason',
    });
    expect(extend({ offerExpiresOn: '2027-04-15', reason: '  ' })).toMatchObject({ code: 'invalid_command' });
  });

  it('is refused without a real date', () => {
    for (const offerExpiresOn of [undefined, '15/04/2027', '2027-02-30'])
      expect(extend({ offerExpiresOn, reason: 'x' })).toMatchObject({
        ok: false,
        code: 'invalid_command',
        field: 'offerExpiresOn',
      });
  });

  it('is refused unless the new date is after the current expiry date, even later the same day', () => {
    const midday = {
      ...generousContext({ offerExpiresAt: new Date('2027-02-28T12:00:00Z') }),
      now: new Date('2027-02-20T10:00:00Z'),
    };
    expect(
      decideTransition({
        state: 'offered',
        role: 'officer',
        action: 'extend-offer',
        context: midday,
        command: { offerExpiresOn: '2027-02-28', reason: 'x' },
      }),
    ).toMatchObject({ ok: false, code: 'expiry_not_later' });
    for (const offerExpiresOn of ['2027-02-28', '2027-02-10'])
      expect(extend({ offerExpiresOn, reason: 'x' })).toMatchObject({
        ok: false,
        code: 'expiry_not_later',
        field: 'offerExpiresOn',
      });
    expect(extend({ offerExpiresOn: '2027-03-01', reason: 'x' })).toMatchObject({ ok: true });
  });

  it('is refused once the offer has lapsed by the caller’s clock', () => {
    expect(
      extend({ offerExpiresOn: '2027-04-15', reason: 'x' }, { now: new Date('2027-03-01T00:00:00Z') }),
    ).toMatchObject({ ok: false, code: 'offer_lapsed' });
    expect(
      extend({ offerExpiresOn: '2027-04-15', reason: 'x' }, { now: new Date('2027-02-28T23:59:59Z') }),
    ).toMatchObject({ ok: true });
  });

  it('is an officer’s alone', () => {
    for (const role of ['applicant', 'partner_officer', 'panel_member', 'funder_viewer', 'admin', 'system'] as const)
      expect(extend({ offerExpiresOn: '2027-04-15', reason: 'x' }, { role })).toMatchObject({
        ok: false,
        code: 'role_not_permitted',
      });
  });
});
