import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The nightly housekeeping beside the reminder scan: prunes what no longer serves a purpose. */
@Injectable()
export class HousekeepingStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Sign-in failures count towards the throttle's delay for a day at most (SIGN_IN_DELAY.windowMs).
   * Returns how many rows went.
   */
  async pruneSignInFailures(): Promise<number> {
    const [, pruned] = await this.dataSource.query(
      `DELETE FROM sign_in_failures WHERE failed_at < now() - interval '1 day'`,
    );
    return pruned;
  }
}
