import { loadConfig } from './app-config';

describe('configuration', () => {
  it('has local defaults', () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/smallgrants');
    expect(c.PORT).toBe(3000);
    expect(c.SMTP_URL).toBeUndefined();
  });

  it('fails fast naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });

  it('takes a 360Giving prefix that starts with 360G-', () => {
    expect(loadConfig({}).THREESIXTYGIVING_PREFIX).toBe('360G-smallgrants');
    expect(loadConfig({ THREESIXTYGIVING_PREFIX: '360G-catalyst' }).THREESIXTYGIVING_PREFIX).toBe('360G-catalyst');
    expect(() => loadConfig({ THREESIXTYGIVING_PREFIX: 'catalyst' })).toThrow(/THREESIXTYGIVING_PREFIX/);
  });

  it('has rate limits with safe defaults that must be whole numbers of at least 1', () => {
    const c = loadConfig({ RATE_LIMIT_API: '1200' });
    expect([c.RATE_LIMIT_SIGN_IN, c.RATE_LIMIT_EMAIL_FORMS, c.RATE_LIMIT_API]).toEqual([50, 10, 1200]);
    expect(() => loadConfig({ RATE_LIMIT_SIGN_IN: '0' })).toThrow(/RATE_LIMIT_SIGN_IN/);
    expect(() => loadConfig({ RATE_LIMIT_INVITATIONS: 'many' })).toThrow(/RATE_LIMIT_INVITATIONS/);
  });
});
