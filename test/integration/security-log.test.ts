import { randomBytes } from 'node:crypto';
import { UseCaseError } from '../../libs/domain/src/errors/use-case-error';
import { Accounts } from '../../libs/identity/src/accounts';
import { ApiTokens } from '../../libs/identity/src/api-tokens';
import { SecurityLog } from '../../libs/identity/src/security-log';
import { TestStack } from '../support/stack';

/** The security log is append-only, and a disabled account is refused by session, token and sign-in. */
describe('security log and disabled accounts', () => {
  let s: TestStack;
  const admin = { userId: '', role: 'admin' as const, partnerOrganisationId: null };

  beforeAll(async () => {
    s = await TestStack.start();
  });

  afterAll(async () => {
    await s?.stop();
  });

  it('records an event and refuses to change or delete it, except for the retention job', async () => {
    const log = s.api.get(SecurityLog);
    const kind = 'export_downloaded';
    const marker = randomBytes(4).toString('hex');
    await log.record({ kind, actorUserId: null, address: '10.9.9.9', detail: { export: marker } });
    const [row] = await s.ds.query(`SELECT id FROM security_events WHERE detail->>'export' = $1`, [marker]);
    expect(row).toBeDefined();
    await expect(s.ds.query(`UPDATE security_events SET address = 'x' WHERE id = $1`, [row.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(s.ds.query(`DELETE FROM security_events WHERE id = $1`, [row.id])).rejects.toThrow(/append-only/);
    await s.ds.transaction(async (m) => {
      await m.query(`SET LOCAL sg.retention = 'on'`);
      await m.query(`DELETE FROM security_events WHERE id = $1`, [row.id]);
    });
    expect(await s.ds.query(`SELECT id FROM security_events WHERE id = $1`, [row.id])).toEqual([]);
  });

  it('lists events to admins only, filtered by kind', async () => {
    const log = s.api.get(SecurityLog);
    await log.record({ kind: 'user_disabled', actorUserId: null, detail: {} });
    const rows = await log.list(admin, { kind: 'user_disabled' });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.kind === 'user_disabled')).toBe(true);
    const refused = await log
      .list({ userId: '', role: 'officer', partnerOrganisationId: null }, {})
      .catch((e: UseCaseError) => e.code);
    expect(refused).toBe('role_not_permitted');
  });

  it('refuses a disabled account at its next request: session, token and sign-in', async () => {
    const email = `leaver-${randomBytes(3).toString('hex')}@catalyst.example`;
    const { userId, token } = await s.api
      .get(ApiTokens)
      .upsertUser({ email, displayName: 'Lee Leaver', role: 'admin' });
    const accounts = s.api.get(Accounts);
    await accounts.setVerifiedPassword(userId, 'a long and memorable passphrase');
    expect(await accounts.signedIn(userId)).not.toBeNull();
    expect(await s.api.get(ApiTokens).authenticate(token)).not.toBeNull();

    await s.ds.query(`UPDATE users SET disabled_at = now() WHERE id = $1`, [userId]);
    expect(await accounts.signedIn(userId)).toBeNull();
    expect(await s.api.get(ApiTokens).authenticate(token)).toBeNull();
    const refusal = await accounts
      .signIn(email, 'a long and memorable passphrase', '10.0.0.9')
      .catch((e: UseCaseError) => e.code);
    expect(refusal).toBe('account_disabled');
    // A wrong password says nothing about the account's state.
    const guess = await accounts
      .signIn(email, 'not the passphrase at all', '10.0.0.9')
      .catch((e: UseCaseError) => e.code);
    expect(guess).toBe('bad_credentials');
  });
});
