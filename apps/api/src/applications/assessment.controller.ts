import { Body, Controller, Get, HttpCode, Ip, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AssessApplicationUseCase, AwardConditions, ConflictDeclarations, InternalNotes } from '@sg/applications';
import { Actor } from '@sg/domain';
import { CurrentActor } from '../http/actor';
import { ApiProblems } from '../http/api-problems';
import { ref } from '../http/schema-helpers';
import { UuidParam } from '../http/params';
import { AssessmentDto, ConflictDeclarationDto, NoteDto, ResolveConditionDto } from './assessment.dto';

@ApiTags('assessment')
@ApiBearerAuth()
@ApiProblems(401)
@Controller('api/v1/applications/:id')
export class AssessmentController {
  constructor(
    private readonly assessments: AssessApplicationUseCase,
    private readonly notes: InternalNotes,
    private readonly conditions: AwardConditions,
    private readonly conflicts: ConflictDeclarations,
  ) {}

  /**
   * Screening's eligibility checks (computed at submission) and the risk-capability assessment:
   * the fund's rubric, the scores, the computed outcome, proposed conditions and countersignature.
   * Officers and partner officers who can see the application; anyone else gets 404.
   */
  @Get('assessment')
  @ApiOkResponse({ schema: ref('Assessment') })
  @ApiProblems(403, 404)
  get(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.assessments.get(actor, id);
  }

  /**
   * Score (or re-score) the assessment in risk_assessment. The outcome is computed; overriding it
   * needs a reason. Re-scoring clears any countersignature.
   */
  @Put('assessment')
  @ApiOkResponse({ schema: ref('Assessment') })
  @ApiProblems(400, 403, 404, 409, 422)
  save(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() body: AssessmentDto) {
    return this.assessments.save(actor, id, body);
  }

  /** A second officer countersigns an assessment whose tier needs it (high, in the pilot). */
  @Post('assessment/countersign')
  @HttpCode(200)
  @ApiOkResponse({ schema: ref('Assessment') })
  @ApiProblems(403, 404, 409)
  countersign(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.assessments.countersign(actor, id);
  }

  /** The award's conditions as tracked objects: text, evidence required, what each blocks, due date, status and sign-off. */
  @Get('conditions')
  @ApiOkResponse({ schema: ref('ConditionList') })
  @ApiProblems(403, 404)
  async conditionsList(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return { items: await this.conditions.list(actor, id) };
  }

  /** An officer marks a condition met, with the evidence seen. */
  @Post('conditions/:conditionId/met')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Every condition of the award, after the change', schema: ref('ConditionList') })
  @ApiProblems(400, 403, 404, { 409: 'The condition is already met or waived' })
  async met(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @UuidParam('conditionId') conditionId: string,
    @Body() body: ResolveConditionDto,
  ) {
    return { items: await this.conditions.resolve(actor, id, conditionId, 'met', body.note) };
  }

  /** An officer waives a condition, with the reason. */
  @Post('conditions/:conditionId/waive')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Every condition of the award, after the change', schema: ref('ConditionList') })
  @ApiProblems(400, 403, 404, { 409: 'The condition is already met or waived' })
  async waive(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @UuidParam('conditionId') conditionId: string,
    @Body() body: ResolveConditionDto,
  ) {
    return { items: await this.conditions.resolve(actor, id, conditionId, 'waived', body.note) };
  }

  /**
   * The caller's conflict-of-interest declarations on this application, with its reference and state:
   * answered even to someone who declared a conflict (who gets 403 on everything the application holds).
   */
  @Get('conflict-of-interest')
  @ApiOkResponse({ schema: ref('ConflictStanding') })
  @ApiProblems(404)
  standing(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.conflicts.standing(actor, id);
  }

  /**
   * Whoever assesses or decides declares whether they have a conflict of interest in this application,
   * before screening, scoring or deciding it. Each declaration is kept: a change is a new one.
   */
  @Put('conflict-of-interest')
  @ApiOkResponse({ schema: ref('ConflictDeclaration') })
  @ApiProblems(400, 403, 404)
  declare(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @Body() body: ConflictDeclarationDto,
    @Ip() address: string,
  ) {
    return this.conflicts.declare(actor, id, body.conflicted, body.note, address);
  }

  /** Internal notes (officers, partner officers and panel members; applicants get 404). */
  @Get('notes')
  @ApiOkResponse({ schema: ref('NoteList') })
  @ApiProblems(404)
  async listNotes(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return { items: await this.notes.list(actor, id) };
  }

  @Post('notes')
  @HttpCode(201)
  @ApiCreatedResponse({ schema: ref('Note') })
  @ApiProblems(400, 403, 404)
  addNote(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() body: NoteDto) {
    return this.notes.add(actor, id, body.body);
  }
}
