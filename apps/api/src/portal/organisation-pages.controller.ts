import { Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ETHNIC_GROUPS, LEGAL_FORMS, Question, UseCaseError } from '@sg/domain';
import { OrganisationProfile, Organisations, OrganisationView } from '@sg/organisations';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/actor';
import { UuidParam } from '../http/params';
import { field, formFields, PageErrors, PageRequest, Pages } from './pages';
import { questionView } from './question-view';

/** An organisation's profile (create, read, edit) and its members and invitations. */
@ApiExcludeController()
@Public()
@Controller('organisations')
export class OrganisationPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly organisations: Organisations,
  ) {}

  @Get('new')
  async newForm(@Req() req: PageRequest, @Res() reply: FastifyReply) {
    if (!(await this.pages.requireUser(req, reply))) return;
    return this.form(req, reply, '/organisations', this.pages.t('organisation.newTitle'), {});
  }

  @Post()
  async create(@Req() req: PageRequest, @Res() reply: FastifyReply) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    const fields = formFields(req);
    try {
      const org = await this.organisations.create(user.actor, profileFrom(fields));
      return this.pages.redirect(reply, `/organisations/${org.id}?saved=1`);
    } catch (err) {
      return this.form(
        req,
        reply,
        '/organisations',
        this.pages.t('organisation.newTitle'),
        fields,
        this.pages.errors(err),
        400,
      );
    }
  }

  @Get(':id')
  async show(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @UuidParam('id') id: string,
    @Query('saved') saved?: string,
    @Query('joined') joined?: string,
    @Query('invited') invited?: string,
  ) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    const org = await this.organisations.get(user.actor, id);
    const notice = saved
      ? this.pages.t('organisation.saved')
      : joined
        ? this.pages.t('members.joined')
        : invited
          ? this.pages.t('members.invitedNotice')
          : undefined;
    return this.page(req, reply, user.actor, org, { notice });
  }

  @Get(':id/edit')
  async editForm(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    const org = await this.organisations.get(user.actor, id);
    return this.form(
      req,
      reply,
      `/organisations/${id}`,
      this.pages.t('organisation.editTitle'),
      fieldsFromProfile(org),
    );
  }

  @Post(':id')
  async update(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    await this.organisations.requireMember(user.actor, id);
    const fields = formFields(req);
    try {
      await this.organisations.update(user.actor, id, profileFrom(fields));
      return this.pages.redirect(reply, `/organisations/${id}?saved=1`);
    } catch (err) {
      return this.form(
        req,
        reply,
        `/organisations/${id}`,
        this.pages.t('organisation.editTitle'),
        fields,
        this.pages.errors(err),
        400,
      );
    }
  }

  @Post(':id/invitations')
  async invite(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    const email = field(formFields(req), 'email');
    try {
      await this.organisations.invite(user.actor, id, email);
      return this.pages.redirect(reply, `/organisations/${id}?invited=1`);
    } catch (err) {
      if (err instanceof UseCaseError && err.kind === 'not_found') throw err;
      const org = await this.organisations.get(user.actor, id);
      return this.page(req, reply, user.actor, org, { values: { email }, ...this.pages.errors(err) }, 400);
    }
  }

  private async page(
    req: PageRequest,
    reply: FastifyReply,
    actor: Parameters<Organisations['members']>[0],
    org: OrganisationView,
    extra: Record<string, unknown>,
    status = 200,
  ) {
    const { members, invitations } = await this.organisations.members(actor, org.id);
    const areas = await this.organisations.knownAreas();
    const groups = new Map(ETHNIC_GROUPS.map((g) => [g.value, g.label]));
    const yes = (b: boolean | null) => (b === null ? '' : this.pages.t(b ? 'form.yes' : 'form.no'));
    const rows = [
      { label: this.pages.t('organisation.legalForm'), lines: [this.pages.t(`legalForm.${org.legalForm}`)] },
      {
        label: this.pages.t('organisation.registrationNumber'),
        lines: [org.registrationNumber ?? this.pages.t('organisation.none')],
      },
      {
        label: this.pages.t('organisation.address'),
        lines: [org.addressLine1, org.addressLine2, org.town, org.postcode].filter((l): l is string => !!l),
      },
      { label: this.pages.t('organisation.area'), lines: [areas.get(org.areaCode) ?? org.areaCode] },
      {
        label: this.pages.t('organisation.communities'),
        lines: [
          ...org.communitiesServed.map((c) => groups.get(c) ?? c),
          ...(org.communitiesOther ? [org.communitiesOther] : []),
        ],
      },
      { label: this.pages.t('organisation.languages'), lines: [org.languages.join(', ')] },
      {
        label: this.pages.t('organisation.ledByAndFor'),
        lines: [yes(org.ledByAndFor), ...(org.ledByAndForStatement ? [org.ledByAndForStatement] : [])],
      },
      {
        label: this.pages.t('organisation.safeguardingLead'),
        lines: org.safeguardingLeadName
          ? [org.safeguardingLeadName, org.safeguardingLeadRole ?? '']
          : [this.pages.t('organisation.none')],
      },
    ];
    return this.pages.render(
      req,
      reply,
      'organisation',
      {
        title: org.name,
        organisation: org,
        rows,
        members,
        invitations,
        isOwner: org.yourRole === 'owner',
        backLink: '/',
        ...extra,
      },
      status,
    );
  }

  private async form(
    req: PageRequest,
    reply: FastifyReply,
    action: string,
    title: string,
    fields: Record<string, string | string[]>,
    errs?: PageErrors,
    status = 200,
  ) {
    const t = (k: string) => this.pages.t(k);
    const areas = await this.organisations.knownAreas();
    const q = (question: Omit<Question, 'label'> & { labelKey: string; hintKey?: string }): Question => ({
      ...question,
      label: t(question.labelKey),
      hint: question.hintKey ? t(question.hintKey) : undefined,
    });
    const questions: Question[] = [
      q({ id: 'name', type: 'short_text', labelKey: 'organisation.name' }),
      q({
        id: 'legalForm',
        type: 'single_choice',
        labelKey: 'organisation.legalForm',
        options: LEGAL_FORMS.map((f) => ({ value: f, label: t(`legalForm.${f}`) })),
      }),
      q({
        id: 'registrationNumber',
        type: 'short_text',
        labelKey: 'organisation.registrationNumber',
        hintKey: 'organisation.registrationNumberHint',
      }),
      q({
        id: 'addressLine1',
        type: 'short_text',
        labelKey: 'organisation.addressLine1',
        hintKey: 'organisation.addressHint',
      }),
      q({ id: 'addressLine2', type: 'short_text', labelKey: 'organisation.addressLine2' }),
      q({ id: 'town', type: 'short_text', labelKey: 'organisation.town' }),
      q({ id: 'postcode', type: 'short_text', labelKey: 'organisation.postcode' }),
      q({
        id: 'areaCode',
        type: 'single_choice',
        labelKey: 'organisation.areaQuestion',
        hintKey: 'organisation.areaHint',
        options: [...areas].map(([value, label]) => ({ value, label })),
      }),
      q({
        id: 'communitiesServed',
        type: 'multiple_choice',
        labelKey: 'organisation.communitiesQuestion',
        hintKey: 'organisation.communitiesHint',
        options: ETHNIC_GROUPS.map((g) => ({ value: g.value, label: g.label })),
      }),
      q({
        id: 'communitiesOther',
        type: 'short_text',
        labelKey: 'organisation.communitiesOther',
        hintKey: 'organisation.communitiesOtherHint',
      }),
      q({
        id: 'languages',
        type: 'short_text',
        labelKey: 'organisation.languagesQuestion',
        hintKey: 'organisation.languagesHint',
      }),
      q({
        id: 'ledByAndFor',
        type: 'yes_no',
        labelKey: 'organisation.ledByAndForQuestion',
        hintKey: 'organisation.ledByAndForHint',
      }),
      q({
        id: 'ledByAndForStatement',
        type: 'long_text',
        labelKey: 'organisation.ledByAndForStatement',
        hintKey: 'organisation.ledByAndForStatementHint',
      }),
      q({
        id: 'safeguardingLeadName',
        type: 'short_text',
        labelKey: 'organisation.safeguardingLeadName',
        hintKey: 'organisation.safeguardingLeadHint',
      }),
      q({ id: 'safeguardingLeadRole', type: 'short_text', labelKey: 'organisation.safeguardingLeadRole' }),
    ];
    const groups = new Map(ETHNIC_GROUPS.map((g) => [g.value, g.group]));
    const views = questions.map((x) =>
      questionView(x, fields, this.pages.messages, {
        error: errs?.fieldErrors[x.id],
        groups: x.id === 'communitiesServed' ? groups : undefined,
      }),
    );
    return this.pages.render(
      req,
      reply,
      'organisation-form',
      { title, action, questions: views, backLink: '/', ...(errs ?? {}) },
      status,
    );
  }
}

function profileFrom(f: Record<string, string | string[]>): OrganisationProfile {
  const ledByAndFor = field(f, 'ledByAndFor');
  return {
    name: field(f, 'name'),
    legalForm: field(f, 'legalForm') as OrganisationProfile['legalForm'],
    registrationNumber: field(f, 'registrationNumber'),
    addressLine1: field(f, 'addressLine1'),
    addressLine2: field(f, 'addressLine2'),
    town: field(f, 'town'),
    postcode: field(f, 'postcode'),
    areaCode: field(f, 'areaCode'),
    communitiesServed: [f.communitiesServed ?? []].flat(),
    communitiesOther: field(f, 'communitiesOther'),
    languages: field(f, 'languages').split(/[,;\n]/),
    ledByAndFor: ledByAndFor === 'yes' ? true : ledByAndFor === 'no' ? false : null,
    ledByAndForStatement: field(f, 'ledByAndForStatement'),
    safeguardingLeadName: field(f, 'safeguardingLeadName'),
    safeguardingLeadRole: field(f, 'safeguardingLeadRole'),
  };
}

function fieldsFromProfile(o: OrganisationView): Record<string, string | string[]> {
  return {
    name: o.name,
    legalForm: o.legalForm,
    registrationNumber: o.registrationNumber ?? '',
    addressLine1: o.addressLine1 ?? '',
    addressLine2: o.addressLine2 ?? '',
    town: o.town ?? '',
    postcode: o.postcode ?? '',
    areaCode: o.areaCode,
    communitiesServed: o.communitiesServed,
    communitiesOther: o.communitiesOther ?? '',
    languages: o.languages.join(', '),
    ledByAndFor: o.ledByAndFor === null ? '' : o.ledByAndFor ? 'yes' : 'no',
    ledByAndForStatement: o.ledByAndForStatement ?? '',
    safeguardingLeadName: o.safeguardingLeadName ?? '',
    safeguardingLeadRole: o.safeguardingLeadRole ?? '',
  };
}
