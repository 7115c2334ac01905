import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { Actor } from '@sg/domain';
import { FundEvidenceQueries } from '@sg/funds';
import { CurrentActor } from '../http/actor';
import { ApiProblems } from '../http/api-problems';
import { UuidParam } from '../http/params';

const pence = { type: 'integer', description: 'pence' } as const;
const date = { type: 'string', format: 'date' } as const;
/** A count: a number, or (for a funder viewer) suppressed without its number. */
const count: SchemaObject = {
  oneOf: [
    { type: 'integer', minimum: 0 },
    {
      type: 'object',
      description:
        'suppressed: `fewer_than_5` is 0 to 4; `withheld` is 5 or more, hidden because it would reveal a smaller count',
      properties: {
        suppressed: { type: 'boolean', enum: [true] },
        reason: { type: 'string', enum: ['fewer_than_5', 'withheld'] },
      },
    },
  ],
};
const area = { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' } } } as const;
const row = (cells: Record<string, unknown>) => ({
  type: 'array',
  items: { type: 'object', properties: { value: { type: 'string' }, label: { type: 'string' }, ...cells } },
});
const summary = {
  grants: count,
  peopleSupported: count,
  reportsAccepted: count,
  reportsOverdue: count,
  awardedPence: pence,
  disbursedPence: pence,
  spendToDatePence: pence,
};

/** The shape of FundEvidence (libs/funds), for the API description. */
const FUND_EVIDENCE_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    fund: {
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid' },
        slug: { type: 'string' },
        name: { type: 'string' },
        funderName: { type: 'string', nullable: true },
        managingName: { type: 'string', nullable: true },
        opensOn: { ...date, nullable: true },
        closesOn: { ...date, nullable: true },
        programmeEndsOn: { ...date, nullable: true },
        totalPence: pence,
        grantablePence: pence,
        feePence: { ...pence, description: 'management fee posted so far (whole fund)' },
      },
    },
    asOf: date,
    view: { type: 'string', enum: ['full', 'suppressed'], description: '`suppressed` for a funder viewer' },
    suppressionThreshold: { type: 'integer', nullable: true },
    area: { ...area, nullable: true },
    areas: { type: 'array', items: area, description: 'the areas this reader may filter by' },
    programmeEnded: { type: 'boolean' },
    money: {
      type: 'object',
      properties: {
        awardedPence: { ...pence, description: 'commitments − releases' },
        disbursedPence: pence,
        returnedPence: pence,
        spendToDatePence: { ...pence, description: 'each grant’s latest accepted report’s spend to date' },
      },
    },
    figures: {
      type: 'object',
      description: 'sums over accepted monitoring reports (per period: a person supported in two periods counts twice)',
      properties: {
        grants: count,
        reportsAccepted: count,
        reportsOverdue: count,
        grantsOpenAfterEnd: count,
        peopleSupported: count,
        sessionsDelivered: count,
        newVolunteers: count,
        safeguarding: { type: 'object', properties: { raised: count, escalated: count } },
        characteristics: {
          type: 'array',
          items: {
            type: 'object',
            properties: { id: { type: 'string' }, label: { type: 'string' }, rows: row({ count }) },
          },
        },
        referrals: {
          type: 'object',
          properties: {
            rows: row({ out: count, in: count, costPence: pence }),
            totalOut: count,
            totalIn: count,
            totalCostPence: pence,
          },
        },
        outcomes: row({ people: count }),
      },
    },
    byArea: {
      type: 'array',
      items: { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' }, ...summary } },
    },
    byPartner: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, areas: { type: 'array', items: { type: 'string' } }, ...summary },
      },
    },
  },
};

@ApiTags('funds')
@ApiBearerAuth()
@ApiProblems(401)
@Controller('api/v1/funds')
export class EvidenceController {
  constructor(private readonly evidence: FundEvidenceQueries) {}

  /** The fund's evidence from accepted monitoring reports; a funder viewer's counts under 5 are suppressed. */
  @Get(':id/evidence')
  @ApiOperation({
    summary:
      'The fund’s evidence: reach and who was reached, referrals, outcomes, safeguarding, spend against awards, overdue reports (officers, partner officers: their areas, the funder’s viewers: suppressed, admins)',
  })
  @ApiQuery({ name: 'area', required: false, description: 'one of the fund’s area codes, e.g. E06000002' })
  @ApiOkResponse({
    description:
      'Counts only: no organisation, narrative or file. Money is integer pence; dates are YYYY-MM-DD in Europe/London.',
    schema: FUND_EVIDENCE_SCHEMA,
  })
  @ApiProblems({
    400: 'The area is not one of the fund’s',
    403: 'Not the fund’s officers, partner officers (their own areas) or funder viewers, nor an administrator',
    404: 'No such fund',
  })
  async get(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Query('area') area?: string) {
    return this.evidence.evidence(actor, id, area ? area.slice(0, 20) : undefined);
  }
}
