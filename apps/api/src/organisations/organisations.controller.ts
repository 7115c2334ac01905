import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor } from '@sg/domain';
import { Organisations } from '@sg/organisations';
import { CurrentActor } from '../http/actor';
import { ApiProblems } from '../http/api-problems';
import { ref } from '../http/schema-helpers';
import { UuidParam } from '../http/params';
import { InviteMemberDto, OrganisationProfileDto } from './organisation.dto';

@ApiTags('organisations')
@ApiBearerAuth()
@ApiProblems(401)
@Controller('api/v1/organisations')
export class OrganisationsController {
  constructor(private readonly organisations: Organisations) {}

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
}
