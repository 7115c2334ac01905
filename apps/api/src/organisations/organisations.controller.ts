import { Body, Controller, Delete, Get, HttpCode, Ip, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor } from '@sg/domain';
import { OrganisationMembers, Organisations } from '@sg/organisations';
import { CurrentActor } from '../http/actor';
import { ApiProblems } from '../http/api-problems';
import { ref } from '../http/schema-helpers';
import { UuidParam } from '../http/params';
import { InviteMemberDto, OrganisationProfileDto, TransferOwnershipDto } from './organisation.dto';

@ApiTags('organisations')
@ApiBearerAuth()
@ApiProblems(401)
@Controller('api/v1/organisations')
export class OrganisationsController {
  constructor(
    private readonly organisations: Organisations,
    private readonly memberships: OrganisationMembers,
  ) {}

  /**
   * Register an applicant organisation; the caller becomes its owner. One that matches an existing
   * organisation (same registration number, or same name and postcode) is accepted and flagged to
   * officers, and its awards count with the first one's against the per-organisation cap.
   */
  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ schema: ref('Organisation') })
  @ApiProblems(400, { 403: 'Only applicants register organisations' })
  create(@CurrentActor() actor: Actor, @Body() body: OrganisationProfileDto) {
    return this.organisations.create(actor, body);
  }

  /** The caller's own organisations. */
  @Get()
  @ApiOkResponse({ schema: ref('OrganisationList') })
  async mine(@CurrentActor() actor: Actor) {
    return { items: await this.organisations.mine(actor) };
  }

  /** Members, and officers of funds it applied to, may read it; anyone else gets 404. Officers also see duplicate flags. */
  @Get(':id')
  @ApiOkResponse({ schema: ref('Organisation') })
  @ApiProblems(404)
  get(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.organisations.get(actor, id);
  }

  /** Replace the profile (members only). */
  @Put(':id')
  @ApiOkResponse({ schema: ref('Organisation') })
  @ApiProblems(400, { 404: 'No such organisation, or the caller is not a member' })
  update(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() body: OrganisationProfileDto) {
    return this.organisations.update(actor, id, body);
  }

  /** Members and open invitations (members only). */
  @Get(':id/members')
  @ApiOkResponse({ schema: ref('OrganisationMembers') })
  @ApiProblems({ 404: 'No such organisation, or the caller is not a member' })
  members(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.organisations.members(actor, id);
  }

  /** Invite someone by email (the owner only); they accept through the emailed link after signing in. */
  @Post(':id/invitations')
  @HttpCode(201)
  @ApiCreatedResponse({ schema: ref('Invitation') })
  @ApiProblems(400, {
    403: 'Only the owner invites members',
    404: 'No such organisation, or the caller is not a member',
    409: 'Already a member, or already invited',
  })
  invite(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() body: InviteMemberDto) {
    return this.organisations.invite(actor, id, body.email);
  }

  /** Revoke an invitation not yet accepted (the owner only): its link no longer works. */
  @Delete(':id/invitations/:invitationId')
  @HttpCode(200)
  @ApiOkResponse({
    schema: ref('OrganisationMembers'),
    description: 'The members and open invitations after the change',
  })
  @ApiProblems({
    403: 'Only the owner revokes invitations',
    404: 'No such organisation, the caller is not a member, or no open invitation with this id',
  })
  async revokeInvitation(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @UuidParam('invitationId') invitationId: string,
    @Ip() ip: string,
  ) {
    await this.memberships.revokeInvitation(actor, id, invitationId, ip);
    return this.organisations.members(actor, id);
  }

  /** Remove a member (the owner only): they lose the organisation and its applications at once. */
  @Delete(':id/members/:userId')
  @HttpCode(200)
  @ApiOkResponse({
    schema: ref('OrganisationMembers'),
    description: 'The members and open invitations after the change',
  })
  @ApiProblems({
    403: 'Only the owner removes members',
    404: 'No such organisation, the caller is not a member, or no such member',
    409: 'The owner cannot remove themselves: hand ownership over, then leave',
  })
  async removeMember(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @UuidParam('userId') userId: string,
    @Ip() ip: string,
  ) {
    await this.memberships.remove(actor, id, userId, ip);
    return this.organisations.members(actor, id);
  }

  /** Hand ownership to another member (the owner only); the caller stays a member. */
  @Post(':id/ownership')
  @HttpCode(200)
  @ApiOkResponse({
    schema: ref('OrganisationMembers'),
    description: 'The members and open invitations after the change',
  })
  @ApiProblems(400, {
    403: 'Only the owner hands ownership over',
    404: 'No such organisation, or the caller is not a member',
    409: 'The caller already owns it',
    422: 'That person is not a member',
  })
  async transferOwnership(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @Body() body: TransferOwnershipDto,
    @Ip() ip: string,
  ) {
    await this.memberships.transferOwnership(actor, id, body.userId, ip);
    return this.organisations.members(actor, id);
  }

  /** Leave the organisation (any member but the owner, who hands ownership over first). */
  @Post(':id/leave')
  @HttpCode(200)
  @ApiOkResponse({ schema: ref('OrganisationList'), description: 'The organisations the caller still belongs to' })
  @ApiProblems({
    404: 'No such organisation, or the caller is not a member',
    409: 'The owner hands ownership over before leaving',
  })
  async leave(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Ip() ip: string) {
    await this.memberships.leave(actor, id, ip);
    return { items: await this.organisations.mine(actor) };
  }
}
