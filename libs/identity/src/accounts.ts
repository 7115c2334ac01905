import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Actor, can, isActorRole, passwordProblem, signInWaitMessage, UseCaseError } from '@sg/domain';
import { consumeOneTimeToken, enqueueAccountEmail, oneTimeTokenIsUsable } from '@sg/notifications';
import * as argon2 from 'argon2';
import { DataSource, EntityManager } from 'typeorm';
import { ARGON2_OPTIONS, NotificationPreferences, registrationProblems, SignedIn, signedInAs } from './account-rules';
import { revokeAllAccessOf } from './access-revocation';
import * as store from './accounts.store';
import { SecurityLog } from './security-log';
import { accountSignInAllowed, recordFailedSignIn } from './sign-in-throttle';

/** What a person gives to prove again, before a sensitive act, that they are at the keyboard. */
export interface Reauthentication {
  password: string;
}

/**
 * Password accounts. Applicants register themselves; staff are created by an admin (API or CLI)
 * and choose their password through an emailed link. Answers never reveal whether an email
 * address has an account: registering a taken address (which emails the address's owner instead),
 * or asking to reset an unknown one, looks the same as success.
 */
@Injectable()
export class Accounts {
  /** A hash verified when the address is unknown, so that timing does not reveal accounts. */
  private decoy?: Promise<string>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly securityLog: SecurityLog,
  ) {}

  async register(input: { email: string; displayName: string; password: string }): Promise<void> {
    const email = input.email.trim();
    const displayName = input.displayName.trim().replace(/\s+/g, ' ');
    const problems = registrationProblems(email, displayName, input.password);
    if (problems.length > 0)
      throw new UseCaseError('invalid', 'validation_failed', 'Your details need correcting', problems);
    const hash = await argon2.hash(input.password, ARGON2_OPTIONS);
    await this.dataSource.transaction(async (m) => {
      const row = await store.insertApplicantUser(m, email, displayName, hash);
      if (row)
        await enqueueAccountEmail(m, {
          template: 'verify-email',
          dedupeKey: `verify-email:${row.id}:1`,
          userId: row.id,
        });
      else await this.tellOwnerOfRegistrationAttempt(m, email);
    });
  }

  /**
   * The address has an account: nothing changes, and its owner (not the registrant) is told, with
   * the ways back in. A few a day at most, so the form cannot be used to flood a mailbox.
   */
  private async tellOwnerOfRegistrationAttempt(m: EntityManager, email: string): Promise<void> {
    const owner = await store.findUserIdByEmail(m, email);
    if (!owner) return;
    const n = await store.countRecentAccountEmails(m, owner.id, 'registration-attempted', 24);
    if (n >= 3) return;
    await enqueueAccountEmail(m, {
      template: 'registration-attempted',
      dedupeKey: `registration-attempted:${owner.id}:${Date.now()}`,
      userId: owner.id,
    });
  }

  /** Sends a new verification link to an unverified account; silent otherwise. */
  async resendVerification(email: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const u = await store.findUnverifiedPasswordAccount(m, email.trim());
      if (!u) return;
      const n = await store.countVerificationEmails(m, u.id);
      if (n >= 5) return; // enough links for one address; stops the form being used to flood a mailbox
      await enqueueAccountEmail(m, {
        template: 'verify-email',
        dedupeKey: `verify-email:${u.id}:${n + 1}`,
        userId: u.id,
      });
    });
  }

  /** Whether a verification link would be accepted, without using it (the page before its button). */
  async verifyTokenIsUsable(token: string): Promise<boolean> {
    return oneTimeTokenIsUsable(this.dataSource.manager, 'verify_email', token);
  }

  /** Uses a verification link: only by its page's POST, never a GET that a mail scanner may follow. */
  async verifyEmail(token: string): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const used = await consumeOneTimeToken(m, 'verify_email', token);
      if (!used?.userId) return false;
      await store.markEmailVerified(m, used.userId);
      return true;
    });
  }

  async signIn(emailInput: string, password: string, address: string): Promise<SignedIn> {
    const email = emailInput.trim().toLowerCase();
    const throttle = await accountSignInAllowed(this.dataSource, email);
    if (!throttle.allowed) {
      const message = signInWaitMessage(throttle.retryAfterSeconds);
      throw new UseCaseError('throttled', 'too_many_attempts', message, [{ field: 'email', message }]);
    }
    const u = await store.findSignInAccount(this.dataSource, email);
    const ok = u?.password_hash
      ? await argon2.verify(u.password_hash, password).catch(() => false)
      : (await argon2.verify(await this.decoyHash(), password), false);
    if (!u || !ok || !isActorRole(u.role)) {
      await recordFailedSignIn(this.dataSource, email, address);
      throw new UseCaseError('unauthenticated', 'bad_credentials', 'The email address or password is not right', [
        { field: 'email', message: 'The email address or password is not right' },
      ]);
    }
    if (u.disabled_at) {
      // Only after the right password: a guesser learns nothing about the account.
      throw new UseCaseError(
        'forbidden',
        'account_disabled',
        'This account has been disabled. Ask an administrator of the fund if you need access again.',
        [{ field: 'email', message: 'This account has been disabled' }],
      );
    }
    if (!u.email_verified_at) {
      throw new UseCaseError(
        'forbidden',
        'email_not_verified',
        'Confirm your email address first: use the link we emailed you, or ask for a new one',
        [{ field: 'email', message: 'Confirm your email address first' }],
      );
    }
    await store.stampSignedIn(this.dataSource, u.id);
    return signedInAs(u)!;
  }

  /** Queues a reset link for a password account; the same answer whether or not there is one. */
  async requestPasswordReset(email: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const u = await store.findUserIdByEmail(m, email.trim());
      if (!u) return;
      const n = await store.countRecentResetEmails(m, u.id);
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
   * it; every other reset link, every session and every API token of the account stop working.
   */
  async resetPassword(token: string, password: string, address: string | null = null): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const used = await consumeOneTimeToken(m, 'reset_password', token);
      if (!used?.userId)
        throw new UseCaseError(
          'not_found',
          'link_not_valid',
          'This link has expired or has already been used. Ask for a new one.',
        );
      const u = await store.findUserEmail(m, used.userId);
      const weak = passwordProblem(password, u!.email);
      if (weak) throw new UseCaseError('invalid', 'validation_failed', weak, [{ field: 'password', message: weak }]);
      await store.setPasswordAndVerify(m, used.userId, await argon2.hash(password, ARGON2_OPTIONS));
      await store.useUpResetTokens(m, used.userId);
      const dropped = await revokeAllAccessOf(m, used.userId, 'password_reset');
      await this.securityLog.record(
        { kind: 'password_reset', actorUserId: null, subjectUserId: used.userId, address, detail: dropped },
        m,
      );
    });
  }

  /** Ends every session and revokes every API token of the signed-in person, this session included. */
  async signOutEverywhere(actor: Actor, address: string | null): Promise<{ sessions: number; tokens: number }> {
    return this.dataSource.transaction(async (m) => {
      const dropped = await revokeAllAccessOf(m, actor.userId, 'signed_out_everywhere');
      await this.securityLog.record(
        {
          kind: 'signed_out_everywhere',
          actorUserId: actor.userId,
          subjectUserId: actor.userId,
          address,
          detail: dropped,
        },
        m,
      );
      return dropped;
    });
  }

  /**
   * Step-up before a sensitive act (minting an API token): the person proves again that they are
   * at the keyboard, whatever their session says. Every act that needs it calls this one method,
   * so the second factor for staff (issue 14, item 3) is added here, once, for all of them.
   * Refuses with a `password` field problem.
   */
  async reauthenticate(actor: Actor, proof: Reauthentication): Promise<void> {
    const u = await store.findPasswordHash(this.dataSource, actor.userId);
    const ok =
      u?.password_hash && proof.password !== ''
        ? await argon2.verify(u.password_hash, proof.password).catch(() => false)
        : false;
    if (!ok)
      throw new UseCaseError('invalid', 'password_not_right', 'Your password is not right', [
        { field: 'password', message: 'Your password is not right' },
      ]);
  }

  /** Sets a password directly (development users only: setup calls it outside production). */
  async setVerifiedPassword(userId: string, password: string): Promise<void> {
    await store.setPasswordAndVerify(this.dataSource, userId, await argon2.hash(password, ARGON2_OPTIONS));
  }

  /** The person behind a session, or null if the account has gone. */
  async signedIn(userId: string): Promise<SignedIn | null> {
    const u = await store.findSessionUser(this.dataSource, userId);
    return u ? signedInAs(u) : null;
  }

  /** What a person has chosen to receive: optional reminders (applicants), a daily digest (staff). */
  async notificationPreferences(actor: Actor): Promise<NotificationPreferences> {
    const u = await store.readNotificationPreferences(this.dataSource, actor.userId);
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
    await store.updateNotificationPreferences(
      this.dataSource,
      actor.userId,
      change.optionalReminders ?? null,
      change.dailyDigest ?? null,
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

  private decoyHash(): Promise<string> {
    this.decoy ??= argon2.hash('not a password anyone has', ARGON2_OPTIONS);
    return this.decoy;
  }
}
