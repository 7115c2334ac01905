import { Controller, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Accounts, ApiTokens } from '@sg/identity';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/actor';
import { UuidParam } from '../http/params';
import { AccountPage } from './account-page';
import { field, formFields, PageRequest, Pages } from './pages';
import { SecondFactorSession } from './second-factor-session';

/** On `/account`: mint a named API token (the password again), revoke one, sign out everywhere. */
@ApiExcludeController()
@Public()
@Controller('account')
export class AccountAccessPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly accountPage: AccountPage,
    private readonly accounts: Accounts,
    private readonly tokens: ApiTokens,
    private readonly secondFactor: SecondFactorSession,
  ) {}

  /** A new token, shown on this one response only; a wrong password or a bad name: the form again. */
  @Post('api-tokens')
  async mint(@Req() req: PageRequest, @Res() reply: FastifyReply) {
    const user = await this.pages.requireUser(req, reply);
    // Staff give their second factor again (if the last was over 15 minutes ago) as well as the password.
    if (!user || !(await this.secondFactor.requireRecent(req, reply, user, '/account'))) return;
    const f = formFields(req);
    const name = field(f, 'name');
    try {
      const minted = await this.tokens.mint(user.actor, { name, password: field(f, 'password') }, req.ip);
      return this.accountPage.render(req, reply, user, { minted: { token: minted.token, name: minted.summary.name } });
    } catch (err) {
      const href = (fieldName: string) => (fieldName === 'name' ? 'token-name' : 'token-password');
      return this.accountPage.render(req, reply, user, { tokenValues: { name }, ...this.pages.errors(err, href) }, 400);
    }
  }

  @Post('api-tokens/:id/revoke')
  async revoke(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('id') id: string) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    await this.tokens.revoke(user.actor, id, req.ip);
    return this.pages.redirect(reply, '/account?revoked=1#api-tokens');
  }

  /** Every session (this one too) and every token of the account end; the person signs in again. */
  @Post('sign-out-everywhere')
  async signOutEverywhere(@Req() req: PageRequest, @Res() reply: FastifyReply) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    await this.accounts.signOutEverywhere(user.actor, req.ip);
    await req.session.regenerate();
    return this.pages.render(req, reply, 'message', {
      user: null,
      title: this.pages.t('access.everywhereDone'),
      panel: true,
      paragraphs: [this.pages.t('access.everywhereDoneBody')],
      link: { href: '/sign-in', text: this.pages.t('nav.signIn') },
    });
  }
}
