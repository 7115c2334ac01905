import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK } from '@sg/config';
import { Clock, londonDate } from '@sg/domain';
import { insertOutboxJobs } from '@sg/jobs';
import { DataSource } from 'typeorm';
import { DIGEST_TEMPLATE } from './compose/digest-email';
import {
  deleteNotification,
  insertDigestNotification,
  takeHeldNotifications,
  usersWithHeldNotifications,
} from './daily-digests.store';

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
    let sent = 0;
    for (const userId of await usersWithHeldNotifications(this.dataSource)) {
      sent += await this.dataSource.transaction(async (m) => {
        const digest = await insertDigestNotification(m, {
          dedupeKey: `digest:${userId}:${day}`,
          template: DIGEST_TEMPLATE,
          userId,
        });
        if (!digest) return 0;
        const taken = await takeHeldNotifications(m, userId, digest.id);
        if (taken === 0) {
          // A rival run took them first: an empty digest would be noise, so this one is dropped.
          await deleteNotification(m, digest.id);
          return 0;
        }
        await insertOutboxJobs(m, [
          { name: 'send-email', jobId: `email-${digest.id}`, payload: { notificationId: digest.id } },
        ]);
        return 1;
      });
    }
    return sent;
  }
}
