import { ApplicationView, OfferLetter } from '@sg/applications';
import { Messages } from '../messages';
import { offerLetterView } from './offer-letter.view';

const messages = new Messages();

const application = {
  id: 'a1',
  reference: 'SG-0001',
  fundId: 'f1',
  organisation: { id: 'o1', name: 'Stockton Circle' },
  state: 'offered',
  title: 'Lunch club',
  requestedPence: 300_000,
  awardedPence: 200_001,
  decidedAt: '2026-11-10T23:30:00.000Z',
  updatedAt: '2026-11-12T10:00:00.000Z',
  offerExpiresAt: '2026-12-10T12:00:00.000Z',
} as ApplicationView;

function letter(over: Partial<OfferLetter> = {}): OfferLetter {
  return {
    application,
    fundName: 'Cleveland Pilot',
    managingOrganisation: 'Tees Valley Community Foundation',
    paymentSchedule: [
      { percent: 70, trigger: 'on_acceptance' },
      { percent: 30, trigger: 'on_interim_report_accepted' },
    ],
    reportSchedule: [
      { kind: 'interim', dueAfter: 'P6M' },
      { kind: 'final', dueAfter: 'P18M' },
    ],
    address: ['1 High Street', null, 'Stockton-on-Tees', 'TS18 1AA'],
    approvalReason: 'The budget for staff is not covered',
    accepted: null,
    conditions: [
      {
        id: 'c1',
        text: 'Send the safeguarding policy',
        evidenceRequired: 'The adopted policy',
        blocks: 'first_payment',
        dueOn: '2026-12-10',
        status: 'open',
        resolutionNote: null,
        resolvedBy: null,
        resolvedAt: null,
        source: null,
      },
    ],
    ...over,
  };
}

describe('the offer letter', () => {
  it('says who offers what to whom, how it is paid, on what conditions, which reports, and until when', () => {
    expect(offerLetterView(letter(), messages)).toEqual({
      managingOrganisation: 'Tees Valley Community Foundation',
      fundName: 'Cleveland Pilot',
      // Decided late on 10 November by the clock, which is the 10th in London (GMT).
      date: '10 November 2026',
      organisationName: 'Stockton Circle',
      address: ['1 High Street', 'Stockton-on-Tees', 'TS18 1AA'],
      reference: 'SG-0001',
      title: 'Lunch club',
      amount: '£2,000.01',
      partial: true,
      requested: '£3,000.00',
      reason: 'The budget for staff is not covered',
      // The odd penny goes to the last payment.
      payments: [
        '70% (£1,400.00) once the offer is accepted and the conditions below are met',
        '30% (£600.01) when your interim report is accepted',
      ],
      conditions: [
        {
          id: 'c1',
          text: 'Send the safeguarding policy',
          evidenceRequired: 'The adopted policy',
          blocks: 'first_payment',
          dueOn: '2026-12-10',
          status: 'open',
          resolutionNote: null,
          resolvedBy: null,
          resolvedAt: null,
          source: null,
          blocksLabel: 'the first payment',
          due: '10 December 2026',
        },
      ],
      // A duration the catalogue has no words for is shown as written.
      reports: ['An interim report, six months after you accept', 'A final report, P18M after you accept'],
      expires: '10 December 2026',
      accepted: '',
    });
  });

  it('once accepted: who signed and when, no expiry, and the full amount is not "partial"', () => {
    const v = offerLetterView(
      letter({
        application: { ...application, state: 'active', requestedPence: 200_001 },
        approvalReason: null,
        accepted: { signatoryName: 'Ada Lovelace', signatoryRole: 'Chair', at: new Date('2026-11-20T09:00:00Z') },
      }),
      messages,
    );
    expect(v).toMatchObject({
      partial: false,
      reason: '',
      expires: '',
      accepted: 'Accepted by Ada Lovelace (Chair) on 20 November 2026.',
    });
  });
});
