import { addIsoDuration, londonDate, Transition, UseCaseError } from '@sg/domain';
import { ApplicationEntity } from '@sg/persistence';
import { EntityManager } from 'typeorm';
import { reportFormFor } from '../reports/monitoring-reports';

/** The transition's payment effects, in order, on this application's payments. */
export async function applyPayments(m: EntityManager, app: ApplicationEntity, d: Transition, now: Date): Promise<void> {
  const today = londonDate(now);
  for (const p of d.payments) {
    if (p.op === 'schedule') {
      // A tranche paid on acceptance is payable today; a later one waits, undated, for its trigger.
      const now = p.trigger === 'on_acceptance';
      await m.query(
        `INSERT INTO payments (application_id, fund_id, tranche, amount_pence, state, trigger, due_on) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [app.id, app.fundId, p.tranche, p.amountPence, now ? 'scheduled' : 'pending', p.trigger, now ? today : null],
      );
    } else if (p.op === 'make-due') {
      await m.query(
        `UPDATE payments SET state = 'scheduled', due_on = $3 WHERE application_id = $1 AND trigger = $2 AND state = 'pending'`,
        [app.id, p.trigger, today],
      );
    } else if (p.op === 'mark-paid') {
      const [, n] = await m.query(
        `UPDATE payments SET state = 'paid', paid_at = $3, reference = $4 WHERE id = $1 AND application_id = $2 AND state = 'scheduled'`,
        [p.paymentId, app.id, now, p.reference],
      );
      if (n !== 1)
        throw new UseCaseError(
          'conflict',
          'payment_not_scheduled',
          'This payment was released at the same moment by someone else',
        );
    } else {
      await m.query(
        `UPDATE payments SET state = 'cancelled' WHERE application_id = $1 AND state IN ('scheduled', 'pending')`,
        [app.id],
      );
    }
  }
}

/** The transition's report effects, in order, on this application's monitoring reports. */
export async function applyReports(m: EntityManager, app: ApplicationEntity, d: Transition, now: Date): Promise<void> {
  for (const r of d.reports) {
    switch (r.op) {
      case 'schedule': {
        const form = await reportFormFor(m, app.fundId);
        await m.query(
          `INSERT INTO monitoring_reports (application_id, kind, due_on, state, form_key, form_version) VALUES ($1, $2, $3, 'due', $4, $5)`,
          [app.id, r.kind, londonDate(addIsoDuration(now, r.dueAfter)), form?.key ?? null, form?.version ?? null],
        );
        break;
      }
      case 'submit':
        await m.query(
          `UPDATE monitoring_reports SET state = 'submitted', narrative = $3, spend_to_date_pence = $4, submitted_at = $5
             WHERE id = $1 AND application_id = $2`,
          [r.reportId, app.id, r.narrative, r.spendToDatePence, now],
        );
        break;
      case 'accept':
        await m.query(
          `UPDATE monitoring_reports SET state = 'accepted', reviewed_at = $3 WHERE id = $1 AND application_id = $2`,
          [r.reportId, app.id, now],
        );
        break;
      case 'return':
        await m.query(
          `UPDATE monitoring_reports SET state = 'returned', comments = $3, reviewed_at = $4, times_returned = times_returned + 1 WHERE id = $1 AND application_id = $2`,
          [r.reportId, app.id, r.comments, now],
        );
        break;
      case 'cancel-open':
        await m.query(
          `UPDATE monitoring_reports SET state = 'cancelled' WHERE application_id = $1 AND state IN ('due', 'returned')`,
          [app.id],
        );
        break;
    }
  }
}
