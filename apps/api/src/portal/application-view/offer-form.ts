import { field } from '../pages';
import { Messages } from '../messages';

export interface OfferValues {
  decision: string;
  signatoryName: string;
  signatoryRole: string;
}

/** What the offer form asks for: a decline (with its optional reason), an acceptance, or the problems to show. */
export type OfferAnswer =
  | { kind: 'decline'; values: OfferValues; reason: string | undefined }
  | { kind: 'accept'; values: OfferValues }
  | {
      kind: 'refused';
      values: OfferValues;
      errors: { text: string; href: string }[];
      fieldErrors: Record<string, string>;
    };

/**
 * Reads the applicant's answer to the offer. Accepting needs the signatory's name and role and the
 * authority box ticked: every missing part is reported at once, in the page's order.
 */
export function readOfferForm(fields: Record<string, string | string[]>, messages: Messages): OfferAnswer {
  const values: OfferValues = {
    decision: field(fields, 'decision'),
    signatoryName: field(fields, 'signatoryName'),
    signatoryRole: field(fields, 'signatoryRole'),
  };
  if (values.decision !== 'accept' && values.decision !== 'decline') {
    const text = messages.t('offer.required');
    return { kind: 'refused', values, errors: [{ text, href: 'decision' }], fieldErrors: { decision: text } };
  }
  if (values.decision === 'decline')
    return { kind: 'decline', values, reason: field(fields, 'declineReason').trim().slice(0, 5000) || undefined };
  const missing: [string, string][] = [];
  if (values.signatoryName.trim() === '') missing.push(['signatoryName', messages.t('offer.signatoryNameRequired')]);
  if (values.signatoryRole.trim() === '') missing.push(['signatoryRole', messages.t('offer.signatoryRoleRequired')]);
  if (field(fields, 'acceptsTerms') !== 'yes') missing.push(['acceptsTerms', messages.t('offer.acceptsTermsRequired')]);
  if (missing.length > 0)
    return {
      kind: 'refused',
      values,
      errors: missing.map(([href, text]) => ({ text, href })),
      fieldErrors: Object.fromEntries(missing),
    };
  return { kind: 'accept', values };
}
