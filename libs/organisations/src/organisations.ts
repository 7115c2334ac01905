import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Actor, can, isMailbox, MAILBOX_MESSAGE, UseCaseError } from '@sg/domain';
import { enqueueAccountEmail } from '@sg/notifications';
import { PG_UNIQUE_VIOLATION, pgErrorCode, visibilityClause } from '@sg/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { checkProfile, OrganisationProfile, OrganisationView } from './organisation-profile';
import * as store from './organisations.store';

/**
 * Applicant organisations: the profile, its members and invitations, and duplicate detection.
 * A second registration of the same group (same registration number, or same name at the same
 * postcode) is kept, flagged for officers, and linked to the first, so that the fund's cap on
 * awards counts both as one.
 */
@Injectable()
export class Organisations {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(actor: Actor, profile: OrganisationProfile): Promise<OrganisationView> {
    if (!can(actor.role, 'apply-for-organisation'))
      throw new UseCaseError('forbidden', 'role_not_permitted', 'Only applicants register organisations');
    const clean = checkProfile(profile, await this.knownAreas());
    return this.dataSource.transaction(async (m) => {
      const row = await store.insertOrganisation(m, clean, actor.userId);
      await store.writeProfile(m, row.id, clean);
      await store.insertOwner(m, row.id, actor.userId);
      await this.flagDuplicates(m, row.id);
      return this.view(m, actor, row.id);
    });
  }

  async update(actor: Actor, id: string, profile: OrganisationProfile): Promise<OrganisationView> {
    await this.requireMember(actor, id);
    const clean = checkProfile(profile, await this.knownAreas());
    return this.dataSource.transaction(async (m) => {
      await store.writeProfile(m, id, clean);
      await this.flagDuplicates(m, id);
      return this.view(m, actor, id);
    });
  }

  async mine(actor: Actor): Promise<OrganisationView[]> {
    if (!can(actor.role, 'apply-for-organisation')) return [];
    const rows = await store.organisationIdsOfMember(this.dataSource, actor.userId);
    const out: OrganisationView[] = [];
    for (const r of rows) out.push(await this.view(this.dataSource.manager, actor, r.id));
    return out;
  }

  /** Members see their organisation; a fund's officers see organisations that applied to it. Anyone else: 404. */
  /**
   * Members see their organisation; staff see it exactly when they can see one of its
   * applications (the same rule as the applications themselves: a partner officer only in their
   * own areas, the panel only what awaits or had a decision).
   */
  async get(actor: Actor, id: string): Promise<OrganisationView> {
    const visible = can(actor.role, 'apply-for-organisation') ? null : visibilityClause(actor);
    const ok = can(actor.role, 'apply-for-organisation')
      ? await store.isMember(this.dataSource, id, actor.userId)
      : visible && can(actor.role, 'view-applicant-organisations')
        ? await store.seesAnApplicationOf(this.dataSource, visible, id)
        : false;
    if (!ok) throw UseCaseError.notFound('The organisation');
    return this.view(this.dataSource.manager, actor, id);
  }

  async members(
    actor: Actor,
    id: string,
  ): Promise<{
    members: { userId: string; displayName: string; email: string; role: string }[];
    invitations: { id: string; email: string; createdAt: string }[];
  }> {
    await this.requireMember(actor, id);
    const members = await store.membersOf(this.dataSource, id);
    const invitations = await store.openInvitationsOf(this.dataSource, id);
    return { members, invitations };
  }

  /** The owner invites someone by email; the email carries a single-use link. */
  async invite(actor: Actor, id: string, email: string): Promise<{ id: string; email: string }> {
    const role = await this.requireMember(actor, id);
    if (role !== 'owner')
      throw new UseCaseError('forbidden', 'not_owner', 'Only the organisation’s owner can invite members');
    const address = email.trim();
    if (!isMailbox(address))
      throw new UseCaseError('invalid', 'validation_failed', MAILBOX_MESSAGE, [
        { field: 'email', message: MAILBOX_MESSAGE },
      ]);
    if (await store.hasMemberWithEmail(this.dataSource, id, address))
      throw new UseCaseError('conflict', 'already_member', 'That person is already a member', [
        { field: 'email', message: 'That person is already a member' },
      ]);
    try {
      return await this.dataSource.transaction(async (m) => {
        const inv = await store.insertInvitation(m, id, address, actor.userId);
        await enqueueAccountEmail(m, {
          template: 'invitation',
          dedupeKey: `invitation:${inv.id}`,
          invitationId: inv.id,
        });
        return { id: inv.id, email: address };
      });
    } catch (err) {
      if (pgErrorCode(err) === PG_UNIQUE_VIOLATION) {
        throw new UseCaseError('conflict', 'already_invited', 'That person has already been invited', [
          { field: 'email', message: 'That person has already been invited' },
        ]);
      }
      throw err;
    }
  }

  /**
   * Joins the organisation named by an invitation whose token was just used. The invitation is for
   * an address: only the account with that address may accept it.
   */
  async acceptInvitation(m: EntityManager, actor: Actor, invitationId: string): Promise<{ organisationId: string }> {
    const inv = await store.lockOpenInvitation(m, invitationId, actor.userId);
    if (!inv) throw new UseCaseError('not_found', 'invitation_not_found', 'This invitation has been used or withdrawn');
    if (!inv.same_address || !can(actor.role, 'apply-for-organisation')) {
      throw new UseCaseError(
        'forbidden',
        'invitation_for_someone_else',
        'This invitation was sent to a different email address. Sign in with that address to accept it.',
      );
    }
    await store.markInvitationAccepted(m, invitationId, actor.userId);
    await store.insertMember(m, inv.organisation_id, actor.userId);
    return { organisationId: inv.organisation_id };
  }

  /** The caller's role in the organisation; 404 for anyone who is not a member. */
  async requireMember(actor: Actor, id: string): Promise<'owner' | 'member'> {
    const row = can(actor.role, 'apply-for-organisation')
      ? await store.memberRole(this.dataSource, id, actor.userId)
      : undefined;
    if (!row) throw UseCaseError.notFound('The organisation');
    return row.role;
  }

  /** Areas that some fund covers: an organisation outside all of them could apply nowhere. */
  async knownAreas(): Promise<Map<string, string>> {
    const rows = await store.areasOfFunds(this.dataSource);
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  /**
   * Flags every organisation that looks like this one, whichever registered first, and links the
   * newer of each pair to the older one's group (the "real" organisation, whose awards the cap
   * counts together). Links always point to an older organisation, so they cannot form a cycle.
   * Flags are never removed here: an officer decides whether a match is real.
   */
  private async flagDuplicates(m: EntityManager, id: string): Promise<void> {
    const matches = await store.lookalikes(m, id);
    for (const match of matches) {
      const [newer, older, olderRoot] = match.other_is_older
        ? [id, match.id, match.other_root]
        : [match.id, id, match.my_root];
      await store.insertDuplicateFlag(m, newer, older, match.reason);
      await store.linkToGroup(m, newer, olderRoot);
    }
  }

  private async view(m: EntityManager, actor: Actor, id: string): Promise<OrganisationView> {
    const o = await store.findOrganisation(m, id);
    const v: OrganisationView = {
      id: o.id,
      name: o.name,
      legalForm: o.legalForm,
      registrationNumber: o.registrationNumber,
      addressLine1: o.addressLine1,
      addressLine2: o.addressLine2,
      town: o.town,
      postcode: o.postcode,
      areaCode: o.areaCode,
      communitiesServed: o.communitiesServed,
      communitiesOther: o.communitiesOther,
      languages: o.languages,
      ledByAndFor: o.ledByAndFor,
      ledByAndForStatement: o.ledByAndForStatement,
      safeguardingLeadName: o.safeguardingLeadName,
      safeguardingLeadRole: o.safeguardingLeadRole,
      createdAt: o.createdAt.toISOString(),
    };
    if (can(actor.role, 'apply-for-organisation')) {
      const r = await store.memberRole(m, id, actor.userId);
      if (r) v.yourRole = r.role;
    }
    if (can(actor.role, 'view-applicant-organisations')) {
      v.duplicateFlags = await store.duplicateFlagsOf(m, id);
    }
    return v;
  }
}
