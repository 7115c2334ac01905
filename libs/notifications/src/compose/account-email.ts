import { ACCOUNT_EMAILS, AccountEmail } from '../account-emails';
import { NotificationMissingError } from '../notification-missing.error';
import { mintOneTimeToken } from '../one-time-tokens.store';
import { ComposeContext, ComposedEmail } from './composed-email';
import { accountEmailContent } from './email-content.store';

/**
 * Verification, reset, staff welcome and invitation emails. The link's token is minted here, at
 * send time, so that it exists nowhere but in the email (a resend after a lease mints another;
 * both stay single-use and expire).
 */
export async function composeAccountEmail(
  ctx: ComposeContext,
  notificationId: number,
  template: AccountEmail,
): Promise<ComposedEmail> {
  const spec = ACCOUNT_EMAILS[template];
  if (!spec)
    throw new NotificationMissingError(`notification ${notificationId} has no application and no account template`);
  const n = await accountEmailContent(ctx.db, notificationId);
  const token =
    spec.kind === null
      ? null
      : await mintOneTimeToken(
          ctx.db,
          spec.kind,
          { userId: n.recipient_user_id, invitationId: n.invitation_id },
          spec.lifetime,
        );
  const context = {
    recipient: { displayName: n.display_name ?? '' },
    fund: { name: '' },
    organisation: { name: n.organisation_name ?? '' },
    inviter: { displayName: n.inviter_name ?? '' },
    lifetime: spec.lifetime,
    links: {
      action: token === null ? `${ctx.publicUrl}${spec.path}` : `${ctx.publicUrl}${spec.path}/${token}`,
      signIn: `${ctx.publicUrl}/sign-in`,
    },
  };
  return { email: n.email as string, rendered: ctx.renderer.render(template, context) };
}
