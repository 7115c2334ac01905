import { Inject, Injectable } from '@nestjs/common';
import { CLOCK } from '@sg/config';
import { can, Clock, PENDING_SIGN_IN_MS, recentlyConfirmed } from '@sg/domain';
import { Accounts, SecondFactor, SecurityLog, SignedIn } from '@sg/identity';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeNext } from './safe-next';

declare module 'fastify' {
  interface Session {
    /** A person whose password was right and who still owes a code (or an enrolment): not signed in. */
    pendingUserId?: string;
    /** When the password was right (ms): a pending sign-in lapses after PENDING_SIGN_IN_MS. */
    pendingSince?: number;
    /** The pending person must enrol before anything else (STAFF_SECOND_FACTOR=required). */
    pendingEnrol?: boolean;
    /** Where to go once signed in. */
    pendingNext?: string;
    /** When this session last passed a second-factor check (ms): admin actions want it recent. */
    secondFactorAt?: number;
    /** The secret being enrolled, until a code from it confirms it. */
    enrolSecret?: string;
  }
}

type SessionRequest = Pick<FastifyRequest, 'session' | 'ip' | 'url'>;

/**
 * The second factor's part of a page session (docs/domain.md §10): what a correct password leads
 * to, the pending state between password and code, completing a sign-in, and the step-up check
 * that admin actions and token minting call before they act (`requireRecent`).
 */
@Injectable()
export class SecondFactorSession {
  constructor(
    private readonly accounts: Accounts,
    private readonly secondFactor: SecondFactor,
    private readonly log: SecurityLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * After a correct password: signs in at once (no second factor), or holds the person as pending
   * and sends them to their code or to enrolment. Either way the session gets a new id.
   */
  async afterPassword(req: SessionRequest, reply: FastifyReply, user: SignedIn, next: string): Promise<FastifyReply> {
    const then = await this.secondFactor.afterPassword(user);
    // A new session id at sign-in: a session id planted before sign-in is worth nothing after it.
    await req.session.regenerate();
    if (then === 'signed-in') {
      await this.complete(req, user, false);
      return reply.redirect(safeNext(next), 303);
    }
    req.session.set('pendingUserId', user.actor.userId);
    req.session.set('pendingSince', this.now());
    req.session.set('pendingEnrol', then === 'enrol');
    req.session.set('pendingNext', safeNext(next));
    return reply.redirect(then === 'enrol' ? '/account/second-factor' : '/sign-in/code', 303);
  }

  /** A refused password, for the security log (the account is not named: the address may have none). */
  async passwordRefused(req: SessionRequest, code: string | undefined): Promise<void> {
    if (code === 'bad_credentials' || code === 'too_many_attempts')
      await this.log.record({ kind: 'sign_in_failed', actorUserId: null, address: req.ip, detail: { reason: code } });
  }

  /** The person whose password was right and who still owes a code, while that lasts. */
  async pending(req: SessionRequest): Promise<{ user: SignedIn; enrol: boolean; next: string } | null> {
    const userId = req.session.get('pendingUserId');
    const since = req.session.get('pendingSince');
    if (!userId || typeof since !== 'number' || this.now() - since > PENDING_SIGN_IN_MS || since > this.now())
      return null;
    const user = await this.accounts.signedIn(userId);
    if (!user) return null;
    return { user, enrol: req.session.get('pendingEnrol') === true, next: req.session.get('pendingNext') ?? '/' };
  }

  /** Turns a pending sign-in into a signed-in session (a new id again), recording the sign-in. */
  async complete(req: SessionRequest, user: SignedIn, withSecondFactor: boolean): Promise<void> {
    if (req.session.get('pendingUserId')) await req.session.regenerate();
    req.session.set('userId', user.actor.userId);
    // When the person signed in: sessions end 12 hours after it however active (portal-setup.ts).
    req.session.set('signedInAt', this.now());
    if (withSecondFactor) req.session.set('secondFactorAt', this.now());
    await this.log.record({
      kind: 'sign_in_succeeded',
      actorUserId: user.actor.userId,
      subjectUserId: user.actor.userId,
      address: req.ip,
      detail: { secondFactor: withSecondFactor },
    });
  }

  /** A step-up check passed in an already signed-in session. */
  confirmed(req: SessionRequest): void {
    req.session.set('secondFactorAt', this.now());
  }

  /**
   * Whether a signed-in session may be used at all: with STAFF_SECOND_FACTOR=required, a staff
   * session that never passed a second factor (one from before it was required) may not.
   */
  sessionAllowed(req: SessionRequest, user: SignedIn): boolean {
    return !(
      this.secondFactor.mode === 'required' &&
      can(user.actor.role, 'hold-staff-account') &&
      req.session.get('secondFactorAt') === undefined
    );
  }

  /**
   * Step-up for admin actions and token minting: true when this session passed a second factor in
   * the last 15 minutes, or the person has none to give (an applicant; staff where it is optional
   * and they have not enrolled). Otherwise null, having sent a browser to `/sign-in/code?next=…`
   * (the handler must return). A POST handler passes `returnTo`, the page whose form it answers
   * (after the code the browser GETs it): token minting calls
   * `requireRecent(req, reply, user, '/account')` before it mints.
   */
  async requireRecent(
    req: SessionRequest,
    reply: FastifyReply,
    user: SignedIn,
    returnTo: string = req.url,
  ): Promise<true | null> {
    if (!(await this.stepUpNeeded(req, user))) return true;
    void reply.redirect(`/sign-in/code?next=${encodeURIComponent(safeNext(returnTo))}`, 303);
    return null;
  }

  /** Whether an admin action in this session must first ask for a code again. */
  async stepUpNeeded(req: SessionRequest, user: SignedIn): Promise<boolean> {
    if (recentlyConfirmed(req.session.get('secondFactorAt'), this.now())) return false;
    if (await this.secondFactor.enrolled(user.actor.userId)) return true;
    return this.secondFactor.mode === 'required' && can(user.actor.role, 'hold-staff-account');
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}
