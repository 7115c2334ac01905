import fc from 'fast-check';
import { delayAfterFailures, passwordProblem, SIGN_IN_DELAY, signInAllowed } from './sign-in-throttle';

describe('sign-in progressive delay', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

  it('lets five failures through at once, then makes the sixth attempt wait 30 seconds after the fifth', () => {
    const four = [ago(50), ago(40), ago(30), ago(20)];
    expect(signInAllowed(four, null, now)).toEqual({ allowed: true });
    expect(signInAllowed([...four, ago(10)], null, now)).toEqual({ allowed: false, retryAfterSeconds: 20 });
    expect(signInAllowed([...four, ago(30)], null, now)).toEqual({ allowed: true });
  });

  it('doubles the wait with each further failure, up to 15 minutes', () => {
    expect([5, 6, 7, 8, 9, 10, 11, 40].map((n) => delayAfterFailures(n))).toEqual([
      30, 60, 120, 240, 480, 900, 900, 900,
    ]);
    const seven = Array.from({ length: 7 }, (_, i) => ago(100 - i));
    expect(signInAllowed(seven, null, now)).toEqual({ allowed: false, retryAfterSeconds: 120 - 94 });
  });

  it('forgets failures from before the owner last signed in or reset the password, and after a day', () => {
    const five = [ago(60), ago(50), ago(40), ago(30), ago(10)];
    expect(signInAllowed(five, ago(45), now)).toEqual({ allowed: true });
    const yesterday = five.map((t) => new Date(t.getTime() - SIGN_IN_DELAY.windowMs));
    expect(signInAllowed(yesterday, null, now)).toEqual({ allowed: true });
  });

  it('never locks out for longer than the longest delay, however many failures', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 86_000 }), { maxLength: 500 }), (secondsAgo) => {
        const times = secondsAgo.sort((a, b) => b - a).map(ago);
        const d = signInAllowed(times, null, now);
        return d.allowed || (d.retryAfterSeconds >= 1 && d.retryAfterSeconds <= SIGN_IN_DELAY.maxDelaySeconds);
      }),
    );
  });

  it('asks for long passwords that are not the email address', () => {
    expect(passwordProblem('short', 'a@b.c')).toMatch(/at least 12/);
    expect(passwordProblem('amina.applicant-2026', 'amina.applicant@example.org')).toMatch(/email/);
    expect(passwordProblem('aaaaaaaaaaaaaa', 'x@y.z')).toMatch(/harder/);
    expect(passwordProblem('correct horse battery', 'x@y.z')).toBeNull();
  });
});
