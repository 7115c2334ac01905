import { Injectable } from '@nestjs/common';
import { apiTokenLifetimeDays } from '@sg/domain';
import { Accounts, ApiTokens, ApiTokenSummary, SignedIn } from '@sg/identity';
import type { FastifyReply } from 'fastify';
import { londonTime } from './application-view/status.view';
import { Messages } from './messages';
import { PageRequest, Pages } from './pages';

/** One row of the account page's token table. */
export interface ApiTokenRowView {
  id: string;
  name: string;
  created: string;
  expires: string;
  lastUsed: string;
}

/** The person's live tokens as the account page prints them (London time). */
export function apiTokenRowsView(tokens: readonly ApiTokenSummary[], messages: Messages): ApiTokenRowView[] {
  return tokens.map((t) => ({
    id: t.id,
    name: t.name,
    created: londonTime(t.createdAt.toISOString(), 'medium'),
    expires: londonTime(t.expiresAt.toISOString(), 'medium'),
    lastUsed: t.lastUsedAt ? londonTime(t.lastUsedAt.toISOString(), 'medium') : messages.t('access.tokenNeverUsed'),
  }));
}

/**
 * `/account`: the person, their email choices, their API tokens (with the form to mint one) and
 * "sign out everywhere". Rendered by more than one controller (a form's answer is the page again).
 */
@Injectable()
export class AccountPage {
  constructor(
    private readonly pages: Pages,
    private readonly accounts: Accounts,
    private readonly tokens: ApiTokens,
  ) {}

  async render(
    req: PageRequest,
    reply: FastifyReply,
    user: SignedIn,
    extra: Record<string, unknown>,
    status = 200,
  ): Promise<unknown> {
    const preferences = await this.accounts.notificationPreferences(user.actor);
    const tokens = apiTokenRowsView(await this.tokens.list(user.actor), this.pages.messages);
    return this.pages.render(
      req,
      reply,
      'account',
      {
        title: this.pages.t('account.title'),
        user,
        preferences,
        tokens,
        tokenLifetime: this.pages.t('access.newTokenLifetime', { days: apiTokenLifetimeDays(user.actor.role) }),
        backLink: '/',
        ...extra,
      },
      status,
    );
  }
}
