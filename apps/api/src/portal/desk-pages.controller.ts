import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  ApplicationFiles,
  ApplicationForms,
  ApplicationView,
  MonitoringReports,
  ApplicationQueries,
  ASSESSOR_ROLES,
  AssessApplicationUseCase,
  AwardConditions,
  BULK_ACTIONS,
  BulkTransitionsUseCase,
  ConflictDeclarations,
  DESK_SORTS,
  DeskQueries,
  DeskSort,
  ExecuteTransitionUseCase,
  InternalNotes,
} from '@sg/applications';
import {
  answerSummary,
  APPLICATION_STATES,
  ConditionBlocks,
  DeskHints,
  deskActions,
  formatPounds,
  humanDate,
  isIsoDate,
  londonDate,
  LifecycleAction,
  LifecycleCommand,
  parsePounds,
  penceForInput,
  ReportKind,
  ReportState,
  unresolvedUnderspend,
  UseCaseError,
} from '@sg/domain';
import { SignedIn } from '@sg/identity';
import { Organisations } from '@sg/organisations';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/actor';
import { UuidParam } from '../http/params';
import { field, formFields, PageErrors, PageRequest, Pages } from './pages';
import { questionView } from './question-view';

const STAFF = ['officer', 'partner_officer', 'panel_member'];

/** The desk's forms for the actions it offers, from each action's command schema (its desk hints). */
const DESK_ACTIONS: Partial<Record<LifecycleAction, DeskHints>> = Object.fromEntries(
  deskActions().map((d) => [d.action, d.desk]),
);

/** The officer's desk: a fund's applications by state, and each application with what this officer may do. */
@ApiExcludeController()
@Public()
@Controller('desk')
export class DeskPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly desk: DeskQueries,
    private readonly queries: ApplicationQueries,
    private readonly transitions: ExecuteTransitionUseCase,
    private readonly notes: InternalNotes,
    private readonly assessments: AssessApplicationUseCase,
    private readonly conditions: AwardConditions,
    private readonly forms: ApplicationForms,
    private readonly files: ApplicationFiles,
    private readonly organisations: Organisations,
    private readonly conflicts: ConflictDeclarations,
    private readonly bulkTransitions: BulkTransitionsUseCase,
    private readonly monitoringReports: MonitoringReports,
  ) {}

  @Get('funds/:fundId')
  async fund(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @UuidParam('fundId') fundId: string,
    @Query('state') state?: string,
    @Query('sort') sort?: string,
    @Query('area') area?: string,
  ) {
    const user = await this.staff(req, reply);
    if (!user) return;
    return this.fundPage(req, reply, user, fundId, { state, sort, area }, {});
  }

  private async fundPage(
    req: PageRequest,
    reply: FastifyReply,
    user: SignedIn,
    fundId: string,
    q: { state?: string; sort?: string; area?: string },
    extra: Record<string, unknown>,
    status = 200,
  ) {
    const { state, sort } = q;
    const t = (k: string, p?: Record<string, unknown>) => this.pages.t(k, p);
    const chosenState = state && (APPLICATION_STATES as readonly string[]).includes(state) ? state : undefined;
    const chosenSort = (DESK_SORTS as readonly string[]).includes(sort ?? '') ? (sort as DeskSort) : 'waiting';
    const areas = await this.organisations.knownAreas();
    const chosenArea = q.area && areas.has(q.area) ? q.area : undefined;
    const desk = await this.desk.desk(user.actor, fundId, { state: chosenState, sort: chosenSort, area: chosenArea });
    return this.pages.render(
      req,
      reply,
      'desk',
      {
        title: desk.fund.name,
        user,
        desk,
        counts: Object.entries(desk.counts).map(([s, n]) => ({ state: s, n, label: t(`state.${s}`) })),
        states: APPLICATION_STATES.filter((s) => s !== 'draft').map((s) => ({
          value: s,
          label: t(`state.${s}`),
          selected: s === chosenState,
        })),
        areas: [...areas].map(([value, label]) => ({ value, label, selected: value === chosenArea })),
        sorts: DESK_SORTS.map((s) => ({ value: s, label: t(`desk.sort.${s}`), selected: s === chosenSort })),
        rows: desk.rows.map((r) => ({
          ...r,
          stateLabel: t(`state.${r.state}`),
          areaName: areas.get(r.areaCode) ?? r.areaCode,
          requested: r.requestedPence === null ? '' : formatPounds(r.requestedPence),
          flagLabels: r.flags.map((f) => t(`flag.${f}`)),
        })),
        bulkActions: BULK_ACTIONS.map((a) => ({ value: a, label: t(`action.${a}`) })),
        backLink: '/',
        ...extra,
      },
      status,
    );
  }

  /** The panel's decision list: what awaits decision, against the fund's money and each organisation's headroom. */
  @Get('funds/:fundId/decisions')
  async decisions(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('fundId') fundId: string) {
    const user = await this.staff(req, reply);
    if (!user) return;
    const t = (k: string, p?: Record<string, unknown>) => this.pages.t(k, p);
    const d = await this.desk.decisions(user.actor, fundId);
    const pounds = (p: number | null) => (p === null ? '' : formatPounds(p));
    return this.pages.render(req, reply, 'decisions', {
      title: t('decisions.caption'),
      user,
      fund: d.fund,
      available: formatPounds(d.availablePence),
      rows: d.rows.map((r) => ({
        ...r,
        requested: pounds(r.requestedPence),
        recommended: pounds(r.recommendedPence),
        headroom: formatPounds(r.headroomPence),
        outcomeLabel: r.outcome ? t(`outcome.${r.outcome}`) : '',
      })),
      totalRequested: formatPounds(d.rows.reduce((a, r) => a + (r.requestedPence ?? 0), 0)),
      totalRecommended: formatPounds(d.rows.reduce((a, r) => a + (r.recommendedPence ?? r.requestedPence ?? 0), 0)),
      backLink: `/desk/funds/${fundId}`,
    });
  }

  /** Routine actions on the ticked applications; each still goes through the machine on its own. */
  @Post('funds/:fundId/bulk')
  async bulk(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('fundId') fundId: string) {
    const user = await this.staff(req, reply);
    if (!user) return;
    const f = formFields(req);
    const ids = [f.ids ?? []].flat().filter((id) => /^[0-9a-f-]{36}$/.test(id));
    const action = field(f, 'action');
    const text = field(f, 'text').trim();
    const t = (k: string, p?: Record<string, unknown>) => this.pages.t(k, p);
    if (ids.length === 0)
      return this.fundPage(req, reply, user, fundId, {}, { notice: t('bulk.noneSelected'), refused: [] }, 400);
    let results;
    try {
      results = await this.bulkTransitions.execute(user.actor, action, ids, {
        reason: text || undefined,
        message: text || undefined,
        source: 'portal',
      });
    } catch (err) {
      if (!(err instanceof UseCaseError) || !['not_found', 'invalid'].includes(err.kind)) throw err;
      return this.fundPage(req, reply, user, fundId, {}, { notice: err.message, refused: [] }, 400);
    }
    const refs = new Map((await this.desk.desk(user.actor, fundId, {})).rows.map((r) => [r.id, r.reference]));
    const refused = results
      .filter((r) => !r.ok)
      .map((r) => `${refs.get(r.applicationId) ?? r.applicationId}: ${r.message}`);
    return this.fundPage(
      req,
      reply,
      user,
      fundId,
      {},
      { notice: t('bulk.result', { done: results.length - refused.length, refused: refused.length }), refused },
    );
  }

  @Get('applications/:id')
  async application(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @UuidParam('id') id: string,
    @Query('done') done?: string,
  ) {
    const user = await this.staff(req, reply);
    if (!user) return;
    return this.applicationPage(req, reply, user, id, { notice: done ? this.pages.t('desk.done') : undefined });
  }

  @Post('applications/:id/actions/:action')
  async act(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @UuidParam('id') id: string,
    @Param('action') action: string,
  ) {
    const user = await this.staff(req, reply);
    if (!user) return;
    const spec = DESK_ACTIONS[action as LifecycleAction];
    if (!spec) throw UseCaseError.notFound('The action');
    const f = formFields(req);
    const command: LifecycleCommand = { source: 'portal' };
    if (spec.carries) command[spec.carries] = field(f, spec.carries);
    if (spec.text) {
      command[spec.text] = field(f, 'text');
      if (command[spec.text]!.trim() === '') {
        const text = this.pages.t(`desk.required.${spec.text}`);
        return this.applicationPage(
          req,
          reply,
          user,
          id,
          { errors: [{ text, href: `${action}-text` }], fieldErrors: { [`${action}:text`]: text } },
          400,
        );
      }
    }
    if (spec.amount) {
      const pence = parsePounds(field(f, 'amount'));
      if (pence === null) {
        const text = this.pages.t('desk.amountInvalid');
        return this.applicationPage(
          req,
          reply,
          user,
          id,
          { errors: [{ text, href: `${action}-amount` }], fieldErrors: { [`${action}:amount`]: text } },
          400,
        );
      }
      command[spec.amount] = pence;
    }
    if (spec.date) {
      const day = field(f, 'date').trim();
      if (!isIsoDate(day)) {
        const text = this.pages.t('desk.dateInvalid');
        return this.applicationPage(
          req,
          reply,
          user,
          id,
          { errors: [{ text, href: `${action}-date` }], fieldErrors: { [`${action}:date`]: text } },
          400,
        );
      }
      command[spec.date] = day;
    }
    const executeCommand: LifecycleCommand & {
      conditionDetails?: { text: string; evidenceRequired?: string; blocks?: ConditionBlocks; source?: string }[];
    } = command;
    if (spec.adoptsProposals) {
      // The assessment's proposed conditions the decider kept ticked become the award's tracked conditions.
      const proposals = await this.proposals(user, id);
      const adopted = [f.adopt ?? []]
        .flat()
        .map(Number)
        .filter((i) => Number.isInteger(i) && proposals[i]);
      executeCommand.conditionDetails = adopted.map((i) => ({
        text: proposals[i].text,
        evidenceRequired: proposals[i].evidence,
        blocks: proposals[i].blocks,
        source: proposals[i].source,
      }));
    }
    try {
      await this.transitions.execute(user.actor, id, action, executeCommand);
    } catch (err) {
      if (!(err instanceof UseCaseError) || !['unprocessable', 'forbidden', 'conflict'].includes(err.kind)) throw err;
      const failed = err.fields[0]?.field ?? '';
      const fieldKey =
        failed === spec.amount ? `${action}:amount` : failed === spec.date ? `${action}:date` : `${action}:text`;
      return this.applicationPage(
        req,
        reply,
        user,
        id,
        {
          errors: [
            {
              text: err.message,
              href: fieldKey.endsWith(':date')
                ? `${action}-date`
                : spec.amount
                  ? `${action}-amount`
                  : spec.text
                    ? `${action}-text`
                    : 'main-content',
            },
          ],
          fieldErrors: { [fieldKey]: err.message },
        },
        400,
      );
    }
    return this.pages.redirect(reply, `/desk/applications/${id}?done=1`);
  }

  @Get('applications/:id/assessment')
  async assessmentForm(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await this.staff(req, reply);
    if (!user) return;
    if (!ASSESSOR_ROLES.includes(user.actor.role as never)) throw UseCaseError.notFound('The page');
    const view = await this.assessments.get(user.actor, id);
    const a = view.assessment;
    const fields: Record<string, string> = {
      recommended: a?.recommendedPence ? penceForInput(a.recommendedPence) : '',
      riskTier: a?.riskTier ?? view.declaredRiskTier ?? '',
      overrideOutcome: a && a.outcome !== a.computedOutcome ? a.outcome : 'computed',
      overrideReason: a?.overrideReason ?? '',
    };
    for (const area of view.rubric?.areas ?? []) {
      if (a?.scores[area.id] !== undefined) fields[`score-${area.id}`] = String(a.scores[area.id]);
      if (a?.notes[area.id]) fields[`note-${area.id}`] = a.notes[area.id];
    }
    return this.assessmentPage(req, reply, user, id, fields, {});
  }

  @Post('applications/:id/assessment')
  async saveAssessment(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await this.staff(req, reply);
    if (!user) return;
    const f = formFields(req) as Record<string, string>;
    const view = await this.assessments.get(user.actor, id);
    const scores: Record<string, unknown> = {};
    const notes: Record<string, string> = {};
    for (const area of view.rubric?.areas ?? []) {
      const raw = field(f, `score-${area.id}`);
      if (raw !== '') scores[area.id] = /^[0-3]$/.test(raw) ? Number(raw) : raw;
      const note = field(f, `note-${area.id}`).trim();
      if (note) notes[area.id] = note.slice(0, 2000);
    }
    const tier = field(f, 'riskTier');
    const override = field(f, 'overrideOutcome');
    const recommendedText = field(f, 'recommended').trim();
    const recommendedPence = recommendedText === '' ? undefined : parsePounds(recommendedText);
    if (recommendedPence === null) {
      const text = this.pages.t('desk.amountInvalid');
      return this.assessmentPage(
        req,
        reply,
        user,
        id,
        f,
        { errors: [{ text, href: 'recommended' }], fieldErrors: { recommendedPence: text } },
        400,
      );
    }
    try {
      await this.assessments.save(user.actor, id, {
        riskTier: (['low', 'medium', 'high'].includes(tier) ? tier : undefined) as never,
        scores,
        notes,
        recommendedPence,
        ...(override && override !== 'computed'
          ? { overrideOutcome: override as never, overrideReason: field(f, 'overrideReason') }
          : {}),
      });
    } catch (err) {
      if (!(err instanceof UseCaseError) || !['invalid', 'unprocessable'].includes(err.kind)) throw err;
      const errs = this.pages.errors(err, (fld) =>
        fld.startsWith('scores.') ? `score-${fld.slice(7)}` : fld === 'recommendedPence' ? 'recommended' : fld,
      );
      return this.assessmentPage(req, reply, user, id, f, errs, 400);
    }
    return this.pages.redirect(reply, `/desk/applications/${id}?done=1`);
  }

  @Post('applications/:id/assessment/countersign')
  async countersign(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await this.staff(req, reply);
    if (!user) return;
    try {
      await this.assessments.countersign(user.actor, id);
    } catch (err) {
      if (!(err instanceof UseCaseError) || !['forbidden', 'conflict'].includes(err.kind)) throw err;
      return this.applicationPage(
        req,
        reply,
        user,
        id,
        { errors: [{ text: err.message, href: 'main-content' }], fieldErrors: {} },
        400,
      );
    }
    return this.pages.redirect(reply, `/desk/applications/${id}?done=1`);
  }

  @Post('applications/:id/conflict-of-interest')
  async declare(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await this.staff(req, reply);
    if (!user) return;
    const answer = field(formFields(req), 'conflicted');
    if (answer !== 'yes' && answer !== 'no') {
      const text = this.pages.t('coi.legend');
      return this.applicationPage(
        req,
        reply,
        user,
        id,
        { errors: [{ text, href: 'conflicted' }], fieldErrors: {} },
        400,
      );
    }
    await this.conflicts.declare(user.actor, id, answer === 'yes');
    return this.pages.redirect(reply, `/desk/applications/${id}?done=1`);
  }

  @Post('applications/:id/conditions/:conditionId')
  async resolveCondition(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @UuidParam('id') id: string,
    @UuidParam('conditionId') conditionId: string,
  ) {
    const user = await this.staff(req, reply);
    if (!user) return;
    const f = formFields(req);
    const outcome = field(f, 'outcome') === 'waived' ? 'waived' : 'met';
    try {
      await this.conditions.resolve(user.actor, id, conditionId, outcome, field(f, 'note'));
    } catch (err) {
      if (!(err instanceof UseCaseError) || !['invalid', 'conflict', 'forbidden'].includes(err.kind)) throw err;
      return this.applicationPage(
        req,
        reply,
        user,
        id,
        { errors: [{ text: err.message, href: `condition-${conditionId}` }], fieldErrors: {} },
        400,
      );
    }
    return this.pages.redirect(reply, `/desk/applications/${id}?done=1`);
  }

  @Post('applications/:id/notes')
  async addNote(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await this.staff(req, reply);
    if (!user) return;
    try {
      await this.notes.add(user.actor, id, field(formFields(req), 'body'));
    } catch (err) {
      if (!(err instanceof UseCaseError) || err.kind !== 'invalid') throw err;
      return this.applicationPage(
        req,
        reply,
        user,
        id,
        this.pages.errors(err, () => 'note-body'),
        400,
      );
    }
    return this.pages.redirect(reply, `/desk/applications/${id}`);
  }

  private async proposals(user: SignedIn, id: string) {
    try {
      return (await this.assessments.get(user.actor, id)).assessment?.proposedConditions ?? [];
    } catch (err) {
      if (err instanceof UseCaseError && ['forbidden', 'not_found'].includes(err.kind)) return [];
      throw err;
    }
  }

  private async assessmentPage(
    req: PageRequest,
    reply: FastifyReply,
    user: SignedIn,
    id: string,
    fields: Record<string, string>,
    errs: Partial<PageErrors>,
    status = 200,
  ) {
    const t = (k: string, p?: Record<string, unknown>) => this.pages.t(k, p);
    const app = await this.queries.get(user.actor, id);
    const view = await this.assessments.get(user.actor, id);
    const tier = (fields.riskTier || view.declaredRiskTier || 'low') as 'low' | 'medium' | 'high';
    const fe = errs.fieldErrors ?? {};
    const questions = [
      questionView(
        {
          id: 'riskTier',
          type: 'single_choice',
          label: t('assess.tier'),
          hint: t('assess.tierHint'),
          options: ['low', 'medium', 'high'].map((v) => ({ value: v, label: t(`tier.${v}`) })),
        },
        fields,
        this.pages.messages,
        { error: fe.riskTier },
      ),
      questionView(
        { id: 'recommended', type: 'money', label: t('assess.recommended'), hint: t('assess.recommendedHint') },
        fields,
        this.pages.messages,
        { error: fe.recommendedPence },
      ),
      questionView(
        {
          id: 'overrideOutcome',
          type: 'single_choice',
          label: t('assess.override'),
          hint: t('assess.overrideHint'),
          options: ['computed', 'capable', 'capable_with_conditions', 'not_yet_capable'].map((v) => ({
            value: v,
            label: t(v === 'computed' ? 'assess.keepComputed' : `outcome.${v}`),
          })),
        },
        fields,
        this.pages.messages,
        { error: fe.overrideOutcome },
      ),
      questionView(
        { id: 'overrideReason', type: 'long_text', label: t('assess.overrideReason') },
        fields,
        this.pages.messages,
        { error: fe.overrideReason },
      ),
    ];
    const areas = (view.rubric?.areas ?? []).map((a) => {
      const min = view.rubric?.tiers[tier]?.[a.id];
      return {
        id: a.id,
        title: a.title,
        minimum: min ? t('assess.required', { min }) : '',
        levels: a.levels.map((text, score) => ({ score, text, checked: fields[`score-${a.id}`] === String(score) })),
        note: fields[`note-${a.id}`] ?? '',
        error: fe[`scores.${a.id}`],
      };
    });
    return this.pages.render(
      req,
      reply,
      'assessment-form',
      {
        title: t('assess.title'),
        user,
        application: app,
        tierQuestions: questions.slice(0, 1),
        overrideQuestions: questions.slice(1),
        areas,
        evidenceLabel: t('assess.evidence'),
        backLink: `/desk/applications/${id}`,
        ...errs,
      },
      status,
    );
  }

  /** Staff only; an applicant (or anyone else) finds no desk here. */
  private async staff(req: PageRequest, reply: FastifyReply): Promise<SignedIn | null> {
    const user = await this.pages.requireUser(req, reply);
    if (user && !STAFF.includes(user.actor.role)) throw UseCaseError.notFound('The page');
    return user;
  }

  private async applicationPage(
    req: PageRequest,
    reply: FastifyReply,
    user: SignedIn,
    id: string,
    extra: Partial<PageErrors> & Record<string, unknown>,
    status = 200,
  ) {
    const t = (k: string, p?: Record<string, unknown>) => this.pages.t(k, p);
    const app = await this.queries.get(user.actor, id);
    const org = await this.organisations.get(user.actor, app.organisation.id);
    const form = app.form ? await this.forms.get(app.form.key, app.form.version) : null;
    const fileList = await this.files.list(user.actor, id);
    const events = await this.queries.events(user.actor, id);
    let assessment: Awaited<ReturnType<AssessApplicationUseCase['get']>> | null = null;
    try {
      assessment = await this.assessments.get(user.actor, id);
    } catch (err) {
      // A conflicted panel member sees no assessment; the rest of the page stays.
      if (!(err instanceof UseCaseError) || !['forbidden', 'not_found'].includes(err.kind)) throw err;
    }
    const fieldErrors = extra.fieldErrors ?? {};
    const isAssessor = ASSESSOR_ROLES.includes(user.actor.role as never);
    const declared = user.actor.role === 'panel_member' ? await this.conflicts.declaration(user.actor, id) : null;
    const proposals = assessment?.assessment?.proposedConditions ?? [];
    // The desk releases payments in order: the form is for the earliest payment that is due.
    const nextPayment = app.payments.find((p) => p.state === 'scheduled');
    const waiting = app.reports.find((r) => r.state === 'submitted');
    const defaultAmounts: Partial<Record<LifecycleAction, string>> = {
      approve: app.requestedPence ? penceForInput(app.requestedPence) : '',
      // What the accepted final report left unspent and not yet returned: the usual amount to record.
      'record-return': penceForInput(underspendOf(app)),
      terminate: '0',
    };
    const actions = app.allowedActions
      .filter((a) => DESK_ACTIONS[a])
      .map((a) => {
        const spec = DESK_ACTIONS[a]!;
        return {
          name: a,
          label: t(`action.${a}`),
          needsReason: !!spec.text,
          textLabel: spec.text
            ? t(
                `desk.${spec.text}For.${a}`,
                nextPayment ? { amount: formatPounds(nextPayment.amountPence), tranche: nextPayment.tranche } : {},
              )
            : '',
          paymentId: spec.carries === 'paymentId' ? nextPayment?.id : undefined,
          reportId: spec.carries === 'reportId' ? waiting?.id : undefined,
          needsAmount: !!spec.amount,
          defaultAmount: defaultAmounts[a] ?? '',
          amountLabel: spec.amount ? t(`desk.amountFor.${a}`) : '',
          primary: spec.primary,
          warning: spec.warning,
          proposals: spec.adoptsProposals ? proposals : [],
          error: fieldErrors[`${a}:text`],
          amountError: fieldErrors[`${a}:amount`],
          needsDate: !!spec.date,
          dateLabel: spec.date ? t(`desk.dateFor.${a}`) : '',
          defaultDate: spec.date && app.offerExpiresAt ? londonDate(new Date(app.offerExpiresAt)) : '',
          dateError: fieldErrors[`${a}:date`],
        };
      });
    return this.pages.render(
      req,
      reply,
      'staff-application',
      {
        title: `${app.reference} ${app.title}`,
        user,
        application: app,
        fundName: (await this.desk.funds(user.actor)).find((f) => f.id === app.fundId)?.name ?? '',
        stateLabel: t(`state.${app.state}`),
        requested: app.requestedPence === null ? '' : formatPounds(app.requestedPence),
        awarded: app.awardedPence === null ? '' : formatPounds(app.awardedPence),
        declaredTier: app.activityRiskTier ? t(`tier.${app.activityRiskTier}`) : '',
        duplicates: (org.duplicateFlags ?? []).map((d) => ({ ...d, reasonLabel: t(`duplicate.${d.reason}`) })),
        eligibility: (assessment?.eligibility?.checks ?? []).map((c) => ({ ...c, label: t(`eligibility.${c.id}`) })),
        passLabel: t('desk.pass'),
        failLabel: t('desk.fail'),
        assessment: assessment?.assessment
          ? {
              outcomeLabel: t(`outcome.${assessment.assessment.outcome}`),
              countersignPending: assessment.assessment.countersignRequired && !assessment.assessment.countersignedBy,
              proposed: assessment.assessment.proposedConditions.map((c) => c.text),
            }
          : null,
        conditions: (await this.conditions.list(user.actor, id)).map((c) => ({
          ...c,
          statusLabel: t(`condition.${c.status}`),
        })),
        reports: await Promise.all(
          app.reports
            .filter((r) => r.state !== 'cancelled')
            .map(async (r) => {
              const full = await this.monitoringReports.get(user.actor, id, r.id);
              return {
                id: r.id,
                title: t(`report.title.${r.kind}`),
                due: t('report.due', { date: humanDate(r.dueOn) }),
                stateLabel: t(`reportState.${r.state}`),
                comments: r.comments,
                summary: r.state === 'due' ? [] : full.summary,
              };
            }),
        ),
        actions,
        adoptLabel: t('desk.adoptConditions'),
        canResolveConditions: isAssessor,
        conditionNoteLabel: t('desk.conditionNote'),
        markMetLabel: t('desk.markMet'),
        waiveLabel: t('desk.waive'),
        canAssess: isAssessor && app.state === 'risk_assessment',
        canCountersign:
          isAssessor &&
          app.state === 'risk_assessment' &&
          !!assessment?.assessment?.countersignRequired &&
          !assessment.assessment.countersignedBy &&
          assessment.assessment.assessedBy.userId !== user.actor.userId,
        conflictForm: user.actor.role === 'panel_member' && declared === null,
        conflicted: declared === true,
        summary: form ? answerSummary(form, app.answers, new Map(fileList.map((f) => [f.id, f.name]))) : [],
        files: fileList,
        notes: (await this.notes.list(user.actor, id)).map((n) => ({
          ...n,
          when: new Date(n.at).toLocaleString('en-GB', {
            timeZone: 'Europe/London',
            dateStyle: 'medium',
            timeStyle: 'short',
          }),
        })),
        canWriteNotes: user.actor.role !== 'panel_member',
        timeline: [...events].reverse().map((e) => ({
          label: t(`event.${e.action}`),
          when: new Date(e.at).toLocaleString('en-GB', {
            timeZone: 'Europe/London',
            dateStyle: 'long',
            timeStyle: 'short',
          }),
          reason: e.reason ?? e.message ?? '',
        })),
        backLink: `/desk/funds/${app.fundId}`,
        ...extra,
      },
      status,
    );
  }
}

/** The machine's own rule for what is left to return, read from the application as the desk sees it. */
function underspendOf(app: ApplicationView): number {
  return unresolvedUnderspend({
    requestedPence: app.requestedPence ?? 0,
    awardedPence: app.awardedPence,
    conditions: [],
    returnToState: null,
    // A waived underspend offers no return to record, so the form never asks.
    underspendWaived: false,
    disbursedPence: app.disbursedPence,
    returnedPence: app.returnedPence,
    payments: [],
    reports: app.reports.map((r) => ({
      id: r.id,
      kind: r.kind as ReportKind,
      state: r.state as ReportState,
      spendToDatePence: r.spendToDatePence,
    })),
  });
}
