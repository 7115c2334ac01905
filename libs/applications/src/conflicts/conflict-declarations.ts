import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Actor, can, UseCaseError } from '@sg/domain';
import { SecurityLog } from '@sg/identity';
import { DataSource } from 'typeorm';
import { ApplicationAccess } from '../application-access';
import * as store from './conflict-declarations.store';

export { declaredConflict } from './conflict-declarations.store';

/** What a person who may declare knows of an application, whatever their declaration says. */
export interface DeclarantView {
  applicationId: string;
  reference: string;
  state: string;
  /** Their latest declaration: true (conflicted), false, or null when they have not declared. */
  conflicted: boolean | null;
  /** Every declaration they made on it, newest first. */
  history: { conflicted: boolean; declaredAt: string }[];
}

/**
 * Whoever assesses or decides an application first declares, for it, whether they have a conflict of
 * interest. Declarations are append-only: a change is a new declaration, and a security event.
 */
@Injectable()
export class ConflictDeclarations {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: ApplicationAccess,
    private readonly securityLog: SecurityLog,
  ) {}

  async declare(
    actor: Actor,
    applicationId: string,
    conflicted: boolean,
    note?: string,
    address?: string | null,
  ): Promise<{ conflicted: boolean; declaredAt: string }> {
    if (!can(actor.role, 'declare-conflicts'))
      throw new UseCaseError(
        'forbidden',
        'role_not_permitted',
        'Those who assess or decide applications declare conflicts of interest',
      );
    return this.dataSource.transaction(async (m) => {
      const { app } = await this.access.loadVisibleToDeclarant(m, actor, applicationId);
      const declared = await store.declareConflict(m, app.id, actor.userId, conflicted, note?.trim() || null);
      // The note is the person's own words: it stays with the declaration, out of the log.
      await this.securityLog.record(
        {
          kind: 'conflict_declared',
          actorUserId: actor.userId,
          address: address ?? null,
          detail: {
            applicationId: app.id,
            conflicted,
            changed: declared.previous !== null && declared.previous !== conflicted,
          },
        },
        m,
      );
      return { conflicted: declared.conflicted, declaredAt: declared.declaredAt };
    });
  }

  /** The caller's standing on an application: its reference and state, and their declarations. */
  async standing(actor: Actor, applicationId: string): Promise<DeclarantView> {
    if (!can(actor.role, 'declare-conflicts')) throw UseCaseError.notFound('The application');
    const m = this.dataSource.manager;
    const { app, conflicted } = await this.access.loadVisibleToDeclarant(m, actor, applicationId);
    return {
      applicationId: app.id,
      reference: app.reference,
      state: app.state,
      conflicted,
      history: await store.declarationHistory(m, app.id, actor.userId),
    };
  }

  /** The caller's latest declaration on an application: true (conflicted), false, or null if none yet. */
  declaration(actor: Actor, applicationId: string): Promise<boolean | null> {
    return store.declaredConflict(this.dataSource.manager, applicationId, actor.userId);
  }
}
