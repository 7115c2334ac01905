import { loggableUrl } from './logging';

describe('loggableUrl', () => {
  it('keeps the route and drops one-time tokens and query strings', () => {
    expect(loggableUrl('/reset-password/AbC123_-xyz')).toBe('/reset-password/:token');
    expect(loggableUrl('/verify-email/AbC123_-xyz?x=1')).toBe('/verify-email/:token');
    expect(loggableUrl('/invitations/AbC123')).toBe('/invitations/:token');
    expect(loggableUrl('/sign-in?next=/applications/1&email=a@b.c')).toBe('/sign-in');
    expect(loggableUrl('/api/v1/applications/5f0c')).toBe('/api/v1/applications/5f0c');
  });
});
