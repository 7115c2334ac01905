import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor } from '@sg/domain';
import { Organisations } from '@sg/organisations';
import { CurrentActor } from '../http/actor';
import { UuidParam } from '../http/params';
import { CreateOrganisationDto } from './organisation.dto';

@ApiTags('organisations')
@ApiBearerAuth()
@Controller('api/v1/organisations')
export class OrganisationsController {
  constructor(private readonly organisations: Organisations) {}

  /** Register an applicant organisation; the caller becomes its owner. */
  @Post()
  @HttpCode(201)
  create(@CurrentActor() actor: Actor, @Body() body: CreateOrganisationDto) {
    return this.organisations.create(actor, body);
  }

  /** The caller's own organisations. */
  @Get()
  async mine(@CurrentActor() actor: Actor) {
    return { items: await this.organisations.mine(actor) };
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.organisations.get(actor, id);
  }
}
