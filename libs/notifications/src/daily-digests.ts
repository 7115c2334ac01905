import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK } from '@sg/config';
import { Clock, londonDate } from '@sg/domain';
import { DataSource } from 'typeorm';
import { DIGEST_TEMPLATE } from './send-email.use-case';

/**
 * The officers' daily digest: for everyone with held notifications, one digest notification per
 * London day that takes over those rows (held → digested), written with its outbox row in one
 * transaction. A second run the same day finds nothing held, or meets the day's unique key.
 */
@Injectable()
export class DailyDigests {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async run(): Promise<number> {
    const day = londonDate(this.clock.now());
    const users: { recipient_user_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT recipient_user_id FROM notifications WHERE status = 'held'`,
    );
    let sent = 0;
    for (const { recipient_user_id: userId } of users) {
      sent += await this.dataSource.transaction(async (m) => {
        const [digest] = await m.query(
          `INSERT INTO notifications (dedupe_key, template, recipient_user_id) VALUES ($1, $2, $3) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
          [`digest:${userId}:${day}`, DIGEST_TEMPLATE, userId],
        );
        if (!digest) return 0;
        const [, taken] = await m.query(
          `UPDATE notifications SET status = 'digested', digest_id = $2 WHERE recipient_user_id = $1 AND status = 'held'`,
          [userId, digest.id],
        );
        if (taken === 0) {
          // A rival run took them first: an empty digest would be noise, so this one is dropped.
          await m.query(`DELETE FROM notifications WHERE id = $1`, [digest.id]);
          return 0;
        }
        await m.query(
          `INSERT INTO outbox (queue, job_name, job_id, payload) VALUES ('notifications', 'send-email', $1, $2)`,
          [`email-${digest.id}`, { notificationId: digest.id }],
        );
        return 1;
      });
    }
    return sent;
  }
}
