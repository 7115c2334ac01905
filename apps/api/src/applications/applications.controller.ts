import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtension,
  ApiHeader,
  ApiOkResponse,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import {
  ApplicationFiles,
  ApplicationQueries,
  BULK_ACTIONS,
  BulkTransitionsUseCase,
  DraftApplicationUseCase,
  ExecuteTransitionUseCase,
  MonitoringReports,
} from '@sg/applications';
import { actionCommandJsonSchemas, actionTableMarkdown, Actor, LIFECYCLE_ACTIONS, UseCaseError } from '@sg/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblems, problemResponse } from '../http/api-problems';
import { AcceptsUploads, readMultipart } from '../http/multipart';
import { ref } from '../http/schema-helpers';
import { CurrentActor, expectedVersion } from '../http/actor';
import { UuidParam } from '../http/params';
import {
  ACTION_BODY_EXAMPLES,
  actionCommandBody,
  ActionCommandDto,
  BulkActionDto,
  CreateApplicationDto,
  ListApplicationsQuery,
  ReportAnswersDto,
  UpdateApplicationDto,
} from './application.dto';

@ApiTags('applications')
@ApiBearerAuth()
@ApiProblems(401)
@Controller('api/v1/applications')
export class ApplicationsController {
  constructor(
    private readonly queries: ApplicationQueries,
    private readonly drafts: DraftApplicationUseCase,
    private readonly transitions: ExecuteTransitionUseCase,
    private readonly applicationFiles: ApplicationFiles,
    private readonly bulkTransitions: BulkTransitionsUseCase,
    private readonly monitoringReports: MonitoringReports,
  ) {}

  /** Start a draft application for one of the caller's organisations. */
  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({
    description: 'The draft; its ETag and Location are in the headers',
    schema: ref('Application'),
  })
  @ApiProblems(400, 403, 422)
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: CreateApplicationDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const view = await this.drafts.create(actor, body.fundId, body.organisationId, body);
    void reply.header('etag', `"v${view.version}"`).header('location', `/api/v1/applications/${view.id}`);
    return view;
  }

  /**
   * The same action on many applications (start-screening, confirm-eligible, mark-ineligible,
   * request-information). Each goes through the lifecycle machine on its own; the answer lists,
   * per application, the new state or why it was refused.
   */
  @Post('bulk-actions/:action')
  @HttpCode(200)
  @ApiParam({ name: 'action', enum: BULK_ACTIONS })
  @ApiOkResponse({
    description: 'Per application, the new state or why it was refused',
    schema: ref('BulkActionResult'),
  })
  @ApiProblems(400, { 404: 'No such bulk action' })
  async bulk(@CurrentActor() actor: Actor, @Param('action') action: string, @Body() body: BulkActionDto) {
    return {
      items: await this.bulkTransitions.execute(actor, action, body.applicationIds, {
        reason: body.reason,
        message: body.message,
        source: 'api',
      }),
    };
  }

  /** Applications the caller may see, newest first. */
  @Get()
  @ApiOkResponse({ schema: ref('ApplicationList') })
  @ApiProblems(400, 403)
  list(@CurrentActor() actor: Actor, @Query() q: ListApplicationsQuery) {
    return this.queries.list(actor, { fundId: q.fundId, state: q.state, limit: q.limit ?? 50, offset: q.offset ?? 0 });
  }

  /** One application with its `state` and the `allowedActions` of the caller. */
  @Get(':id')
  @ApiOkResponse({ description: 'The application; its ETag is in the headers', schema: ref('Application') })
  @ApiProblems(404)
  async get(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const view = await this.queries.get(actor, id);
    void reply.header('etag', `"v${view.version}"`);
    return view;
  }

  /** Edit a draft. Send If-Match with the ETag you read to refuse a stale edit. */
  @Patch(':id')
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag read, e.g. "v3"' })
  @ApiOkResponse({ schema: ref('Application') })
  @ApiProblems(400, 403, 404, { 409: 'Not a draft, or changed since the ETag sent' }, 422)
  async update(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @Body() body: UpdateApplicationDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const view = await this.drafts.update(actor, id, body, expectedVersion(ifMatch));
    void reply.header('etag', `"v${view.version}"`);
    return view;
  }

  /** The application's timeline: every state change, who made it and why. */
  @Get(':id/events')
  @ApiOkResponse({ schema: ref('ApplicationEventList') })
  @ApiProblems(404)
  async events(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return { items: await this.queries.events(actor, id) };
  }

  /** Files uploaded as answers (name, type, size); the bytes are at /api/v1/files/{fileId}. */
  @Get(':id/files')
  @ApiOkResponse({ schema: ref('ApplicationFileList') })
  @ApiProblems(404)
  async files(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return { items: await this.applicationFiles.list(actor, id) };
  }

  /**
   * Upload a file as the answer to a file question: multipart/form-data with a `questionId` field
   * and one `file`. PDF, DOCX or ODT (judged by content), up to 10 MB; drafts only.
   */
  @Post(':id/files')
  @AcceptsUploads()
  @HttpCode(201)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['questionId', 'file'],
      properties: { questionId: { type: 'string' }, file: { type: 'string', format: 'binary' } },
    },
  })
  @ApiCreatedResponse({ schema: ref('ApplicationFile') })
  @ApiProblems(400, 403, 404, 409)
  @problemResponse(413, 'More than one file, a file over 10 MB, or fields over their limits (50 fields of 100 KB)')
  async upload(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Req() req: FastifyRequest) {
    const { fields, file } = await readMultipart(req);
    const questionId = typeof fields.questionId === 'string' ? fields.questionId : '';
    if (!file)
      throw new UseCaseError('invalid', 'validation_failed', 'Choose a file to upload', [
        { field: 'file', message: 'Choose a file to upload' },
      ]);
    return this.applicationFiles.upload(actor, id, questionId, file);
  }

  @Get(':id/payments')
  @ApiOkResponse({ schema: ref('PaymentList') })
  @ApiProblems(404)
  async payments(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return { items: (await this.queries.get(actor, id)).payments };
  }

  /** The grant's monitoring reports: kind, due date, state, the officer's comments when returned, and the answers. */
  @Get(':id/reports')
  @ApiOkResponse({ schema: ref('ReportList') })
  @ApiProblems(404)
  async reports(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return { items: await this.monitoringReports.list(actor, id) };
  }

  /** One report with its answers. The form it is answered against is `GET /api/v1/funds/{fundId}/report-form`. */
  @Get(':id/reports/:reportId')
  @ApiOkResponse({ schema: ref('Report') })
  @ApiProblems(404)
  async report(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @UuidParam('reportId') reportId: string) {
    return (await this.monitoringReports.get(actor, id, reportId)).report;
  }

  /**
   * Save a report's answers (the grantee, while the report is due or returned): merged by question
   * id, null clears one, any invalid answer refuses the whole request (400, each problem by field).
   * Counts only: no field takes a person's identity. Then `submit-report` with the reportId.
   */
  @Put(':id/reports/:reportId')
  @ApiOkResponse({ schema: ref('Report') })
  @ApiProblems(400, 403, 404, 409, 422)
  async saveReport(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @UuidParam('reportId') reportId: string,
    @Body() body: ReportAnswersDto,
  ) {
    return this.monitoringReports.saveAnswers(actor, id, reportId, body.answers);
  }

  /**
   * Take a lifecycle action (docs/domain.md §3). 404 for an unknown action, 403 if the caller's role may
   * not take it, 409 if the application is not in a state that allows it or changed meanwhile,
   * 422 if the command breaks a rule (amounts, caps, missing reason). Nothing changes on any error.
   */
  @ApiOkResponse({ description: 'The transition taken and the application after it', schema: ref('TransitionResult') })
  @ApiProblems(400, 403, { 404: 'No such application, or an unknown action' }, 409, 422)
  @Post(':id/actions/:action')
  @HttpCode(200)
  @ApiParam({ name: 'action', enum: LIFECYCLE_ACTIONS })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag read, e.g. "v3"; a stale one answers 409' })
  @ApiBody({
    type: ActionCommandDto,
    description: `Each action takes only its own fields (others are refused with 400):\n\n${actionTableMarkdown()}`,
    examples: ACTION_BODY_EXAMPLES,
  })
  @ApiExtension('x-action-commands', actionCommandJsonSchemas())
  async act(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @Param('action') action: string,
    @Body() raw: Record<string, unknown>,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const body = actionCommandBody(action, raw);
    const done = await this.transitions.execute(
      actor,
      id,
      action,
      { ...body, source: 'api' },
      expectedVersion(ifMatch),
    );
    const view = await this.queries.get(actor, id);
    void reply.header('etag', `"v${view.version}"`);
    return { transition: { action, from: done.from, to: done.to, eventId: done.eventId }, application: view };
  }
}
