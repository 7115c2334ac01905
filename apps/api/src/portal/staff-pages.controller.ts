import { Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ActorRole, UseCaseError } from '@sg/domain';
import { SignedIn, StaffAccounts } from '@sg/identity';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/actor';
import { UuidParam } from '../http/params';
import { partnerOptions, reasonOptions, roleOptions, staffDetail, staffRows } from './admin-view';
import { field, formFields, PageErrors, PageRequest, Pages } from './pages';
import { SecondFactorSession } from './second-factor-session';

const NOTICES = new Set(['invited', 'changed', 'disabled', 'enabled', 'secondFactorReset']);
const statusOf = (err: unknown) =>
  err instanceof UseCaseError && err.kind === 'conflict'
    ? 409
    : err instanceof UseCaseError && err.kind === 'unprocessable'
      ? 422
      : 400;

/**
 * Staff administration for administrators (capability `manage-staff-accounts`): the list of staff,
 * inviting someone, changing a role or partner organisation, disabling and re-enabling. Parse, call
 * StaffAccounts, render; anyone else gets the use case's 403.
 */
@ApiExcludeController()
@Public()
@Controller('admin/users')
export class StaffPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly staff: StaffAccounts,
    private readonly secondFactor: SecondFactorSession,
  ) {}

  /** The signed-in person, having given their second factor in the last 15 minutes (admin actions step up). */
  private async administrator(req: PageRequest, reply: FastifyReply, returnTo?: string): Promise<SignedIn | null> {
    const user = await this.pages.requireUser(req, reply);
    if (!user || !(await this.secondFactor.requireRecent(req, reply, user, returnTo))) return null;
    return user;
  }

  @Get()
  async list(@Req() req: PageRequest, @Res() reply: FastifyReply, @Query('done') done?: string) {
    const user = await this.administrator(req, reply);
    if (!user) return;
    const staff = await this.staff.list(user.actor);
    return this.pages.render(req, reply, 'staff-users', {
      title: this.pages.t('staffAdmin.title'),
      user,
      rows: staffRows(staff, (k, p) => this.pages.t(k, p)),
      notice: done && NOTICES.has(done) ? this.pages.t(`staffAdmin.done.${done}`) : undefined,
      backLink: '/',
    });
  }

  @Get('new')
  async newForm(@Req() req: PageRequest, @Res() reply: FastifyReply) {
    const user = await this.administrator(req, reply);
    if (!user) return;
    return this.inviteForm(req, reply, user, {});
  }

  @Post()
  async invite(@Req() req: PageRequest, @Res() reply: FastifyReply) {
    const user = await this.administrator(req, reply, '/admin/users/new');
    if (!user) return;
    const f = formFields(req);
    const values = {
      displayName: field(f, 'displayName'),
      email: field(f, 'email'),
      role: field(f, 'role'),
      partnerOrganisationSlug: field(f, 'partnerOrganisationSlug'),
    };
    try {
      const displayName = values.displayName.trim();
      if (!displayName || displayName.length > 100) {
        const message = this.pages.t('staffAdmin.nameRequired');
        throw new UseCaseError('invalid', 'validation_failed', message, [{ field: 'displayName', message }]);
      }
      await this.staff.invite(
        user.actor,
        {
          displayName,
          email: values.email,
          role: values.role as ActorRole,
          partnerOrganisationSlug: values.partnerOrganisationSlug || undefined,
        },
        req.ip,
      );
      return this.pages.redirect(reply, '/admin/users?done=invited');
    } catch (err) {
      if (err instanceof UseCaseError && err.kind === 'forbidden') throw err;
      return this.inviteForm(req, reply, user, values, this.pages.errors(err), statusOf(err));
    }
  }

  @Get(':id')
  async show(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await this.administrator(req, reply);
    if (!user) return;
    return this.detail(req, reply, user, id, {});
  }

  @Post(':id')
  async change(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await this.administrator(req, reply, `/admin/users/${id}`);
    if (!user) return;
    const f = formFields(req);
    const role = field(f, 'role');
    const partnerOrganisationSlug = field(f, 'partnerOrganisationSlug');
    return this.act(req, reply, user, id, 'changed', { role, partnerOrganisationSlug }, () =>
      this.staff.change(user.actor, id, { role: role as ActorRole, partnerOrganisationSlug }, req.ip),
    );
  }

  @Post(':id/disable')
  async disable(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await this.administrator(req, reply, `/admin/users/${id}`);
    if (!user) return;
    const reason = field(formFields(req), 'reason');
    return this.act(req, reply, user, id, 'disabled', {}, () => this.staff.disable(user.actor, id, reason, req.ip));
  }

  @Post(':id/enable')
  async enable(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await this.administrator(req, reply, `/admin/users/${id}`);
    if (!user) return;
    return this.act(req, reply, user, id, 'enabled', {}, () => this.staff.enable(user.actor, id, req.ip));
  }

  @Post(':id/second-factor/reset')
  async resetSecondFactor(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await this.administrator(req, reply, `/admin/users/${id}`);
    if (!user) return;
    return this.act(req, reply, user, id, 'secondFactorReset', {}, () =>
      this.staff.resetSecondFactor(user.actor, id, req.ip),
    );
  }

  /** A change, then back to the list; a refusal (yourself, the last administrator, a missing choice) on the account's page. */
  private async act(
    req: PageRequest,
    reply: FastifyReply,
    user: SignedIn,
    id: string,
    done: string,
    values: Record<string, string>,
    change: () => Promise<unknown>,
  ) {
    try {
      await change();
      return this.pages.redirect(reply, `/admin/users?done=${done}`);
    } catch (err) {
      if (!(err instanceof UseCaseError) || err.kind === 'forbidden' || err.kind === 'not_found') throw err;
      return this.detail(req, reply, user, id, { values, ...this.pages.errors(err) }, statusOf(err));
    }
  }

  private async detail(
    req: PageRequest,
    reply: FastifyReply,
    user: SignedIn,
    id: string,
    extra: Partial<PageErrors> & { values?: Record<string, string> },
    status = 200,
  ) {
    const member = await this.staff.get(user.actor, id);
    const partners = await this.staff.partnerOrganisations(user.actor);
    const t = (k: string, p?: Record<string, unknown>) => this.pages.t(k, p);
    return this.pages.render(
      req,
      reply,
      'staff-user',
      {
        title: member.displayName,
        user,
        member: staffDetail(member, t),
        isYou: member.id === user.actor.userId,
        roles: roleOptions(extra.values?.role ?? member.role, t),
        partners: partnerOptions(
          partners,
          extra.values?.partnerOrganisationSlug ?? member.partnerOrganisation?.slug ?? '',
        ),
        reasons: reasonOptions(t),
        backLink: '/admin/users',
        ...extra,
      },
      status,
    );
  }

  private async inviteForm(
    req: PageRequest,
    reply: FastifyReply,
    user: SignedIn,
    values: Record<string, string>,
    errs?: PageErrors,
    status = 200,
  ) {
    const partners = await this.staff.partnerOrganisations(user.actor);
    const t = (k: string, p?: Record<string, unknown>) => this.pages.t(k, p);
    return this.pages.render(
      req,
      reply,
      'staff-invite',
      {
        title: this.pages.t('staffAdmin.inviteTitle'),
        user,
        values,
        roles: roleOptions(values.role ?? '', t),
        partners: partnerOptions(partners, values.partnerOrganisationSlug ?? ''),
        backLink: '/admin/users',
        ...(errs ?? {}),
      },
      status,
    );
  }
}
