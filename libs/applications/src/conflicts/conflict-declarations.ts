import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Actor, can, UseCaseError } from '@sg/domain';
import { DataSource } from 'typeorm';
import { ApplicationAccess } from '../application-access';
import * as store from './conflict-declarations.store';

export { declaredConflict } from './conflict-declarations.store';

/** Panel members declare, per application, whether they have a conflict of interest. */
@Injectable()
export class ConflictDeclarations {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: ApplicationAccess,
  ) {}

  async declare(
    actor: Actor,
    applicationId: string,
    conflicted: boolean,
    note?: string,
  ): Promise<{ conflicted: boolean; declaredAt: string }> {
    if (!can(actor.role, 'declare-conflicts'))
      throw new UseCaseError('forbidden', 'role_not_permitted', 'Panel members declare conflicts of interest');
    await this.access.loadVisible(this.dataSource.manager, actor, applicationId);
    return store.declareConflict(
      this.dataSource.manager,
      applicationId,
      actor.userId,
      conflicted,
      note?.trim() || null,
    );
  }

  /** The caller's declaration on an application: true (conflicted), false, or null if none yet. */
  declaration(actor: Actor, applicationId: string): Promise<boolean | null> {
    return store.declaredConflict(this.dataSource.manager, applicationId, actor.userId);
  }
}
