import { Injectable } from '@nestjs/common';
import { Actor, ApplicationRelations, can, canSeeApplication, UseCaseError } from '@sg/domain';
import { ApplicationEntity, hydrate } from '@sg/persistence';
import { EntityManager } from 'typeorm';
import { ApplicationAccessStore } from './application-access.store';
import { ApplicationDetails, detailsFromRow } from './application-facts';

/**
 * Loads an application with what decides who may see it; answers 404 to anyone who may not, and 403
 * to someone whose latest declaration says they have a conflict of interest in it: they see that it
 * exists (its reference and state in lists) but not what it holds, and cannot act on it.
 */
@Injectable()
export class ApplicationAccess {
  constructor(private readonly store: ApplicationAccessStore) {}

  /**
   * One statement: the application, its fund's partners and whether the actor belongs to the
   * applying organisation. Every read and every transition starts here, so it is kept to one
   * round trip.
   */
  async loadVisible(m: EntityManager, actor: Actor, applicationId: string, lock = false): Promise<ApplicationEntity> {
    return (await this.load(m, actor, applicationId, { lock, details: false })).app;
  }

  /**
   * The application whoever may see it, conflicted or not, with the actor's latest declaration: only
   * for declaring, and for telling a conflicted person why they are shown nothing more.
   */
  async loadVisibleToDeclarant(
    m: EntityManager,
    actor: Actor,
    applicationId: string,
  ): Promise<{ app: ApplicationEntity; conflicted: boolean | null }> {
    const { app, row } = await this.load(m, actor, applicationId, { lock: false, details: false, conflicted: 'allow' });
    return { app, conflicted: (row._conflicted as boolean | null) ?? null };
  }

  /**
   * The same, with the application's details (DETAILS_COLUMNS) and the actor's latest conflict
   * declaration (null if none) read by the same statement.
   */
  async loadVisibleWithDetails(
    m: EntityManager,
    actor: Actor,
    applicationId: string,
  ): Promise<{ app: ApplicationEntity; details: ApplicationDetails; declaration: boolean | null }> {
    const { app, row } = await this.load(m, actor, applicationId, { lock: false, details: true });
    return { app, details: detailsFromRow(m, row), declaration: (row._conflicted as boolean | null) ?? null };
  }

  private async load(
    m: EntityManager,
    actor: Actor,
    applicationId: string,
    o: { lock: boolean; details: boolean; conflicted?: 'allow' },
  ): Promise<{ app: ApplicationEntity; row: Record<string, unknown> }> {
    const row = await this.store.applicationWithRelations(
      m,
      applicationId,
      can(actor.role, 'apply-for-organisation') ? actor.userId : null,
      can(actor.role, 'declare-conflicts') ? actor.userId : null,
      o,
    );
    if (!row) throw UseCaseError.notFound('The application');
    const app = hydrate(m, ApplicationEntity, row);
    const relations: ApplicationRelations = {
      state: app.state,
      areaCode: app.areaCode,
      actorIsMember: row._member,
      fundPartners: row._partners,
    };
    if (!canSeeApplication(actor, relations)) throw UseCaseError.notFound('The application');
    if (row._conflicted === true && o.conflicted !== 'allow')
      throw new UseCaseError(
        'forbidden',
        'conflict_of_interest',
        'You declared a conflict of interest in this application: you can see that it exists, not what it holds',
      );
    return { app, row };
  }
}
