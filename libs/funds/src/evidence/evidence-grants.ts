import { AcceptedReport, awardedFromLedger, balancesFromLedger, LedgerKind, Pence } from '@sg/domain';
import { EvidenceReportRow, GrantMoneyRow } from './fund-evidence.store';

/** One grant as the evidence counts it. */
export interface Grant {
  id: string;
  areaCode: string;
  state: string;
  awardedPence: Pence;
  disbursedPence: Pence;
  returnedPence: Pence;
  reports: AcceptedReport[];
  overdue: number;
}

/**
 * The fund's grants (and anything reported on) from their ledger sums and reports: money from the
 * ledger, accepted reports' answers, and how many reports are overdue. Applications with no award,
 * no accepted report and nothing overdue are left out.
 */
export function grantsFrom(money: GrantMoneyRow[], reports: EvidenceReportRow[]): Grant[] {
  const byId = new Map<
    string,
    {
      areaCode: string;
      state: string;
      entries: { kind: LedgerKind; amountPence: Pence }[];
      reports: AcceptedReport[];
      overdue: number;
    }
  >();
  for (const r of money) {
    const g = byId.get(r.id) ?? { areaCode: r.area_code, state: r.state, entries: [], reports: [], overdue: 0 };
    if (r.kind) g.entries.push({ kind: r.kind, amountPence: Number(r.amount) });
    byId.set(r.id, g);
  }
  for (const r of reports) {
    const g = byId.get(r.application_id);
    if (!g) continue;
    if (r.overdue) g.overdue += 1;
    if (r.state === 'accepted') {
      g.reports.push({
        applicationId: r.application_id,
        kind: r.kind,
        reviewedAt: r.reviewed_at ? new Date(r.reviewed_at).toISOString() : null,
        answers: r.answers ?? {},
        spendToDatePence: r.spend_to_date_pence,
      });
    }
  }
  return [...byId]
    .map(([id, g]) => {
      const b = balancesFromLedger(g.entries);
      return {
        id,
        areaCode: g.areaCode,
        state: g.state,
        awardedPence: awardedFromLedger(g.entries),
        disbursedPence: b.disbursedPence,
        returnedPence: b.returnedPence,
        reports: g.reports,
        overdue: g.overdue,
      };
    })
    .filter((g) => g.awardedPence > 0 || g.reports.length > 0 || g.overdue > 0);
}
