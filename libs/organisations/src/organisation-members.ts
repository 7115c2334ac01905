import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Actor, can, UseCaseError } from '@sg/domain';
import { SecurityLog } from '@sg/identity';
import { DataSource, EntityManager } from 'typeorm';
import * as store from './organisation-members.store';

/**
 * Taking membership back (docs/domain.md §10): the owner removes a member, revokes an invitation
 * still open and hands ownership to another member; any member may leave, except the owner, who
 * hands ownership over first so that an organisation always has one. Each act locks the
 * organisation's memberships and is written to the security log in the same transaction. A
 * removed member's access ends with the membership: every read of an application asks for it.
 */
@Injectable()
export class OrganisationMembers {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly securityLog: SecurityLog,
  ) {}

  async leave(actor: Actor, organisationId: string, address: string | null): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const { mine } = await this.lock(m, actor, organisationId);
      if (mine === 'owner')
        throw new UseCaseError(
          'conflict',
          'owner_cannot_leave',
          'You own this organisation: hand ownership to another member before you leave (invite someone first if you are the only member)',
        );
      await store.deleteMember(m, organisationId, actor.userId);
      await this.securityLog.record(
        { kind: 'member_left', actorUserId: actor.userId, subjectUserId: actor.userId, organisationId, address },
        m,
      );
    });
  }

  async remove(actor: Actor, organisationId: string, userId: string, address: string | null): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const { members } = await this.lockAsOwner(m, actor, organisationId, 'remove members');
      if (userId === actor.userId)
        throw new UseCaseError(
          'conflict',
          'owner_cannot_leave',
          'You own this organisation: hand ownership to another member before you leave',
        );
      if (!members.has(userId)) throw UseCaseError.notFound('The member');
      await store.deleteMember(m, organisationId, userId);
      await this.securityLog.record(
        { kind: 'member_removed', actorUserId: actor.userId, subjectUserId: userId, organisationId, address },
        m,
      );
    });
  }

  /** The owner becomes a member and the member named becomes the owner. */
  async transferOwnership(actor: Actor, organisationId: string, userId: string, address: string | null): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const { members } = await this.lockAsOwner(m, actor, organisationId, 'hand ownership over');
      if (userId === actor.userId)
        throw new UseCaseError('conflict', 'already_owner', 'You already own this organisation', [
          { field: 'userId', message: 'Choose another member' },
        ]);
      if (!members.has(userId))
        throw new UseCaseError('unprocessable', 'not_a_member', 'Choose a member of the organisation', [
          { field: 'userId', message: 'Choose a member of the organisation' },
        ]);
      await store.setMemberRole(m, organisationId, actor.userId, 'member');
      await store.setMemberRole(m, organisationId, userId, 'owner');
      await this.securityLog.record(
        { kind: 'ownership_transferred', actorUserId: actor.userId, subjectUserId: userId, organisationId, address },
        m,
      );
    });
  }

  /** The invitation's link stops working: accepting it needs an invitation neither accepted nor revoked. */
  async revokeInvitation(
    actor: Actor,
    organisationId: string,
    invitationId: string,
    address: string | null,
  ): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await this.lockAsOwner(m, actor, organisationId, 'revoke invitations');
      if (!(await store.revokeOpenInvitation(m, organisationId, invitationId)))
        throw new UseCaseError('not_found', 'not_found', 'There is no open invitation with this id');
      await this.securityLog.record(
        { kind: 'invitation_revoked', actorUserId: actor.userId, organisationId, address, detail: { invitationId } },
        m,
      );
    });
  }

  /** The organisation's memberships, locked, and the caller's role; 404 for anyone who is not a member. */
  private async lock(
    m: EntityManager,
    actor: Actor,
    organisationId: string,
  ): Promise<{ mine: 'owner' | 'member'; members: Map<string, 'owner' | 'member'> }> {
    const rows = can(actor.role, 'apply-for-organisation') ? await store.lockMembers(m, organisationId) : [];
    const members = new Map(rows.map((r) => [r.user_id, r.role]));
    const mine = members.get(actor.userId);
    if (!mine) throw UseCaseError.notFound('The organisation');
    return { mine, members };
  }

  private async lockAsOwner(m: EntityManager, actor: Actor, organisationId: string, what: string) {
    const locked = await this.lock(m, actor, organisationId);
    if (locked.mine !== 'owner')
      throw new UseCaseError('forbidden', 'not_owner', `Only the organisation’s owner can ${what}`);
    return locked;
  }
}
