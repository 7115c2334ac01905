import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApplicationForms } from '@sg/applications';
import { Actor, UseCaseError } from '@sg/domain';
import { CreateFundUseCase, FundDefinitionDto, FundQueries } from '@sg/funds';
import { CurrentActor } from '../http/actor';
import { UuidParam } from '../http/params';

@ApiTags('funds')
@ApiBearerAuth()
@Controller('api/v1/funds')
export class FundsController {
  constructor(
    private readonly createFund: CreateFundUseCase,
    private readonly funds: FundQueries,
    private readonly forms: ApplicationForms,
  ) {}

  /** Create a fund from its definition (administrators). */
  @Post()
  @HttpCode(201)
  async create(@CurrentActor() actor: Actor, @Body() definition: FundDefinitionDto) {
    const created = await this.createFund.execute(actor, definition);
    return this.funds.get(actor, created.id);
  }

  /** Funds open to applications and their rules; anyone signed in may read these. */
  @Get()
  async list() {
    return { items: await this.funds.list() };
  }

  /** One fund by id or slug; its money summary for the fund's officers, panel, funder and admins. */
  @Get(':idOrSlug')
  async get(@CurrentActor() actor: Actor, @Param('idOrSlug') idOrSlug: string) {
    return this.funds.get(actor, idOrSlug.slice(0, 100));
  }

  /** The fund's current application form: sections, questions (type, limits, conditions) and declaration. */
  @Get(':id/form')
  async form(@UuidParam('id') id: string) {
    const form = await this.forms.latestForFund(id);
    if (!form) throw UseCaseError.notFound('An application form for this fund');
    return form;
  }

  /** The fund's ledger: every money entry in order (the fund's officers and administrators). */
  @Get(':id/ledger')
  async ledger(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return { items: await this.funds.ledger(actor, id) };
  }
}
