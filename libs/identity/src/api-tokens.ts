import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig } from '@sg/config';
import {
  Actor,
  API_TOKEN_LAST_USED_RESOLUTION_SECONDS,
  API_TOKEN_PREFIX,
  API_TOKEN_SHAPE,
  apiTokenExpiry,
  apiTokenNameProblem,
  isActorRole,
  UseCaseError,
} from '@sg/domain';
import { UserEntity } from '@sg/persistence';
import { DataSource } from 'typeorm';
import { Accounts, Reauthentication } from './accounts';
import { findPartnerOrganisationBySlug } from './accounts.store';
import * as store from './api-tokens.store';
import { SecurityLog } from './security-log';

/** Tokens are random and long, so a fast hash is enough; only the hash is stored. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newApiToken(): string {
  return `${API_TOKEN_PREFIX}${randomBytes(24).toString('base64url')}`;
}

/** A token as its owner sees it: never the secret. */
export interface ApiTokenSummary {
  id: string;
  name: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
}

export interface NewUser {
  email: string;
  displayName: string;
  role: UserEntity['role'];
  partnerOrganisationSlug?: string;
  /** A given token (development users); otherwise a new random one. */
  token?: string;
}

const summary = (r: store.ApiTokenRow): ApiTokenSummary => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
});

/**
 * API-token identity for API clients: named bearer tokens, several per person, each stored as its
 * SHA-256 hash with an expiry (30 days for staff, 90 for applicants), a last-used time and a
 * revocation. People sign in to the portal with a password (Accounts) and mint tokens there,
 * typing the password again.
 */
@Injectable()
export class ApiTokens {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly accounts: Accounts,
    private readonly securityLog: SecurityLog,
  ) {}

  /** The person behind a live token; null for an unknown, revoked or expired token or a disabled user. */
  async authenticate(token: string): Promise<Actor | null> {
    if (token.length < 8 || token.length > 200) return null;
    // Development users' fixed tokens (dev-admin-token) have another shape: never accepted in production.
    if (this.config.NODE_ENV === 'production' && !API_TOKEN_SHAPE.test(token)) return null;
    const user = await store.findTokenHolder(
      this.dataSource,
      hashApiToken(token),
      API_TOKEN_LAST_USED_RESOLUTION_SECONDS,
    );
    if (!user || !isActorRole(user.role)) return null;
    return { userId: user.id, role: user.role, partnerOrganisationId: user.partner_organisation_id };
  }

  /** The caller's live tokens, newest first. */
  async list(actor: Actor): Promise<ApiTokenSummary[]> {
    return (await store.listLiveApiTokens(this.dataSource, actor.userId)).map(summary);
  }

  /**
   * A new named token, after the person proves again who they are (Accounts.reauthenticate). The
   * token is returned once, here, and stored only as its hash.
   */
  async mint(
    actor: Actor,
    input: { name: string } & Reauthentication,
    address: string | null,
  ): Promise<{ token: string; summary: ApiTokenSummary }> {
    const name = input.name.trim().replace(/\s+/g, ' ');
    const problem = apiTokenNameProblem(name);
    if (problem) throw new UseCaseError('invalid', 'validation_failed', problem, [{ field: 'name', message: problem }]);
    if (!isActorRole(actor.role) || actor.role === 'system')
      throw new UseCaseError('forbidden', 'role_not_permitted', 'Only people hold API tokens');
    await this.accounts.reauthenticate(actor, input);
    const token = newApiToken();
    const row = await this.dataSource.transaction(async (m) => {
      const inserted = await store.insertApiToken(m, {
        userId: actor.userId,
        name,
        tokenHash: hashApiToken(token),
        expiresAt: apiTokenExpiry(actor.role, new Date()),
      });
      await this.securityLog.record(
        { kind: 'token_minted', actorUserId: actor.userId, subjectUserId: actor.userId, address, detail: { name } },
        m,
      );
      return inserted;
    });
    return { token, summary: summary(row) };
  }

  /** Revokes one of the caller's own tokens; another person's token is not found. Twice is harmless. */
  async revoke(
    actor: Actor,
    tokenId: string,
    address: string | null,
  ): Promise<{ id: string; name: string; revokedAt: Date }> {
    return this.dataSource.transaction(async (m) => {
      const t = await store.lockOwnApiToken(m, actor.userId, tokenId);
      if (!t) throw UseCaseError.notFound('The token');
      if (t.revoked_at) return { id: tokenId, name: t.name, revokedAt: t.revoked_at };
      const revokedAt = await store.revokeApiToken(m, tokenId, 'revoked_by_owner');
      await this.securityLog.record(
        {
          kind: 'token_revoked',
          actorUserId: actor.userId,
          subjectUserId: actor.userId,
          address,
          detail: { name: t.name },
        },
        m,
      );
      return { id: tokenId, name: t.name, revokedAt };
    });
  }

  /** Creates the user, or updates the user with that email, and gives it a token (see upsertUserWithToken). */
  upsertUser(u: NewUser): Promise<{ userId: string; token: string }> {
    return upsertUserWithToken(this.dataSource, u);
  }
}

/**
 * Creates the user, or updates the user with that email, and gives it a token: the given one
 * (development users keep their fixed tokens, live again with a fresh expiry) or a new one.
 * Setup (development users) and the tests' stacks call it; nothing a person reaches does.
 */
export async function upsertUserWithToken(
  dataSource: DataSource,
  u: NewUser,
): Promise<{ userId: string; token: string }> {
  const token = u.token ?? newApiToken();
  let partnerId: string | null = null;
  if (u.partnerOrganisationSlug) {
    const p = await findPartnerOrganisationBySlug(dataSource, u.partnerOrganisationSlug);
    if (!p) throw new Error(`No partner organisation with slug ${u.partnerOrganisationSlug}`);
    partnerId = p.id;
  }
  const userId = await dataSource.transaction(async (m) => {
    const row = await store.upsertUser(m, {
      email: u.email,
      displayName: u.displayName,
      role: u.role,
      partnerOrganisationId: partnerId,
    });
    await store.putApiToken(m, {
      userId: row.id,
      name: u.token ? 'Development token' : 'API token',
      tokenHash: hashApiToken(token),
      expiresAt: apiTokenExpiry(u.role, new Date()),
    });
    return row.id;
  });
  return { userId, token };
}
