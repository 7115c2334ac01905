import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  Actor,
  ActorRole,
  adminRemovalRefusal,
  can,
  DISABLE_REASONS,
  DisableReason,
  isDisableReason,
  rolesWith,
  staffAccountState,
  StaffAccountState,
  UseCaseError,
} from '@sg/domain';
import { DataSource, EntityManager } from 'typeorm';
import { revokeAllAccessOf } from './access-revocation';
import { deleteSecondFactor } from './second-factor.store';
import { findPartnerOrganisationBySlug, findUserIdByEmail } from './accounts.store';
import { SecurityLog } from './security-log';
import * as store from './staff-accounts.store';
import { StaffInvitationInput, StaffInvitations } from './staff-invitations';

/** A staff account as an administrator sees it. */
export interface StaffMember {
  id: string;
  email: string;
  displayName: string;
  role: ActorRole;
  partnerOrganisation: { slug: string; name: string } | null;
  lastSignedInAt: string | null;
  state: StaffAccountState;
  disabledAt: string | null;
  disabledReason: DisableReason | null;
}

const STAFF_ROLES = () => rolesWith('hold-staff-account');
const ADMINISTRATORS = () => rolesWith('manage-staff-accounts');

/**
 * Staff administration (docs/domain.md §10): administrators list staff, invite them (through
 * StaffInvitations.invite, which emails a link to choose a password), change their role or
 * partner organisation, disable and re-enable them. Disabling ends the person's sessions in the
 * same transaction; every change is written to the security log with the administrator as actor.
 * No one takes administration away from themselves or from the last active administrator.
 */
@Injectable()
export class StaffAccounts {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly invitations: StaffInvitations,
    private readonly securityLog: SecurityLog,
  ) {}

  async list(actor: Actor): Promise<StaffMember[]> {
    this.requireAdministrator(actor);
    return (await store.selectStaff(this.dataSource, STAFF_ROLES())).map(staffMember);
  }

  async get(actor: Actor, id: string): Promise<StaffMember> {
    this.requireAdministrator(actor);
    const row = await store.findStaff(this.dataSource, id, STAFF_ROLES());
    if (!row) throw UseCaseError.notFound('The staff account');
    return staffMember(row);
  }

  /** The VDAs and funders a staff account may work for (the form's choices). */
  async partnerOrganisations(actor: Actor): Promise<{ slug: string; name: string }[]> {
    this.requireAdministrator(actor);
    return store.selectPartnerOrganisations(this.dataSource);
  }

  /** The account with this email address, for reading the security log by person (its readers only). */
  async personByEmail(actor: Actor, email: string): Promise<string | null> {
    if (!can(actor.role, 'read-security-events'))
      throw new UseCaseError('forbidden', 'role_not_permitted', 'Only administrators read the security log');
    return (await findUserIdByEmail(this.dataSource, email.trim()))?.id ?? null;
  }

  /** Creates the account (the person is emailed a link to choose a password); StaffInvitations records who did, in its transaction. */
  invite(actor: Actor, input: StaffInvitationInput, address: string | null): Promise<{ userId: string }> {
    return this.invitations.invite(actor, input, address);
  }

  /** A new role, partner organisation, or both. A role that works for no partner organisation clears it. */
  async change(
    actor: Actor,
    id: string,
    input: { role: ActorRole; partnerOrganisationSlug?: string | null },
    address: string | null,
  ): Promise<StaffMember> {
    this.requireAdministrator(actor);
    if (!can(input.role, 'hold-staff-account'))
      throw new UseCaseError('invalid', 'validation_failed', 'Choose a staff role', [
        { field: 'role', message: 'Choose a staff role' },
      ]);
    const needsPartner = can(input.role, 'work-for-partner-organisation');
    const slug = needsPartner ? input.partnerOrganisationSlug?.trim() || null : null;
    if (needsPartner && !slug)
      throw new UseCaseError('invalid', 'validation_failed', 'Choose the VDA or funder they work for', [
        { field: 'partnerOrganisationSlug', message: 'Choose the VDA or funder they work for' },
      ]);
    await this.dataSource.transaction(async (m) => {
      const { before, administrators } = await this.lockStaff(m, id);
      const removesAdministration =
        can(before.role, 'manage-staff-accounts') && !can(input.role, 'manage-staff-accounts') && !before.disabled_at;
      refuseAdminRemoval(actor, id, removesAdministration, administrators);
      let partnerId: string | null = null;
      if (slug) {
        const p = await findPartnerOrganisationBySlug(m, slug);
        if (!p)
          throw new UseCaseError('unprocessable', 'unknown_partner', 'There is no such VDA or funder', [
            { field: 'partnerOrganisationSlug', message: 'There is no such VDA or funder' },
          ]);
        partnerId = p.id;
      }
      if (before.role === input.role && before.partner_slug === slug) return;
      await store.updateRoleAndPartner(m, id, input.role, partnerId);
      await this.securityLog.record(
        {
          kind: 'user_role_changed',
          actorUserId: actor.userId,
          subjectUserId: id,
          address,
          detail: { oldRole: before.role, newRole: input.role, oldPartner: before.partner_slug, newPartner: slug },
        },
        m,
      );
    });
    return this.get(actor, id);
  }

  /** Refused at once everywhere: sessions are deleted here, and every lookup of a session or token skips the account. */
  async disable(actor: Actor, id: string, reason: unknown, address: string | null): Promise<StaffMember> {
    this.requireAdministrator(actor);
    if (!isDisableReason(reason))
      throw new UseCaseError('invalid', 'validation_failed', 'Choose why the account is being disabled', [
        { field: 'reason', message: `Choose why the account is being disabled (one of ${DISABLE_REASONS.join(', ')})` },
      ]);
    if (id === actor.userId)
      throw new UseCaseError('conflict', 'cannot_disable_self', 'You cannot disable your own account');
    await this.dataSource.transaction(async (m) => {
      const { before, administrators } = await this.lockStaff(m, id);
      if (before.disabled_at) return;
      refuseAdminRemoval(actor, id, can(before.role, 'manage-staff-accounts'), administrators);
      await store.markDisabled(m, id, reason);
      await revokeAllAccessOf(m, id, 'user_disabled');
      await this.securityLog.record(
        { kind: 'user_disabled', actorUserId: actor.userId, subjectUserId: id, address, detail: { reason } },
        m,
      );
    });
    return this.get(actor, id);
  }

  async enable(actor: Actor, id: string, address: string | null): Promise<StaffMember> {
    this.requireAdministrator(actor);
    await this.dataSource.transaction(async (m) => {
      const { before } = await this.lockStaff(m, id);
      if (!before.disabled_at) return;
      await store.markEnabled(m, id);
      await this.securityLog.record({ kind: 'user_enabled', actorUserId: actor.userId, subjectUserId: id, address }, m);
    });
    return this.get(actor, id);
  }

  /**
   * A lost phone and lost recovery codes: forgets the person's authenticator, ends their sessions
   * and revokes their tokens; at their next sign-in they set up a new one (required in production).
   * Not one's own: another administrator does it, so one stolen admin session cannot swap the factor.
   */
  async resetSecondFactor(actor: Actor, id: string, address: string | null): Promise<StaffMember> {
    this.requireAdministrator(actor);
    if (id === actor.userId)
      throw new UseCaseError(
        'conflict',
        'cannot_reset_own_second_factor',
        'Another administrator resets your second factor; you can set up a new app yourself on your account page',
      );
    await this.dataSource.transaction(async (m) => {
      await this.lockStaff(m, id);
      if (!(await deleteSecondFactor(m, id)))
        throw new UseCaseError('conflict', 'no_second_factor', 'This account has no second factor to reset');
      await revokeAllAccessOf(m, id, 'second_factor_reset');
      await this.securityLog.record(
        { kind: 'second_factor_reset', actorUserId: actor.userId, subjectUserId: id, address },
        m,
      );
    });
    return this.get(actor, id);
  }

  private requireAdministrator(actor: Actor): void {
    if (!can(actor.role, 'manage-staff-accounts'))
      throw new UseCaseError('forbidden', 'role_not_permitted', 'Only administrators manage staff accounts');
  }

  /**
   * Locks the active administrators, then the account (always in that order, so that two
   * administrators changing each other queue instead of deadlocking): the count of administrators
   * stays true until the transaction ends.
   */
  private async lockStaff(
    m: EntityManager,
    id: string,
  ): Promise<{ before: store.StaffRow & { role: ActorRole }; administrators: number }> {
    const administrators = await store.lockActiveInRoles(m, ADMINISTRATORS());
    const row = await store.findStaff(m, id, STAFF_ROLES(), true);
    if (!row) throw UseCaseError.notFound('The staff account');
    return { before: row as store.StaffRow & { role: ActorRole }, administrators };
  }
}

function refuseAdminRemoval(actor: Actor, id: string, removes: boolean, activeAdministrators: number): void {
  const refusal = adminRemovalRefusal({
    self: id === actor.userId,
    removesAdministration: removes,
    activeAdministrators,
  });
  if (refusal === 'self')
    throw new UseCaseError('conflict', 'cannot_demote_self', 'You cannot take administration away from yourself');
  if (refusal === 'last_administrator')
    throw new UseCaseError(
      'conflict',
      'last_administrator',
      'This is the last active administrator: make someone else an administrator first',
    );
}

function staffMember(r: store.StaffRow): StaffMember {
  return {
    id: r.id,
    email: r.email,
    displayName: r.display_name,
    role: r.role as ActorRole,
    partnerOrganisation: r.partner_slug ? { slug: r.partner_slug, name: r.partner_name ?? r.partner_slug } : null,
    lastSignedInAt: r.last_signed_in_at?.toISOString() ?? null,
    state: staffAccountState({ disabledAt: r.disabled_at, hasPassword: r.has_password }),
    disabledAt: r.disabled_at?.toISOString() ?? null,
    disabledReason: r.disabled_reason,
  };
}
