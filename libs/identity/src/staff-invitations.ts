import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  actingUserId,
  Actor,
  ActorRole,
  can,
  isMailbox,
  MAILBOX_MESSAGE,
  NAME_LINK_MESSAGE,
  nameHasLink,
  rolesWith,
  UseCaseError,
} from '@sg/domain';
import { enqueueAccountEmail } from '@sg/notifications';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '@sg/persistence';
import { DataSource } from 'typeorm';
import * as store from './accounts.store';
import { SecurityLog } from './security-log';

export interface StaffInvitationInput {
  email: string;
  displayName: string;
  role: ActorRole;
  partnerOrganisationSlug?: string;
}

/**
 * Making a staff account (an administrator on the pages or API, or the CLI as the system): the
 * person is emailed a link to choose their password, and the security log records who made it, in
 * the same transaction.
 */
@Injectable()
export class StaffInvitations {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly securityLog: SecurityLog,
  ) {}

  /** Staff accounts are made by an admin, never by registration; the person chooses a password by email. */
  async invite(actor: Actor, input: StaffInvitationInput, address: string | null = null): Promise<{ userId: string }> {
    if (!can(actor.role, 'create-staff-accounts'))
      throw new UseCaseError('forbidden', 'role_not_permitted', 'Only administrators create staff accounts');
    if (!can(input.role, 'hold-staff-account'))
      throw new UseCaseError('invalid', 'validation_failed', 'Staff roles only', [
        { field: 'role', message: `must be one of ${rolesWith('hold-staff-account').join(', ')}` },
      ]);
    if (!isMailbox(input.email.trim()))
      throw new UseCaseError('invalid', 'validation_failed', MAILBOX_MESSAGE, [
        { field: 'email', message: MAILBOX_MESSAGE },
      ]);
    if (nameHasLink(input.displayName))
      throw new UseCaseError('invalid', 'validation_failed', NAME_LINK_MESSAGE, [
        { field: 'displayName', message: NAME_LINK_MESSAGE },
      ]);
    const needsPartner = can(input.role, 'work-for-partner-organisation');
    if (needsPartner && !input.partnerOrganisationSlug) {
      throw new UseCaseError('invalid', 'validation_failed', 'Staff other than admins work for a VDA or funder', [
        { field: 'partnerOrganisationSlug', message: 'required for this role' },
      ]);
    }
    try {
      return await this.dataSource.transaction(async (m) => {
        let partnerId: string | null = null;
        if (input.partnerOrganisationSlug) {
          const p = await store.findPartnerOrganisationBySlug(m, input.partnerOrganisationSlug);
          if (!p)
            throw new UseCaseError('unprocessable', 'unknown_partner', 'There is no such VDA or funder', [
              { field: 'partnerOrganisationSlug', message: 'no such partner organisation' },
            ]);
          partnerId = p.id;
        }
        const row = await store.insertStaffUser(m, {
          email: input.email.trim(),
          displayName: input.displayName.trim(),
          role: input.role,
          partnerOrganisationId: partnerId,
        });
        await enqueueAccountEmail(m, {
          template: 'account-created',
          dedupeKey: `account-created:${row.id}`,
          userId: row.id,
        });
        await this.securityLog.record(
          {
            kind: 'user_created',
            actorUserId: actingUserId(actor),
            subjectUserId: row.id,
            address,
            detail: { role: input.role, partner: input.partnerOrganisationSlug ?? null },
          },
          m,
        );
        return { userId: row.id };
      });
    } catch (err) {
      if (pgErrorCode(err) === PG_UNIQUE_VIOLATION)
        throw new UseCaseError('conflict', 'email_taken', 'An account with that email address exists', [
          { field: 'email', message: 'already has an account' },
        ]);
      throw err;
    }
  }
}
