import { EvidenceFigures, Pence, Shown } from '@sg/domain';

export interface EvidenceArea {
  code: string;
  name: string;
}

/** One area's or one VDA's headline figures. */
export interface EvidenceSummaryRow<C> {
  grants: C;
  peopleSupported: C;
  reportsAccepted: C;
  reportsOverdue: C;
  awardedPence: Pence;
  disbursedPence: Pence;
  spendToDatePence: Pence;
}

export interface FundEvidence<C> {
  fund: {
    id: string;
    slug: string;
    name: string;
    /** The funder and the managing VDA (partners of the fund, never grantees). */
    funderName: string | null;
    managingName: string | null;
    opensOn: string | null;
    closesOn: string | null;
    programmeEndsOn: string | null;
    totalPence: Pence;
    grantablePence: Pence;
    /** The management fee posted to the ledger so far (the whole fund's, whatever the area). */
    feePence: Pence;
  };
  /** Today in Europe/London. */
  asOf: string;
  /** `suppressed`: counts under 5 (and any count that would reveal one) carry no number. */
  view: 'full' | 'suppressed';
  suppressionThreshold: number | null;
  /** The area the figures are for; null: every area this reader may see. */
  area: EvidenceArea | null;
  /** The areas this reader may filter by. */
  areas: EvidenceArea[];
  programmeEnded: boolean;
  /** Spend against awards, for the grants in view. */
  money: { awardedPence: Pence; disbursedPence: Pence; returnedPence: Pence; spendToDatePence: Pence };
  figures: EvidenceFigures<C>;
  /** Each area's headline figures (only the chosen one when filtered by area). */
  byArea: (EvidenceArea & EvidenceSummaryRow<C>)[];
  /** Each VDA's, over its areas (none when filtered by area). */
  byPartner: ({ name: string; areas: string[] } & EvidenceSummaryRow<C>)[];
}

/** Staff and administrators read every count; a funder viewer reads counts suppressed. The two cannot be mixed up. */
export type FundEvidenceView =
  (FundEvidence<number> & { view: 'full' }) | (FundEvidence<Shown> & { view: 'suppressed' });
