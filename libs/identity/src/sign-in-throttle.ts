import { SIGN_IN_DELAY, signInAllowed, ThrottleDecision } from '@sg/domain';
import { enqueueAccountEmail } from '@sg/notifications';
import { DataSource } from 'typeorm';
import * as store from './sign-in-throttle.store';

/**
 * The per-account progressive delay of libs/domain's sign-in throttle, on the database: whether
 * an attempt on this account may go ahead now, and recording a failure. `accountKey` is the
 * lower-cased address typed (an address with no account is counted all the same, so answers
 * never tell the two apart).
 */
export async function accountSignInAllowed(ds: DataSource, accountKey: string): Promise<ThrottleDecision> {
  const [failures, proof] = await Promise.all([
    store.recentAccountFailures(ds, accountKey),
    store.accountProof(ds, accountKey),
  ]);
  return signInAllowed(failures, proof?.proven_at ?? null, new Date());
}

/**
 * Records a failed sign-in. When an account's failures reach the point where delays begin, its
 * owner is emailed, once for each run of failures (the next run starts at the next successful
 * sign-in or reset): what happened, that the password still works, and a reset link for
 * when waiting is not an option.
 */
export async function recordFailedSignIn(ds: DataSource, accountKey: string, address: string): Promise<void> {
  await ds.transaction(async (m) => {
    await store.insertSignInFailure(m, accountKey, address);
    const proof = await store.accountProof(m, accountKey);
    if (!proof || proof.disabled) return;
    const provenAt = proof.proven_at ? new Date(proof.proven_at) : null;
    const failures = (await store.recentAccountFailures(m, accountKey)).filter(
      (t) => !provenAt || t.getTime() > provenAt.getTime(),
    );
    if (failures.length < SIGN_IN_DELAY.freeFailures) return;
    await enqueueAccountEmail(m, {
      template: 'sign-in-failures',
      dedupeKey: `sign-in-failures:${proof.user_id}:${provenAt?.toISOString() ?? 'never'}`,
      userId: proof.user_id,
    });
  });
}
