/** A notification id that does not exist can never succeed: the job must not be retried. */
export class NotificationMissingError extends Error {}
