import { randomBytes } from 'node:crypto';
import { UseCaseError } from '../../libs/domain/src/errors/use-case-error';
import { Accounts } from '../../libs/identity/src/accounts';
import { TestStack } from '../support/stack';

/**
 * Password accounts end to end through the worker and a real SMTP server: verification and reset
 * links arrive by email, work once, and sign-in is throttled.
 */
describe('accounts', () => {
  let s: TestStack;
  let accounts: Accounts;
  const email = `amina-${randomBytes(3).toString('hex')}@community.example`;
  const password = 'a long and memorable passphrase';

  beforeAll(async () => {
    s = await TestStack.start();
    accounts = s.api.get(Accounts);
  });

  afterAll(async () => {
    await s?.stop();
  });

  const linkIn = async (subject: RegExp, to: string): Promise<string> => {
    await s.smtp.waitFor((all) => all.some((m) => m.to.includes(to) && subject.test(m.subject)));
    const mail = s.smtp.received.filter((m) => m.to.includes(to) && subject.test(m.subject)).at(-1)!;
    const link = /http:\/\/grants\.test\/[a-z-]+\/([A-Za-z0-9_-]{20,})/.exec(mail.text)![1];
    return link;
  };
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: UseCaseError) => e.code,
    );

  it('registers, refuses sign-in until the emailed link is used, then signs in; the link works once', async () => {
    await accounts.register({ email, displayName: 'Amina', password });
    expect(await refusal(accounts.signIn(email, password, '10.0.0.1'))).toBe('email_not_verified');
    const token = await linkIn(/Confirm your email/, email);
    expect(await accounts.verifyEmail(token)).toBe(true);
    expect(await accounts.verifyEmail(token)).toBe(false);
    const signed = await accounts.signIn(email.toUpperCase(), password, '10.0.0.1');
    expect(signed.actor.role).toBe('applicant');
    const [row] = await s.ds.query('SELECT password_hash FROM users WHERE email = $1', [email]);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('registering a taken address changes nothing and says nothing different', async () => {
    await expect(
      accounts.register({ email, displayName: 'Someone else', password: 'another long passphrase' }),
    ).resolves.toBeUndefined();
    expect((await accounts.signIn(email, password, '10.0.0.2')).displayName).toBe('Amina');
  });

  it('refuses weak passwords and bad addresses with field problems', async () => {
    const e = await accounts
      .register({ email: 'not-an-email', displayName: '', password: 'short' })
      .catch((x: UseCaseError) => x);
    expect((e as UseCaseError).fields.map((f) => f.field)).toEqual(['email', 'displayName', 'password']);
  });

  it('resets a password with a single-use link that also ends other sessions and links', async () => {
    await accounts.requestPasswordReset(email);
    const token = await linkIn(/Reset your/, email);
    expect(await accounts.resetTokenIsUsable(token)).toBe(true);
    await accounts.resetPassword(token, 'an entirely new passphrase');
    expect(await refusal(accounts.resetPassword(token, 'yet another passphrase'))).toBe('link_not_valid');
    expect(await refusal(accounts.signIn(email, password, '10.0.0.3'))).toBe('bad_credentials');
    expect((await accounts.signIn(email, 'an entirely new passphrase', '10.0.0.3')).email).toBe(email);
    // An expired link is refused the same way as a used one.
    await accounts.requestPasswordReset(email);
    const late = await linkIn(/Reset your/, email);
    await s.ds.query(
      `UPDATE one_time_tokens SET expires_at = now() - interval '1 second' WHERE user_id = (SELECT id FROM users WHERE email = $1) AND used_at IS NULL`,
      [email],
    );
    expect(await refusal(accounts.resetPassword(late, 'a third passphrase here'))).toBe('link_not_valid');
  });

  it('throttles an account after five failures, even with the right password, and never stores a token', async () => {
    // Start from a clean count: the reset test above failed once on purpose.
    await s.ds.query('DELETE FROM sign_in_failures WHERE account_key = $1', [email]);
    for (let i = 0; i < 5; i++)
      expect(await refusal(accounts.signIn(email, `wrong guess ${i}`, `10.1.0.${i}`))).toBe('bad_credentials');
    expect(await refusal(accounts.signIn(email, 'an entirely new passphrase', '10.1.0.9'))).toBe('too_many_attempts');
    // Tokens are kept only as hashes: no email's token appears in the table.
    const tokens = s.smtp.received
      .filter((m) => m.to.includes(email))
      .map((m) => /\/([A-Za-z0-9_-]{40,})/.exec(m.text)?.[1]);
    const stored = (await s.ds.query('SELECT token_hash FROM one_time_tokens')).map(
      (r: { token_hash: string }) => r.token_hash,
    );
    for (const t of tokens) expect(stored).not.toContain(t);
  });
});
