import { Queryable } from '../funds.store';

export interface ScheduledPaymentRow {
  id: string;
  application_id: string;
  reference: string;
  organisation: string;
  registration_number: string | null;
  tranche: number;
  amount_pence: number;
  due_on: string;
  /** Texts of open conditions that hold up payments. */
  conditions: string[] | null;
  /** Kinds of reports overdue today. */
  overdue: string[] | null;
}

/** The statement of the payment run: scheduled payments of active grants due by a date, with what holds each up. */
export function scheduledPaymentsDueBy(
  db: Queryable,
  fundId: string,
  dueBy: string,
  today: string,
): Promise<ScheduledPaymentRow[]> {
  return db.query(
    `SELECT p.id, p.application_id, a.reference, o.name AS organisation, o.registration_number, p.tranche, p.amount_pence,
              to_char(p.due_on, 'YYYY-MM-DD') AS due_on,
              (SELECT array_agg(c.text ORDER BY c.position) FROM conditions c
                WHERE c.application_id = a.id AND c.status = 'open' AND c.blocks IN ('payments', 'first_payment')) AS conditions,
              (SELECT array_agg(r.kind ORDER BY r.due_on) FROM monitoring_reports r
                WHERE r.application_id = a.id AND r.state IN ('due', 'returned') AND r.due_on < $3) AS overdue
       FROM payments p JOIN applications a ON a.id = p.application_id JOIN organisations o ON o.id = a.organisation_id
       WHERE p.fund_id = $1 AND p.state = 'scheduled' AND p.due_on <= $2 AND a.state = 'active'
       ORDER BY p.due_on, a.reference, p.tranche`,
    [fundId, dueBy, today],
  );
}
