import { outboxInsertSql } from '@sg/jobs';

/**
 * The send-email job of each notification row `n` the statement just wrote (its id gives the job
 * id), for the statement's end; RETURNING id counts them.
 */
export function sendEmailJobsSql(fromSql: string): string {
  return outboxInsertSql({
    name: 'send-email',
    jobIdSql: `'email-' || n.id`,
    payloadSql: { notificationId: 'n.id' },
    fromSql,
    returningSql: 'id',
  });
}
