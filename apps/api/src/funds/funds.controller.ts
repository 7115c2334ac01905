import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { ApplicationForms } from '@sg/applications';
import { Actor, UseCaseError } from '@sg/domain';
import {
  CreateFundUseCase,
  FeeStatements,
  FundDefinitionDto,
  FundMoneyReports,
  FundQueries,
  PaymentRuns,
} from '@sg/funds';
import { CurrentActor } from '../http/actor';
import { ApiProblems } from '../http/api-problems';
import { binary, ref } from '../http/schema-helpers';
import { UuidParam } from '../http/params';

const pence = { type: 'integer', description: 'pence' } as const;
const date = { type: 'string', format: 'date' } as const;
/** The shape of FundMoneyReport (libs/funds), for the API description. */
const FUND_MONEY_SCHEMA = {
  type: 'object',
  properties: {
    fund: {
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid' },
        slug: { type: 'string' },
        name: { type: 'string' },
        currency: { type: 'string' },
      },
    },
    asOf: date,
    totalPence: pence,
    feePence: { ...pence, description: 'management fee posted to the ledger so far' },
    grantablePence: pence,
    committedPence: { ...pence, description: 'promised and not yet paid' },
    disbursedPence: pence,
    returnedPence: pence,
    usedPence: { ...pence, description: 'committed + disbursed − returned' },
    availablePence: { ...pence, description: 'grantable − used' },
    alertThresholdsBasisPoints: { type: 'array', items: { type: 'integer' } },
    forecast: {
      type: 'object',
      properties: {
        applications: { type: 'integer', description: 'applications awaiting decision' },
        recommendedPence: {
          ...pence,
          description: 'their recommended amounts (the amount asked for where none is recommended)',
        },
        withoutRecommendation: { type: 'integer' },
        forecastPence: { ...pence, description: 'used + recommended' },
        fits: { type: 'boolean' },
        marginPence: { ...pence, description: 'available − recommended; negative when the fund would fall short' },
      },
    },
    organisations: {
      type: 'array',
      description: 'largest award first; partner officers see the organisations in their own areas',
      items: {
        type: 'object',
        properties: {
          organisationId: { type: 'string', format: 'uuid' },
          name: { type: 'string' },
          awardedPence: pence,
          disbursedPence: pence,
          returnedPence: pence,
          outstandingPence: pence,
        },
      },
    },
    series: {
      type: 'array',
      description: 'cumulative amounts at the end of each day the ledger moved, oldest first',
      items: { type: 'object', properties: { date, usedPence: pence, disbursedPence: pence } },
    },
  },
};

@ApiTags('funds')
@ApiBearerAuth()
@ApiProblems(401)
@Controller('api/v1/funds')
export class FundsController {
  constructor(
    private readonly createFund: CreateFundUseCase,
    private readonly funds: FundQueries,
    private readonly forms: ApplicationForms,
    private readonly moneyReports: FundMoneyReports,
    private readonly paymentRuns: PaymentRuns,
    private readonly feeStatements: FeeStatements,
  ) {}

  /** Create a fund from its definition (administrators). */
  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ schema: ref('Fund') })
  @ApiProblems(400, 403, { 409: 'A fund with this slug exists' }, 422)
  async create(@CurrentActor() actor: Actor, @Body() definition: FundDefinitionDto) {
    const created = await this.createFund.execute(actor, definition);
    return this.funds.get(actor, created.id);
  }

  /** Funds open to applications and their rules; anyone signed in may read these. */
  @Get()
  @ApiOkResponse({ schema: ref('FundList') })
  async list() {
    return { items: await this.funds.list() };
  }

  /** One fund by id or slug; its money summary for the fund's officers, panel, funder and admins. */
  @Get(':idOrSlug')
  @ApiOkResponse({ schema: ref('Fund') })
  @ApiProblems({ 404: 'No such fund' })
  async get(@CurrentActor() actor: Actor, @Param('idOrSlug') idOrSlug: string) {
    return this.funds.get(actor, idOrSlug.slice(0, 100));
  }

  /** The fund's current application form: sections, questions (type, limits, conditions) and declaration. */
  @Get(':id/form')
  @ApiOkResponse({ schema: ref('FormDefinition') })
  @ApiProblems({ 404: 'No such fund, or it has no application form' })
  async form(@UuidParam('id') id: string) {
    const form = await this.forms.latestForFund(id);
    if (!form) throw UseCaseError.notFound('An application form for this fund');
    return form;
  }

  /** The fund's monitoring report form: what a grantee reports (counts only, never a person's identity). */
  @Get(':id/report-form')
  @ApiOkResponse({ schema: ref('FormDefinition') })
  @ApiProblems({ 404: 'No such fund, or it has no report form' })
  async reportForm(@UuidParam('id') id: string) {
    const form = await this.forms.latestReportFormForFund(id);
    if (!form) throw UseCaseError.notFound('A report form for this fund');
    return form;
  }

  /** The fund's ledger: every money entry in order (the fund's officers and administrators). */
  @Get(':id/ledger')
  @ApiOkResponse({ schema: ref('LedgerEntryList') })
  @ApiProblems({ 403: 'Not one of the fund’s officers nor an administrator', 404: 'No such fund' })
  async ledger(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return { items: await this.funds.ledger(actor, id) };
  }

  /** The fund's money report: balances, a forecast with what awaits decision, each organisation's totals and the ledger by day. */
  @Get(':id/money')
  @ApiOperation({
    summary:
      'The fund’s money: balances, forecast, organisations and the ledger by day (officers, partner officers, panel, admins)',
  })
  @ApiOkResponse({
    description: 'Money is integer pence; dates are YYYY-MM-DD in Europe/London.',
    schema: FUND_MONEY_SCHEMA,
  })
  @ApiProblems({
    403: 'Not one of the fund’s officers, partner officers or panel members, nor an administrator',
    404: 'No such fund',
  })
  async money(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.moneyReports.report(actor, id);
  }

  /** Scheduled payments due by a date (default today, London), each with what holds it up (officers, admins). */
  @Get(':id/payment-run')
  @ApiOperation({
    summary:
      'The payment run: scheduled payments due by `dueBy`, each with `heldBecause` (open conditions, overdue reports)',
  })
  @ApiQuery({ name: 'dueBy', required: false, description: 'YYYY-MM-DD; default today in Europe/London' })
  @ApiOkResponse({ schema: ref('PaymentRun') })
  @ApiProblems({
    400: 'dueBy is not a date',
    403: 'Not one of the fund’s officers nor an administrator',
    404: 'No such fund',
  })
  async paymentRun(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Query('dueBy') dueBy?: string) {
    return this.paymentRuns.lines(actor, id, dueBy);
  }

  /** The same payment run as CSV for the finance team: amounts in pounds with two decimals. */
  @Get(':id/payment-run.csv')
  @ApiProduces('text/csv')
  @ApiQuery({ name: 'dueBy', required: false, description: 'YYYY-MM-DD; default today in Europe/London' })
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="payment-run.csv"')
  @Header('cache-control', 'private, no-store')
  @ApiOkResponse({ description: 'The payment run as CSV', content: binary('text/csv') })
  @ApiProblems({
    400: 'dueBy is not a date',
    403: 'Not one of the fund’s officers nor an administrator',
    404: 'No such fund',
  })
  async paymentRunCsv(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Query('dueBy') dueBy?: string) {
    return this.paymentRuns.csv(actor, id, dueBy);
  }

  /** The managing VDA's fee statement: fee posted and reversed per month, running total, partners' shares. */
  @Get(':id/fee-statement')
  @ApiOperation({
    summary: 'The management fee by month (Europe/London), with each partner VDA’s share (officers, admins)',
  })
  @ApiOkResponse({ schema: ref('FeeStatement') })
  @ApiProblems({ 403: 'Not one of the fund’s officers nor an administrator', 404: 'No such fund' })
  async feeStatement(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.feeStatements.statement(actor, id);
  }
}
