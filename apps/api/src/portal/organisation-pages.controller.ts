import { Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ETHNIC_GROUPS, UseCaseError } from '@sg/domain';
import { OrganisationMembers, Organisations, OrganisationView } from '@sg/organisations';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/actor';
import { UuidParam } from '../http/params';
import { field, formFields, PageErrors, PageRequest, Pages } from './pages';
import { fieldsFromProfile, organisationQuestions, organisationRows, profileFrom } from './organisation-view';
import { questionView } from './question-view';

const MEMBERSHIP_NOTICES = new Set(['removed', 'revoked', 'handedOver']);

/** An organisation's profile (create, read, edit), its members and invitations, and changes of membership. */
@ApiExcludeController()
@Public()
@Controller('organisations')
export class OrganisationPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly organisations: Organisations,
    private readonly memberships: OrganisationMembers,
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
    @Query('done') done?: string,
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
          : done && MEMBERSHIP_NOTICES.has(done)
            ? this.pages.t(`members.done.${done}`)
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

  @Post(':id/members/:userId/remove')
  async removeMember(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @UuidParam('id') id: string,
    @UuidParam('userId') userId: string,
  ) {
    return this.membership(req, reply, id, 'removed', (actor) => this.memberships.remove(actor, id, userId, req.ip));
  }

  @Post(':id/invitations/:invitationId/revoke')
  async revokeInvitation(
    @Req() req: PageRequest,
    @Res() reply: FastifyReply,
    @UuidParam('id') id: string,
    @UuidParam('invitationId') invitationId: string,
  ) {
    return this.membership(req, reply, id, 'revoked', (actor) =>
      this.memberships.revokeInvitation(actor, id, invitationId, req.ip),
    );
  }

  @Post(':id/ownership')
  async transferOwnership(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const userId = field(formFields(req), 'userId');
    return this.membership(req, reply, id, 'handedOver', (actor) =>
      this.memberships.transferOwnership(actor, id, userId, req.ip),
    );
  }

  @Post(':id/leave')
  async leave(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    return this.membership(req, reply, id, 'left', (actor) => this.memberships.leave(actor, id, req.ip));
  }

  /**
   * A change of membership, then back to the organisation (or home, for someone who left). A
   * refusal a member may read (the owner leaving, a stale choice) shows on the page; 403 and 404 as errors.
   */
  private async membership(
    req: PageRequest,
    reply: FastifyReply,
    id: string,
    done: string,
    act: (actor: Parameters<Organisations['members']>[0]) => Promise<void>,
  ) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    try {
      await act(user.actor);
      return this.pages.redirect(reply, done === 'left' ? '/' : `/organisations/${id}?done=${done}`);
    } catch (err) {
      if (!(err instanceof UseCaseError) || err.kind === 'not_found' || err.kind === 'forbidden') throw err;
      const org = await this.organisations.get(user.actor, id);
      const status = err.kind === 'conflict' ? 409 : err.kind === 'unprocessable' ? 422 : 400;
      return this.page(
        req,
        reply,
        user.actor,
        org,
        this.pages.errors(err, () => 'members'),
        status,
      );
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
    const rows = organisationRows(org, areas, (k) => this.pages.t(k));
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
        you: actor.userId,
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
    const areas = await this.organisations.knownAreas();
    const questions = organisationQuestions(areas, (k) => this.pages.t(k));
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
