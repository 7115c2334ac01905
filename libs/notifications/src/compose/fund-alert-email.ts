import { formatPounds } from '@sg/domain';
import { ComposeContext, ComposedEmail } from './composed-email';
import { fundAlertContent } from './email-content.store';

/** A budget alert to the fund's managers: which threshold, how much is used and what is left. */
export async function composeFundAlertEmail(ctx: ComposeContext, notificationId: number): Promise<ComposedEmail> {
  const n = await fundAlertContent(ctx.db, notificationId);
  const drift = Object.entries((n.detail?.drift ?? {}) as Record<string, number>).map(
    ([k, v]) => `${k} differs by ${formatPounds(v)}`,
  );
  const context = {
    recipient: { displayName: n.display_name },
    fund: { name: n.fund_name },
    alert: {
      threshold: n.threshold_bp === null ? '' : `${n.threshold_bp / 100}%`,
      used: formatPounds(n.used_pence),
      grantable: formatPounds(n.grantable_pence),
      available: formatPounds(n.grantable_pence - n.used_pence),
      detail: [...drift, ...((n.detail?.breaches ?? []) as string[])].join('; ') || 'see the log',
    },
    links: { application: `${ctx.publicUrl}/desk/funds/${n.fund_id}/money` },
  };
  return { email: n.email as string, rendered: ctx.renderer.render(n.template, context) };
}
