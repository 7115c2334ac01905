import { randomBytes } from 'node:crypto';
import { UseCaseError } from '../../libs/domain/src/errors/use-case-error';
import { Accounts } from '../../libs/identity/src/accounts';
import { PageSession } from '../support/page-session';
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

  it('registering a taken address changes nothing, says nothing different, and emails the owner', async () => {
    const before = s.smtp.to(email).length;
    await expect(
      accounts.register({ email, displayName: 'Someone else', password: 'another long passphrase' }),
    ).resolves.toBeUndefined();
    expect((await accounts.signIn(email, password, '10.0.0.2')).displayName).toBe('Amina');
    await s.smtp.waitFor(() => s.smtp.to(email).some((m) => /Someone tried to register/.test(m.subject)));
    const told = s.smtp.to(email).filter((m) => /Someone tried to register/.test(m.subject));
    expect(told).toHaveLength(1);
    // Addressed to the owner by the owner's name; nothing of the registrant's, no link that does anything.
    expect(told[0].text).toContain('Hello Amina');
    expect(told[0].text).not.toContain('Someone else');
    expect(told[0].text).toContain('http://grants.test/forgot-password');
    expect(told[0].text).not.toMatch(/\/(verify-email|reset-password)\//);
    // No verification email for the registrant's attempt.
    const after = s.smtp.to(email).slice(before);
    expect(after.filter((m) => /Confirm your email/.test(m.subject))).toEqual([]);
  });

  it('answers a taken and a new address alike on the page, and caps the owner’s emails at three a day', async () => {
    const page = new PageSession(s);
    const fresh = `new-${randomBytes(3).toString('hex')}@community.example`;
    const answer = async (address: string) => {
      const res = await page.post('/register', {
        displayName: 'Mallory',
        email: address,
        password: 'a third long passphrase',
      });
      const main = /<main[\s\S]*<\/main>/.exec(res.html)![0];
      return { status: res.status, body: main.replaceAll(address, 'ADDRESS').replace(/value="[^"]{30,}"/, 'CSRF') };
    };
    expect(await answer(email)).toEqual(await answer(fresh));
    for (let i = 0; i < 4; i++)
      await accounts.register({ email, displayName: 'Mallory', password: 'a third long passphrase' });
    const [{ n }] = await s.ds.query(
      `SELECT count(*)::int AS n FROM notifications WHERE template = 'registration-attempted' AND recipient_user_id = (SELECT id FROM users WHERE email = $1)`,
      [email],
    );
    expect(n).toBe(3);
  });

  it('verifies an address by the page’s POST, never by opening the link (a mail scanner’s GET)', async () => {
    const address = `scanned-${randomBytes(3).toString('hex')}@community.example`;
    await accounts.register({ email: address, displayName: 'Sam', password });
    const token = await linkIn(/Confirm your email/, address);
    const verified = async () =>
      (await s.ds.query('SELECT email_verified_at FROM users WHERE email = $1', [address]))[0].email_verified_at;
    const page = new PageSession(s);
    for (let i = 0; i < 2; i++) {
      const opened = await page.get(`/verify-email/${token}`);
      expect(opened.status).toBe(200);
      expect(opened.html).toContain(`action="/verify-email/${token}"`);
    }
    expect(await verified()).toBeNull();
    expect(await refusal(accounts.signIn(address, password, '10.0.0.5'))).toBe('email_not_verified');
    const pressed = await page.post(`/verify-email/${token}`, {});
    expect(pressed.status).toBe(200);
    expect(pressed.html).toContain('Email address confirmed');
    expect(await verified()).not.toBeNull();
    // Used once: the page and the button both say the link no longer works.
    expect((await page.get(`/verify-email/${token}`)).status).toBe(404);
    expect((await page.post(`/verify-email/${token}`, {}, '/register')).status).toBe(404);
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
