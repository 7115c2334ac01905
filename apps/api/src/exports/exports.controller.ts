import { Controller, Get, Header, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Actor } from '@sg/domain';
import { FundExports } from '@sg/funds';
import { SecurityLog } from '@sg/identity';
import type { FastifyRequest } from 'fastify';
import { CurrentActor } from '../http/actor';
import { ApiProblems } from '../http/api-problems';
import { binary, ref } from '../http/schema-helpers';
import { UuidParam } from '../http/params';

const FORBIDDEN = 'Not one of the fund’s officers nor an administrator';
const NEVER =
  'Never exported: free text (titles, summaries, narratives, comments, reasons, condition texts), addresses, postcodes, contact details or files.';

/**
 * The fund's records for its officers: CSV for spreadsheets (amounts in pounds with two decimals,
 * dates YYYY-MM-DD in Europe/London) and the awards as 360Giving data for publication.
 */
@ApiTags('exports')
@ApiBearerAuth()
@ApiProblems(401)
@Controller('api/v1/funds/:id/exports')
export class ExportsController {
  constructor(
    private readonly exports: FundExports,
    private readonly securityLog: SecurityLog,
  ) {}

  /** Every export that leaves the system is in the security log: who, from where, which fund and file. */
  private async downloaded<T>(actor: Actor, req: FastifyRequest, fundId: string, name: string, made: Promise<T>) {
    const result = await made;
    await this.securityLog.record({
      kind: 'export_downloaded',
      actorUserId: actor.userId,
      address: req.ip,
      detail: { fundId, export: name },
    });
    return result;
  }

  @Get('applications.csv')
  @ApiOperation({
    summary:
      'Applications past draft: reference, organisation, registration number, legal form, area, state, amounts, dates, risk tier (officers, admins)',
    description: NEVER,
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV with a header row', content: binary('text/csv') })
  @ApiProblems({ 403: FORBIDDEN, 404: 'No such fund' })
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="applications.csv"')
  @Header('cache-control', 'private, no-store')
  async applications(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Req() req: FastifyRequest) {
    return this.downloaded(actor, req, id, 'applications.csv', this.exports.csv(actor, id, 'applications'));
  }

  @Get('awards.csv')
  @ApiOperation({
    summary:
      'Approved applications: awarded, disbursed and returned, offer and acceptance dates, number of conditions (officers, admins)',
    description: NEVER,
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV with a header row', content: binary('text/csv') })
  @ApiProblems({ 403: FORBIDDEN, 404: 'No such fund' })
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="awards.csv"')
  @Header('cache-control', 'private, no-store')
  async awards(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Req() req: FastifyRequest) {
    return this.downloaded(actor, req, id, 'awards.csv', this.exports.csv(actor, id, 'awards'));
  }

  @Get('payments.csv')
  @ApiOperation({
    summary: 'Payments: tranche, amount, state, trigger, due and paid dates, bank reference (officers, admins)',
    description: NEVER,
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV with a header row', content: binary('text/csv') })
  @ApiProblems({ 403: FORBIDDEN, 404: 'No such fund' })
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="payments.csv"')
  @Header('cache-control', 'private, no-store')
  async payments(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Req() req: FastifyRequest) {
    return this.downloaded(actor, req, id, 'payments.csv', this.exports.csv(actor, id, 'payments'));
  }

  @Get('reports.csv')
  @ApiOperation({
    summary:
      'Monitoring reports: kind, due, state, dates and the numeric answers (`people_supported`, money in pounds, counts cells as `<question>.<row>.<column>`) (officers, admins)',
    description: NEVER,
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV with a header row', content: binary('text/csv') })
  @ApiProblems({ 403: FORBIDDEN, 404: 'No such fund' })
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="reports.csv"')
  @Header('cache-control', 'private, no-store')
  async reports(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Req() req: FastifyRequest) {
    return this.downloaded(actor, req, id, 'reports.csv', this.exports.csv(actor, id, 'reports'));
  }

  @Get('360giving.json')
  @ApiOperation({
    summary: 'The fund’s awards as a 360Giving 1.4 package with the DEI extension (officers, admins)',
    description: `The funder’s grant to the managing VDA comes first (regrantType FRG010), then each award with the managing VDA as funder. ${NEVER}`,
  })
  @ApiOkResponse({
    description:
      'A 360Giving package: `{version, extensions, publisher, grants: [...]}`; amounts in pounds as numbers.',
    schema: ref('ThreeSixtyGivingPackage'),
  })
  @ApiProblems({ 403: FORBIDDEN, 404: 'No such fund' })
  @Header('cache-control', 'private, no-store')
  async threeSixtyGiving(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Req() req: FastifyRequest) {
    return this.downloaded(actor, req, id, '360giving.json', this.exports.threeSixtyGiving(actor, id));
  }
}
