import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor } from '@sg/domain';
import { Organisations } from '@sg/organisations';
import { CurrentActor } from '../http/actor';
import { UuidParam } from '../http/params';
import { InviteMemberDto, OrganisationProfileDto } from './organisation.dto';

@ApiTags('organisations')
@ApiBearerAuth()
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
  create(@CurrentActor() actor: Actor, @Body() body: OrganisationProfileDto) {
    return this.organisations.create(actor, body);
  }

  /** The caller's own organisations. */
  @Get()
  async mine(@CurrentActor() actor: Actor) {
    return { items: await this.organisations.mine(actor) };
  }

  /** Members, and officers of funds it applied to, may read it; anyone else gets 404. Officers also see duplicate flags. */
  @Get(':id')
  get(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.organisations.get(actor, id);
  }

  /** Replace the profile (members only). */
  @Put(':id')
  update(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() body: OrganisationProfileDto) {
    return this.organisations.update(actor, id, body);
  }

  /** Members and open invitations (members only). */
  @Get(':id/members')
  members(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.organisations.members(actor, id);
  }

  /** Invite someone by email (the owner only); they accept through the emailed link after signing in. */
  @Post(':id/invitations')
  @HttpCode(201)
  invite(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() body: InviteMemberDto) {
    return this.organisations.invite(actor, id, body.email);
  }
}
