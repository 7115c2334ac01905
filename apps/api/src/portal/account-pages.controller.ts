import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { UseCaseError } from '@sg/domain';
import { Accounts, ApiTokens, SignedIn } from '@sg/identity';
import { Organisations } from '@sg/organisations';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/actor';
import { field, formFields, PageRequest, Pages, safeNext } from './pages';

/** Register, verify, sign in and out, reset a password, accept an invitation. */
@ApiExcludeController()
@Public()
@Controller()
export class AccountPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly accounts: Accounts,
    private readonly organisations: Organisations,
    private readonly tokens: ApiTokens,
  ) {}

  @Get('register')
  async registerForm(@Req() req: PageRequest, @Res() reply: FastifyReply) {
    return this.pages.render(req, reply, 'register', { title: this.pages.t('register.title'), values: {} });
  }

  @Post('register')
  async register(@Req() req: PageRequest, @Res() reply: FastifyReply) {
    const f = formFields(req);
    const values = { email: field(f, 'email'), displayName: field(f, 'displayName') };
    try {
      await this.accounts.register({ ...values, password: field(f, 'password') });
    } catch (err) {
      return this.pages.render(
        req,
        reply,
        'register',
        { title: this.pages.t('register.title'), values, ...this.pages.errors(err) },
        400,
      );
    }
    return this.checkEmail(req, reply, values.email);
  }

  @Post('resend-verification')
  async resend(@Req() req: PageRequest, @Res() reply: FastifyReply) {
    const email = field(formFields(req), 'email');
    await this.accounts.resendVerification(email);
    return this.checkEmail(req, reply, email);
  }

  private checkEmail(req: PageRequest, reply: FastifyReply, email: string) {
    return this.pages.render(req, reply, 'message', {
      title: this.pages.t('checkEmail.title'),
      paragraphs: [this.pages.t('checkEmail.body', { email }), this.pages.t('checkEmail.spam')],
      resend: { email },
    });
  }

  @Get('verify-email/:token')
  async verify(@Req() req: PageRequest, @Res() reply: FastifyReply, @Param('token') token: string) {
    const ok = await this.accounts.verifyEmail(token);
    return this.pages.render(
      req,
      reply,
      'message',
      ok
        ? {
            title: this.pages.t('verified.title'),
            panel: true,
            paragraphs: [this.pages.t('verified.body')],
            link: { href: '/sign-in', text: this.pages.t('nav.signIn') },
          }
        : {
            title: this.pages.t('link.invalidTitle'),
            paragraphs: [this.pages.t('link.invalidVerify')],
            link: { href: '/sign-in', text: this.pages.t('nav.signIn') },
          },
      ok ? 200 : 404,
    );
  }

  @Get('sign-in')
  async signInForm(@Req() req: PageRequest, @Res() reply: FastifyReply, @Query('next') next?: string) {
    return this.pages.render(req, reply, 'sign-in', {
      title: this.pages.t('signIn.title'),
      values: {},
      next: next ? encodeURIComponent(safeNext(next)) : '',
    });
  }

  @Post('sign-in')
  async signIn(@Req() req: PageRequest, @Res() reply: FastifyReply, @Query('next') next?: string) {
    const f = formFields(req);
    const values = { email: field(f, 'email') };
    try {
      const signed = await this.accounts.signIn(values.email, field(f, 'password'), req.ip);
      await this.pages.startSession(req, signed.actor.userId);
      return this.pages.redirect(reply, safeNext(next));
    } catch (err) {
      const unverified = err instanceof UseCaseError && err.code === 'email_not_verified';
      const status = err instanceof UseCaseError && err.code === 'too_many_attempts' ? 429 : 400;
      return this.pages.render(
        req,
        reply,
        'sign-in',
        {
          title: this.pages.t('signIn.title'),
          values,
          unverified,
          next: next ? encodeURIComponent(safeNext(next)) : '',
          ...this.pages.errors(err),
        },
        status,
      );
    }
  }

  @Post('sign-out')
  async signOut(@Req() req: PageRequest, @Res() reply: FastifyReply) {
    await req.session.destroy();
    return this.pages.redirect(reply, '/');
  }

  @Get('forgot-password')
  async forgotForm(@Req() req: PageRequest, @Res() reply: FastifyReply) {
    return this.pages.render(req, reply, 'forgot-password', { title: this.pages.t('forgot.title'), values: {} });
  }

  @Post('forgot-password')
  async forgot(@Req() req: PageRequest, @Res() reply: FastifyReply) {
    const email = field(formFields(req), 'email').trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      const message = this.pages.t('register.emailInvalid');
      return this.pages.render(
        req,
        reply,
        'forgot-password',
        {
          title: this.pages.t('forgot.title'),
          values: { email },
          errors: [{ text: message, href: 'email' }],
          fieldErrors: { email: message },
        },
        400,
      );
    }
    await this.accounts.requestPasswordReset(email);
    return this.pages.render(req, reply, 'message', {
      title: this.pages.t('checkEmail.title'),
      paragraphs: [this.pages.t('forgot.sent', { email }), this.pages.t('checkEmail.spam')],
    });
  }

  @Get('reset-password/:token')
  async resetForm(@Req() req: PageRequest, @Res() reply: FastifyReply, @Param('token') token: string) {
    if (!(await this.accounts.resetTokenIsUsable(token)))
      return this.invalidLink(req, reply, 'link.invalidReset', '/forgot-password', 'forgot.title');
    return this.pages.render(req, reply, 'reset-password', { title: this.pages.t('reset.title'), token });
  }

  @Post('reset-password/:token')
  async reset(@Req() req: PageRequest, @Res() reply: FastifyReply, @Param('token') token: string) {
    try {
      await this.accounts.resetPassword(token, field(formFields(req), 'password'));
    } catch (err) {
      if (err instanceof UseCaseError && err.kind === 'not_found')
        return this.invalidLink(req, reply, 'link.invalidReset', '/forgot-password', 'forgot.title');
      return this.pages.render(
        req,
        reply,
        'reset-password',
        { title: this.pages.t('reset.title'), token, ...this.pages.errors(err) },
        400,
      );
    }
    await req.session.regenerate();
    return this.pages.render(req, reply, 'message', {
      user: null,
      title: this.pages.t('reset.done'),
      panel: true,
      paragraphs: [this.pages.t('reset.doneBody')],
      link: { href: '/sign-in', text: this.pages.t('nav.signIn') },
    });
  }

  @Get('account')
  async account(@Req() req: PageRequest, @Res() reply: FastifyReply) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    return this.renderAccount(req, reply, user, {});
  }

  /** Email choices: checkboxes post only when ticked, so an unticked box means "off". */
  @Post('account/notifications')
  async notifications(@Req() req: PageRequest, @Res() reply: FastifyReply) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    const f = formFields(req);
    const preferences = await this.accounts.notificationPreferences(user.actor);
    await this.accounts.setNotificationPreferences(user.actor, {
      optionalReminders: field(f, 'optionalReminders') === 'yes',
      dailyDigest: preferences.digestAvailable ? field(f, 'dailyDigest') === 'yes' : undefined,
    });
    return this.renderAccount(req, reply, user, { saved: true });
  }

  private async renderAccount(req: PageRequest, reply: FastifyReply, user: SignedIn, extra: Record<string, unknown>) {
    const preferences = await this.accounts.notificationPreferences(user.actor);
    return this.pages.render(req, reply, 'account', {
      title: this.pages.t('account.title'),
      user,
      preferences,
      backLink: '/',
      ...extra,
    });
  }

  /** A new API token, shown on this one response only. */
  @Post('account/api-token')
  async apiToken(@Req() req: PageRequest, @Res() reply: FastifyReply) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    const token = await this.tokens.issue(user.actor.userId);
    return this.renderAccount(req, reply, user, { token });
  }

  @Get('invitations/:token')
  async invitation(@Req() req: PageRequest, @Res() reply: FastifyReply, @Param('token') token: string) {
    if (!(await this.pages.requireUser(req, reply))) return;
    return this.pages.render(req, reply, 'invitation', { title: this.pages.t('invitation.title'), token });
  }

  @Post('invitations/:token')
  async acceptInvitation(@Req() req: PageRequest, @Res() reply: FastifyReply, @Param('token') token: string) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    try {
      const { organisationId } = await this.accounts.useInvitationToken(token, (m, invitationId) =>
        this.organisations.acceptInvitation(m, user.actor, invitationId),
      );
      return this.pages.redirect(reply, `/organisations/${organisationId}?joined=1`);
    } catch (err) {
      if (!(err instanceof UseCaseError)) throw err;
      return this.pages.render(
        req,
        reply,
        'message',
        {
          title: this.pages.t('link.invalidTitle'),
          paragraphs: [err.message],
          link: { href: '/', text: this.pages.t('error.home') },
        },
        err.kind === 'forbidden' ? 403 : 404,
      );
    }
  }

  private invalidLink(req: PageRequest, reply: FastifyReply, key: string, href: string, linkKey: string) {
    return this.pages.render(
      req,
      reply,
      'message',
      {
        title: this.pages.t('link.invalidTitle'),
        paragraphs: [this.pages.t(key)],
        link: { href, text: this.pages.t(linkKey) },
      },
      404,
    );
  }
}
