import { Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { can, UseCaseError } from '@sg/domain';
import { SecondFactor, SignedIn } from '@sg/identity';
import type { FastifyReply } from 'fastify';
import * as QRCode from 'qrcode';
import { Public } from '../http/actor';
import { field, formFields, PageErrors, PageRequest, Pages } from './pages';
import { safeNext } from './safe-next';
import { SecondFactorSession } from './second-factor-session';

/**
 * Staff's second factor on pages: the code after the password (`/sign-in/code`, also the step-up
 * before admin actions), and enrolment (`/account/second-factor`: a QR code and the secret as
 * text, confirmed with a current code, then ten recovery codes shown once). No JavaScript: the QR
 * code is an SVG drawn on the server.
 */
@ApiExcludeController()
@Public()
@Controller()
export class SecondFactorPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly secondFactor: SecondFactor,
    private readonly session: SecondFactorSession,
  ) {}

  @Get('sign-in/code')
  async codeForm(@Req() req: PageRequest, @Res() reply: FastifyReply, @Query('next') next?: string) {
    const who = await this.codeOwner(req, reply, next);
    if (!who) return;
    return this.renderCode(req, reply, next, {});
  }

  @Post('sign-in/code')
  async code(@Req() req: PageRequest, @Res() reply: FastifyReply, @Query('next') next?: string) {
    const who = await this.codeOwner(req, reply, next);
    if (!who) return;
    try {
      await this.secondFactor.check(who.user, field(formFields(req), 'code'), req.ip);
    } catch (err) {
      const throttled = err instanceof UseCaseError && err.code === 'too_many_attempts';
      return this.renderCode(req, reply, next, this.codeErrors(err), throttled ? 429 : 400);
    }
    if (who.pending) {
      await this.session.complete(req, who.user, true);
      return this.pages.redirect(reply, who.next);
    }
    this.session.confirmed(req);
    return this.pages.redirect(reply, safeNext(next));
  }

  @Get('account/second-factor')
  async enrolForm(@Req() req: PageRequest, @Res() reply: FastifyReply, @Query('new') fresh?: string) {
    const who = await this.enroller(req, reply);
    if (!who) return;
    if (!who.pending && (await this.secondFactor.enrolled(who.user.actor.userId))) {
      if (fresh !== '1')
        return this.pages.render(req, reply, 'second-factor', {
          title: this.pages.t('secondFactor.statusTitle'),
          enrolled: true,
          left: await this.secondFactor.recoveryCodesLeft(who.user.actor.userId),
          backLink: '/account',
        });
      // Replacing the authenticator is an account change: the current one confirms it first.
      if (!(await this.session.requireRecent(req, reply, who.user))) return;
    }
    return this.renderEnrol(req, reply, who, {});
  }

  @Post('account/second-factor')
  async enrol(@Req() req: PageRequest, @Res() reply: FastifyReply) {
    const who = await this.enroller(req, reply);
    if (!who) return;
    if (!who.pending && (await this.secondFactor.enrolled(who.user.actor.userId))) {
      if (!(await this.session.requireRecent(req, reply, who.user, '/account/second-factor?new=1'))) return;
    }
    const secret = req.session.get('enrolSecret');
    let codes: string[];
    try {
      if (!secret)
        throw new UseCaseError('invalid', 'second_factor_wrong', 'No secret', [{ field: 'code', message: '' }]);
      codes = await this.secondFactor.enrol(who.user, secret, field(formFields(req), 'code'), req.ip);
    } catch (err) {
      return this.renderEnrol(req, reply, who, this.codeErrors(err), 400);
    }
    req.session.set('enrolSecret', undefined);
    let next = '/account';
    if (who.pending) {
      next = who.next;
      await this.session.complete(req, who.user, true);
    } else {
      this.session.confirmed(req);
    }
    return this.pages.render(req, reply, 'recovery-codes', {
      title: this.pages.t('secondFactor.enrolledTitle'),
      codes,
      next,
    });
  }

  /** Who owes a code: the pending sign-in, or a signed-in person asked again (step-up). */
  private async codeOwner(req: PageRequest, reply: FastifyReply, next: string | undefined) {
    const pending = await this.session.pending(req);
    if (pending && pending.enrol) return void this.pages.redirect(reply, '/account/second-factor');
    if (pending) return { user: pending.user, pending: true, next: pending.next };
    const user = await this.pages.user(req);
    if (!user) return void this.pages.redirect(reply, '/sign-in');
    if (!(await this.secondFactor.enrolled(user.actor.userId))) {
      // Nothing to ask for: enrol (where it is required) or carry on.
      const to = (await this.session.stepUpNeeded(req, user)) ? '/account/second-factor' : safeNext(next);
      return void this.pages.redirect(reply, to);
    }
    return { user, pending: false, next: safeNext(next) };
  }

  /** Who may enrol: a pending sign-in that must, or a signed-in staff member. */
  private async enroller(req: PageRequest, reply: FastifyReply): Promise<Enroller | null> {
    const pending = await this.session.pending(req);
    if (pending?.enrol) return { user: pending.user, pending: true, next: pending.next };
    if (pending) {
      this.pages.redirect(reply, '/sign-in/code');
      return null;
    }
    const user = await this.pages.requireUser(req, reply);
    if (!user) return null;
    if (!can(user.actor.role, 'hold-staff-account')) {
      await this.pages.render(
        req,
        reply,
        'error',
        { title: this.pages.t('error.forbidden.title'), paragraphs: [this.pages.t('secondFactor.staffOnly')] },
        403,
      );
      return null;
    }
    return { user, pending: false, next: '/account' };
  }

  private async renderEnrol(
    req: PageRequest,
    reply: FastifyReply,
    who: Enroller,
    errors: Partial<PageErrors>,
    status = 200,
  ) {
    let secret = req.session.get('enrolSecret');
    if (!secret) {
      secret = this.secondFactor.newSecret();
      req.session.set('enrolSecret', secret);
    }
    const uri = this.secondFactor.enrolmentUri(secret, this.pages.t('secondFactor.issuer'), who.user);
    const svg = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
    const qrLabel = this.pages.t('secondFactor.qrLabel');
    return this.pages.render(
      req,
      reply,
      'second-factor',
      {
        title: this.pages.t('secondFactor.enrolTitle'),
        mustEnrol: who.pending,
        // The SVG is the library's markup from our own URI (no person's text in it); labelled as one image.
        qrSvg: svg.replace('<svg ', `<svg role="img" aria-label="${qrLabel}" width="220" height="220" `),
        secretGroups: secret.match(/.{1,4}/g)!.join(' '),
        backLink: who.pending ? undefined : '/account',
        ...errors,
      },
      status,
    );
  }

  private renderCode(
    req: PageRequest,
    reply: FastifyReply,
    next: string | undefined,
    errors: Partial<PageErrors>,
    status = 200,
  ) {
    return this.pages.render(
      req,
      reply,
      'sign-in-code',
      {
        title: this.pages.t('secondFactor.codeTitle'),
        next: next ? encodeURIComponent(safeNext(next)) : '',
        ...errors,
      },
      status,
    );
  }

  /** A refused code as the error summary, in the catalogue's words. */
  private codeErrors(err: unknown): PageErrors {
    if (!(err instanceof UseCaseError)) throw err;
    const key = err.code === 'too_many_attempts' ? 'secondFactor.tooMany' : 'secondFactor.codeWrong';
    const text = this.pages.t(key);
    return { errors: [{ text, href: 'code' }], fieldErrors: { code: text } };
  }
}

interface Enroller {
  user: SignedIn;
  pending: boolean;
  next: string;
}
