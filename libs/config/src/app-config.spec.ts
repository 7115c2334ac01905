import { DEVELOPMENT_SESSION_SECRET, loadConfig, trustedProxies, unsafeProductionSettings } from './app-config';

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

describe('production', () => {
  const strong = 'q7Xk2mVb9RtL4wNz8PcY3hJd6FsG1aE5uK0oI';
  const safe = {
    SESSION_SECRET: strong,
    SMTP_URL: 'smtps://u:p@smtp.example.org',
    PUBLIC_URL: 'https://grants.example.org',
  };

  it('is what an unset NODE_ENV means', () => {
    expect(loadConfig({}).NODE_ENV).toBe('production');
    expect(loadConfig({ NODE_ENV: 'development' }).NODE_ENV).toBe('development');
  });

  it('finds nothing unsafe in a configuration that sets its own secret, SMTP and https address', () => {
    expect(unsafeProductionSettings(loadConfig(safe))).toEqual([]);
  });

  it('names each unsafe setting and its fix, one line each', () => {
    const lines = unsafeProductionSettings(loadConfig({}));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^SESSION_SECRET: weak .*set 32 or more random characters/);
    expect(lines[1]).toMatch(/^SMTP_URL: unset.*reset links.*set SMTP_URL=/);
    expect(lines[2]).toMatch(/^PUBLIC_URL: http:\/\/localhost:3000 is not https; set .*PUBLIC_URL=https:/);
  });

  it('refuses the development secret and secrets of few different characters', () => {
    for (const SESSION_SECRET of [DEVELOPMENT_SESSION_SECRET, 'a'.repeat(64), 'abcdefg'.repeat(6)])
      expect(unsafeProductionSettings(loadConfig({ ...safe, SESSION_SECRET }))).toEqual([
        expect.stringMatching(/^SESSION_SECRET: weak/),
      ]);
    expect(unsafeProductionSettings(loadConfig({ ...safe, SESSION_SECRET: 'abcdefgh'.repeat(4) }))).toEqual([]);
    // Under 32 characters is refused everywhere, naming the fix.
    expect(() => loadConfig({ SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET must be 32 to 512 characters/);
  });

  it('checks nothing outside production', () => {
    expect(unsafeProductionSettings(loadConfig({ NODE_ENV: 'development' }))).toEqual([]);
    expect(unsafeProductionSettings(loadConfig({ NODE_ENV: 'test' }))).toEqual([]);
  });

  it('allows the development users only with NODE_ENV=development', () => {
    expect(loadConfig({ NODE_ENV: 'development', DEVELOPMENT_USERS: 'on' }).DEVELOPMENT_USERS).toBe('on');
    expect(loadConfig({ NODE_ENV: 'development' }).DEVELOPMENT_USERS).toBe('off');
    expect(() => loadConfig({ ...safe, DEVELOPMENT_USERS: 'on' })).toThrow(
      /DEVELOPMENT_USERS: .*only with NODE_ENV=development; remove DEVELOPMENT_USERS \(NODE_ENV is production\)/,
    );
    expect(() => loadConfig({ NODE_ENV: 'test', DEVELOPMENT_USERS: 'on' })).toThrow(/DEVELOPMENT_USERS/);
  });

  it('lists every problem of a configuration at once', () => {
    expect(() => loadConfig({ PORT: 'eighty', DEVELOPMENT_USERS: 'on', TRUSTED_PROXIES: '10.0.0.300' })).toThrow(
      /PORT: .*\n {2}TRUSTED_PROXIES: 10.0.0.300 is not an address.*\n {2}DEVELOPMENT_USERS: /,
    );
  });
});

describe('trusted proxies', () => {
  it('are none unless listed', () => {
    expect(trustedProxies(loadConfig({}))).toBe(false);
    expect(trustedProxies(loadConfig({ TRUSTED_PROXIES: ' ' }))).toBe(false);
  });

  it('take addresses, CIDR ranges and loopback', () => {
    expect(trustedProxies(loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.7,::1,fd00::/8,loopback' }))).toEqual([
      '10.0.0.0/8',
      '192.168.1.7',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });

  it('refuse anything else, naming it', () => {
    for (const bad of ['true', '*', '10.0.0.0/33', '10.0.0.1/8/1', 'proxy.example', '::1/129'])
      expect(() => loadConfig({ TRUSTED_PROXIES: bad })).toThrow(/TRUSTED_PROXIES/);
  });
});
