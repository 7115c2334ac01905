import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Actor, can, SecurityEvent, UseCaseError } from '@sg/domain';
import { DataSource } from 'typeorm';
import { Queryable } from './accounts.store';
import {
  insertSecurityEvent,
  SecurityEventFilter,
  SecurityEventRow,
  selectSecurityEvents,
} from './security-events.store';

/**
 * The security log (docs/domain.md §10). Record inside the transaction that does the
 * act when there is one (pass its manager), so an act and its record stand or fall together.
 */
@Injectable()
export class SecurityLog {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  record(e: SecurityEvent, db: Queryable = this.dataSource): Promise<void> {
    return insertSecurityEvent(db, e);
  }

  /** Newest first; admins only. */
  async list(
    actor: Actor,
    filter: Omit<SecurityEventFilter, 'limit'> & { limit?: number },
  ): Promise<SecurityEventRow[]> {
    if (!can(actor.role, 'read-security-events'))
      throw new UseCaseError('forbidden', 'role_not_permitted', 'Only administrators read the security log');
    return selectSecurityEvents(this.dataSource, { ...filter, limit: Math.min(Math.max(filter.limit ?? 100, 1), 500) });
  }
}
