/**
 * The queues of DESIGN §7 that exist so far, with each job's name and payload. Payloads carry ids
 * only, never personal data: a job is a pointer to a row that holds what the handler needs.
 */
export const QUEUES = {
  notifications: 'notifications',
  budget: 'budget',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobPayloads {
  'send-email': { notificationId: number };
  'reconcile-fund': { fundId: string };
}
export type JobName = keyof JobPayloads;

/** Which queue each job goes to; the worker refuses to start if any job here lacks a handler. */
export const JOB_QUEUE: Record<JobName, QueueName> = {
  'send-email': QUEUES.notifications,
  'reconcile-fund': QUEUES.budget,
};

export const DEFAULT_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;
