import { fundApplicationScope } from './application-access';

/** Fund-level money and records follow who may see the fund's applications. */
describe('fundApplicationScope', () => {
  const actor = (role: Parameters<typeof fundApplicationScope>[0]['role']) => ({
    userId: 'u',
    role,
    partnerOrganisationId: 'p',
  });
  const managing = { role: 'managing' as const, areas: [] };
  const partner = { role: 'partner' as const, areas: ['E06000002'] };
  const funder = { role: 'funder' as const, areas: [] };

  it("gives the managing VDA's officers and panel, and administrators, every application", () => {
    expect(fundApplicationScope(actor('officer'), managing)).toBe('all');
    expect(fundApplicationScope(actor('panel_member'), managing)).toBe('all');
    expect(fundApplicationScope(actor('admin'), null)).toBe('all');
  });

  it('gives officers of a funder or of a partner that does not manage the fund none', () => {
    expect(fundApplicationScope(actor('officer'), partner)).toBeNull();
    expect(fundApplicationScope(actor('officer'), funder)).toBeNull();
    expect(fundApplicationScope(actor('panel_member'), partner)).toBeNull();
    expect(fundApplicationScope(actor('officer'), null)).toBeNull();
  });

  it("gives a partner officer their partner's areas, and a funder viewer or applicant none", () => {
    expect(fundApplicationScope(actor('partner_officer'), partner)).toEqual({ areas: ['E06000002'] });
    expect(fundApplicationScope(actor('partner_officer'), funder)).toBeNull();
    expect(fundApplicationScope(actor('funder_viewer'), funder)).toBeNull();
    expect(fundApplicationScope(actor('applicant'), null)).toBeNull();
  });
});
