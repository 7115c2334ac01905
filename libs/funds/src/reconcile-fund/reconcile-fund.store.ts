import { Queryable } from '../funds.store';

/** The statement of the budget job's alerts: each alert is recorded once, by its unique key. */
export async function insertFundAlert(
  db: Queryable,
  alert: {
    fundId: string;
    kind: 'threshold' | 'drift';
    dedupeKey: string;
    thresholdBasisPoints: number | null;
    usedPence: number;
    grantablePence: number;
    detail: object;
  },
): Promise<{ id: number } | undefined> {
  const [row] = await db.query(
    `INSERT INTO fund_alerts (fund_id, kind, dedupe_key, threshold_bp, used_pence, grantable_pence, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
    [
      alert.fundId,
      alert.kind,
      alert.dedupeKey,
      alert.thresholdBasisPoints,
      alert.usedPence,
      alert.grantablePence,
      alert.detail,
    ],
  );
  return row;
}
