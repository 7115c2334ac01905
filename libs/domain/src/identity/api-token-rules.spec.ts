import {
  apiTokenExpiry,
  apiTokenIsLive,
  apiTokenLifetimeDays,
  apiTokenNameProblem,
  API_TOKEN_SHAPE,
} from './api-token-rules';

describe('API token rules', () => {
  it('gives staff 30 days and applicants 90', () => {
    expect(apiTokenLifetimeDays('applicant')).toBe(90);
    for (const role of ['officer', 'partner_officer', 'panel_member', 'funder_viewer', 'admin'] as const)
      expect(apiTokenLifetimeDays(role)).toBe(30);
    expect(apiTokenExpiry('admin', new Date('2026-01-01T00:00:00Z')).toISOString()).toBe('2026-01-31T00:00:00.000Z');
  });

  it('recognises the production shape only', () => {
    expect(API_TOKEN_SHAPE.test(`sg_${'a'.repeat(32)}`)).toBe(true);
    expect(API_TOKEN_SHAPE.test('dev-admin-token')).toBe(false);
    expect(API_TOKEN_SHAPE.test(`sg_${'a'.repeat(31)}`)).toBe(false);
    expect(API_TOKEN_SHAPE.test(`sg_${'a'.repeat(31)}!`)).toBe(false);
  });

  it('takes plain labels as names and refuses addresses, markup and empty names', () => {
    expect(apiTokenNameProblem('Grants CRM (live)')).toBeNull();
    expect(apiTokenNameProblem("Amina's laptop")).toBeNull();
    expect(apiTokenNameProblem('')).toMatch(/Enter a name/);
    expect(apiTokenNameProblem('x'.repeat(61))).toMatch(/60 characters/);
    expect(apiTokenNameProblem('visit evil.example/login')).not.toBeNull();
    expect(apiTokenNameProblem('www.evil.example')).not.toBeNull();
    expect(apiTokenNameProblem('<script>')).not.toBeNull();
  });

  it('counts a token live until revoked or expired', () => {
    const now = new Date('2026-06-01T12:00:00Z');
    expect(apiTokenIsLive({ revokedAt: null, expiresAt: new Date('2026-06-01T12:00:01Z') }, now)).toBe(true);
    expect(apiTokenIsLive({ revokedAt: null, expiresAt: now }, now)).toBe(false);
    expect(apiTokenIsLive({ revokedAt: now, expiresAt: new Date('2027-01-01') }, now)).toBe(false);
  });
});
