import { ComposeContext, ComposedEmail } from './composed-email';
import { digestedNotifications, digestRecipient } from './email-content.store';

export const DIGEST_TEMPLATE = 'daily-digest';

/** How each email an officer may receive reads as one line of the daily digest. */
const DIGEST_LINES: Record<string, string> = {
  'new-submission': 'New application submitted',
  'application-withdrawn': 'Application withdrawn',
  'information-provided': 'The applicant answered your question',
  'offer-accepted': 'Offer accepted',
  'offer-declined': 'Offer declined',
  'report-submitted': 'Monitoring report submitted',
  'reminder-report-escalation': 'Report still overdue after a reminder',
  'reminder-officer-service-level': 'Waiting past the service level',
  'budget-threshold': 'The fund reached an alert threshold',
  'budget-drift': 'The fund’s balances do not match its ledger',
};

/** The officer's daily digest: one line per email held for them since the last one. */
export async function composeDigestEmail(ctx: ComposeContext, notificationId: number): Promise<ComposedEmail> {
  const n = await digestRecipient(ctx.db, notificationId);
  const held = await digestedNotifications(ctx.db, notificationId);
  const items = held.map((h) => ({
    summary: DIGEST_LINES[h.template] ?? h.template.replace(/-/g, ' '),
    reference: h.reference ?? '',
    link: h.application_id
      ? `${ctx.publicUrl}/desk/applications/${h.application_id}`
      : h.fund_id
        ? `${ctx.publicUrl}/desk/funds/${h.fund_id}/money`
        : '',
  }));
  const context = {
    recipient: { displayName: n.display_name },
    fund: { name: '' },
    digest: { items, count: items.length, one: items.length === 1 },
    links: { application: `${ctx.publicUrl}/desk` },
  };
  return { email: n.email as string, rendered: ctx.renderer.render(DIGEST_TEMPLATE, context) };
}
