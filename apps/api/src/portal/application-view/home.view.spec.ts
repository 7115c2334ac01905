import { ApplicationView } from '@sg/applications';
import { FundSummaryView } from '@sg/funds';
import { Messages } from '../messages';
import { dashboardApplications, fundPageView } from './home.view';
import { readOfferForm } from './offer-form';

const messages = new Messages();

const fund: FundSummaryView = {
  id: 'f1',
  slug: 'cleveland',
  name: 'Cleveland Pilot',
  currency: 'GBP',
  opensOn: '2026-09-01',
  closesOn: null,
  maxPerOrganisationPence: 500_000,
  areas: [
    { code: 'E06000001', name: 'Hartlepool' },
    { code: 'E06000004', name: 'Stockton-on-Tees' },
  ],
};

describe('the applicant’s dashboard', () => {
  it('names each application’s fund and state', () => {
    const apps = [
      { id: 'a1', fundId: 'f1', state: 'draft' },
      { id: 'a2', fundId: 'gone', state: 'offered' },
    ] as ApplicationView[];
    expect(dashboardApplications(apps, [fund], messages).map((a) => [a.id, a.fundName, a.stateLabel])).toEqual([
      ['a1', 'Cleveland Pilot', 'Draft'],
      ['a2', '', 'Offer made'],
    ]);
  });
});

describe('a fund’s page', () => {
  it('shows the fund in words and asks which organisation applies, choosing the only one', () => {
    const v = fundPageView(fund, [{ id: 'o1', name: 'Stockton Circle' }], undefined, messages);
    expect(v.fund).toMatchObject({
      maximum: '£5,000.00',
      areas: 'Hartlepool, Stockton-on-Tees',
      opensOn: '1 September 2026',
      closesOn: '',
    });
    expect(v.questions).toEqual([
      expect.objectContaining({
        id: 'organisationId',
        label: 'Which organisation is applying?',
        options: [expect.objectContaining({ value: 'o1', label: 'Stockton Circle', checked: true })],
      }),
    ]);
  });

  it('leaves the choice open between several, with the problem shown', () => {
    const v = fundPageView(
      fund,
      [
        { id: 'o1', name: 'A' },
        { id: 'o2', name: 'B' },
      ],
      'Select the organisation',
      messages,
    );
    expect(v.questions[0].options!.map((o) => o.checked)).toEqual([false, false]);
    expect(v.questions[0].error).toBe('Select the organisation');
  });
});

describe('the answer to an offer', () => {
  it('asks for a decision first', () => {
    expect(readOfferForm({}, messages)).toEqual({
      kind: 'refused',
      values: { decision: '', signatoryName: '', signatoryRole: '' },
      errors: [{ text: 'Select whether you accept the offer', href: 'decision' }],
      fieldErrors: { decision: 'Select whether you accept the offer' },
    });
  });

  it('declines with the reason given, if any', () => {
    expect(readOfferForm({ decision: 'decline', declineReason: '  Too late  ' }, messages)).toMatchObject({
      kind: 'decline',
      reason: 'Too late',
    });
    expect(readOfferForm({ decision: 'decline', declineReason: ' ' }, messages)).toMatchObject({
      kind: 'decline',
      reason: undefined,
    });
  });

  it('reports every missing part of the signature at once, in the page’s order', () => {
    expect(readOfferForm({ decision: 'accept', signatoryName: ' ' }, messages)).toMatchObject({
      kind: 'refused',
      errors: [
        { text: 'Enter the full name of the person signing', href: 'signatoryName' },
        { text: "Enter the signatory's role in the organisation", href: 'signatoryRole' },
        { text: 'Confirm that you are authorised to accept and agree to the terms', href: 'acceptsTerms' },
      ],
    });
  });

  it('accepts when signed and ticked', () => {
    expect(
      readOfferForm(
        { decision: 'accept', signatoryName: 'Ada', signatoryRole: 'Chair', acceptsTerms: 'yes' },
        messages,
      ),
    ).toEqual({ kind: 'accept', values: { decision: 'accept', signatoryName: 'Ada', signatoryRole: 'Chair' } });
  });
});
