import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Actor, isActorRole } from '@sg/domain';
import { UserEntity } from '@sg/persistence';
import { DataSource } from 'typeorm';
import { findPartnerOrganisationBySlug } from './accounts.store';
import { findTokenHolder, setApiTokenHash, upsertUserWithToken } from './api-tokens.store';

/** Tokens are random and long, so a fast hash is enough; only the hash is stored. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newApiToken(): string {
  return `sg_${randomBytes(24).toString('base64url')}`;
}

export interface NewUser {
  email: string;
  displayName: string;
  role: UserEntity['role'];
  partnerOrganisationSlug?: string;
  /** A given token (development users); otherwise a new random one. */
  token?: string;
}

/**
 * API-token identity for API clients: a bearer token per user, stored as its SHA-256 hash. People
 * sign in to the portal with a password (Accounts) and can issue themselves a token there.
 */
@Injectable()
export class ApiTokens {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async authenticate(token: string): Promise<Actor | null> {
    if (token.length < 8 || token.length > 200) return null;
    // Every API request comes through here: three columns by hand, not the whole user through the ORM.
    const user = await findTokenHolder(this.dataSource, hashApiToken(token));
    if (!user || !isActorRole(user.role)) return null;
    return { userId: user.id, role: user.role, partnerOrganisationId: user.partner_organisation_id };
  }

  /** A new token for the user, replacing any earlier one; shown once, stored only as its hash. */
  async issue(userId: string): Promise<string> {
    const token = newApiToken();
    await setApiTokenHash(this.dataSource, userId, hashApiToken(token));
    return token;
  }

  /** Creates the user, or replaces the token of the user with that email; returns the token. */
  async upsertUser(u: NewUser): Promise<{ userId: string; token: string }> {
    const token = u.token ?? newApiToken();
    let partnerId: string | null = null;
    if (u.partnerOrganisationSlug) {
      const p = await findPartnerOrganisationBySlug(this.dataSource, u.partnerOrganisationSlug);
      if (!p) throw new Error(`No partner organisation with slug ${u.partnerOrganisationSlug}`);
      partnerId = p.id;
    }
    const row = await upsertUserWithToken(this.dataSource, {
      email: u.email,
      displayName: u.displayName,
      role: u.role,
      partnerOrganisationId: partnerId,
      tokenHash: hashApiToken(token),
    });
    return { userId: row.id, token };
  }
}
