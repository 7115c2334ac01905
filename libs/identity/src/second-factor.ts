import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { crypto as nodeCrypto } from '@otplib/plugin-crypto-node';
import { verify as verifyTotp } from '@otplib/totp';
import { generateTOTP } from '@otplib/uri';
import { base32 } from '@scure/base';
import { AppConfig, CLOCK } from '@sg/config';
import {
  AfterPassword,
  afterPassword,
  can,
  Clock,
  formatRecoveryCode,
  normaliseRecoveryCode,
  normaliseTotpCode,
  RECOVERY_CODE_COUNT,
  SecondFactorMode,
  UseCaseError,
} from '@sg/domain';
import { DataSource } from 'typeorm';
import { SignedIn } from './account-rules';
import { SecurityLog } from './security-log';
import * as store from './second-factor.store';
import { accountSignInAllowed, recordFailedSignIn } from './sign-in-throttle';

/** A code of the step before or after the current one is accepted too (a clock a little out, a slow typist). */
const TOLERANCE_SECONDS = 30;

/** How a correct second factor was given. */
export type SecondFactorUsed = 'authenticator' | 'recovery-code';

/**
 * Staff's second factor (docs/domain.md §10): an authenticator app's time-based codes (TOTP,
 * RFC 6238, with otplib) and ten single-use recovery codes. The secret is stored encrypted with a
 * key derived from SESSION_SECRET and is never logged; recovery codes are stored as hashes only.
 * A code is accepted once: the last accepted time step is kept, and a code of that step or an
 * earlier one is refused. Wrong codes count as failed sign-ins, under the same throttle as passwords.
 */
@Injectable()
export class SecondFactor {
  private readonly key: Buffer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly log: SecurityLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', config.SESSION_SECRET, 'small-grants', 'second-factor-secret', 32));
  }

  get mode(): SecondFactorMode {
    return this.config.STAFF_SECOND_FACTOR;
  }

  async enrolled(userId: string): Promise<boolean> {
    return (await store.findSecondFactor(this.dataSource, userId)) !== null;
  }

  /** What a correct password leads to: signed in, a code, or enrolment first. */
  async afterPassword(user: SignedIn): Promise<AfterPassword> {
    return afterPassword({
      staff: can(user.actor.role, 'hold-staff-account'),
      enrolled: await this.enrolled(user.actor.userId),
      mode: this.mode,
    });
  }

  /** A new secret (160 bits, as RFC 4226 recommends) in Base32, as authenticator apps take it. */
  newSecret(): string {
    return base32.encode(randomBytes(20)).replace(/=+$/, '');
  }

  /** The otpauth:// address a QR code carries for an authenticator app. */
  enrolmentUri(secret: string, issuer: string, user: SignedIn): string {
    return generateTOTP({ issuer, label: user.email, secret });
  }

  /**
   * Enrols `user` with `secret` (shown to them, kept in their session) once they type a current
   * code from it; any earlier secret and recovery codes stop working. Returns the new recovery
   * codes: shown once, stored as hashes.
   */
  async enrol(user: SignedIn, secret: string, typed: string, address: string): Promise<string[]> {
    if (!can(user.actor.role, 'hold-staff-account'))
      throw new UseCaseError('forbidden', 'role_not_permitted', 'A second factor is for staff accounts');
    const bytes = decodeSecret(secret);
    const step = bytes && (await this.codeStep(bytes, typed, null));
    if (step === null || step === undefined) throw wrongCode();
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => formatRecoveryCode(randomBytes(10)));
    const userId = user.actor.userId;
    await this.dataSource.transaction(async (m) => {
      await store.replaceSecondFactor(
        m,
        userId,
        this.encrypt(bytes!),
        step,
        codes.map((c) => hashRecoveryCode(userId, normaliseRecoveryCode(c)!)),
      );
      await this.log.record({ kind: 'second_factor_enrolled', actorUserId: userId, subjectUserId: userId, address }, m);
    });
    return codes;
  }

  /**
   * Checks a code from the authenticator app or a recovery code. Refuses (throws) a wrong, used or
   * replayed code, counting it as a failed sign-in; refuses at once while the throttle holds.
   */
  async check(user: SignedIn, typed: string, address: string): Promise<SecondFactorUsed> {
    const userId = user.actor.userId;
    const accountKey = user.email.trim().toLowerCase();
    const throttle = await accountSignInAllowed(this.dataSource, accountKey);
    if (!throttle.allowed)
      throw new UseCaseError('throttled', 'too_many_attempts', 'Too many failed attempts', [
        { field: 'code', message: 'Too many failed attempts' },
      ]);
    const used = await this.dataSource.transaction(async (m): Promise<SecondFactorUsed | null> => {
      const factor = await store.findSecondFactor(m, userId, true);
      if (!factor) return null;
      const totp = normaliseTotpCode(typed);
      if (totp) {
        const bytes = this.decrypt(factor.secret_encrypted);
        const last = factor.last_time_step === null ? null : Number(factor.last_time_step);
        const step = bytes && (await this.codeStep(bytes, totp, last));
        if (step === null || step === undefined || !(await store.advanceTimeStep(m, userId, step))) return null;
        await this.log.record({ kind: 'second_factor_used', actorUserId: userId, subjectUserId: userId, address }, m);
        return 'authenticator';
      }
      const recovery = normaliseRecoveryCode(typed);
      if (!recovery || !(await store.useRecoveryCode(m, userId, hashRecoveryCode(userId, recovery)))) return null;
      const left = await store.countUnusedRecoveryCodes(m, userId);
      await this.log.record(
        { kind: 'recovery_code_used', actorUserId: userId, subjectUserId: userId, address, detail: { left } },
        m,
      );
      return 'recovery-code';
    });
    if (used) return used;
    await recordFailedSignIn(this.dataSource, accountKey, address);
    await this.log.record({ kind: 'second_factor_failed', actorUserId: null, subjectUserId: userId, address });
    throw wrongCode();
  }

  async recoveryCodesLeft(userId: string): Promise<number> {
    return store.countUnusedRecoveryCodes(this.dataSource, userId);
  }

  /** The time step `typed` is the code of (this one, or one either side), later than `after`; else null. */
  private async codeStep(secret: Uint8Array, typed: string, after: number | null): Promise<number | null> {
    const token = normaliseTotpCode(typed);
    if (!token) return null;
    try {
      const r = await verifyTotp({
        secret,
        token,
        crypto: nodeCrypto,
        epoch: Math.floor(this.clock.now().getTime() / 1000),
        epochTolerance: TOLERANCE_SECONDS,
        ...(after === null ? {} : { afterTimeStep: after }),
      });
      return r.valid ? r.timeStep : null;
    } catch {
      return null; // a step `after` beyond the window: nothing acceptable yet
    }
  }

  private encrypt(secret: Uint8Array): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(secret), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  /** The secret, or null when it cannot be read (SESSION_SECRET changed since enrolment). */
  private decrypt(stored: Buffer): Uint8Array | null {
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, stored.subarray(0, 12));
      decipher.setAuthTag(stored.subarray(12, 28));
      return Buffer.concat([decipher.update(stored.subarray(28)), decipher.final()]);
    } catch {
      return null;
    }
  }
}

function decodeSecret(secret: string): Uint8Array | null {
  try {
    const s = secret.toUpperCase();
    return base32.decode(s.padEnd(Math.ceil(s.length / 8) * 8, '='));
  } catch {
    return null;
  }
}

/** Recovery codes carry 80 random bits, so a fast hash (salted by the user) is enough. */
function hashRecoveryCode(userId: string, normalised: string): string {
  return createHash('sha256').update(`${userId}:${normalised}`, 'utf8').digest('hex');
}

function wrongCode(): UseCaseError {
  return new UseCaseError('unauthenticated', 'second_factor_wrong', 'The code is not right', [
    { field: 'code', message: 'The code is not right' },
  ]);
}
