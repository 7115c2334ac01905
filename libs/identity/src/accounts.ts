import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  Actor,
  ActorRole,
  can,
  isActorRole,
  passwordProblem,
  rolesWith,
  signInAllowed,
  UseCaseError,
} from '@sg/domain';
import { consumeOneTimeToken, enqueueAccountEmail, oneTimeTokenIsUsable } from '@sg/notifications';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '@sg/persistence';
import * as argon2 from 'argon2';
import { DataSource, EntityManager } from 'typeorm';

/** OWASP's Argon2id minimum (19 MiB, 2 passes, 1 lane): about 30 ms here, slow enough for guessers. */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface SignedIn {
  actor: Actor;
  displayName: string;
  email: string;
}

export interface NotificationPreferences {
  optionalReminders: boolean;
  dailyDigest: boolean;
  /** Whether this account may choose the digest (staff). */
  digestAvailable: boolean;
}

/**
 * Password accounts. Applicants register themselves; staff are created by an admin (API or CLI)
 * and choose their password through an emailed link. Answers never reveal whether an email
 * address has an account: registering a taken address, or asking to reset an unknown one, looks
 * the same as success.
 */
@Injectable()
export class Accounts {
  /** A hash verified when the address is unknown, so that timing does not reveal accounts. */
  private decoy?: Promise<string>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async register(input: { email: string; displayName: string; password: string }): Promise<void> {
    const email = input.email.trim();
    const displayName = input.displayName.trim().replace(/\s+/g, ' ');
    const problems = [];
    if (!EMAIL.test(email) || email.length > 254)
      problems.push({ field: 'email', message: 'Enter an email address in the correct format, like name@example.org' });
    if (displayName === '') problems.push({ field: 'displayName', message: 'Enter your name' });
    else if (displayName.length > 100)
      problems.push({ field: 'displayName', message: 'Your name must be 100 characters or fewer' });
    const weak = passwordProblem(input.password, email);
    if (weak) problems.push({ field: 'password', message: weak });
    if (problems.length > 0)
      throw new UseCaseError('invalid', 'validation_failed', 'Your details need correcting', problems);
    const hash = await argon2.hash(input.password, ARGON2_OPTIONS);
    await this.dataSource.transaction(async (m) => {
      const [row] = await m.query(
        `INSERT INTO users (email, display_name, role, password_hash) VALUES ($1, $2, 'applicant', $3)
         ON CONFLICT (lower(email)) DO NOTHING RETURNING id`,
        [email, displayName, hash],
      );
      if (row)
        await enqueueAccountEmail(m, {
          template: 'verify-email',
          dedupeKey: `verify-email:${row.id}:1`,
          userId: row.id,
        });
    });
  }

  /** Sends a new verification link to an unverified account; silent otherwise. */
  async resendVerification(email: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const [u] = await m.query(
        `SELECT id FROM users WHERE lower(email) = lower($1) AND email_verified_at IS NULL AND password_hash IS NOT NULL`,
        [email.trim()],
      );
      if (!u) return;
      const [{ n }] = await m.query(
        `SELECT count(*)::int AS n FROM notifications WHERE recipient_user_id = $1 AND template = 'verify-email'`,
        [u.id],
      );
      if (n >= 5) return; // enough links for one address; stops the form being used to flood a mailbox
      await enqueueAccountEmail(m, {
        template: 'verify-email',
        dedupeKey: `verify-email:${u.id}:${n + 1}`,
        userId: u.id,
      });
    });
  }

  async verifyEmail(token: string): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const used = await consumeOneTimeToken(m, 'verify_email', token);
      if (!used?.userId) return false;
      await m.query(`UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1`, [
        used.userId,
      ]);
      return true;
    });
  }

  async signIn(emailInput: string, password: string, address: string): Promise<SignedIn> {
    const email = emailInput.trim().toLowerCase();
    const throttle = await this.throttle(email, address);
    if (!throttle.allowed) {
      const minutes = Math.ceil(throttle.retryAfterSeconds / 60);
      throw new UseCaseError(
        'throttled',
        'too_many_attempts',
        `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        [
          {
            field: 'email',
            message: `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
          },
        ],
      );
    }
    const [u] = await this.dataSource.query(
      `SELECT id, email, display_name, role, partner_organisation_id, password_hash, email_verified_at FROM users WHERE lower(email) = $1`,
      [email],
    );
    const ok = u?.password_hash
      ? await argon2.verify(u.password_hash, password).catch(() => false)
      : (await argon2.verify(await this.decoyHash(), password), false);
    if (!ok || !isActorRole(u.role)) {
      await this.dataSource.query(`INSERT INTO sign_in_failures (account_key, address) VALUES ($1, $2)`, [
        email,
        address,
      ]);
      throw new UseCaseError('unauthenticated', 'bad_credentials', 'The email address or password is not right', [
        { field: 'email', message: 'The email address or password is not right' },
      ]);
    }
    if (!u.email_verified_at) {
      throw new UseCaseError(
        'forbidden',
        'email_not_verified',
        'Confirm your email address first: use the link we emailed you, or ask for a new one',
        [{ field: 'email', message: 'Confirm your email address first' }],
      );
    }
    await this.dataSource.query(`UPDATE users SET last_signed_in_at = now() WHERE id = $1`, [u.id]);
    return {
      actor: { userId: u.id, role: u.role, partnerOrganisationId: u.partner_organisation_id },
      displayName: u.display_name,
      email: u.email,
    };
  }

  /** Queues a reset link for a password account; the same answer whether or not there is one. */
  async requestPasswordReset(email: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const [u] = await m.query(`SELECT id FROM users WHERE lower(email) = lower($1)`, [email.trim()]);
      if (!u) return;
      const [{ n }] = await m.query(
        `SELECT count(*)::int AS n FROM notifications WHERE recipient_user_id = $1 AND template = 'reset-password' AND created_at > now() - interval '1 hour'`,
        [u.id],
      );
      if (n >= 3) return;
      await enqueueAccountEmail(m, {
        template: 'reset-password',
        dedupeKey: `reset-password:${u.id}:${Date.now()}`,
        userId: u.id,
      });
    });
  }

  async resetTokenIsUsable(token: string): Promise<boolean> {
    return oneTimeTokenIsUsable(this.dataSource.manager, 'reset_password', token);
  }

  /**
   * Sets a new password with a reset link. Using the link also proves the address, so it verifies
   * it; every other reset link and every session of the account stop working.
   */
  async resetPassword(token: string, password: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const used = await consumeOneTimeToken(m, 'reset_password', token);
      if (!used?.userId)
        throw new UseCaseError(
          'not_found',
          'link_not_valid',
          'This link has expired or has already been used. Ask for a new one.',
        );
      const [u] = await m.query('SELECT email FROM users WHERE id = $1', [used.userId]);
      const weak = passwordProblem(password, u.email);
      if (weak) throw new UseCaseError('invalid', 'validation_failed', weak, [{ field: 'password', message: weak }]);
      await m.query(
        `UPDATE users SET password_hash = $2, email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1`,
        [used.userId, await argon2.hash(password, ARGON2_OPTIONS)],
      );
      await m.query(
        `UPDATE one_time_tokens SET used_at = now() WHERE user_id = $1 AND kind = 'reset_password' AND used_at IS NULL`,
        [used.userId],
      );
      await m.query(`DELETE FROM sessions WHERE sess->>'userId' = $1`, [used.userId]);
    });
  }

  /** Staff accounts are made by an admin, never by registration; the person chooses a password by email. */
  async createStaffUser(
    actor: Actor,
    input: { email: string; displayName: string; role: ActorRole; partnerOrganisationSlug?: string },
  ): Promise<{ userId: string }> {
    if (!can(actor.role, 'create-staff-accounts'))
      throw new UseCaseError('forbidden', 'role_not_permitted', 'Only administrators create staff accounts');
    if (!can(input.role, 'hold-staff-account'))
      throw new UseCaseError('invalid', 'validation_failed', 'Staff roles only', [
        { field: 'role', message: `must be one of ${rolesWith('hold-staff-account').join(', ')}` },
      ]);
    if (!EMAIL.test(input.email.trim()))
      throw new UseCaseError('invalid', 'validation_failed', 'Enter a valid email address', [
        { field: 'email', message: 'not an email address' },
      ]);
    const needsPartner = can(input.role, 'work-for-partner-organisation');
    if (needsPartner && !input.partnerOrganisationSlug) {
      throw new UseCaseError('invalid', 'validation_failed', 'Staff other than admins work for a VDA or funder', [
        { field: 'partnerOrganisationSlug', message: 'required for this role' },
      ]);
    }
    try {
      return await this.dataSource.transaction(async (m) => {
        let partnerId: string | null = null;
        if (input.partnerOrganisationSlug) {
          const [p] = await m.query('SELECT id FROM partner_organisations WHERE slug = $1', [
            input.partnerOrganisationSlug,
          ]);
          if (!p)
            throw new UseCaseError('unprocessable', 'unknown_partner', 'There is no such VDA or funder', [
              { field: 'partnerOrganisationSlug', message: 'no such partner organisation' },
            ]);
          partnerId = p.id;
        }
        const [row] = await m.query(
          `INSERT INTO users (email, display_name, role, partner_organisation_id) VALUES ($1, $2, $3, $4) RETURNING id`,
          [input.email.trim(), input.displayName.trim(), input.role, partnerId],
        );
        await enqueueAccountEmail(m, {
          template: 'account-created',
          dedupeKey: `account-created:${row.id}`,
          userId: row.id,
        });
        return { userId: row.id };
      });
    } catch (err) {
      if (pgErrorCode(err) === PG_UNIQUE_VIOLATION)
        throw new UseCaseError('conflict', 'email_taken', 'An account with that email address exists', [
          { field: 'email', message: 'already has an account' },
        ]);
      throw err;
    }
  }

  /** Sets a password directly (development users only: setup calls it outside production). */
  async setVerifiedPassword(userId: string, password: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE users SET password_hash = $2, email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1`,
      [userId, await argon2.hash(password, ARGON2_OPTIONS)],
    );
  }

  /** The person behind a session, or null if the account has gone. */
  async signedIn(userId: string): Promise<SignedIn | null> {
    const [u] = await this.dataSource.query(
      `SELECT id, email, display_name, role, partner_organisation_id FROM users WHERE id = $1`,
      [userId],
    );
    if (!u || !isActorRole(u.role)) return null;
    return {
      actor: { userId: u.id, role: u.role, partnerOrganisationId: u.partner_organisation_id },
      displayName: u.display_name,
      email: u.email,
    };
  }

  /** What a person has chosen to receive: optional reminders (applicants), a daily digest (staff). */
  async notificationPreferences(actor: Actor): Promise<NotificationPreferences> {
    const [u] = await this.dataSource.query(`SELECT optional_reminders, daily_digest FROM users WHERE id = $1`, [
      actor.userId,
    ]);
    if (!u) throw UseCaseError.notFound('The account');
    return {
      optionalReminders: u.optional_reminders,
      dailyDigest: u.daily_digest,
      digestAvailable: can(actor.role, 'receive-daily-digest'),
    };
  }

  /**
   * Mandatory emails (an offer about to lapse, an overdue report, a condition due, every decision)
   * cannot be switched off; optional reminders can. The digest is for staff, who may get many emails
   * a day; an applicant's emails are few and each one matters on its day.
   */
  async setNotificationPreferences(
    actor: Actor,
    change: { optionalReminders?: boolean; dailyDigest?: boolean },
  ): Promise<NotificationPreferences> {
    if (change.dailyDigest === true && !can(actor.role, 'receive-daily-digest')) {
      throw new UseCaseError('unprocessable', 'digest_not_available', 'The daily digest is for staff accounts', [
        { field: 'dailyDigest', message: 'only staff accounts can choose a daily digest' },
      ]);
    }
    await this.dataSource.query(
      `UPDATE users SET optional_reminders = coalesce($2, optional_reminders), daily_digest = coalesce($3, daily_digest) WHERE id = $1`,
      [actor.userId, change.optionalReminders ?? null, change.dailyDigest ?? null],
    );
    return this.notificationPreferences(actor);
  }

  /** Runs `work` with the invitation whose token this is, in one transaction with the token's use. */
  async useInvitationToken<T>(token: string, work: (m: EntityManager, invitationId: string) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (m) => {
      const used = await consumeOneTimeToken(m, 'invitation', token);
      if (!used?.invitationId)
        throw new UseCaseError(
          'not_found',
          'link_not_valid',
          'This invitation link has expired or has already been used. Ask for a new invitation.',
        );
      return work(m, used.invitationId);
    });
  }

  private async throttle(email: string, address: string) {
    const rows: { account_key: string; address: string; failed_at: Date }[] = await this.dataSource.query(
      `SELECT account_key, address, failed_at FROM sign_in_failures WHERE (account_key = $1 OR address = $2) AND failed_at > now() - interval '15 minutes' ORDER BY failed_at`,
      [email, address],
    );
    return signInAllowed(
      {
        account: rows.filter((r) => r.account_key === email).map((r) => r.failed_at),
        address: rows.filter((r) => r.address === address).map((r) => r.failed_at),
      },
      new Date(),
    );
  }

  private decoyHash(): Promise<string> {
    this.decoy ??= argon2.hash('not a password anyone has', ARGON2_OPTIONS);
    return this.decoy;
  }
}
