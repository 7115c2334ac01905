import { answerSummary, formatPounds, FormDefinition, humanDay, REMINDER_KINDS, ReminderKind } from '@sg/domain';
import { Claimed } from '../email-claims.store';
import { ComposeContext, ComposedEmail } from './composed-email';
import { applicationFileNames } from './email-content.store';

/**
 * An email about an application (nearly all of them): a lifecycle step, a reminder or a receipt,
 * composed from what the claim joined to the row.
 */
export async function composeApplicationEmail(
  ctx: ComposeContext,
  notificationId: number,
  n: Claimed,
): Promise<ComposedEmail> {
  // The claim's joins are outer joins (they serve every kind): an application's email needs them all.
  if (
    !n.email ||
    n.application_id === null ||
    n.reference === null ||
    n.fund_name === null ||
    n.organisation_name === null
  ) {
    throw new Error(`notification ${notificationId} is missing its recipient, application, fund or organisation`);
  }
  const reminder = n.reminder_id === null ? null : reminderContext(n);
  const data = (n.data ?? {}) as Record<string, unknown>;
  const amount =
    typeof data.amountPence === 'number'
      ? data.amountPence
      : typeof data.clawbackPence === 'number' && data.clawbackPence > 0
        ? data.clawbackPence
        : null;
  const context = {
    recipient: { displayName: n.display_name },
    fund: { name: n.fund_name },
    organisation: { name: n.organisation_name },
    application: {
      reference: n.reference,
      title: n.title,
      requested: n.requested_pence === null ? '' : formatPounds(n.requested_pence),
      awarded: n.awarded_pence === null ? '' : formatPounds(n.awarded_pence),
      conditions: n.conditions,
    },
    event: {
      reason: n.reason ?? '',
      // The officer's questions go to the applicant; the applicant's answers stay in the portal.
      message: n.action === 'request-information' && typeof data.message === 'string' ? data.message : '',
      amount: amount === null ? '' : formatPounds(amount),
      reference: typeof data.reference === 'string' ? data.reference : '',
      // A signed-off condition: which one, and whether it was met or waived.
      condition:
        (n.action === 'meet-condition' || n.action === 'waive-condition') && typeof data.text === 'string'
          ? data.text
          : '',
      conditionWaived: n.action === 'waive-condition',
      // An extended offer: the new last day to accept it, as people read dates.
      offerExpiresOn: typeof data.offerExpiresOn === 'string' ? humanDay(data.offerExpiresOn) : '',
    },
    // The receipt repeats the answers so the applicant has a copy; file names only, never contents.
    answers:
      n.template === 'application-received' && n.form
        ? await answersFor(ctx, n.application_id, n.form, n.answers ?? {})
        : [],
    reminder,
    links: {
      application: `${ctx.publicUrl}/${reminder?.forOfficers ? 'desk/' : ''}applications/${n.application_id}`,
    },
  };
  return { email: n.email, rendered: ctx.renderer.render(n.template, context) };
}

/** A reminder's due date as people read it, and what it is about: which report, which condition. */
function reminderContext(r: Claimed) {
  if (r.reminder_due_on === null) throw new Error(`reminder ${r.reminder_id} does not exist`);
  return {
    due: humanDay(r.reminder_due_on),
    reportKind: r.report_kind ?? '',
    condition: r.condition_text ?? '',
    forOfficers: REMINDER_KINDS[r.reminder_kind as ReminderKind]?.audience === 'fund_officers',
  };
}

async function answersFor(
  ctx: ComposeContext,
  applicationId: string,
  form: FormDefinition,
  answers: Record<string, never>,
) {
  return answerSummary(form, answers, await applicationFileNames(ctx.db, applicationId));
}
