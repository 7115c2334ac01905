/**
 * The queues of docs/domain.md §7, with each job's name and payload. Payloads carry ids only, never
 * personal data: a job is a pointer to a row that holds what the handler needs.
 */
export const QUEUES = {
  notifications: 'notifications',
  budget: 'budget',
  fees: 'fees',
  reminders: 'reminders',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobPayloads {
  'send-email': { notificationId: number };
  /** Officers who chose a daily digest get one email with what was held for them. */
  'send-digests': Record<string, never>;
  'reconcile-fund': { fundId: string };
  /** Every fund: reconcile and calculate the fee (the nightly run behind the per-change jobs). */
  'nightly-budget': Record<string, never>;
  'calculate-fee': { fundId: string };
  /** What is due now: reminders, offers to expire, escalations; every fund unless some are named. */
  'scan-reminders': { fundIds?: string[] };
  /** Prunes what no longer serves a purpose (old sign-in failures). */
  housekeeping: Record<string, never>;
}
export type JobName = keyof JobPayloads;

/** Which queue each job goes to; the worker refuses to start if any job here lacks a handler. */
export const JOB_QUEUE = {
  'send-email': QUEUES.notifications,
  'send-digests': QUEUES.notifications,
  'reconcile-fund': QUEUES.budget,
  'nightly-budget': QUEUES.budget,
  'calculate-fee': QUEUES.fees,
  'scan-reminders': QUEUES.reminders,
  housekeeping: QUEUES.reminders,
} as const satisfies Record<JobName, QueueName>;

/** A job name with its own queue: the pair an outbox row holds (a wrong pairing does not compile). */
export type QueuedJob<N extends JobName = JobName> = { [M in N]: { queue: (typeof JOB_QUEUE)[M]; name: M } }[N];

/**
 * Retries: exponential backoff from 1 s with up to 50% jitter, so workers that failed together do
 * not retry together; 8 attempts span about four minutes. Handlers throw UnrecoverableError for
 * what no retry can fix. Completed jobs are kept a day, failed ones a week (visible in Bull Board).
 */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;
