import { Injectable } from '@nestjs/common';
import { Actor, ApplicationRelations, can, canSeeApplication, UseCaseError } from '@sg/domain';
import { ApplicationEntity, hydrate } from '@sg/persistence';
import { EntityManager } from 'typeorm';
import { ApplicationAccessStore } from './application-access.store';
import { ApplicationDetails, detailsFromRow } from './application-facts';

/** Loads an application with what decides who may see it; answers 404 to anyone who may not. */
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

  /** The same, with the application's details (DETAILS_COLUMNS) read by the same statement. */
  async loadVisibleWithDetails(
    m: EntityManager,
    actor: Actor,
    applicationId: string,
  ): Promise<{ app: ApplicationEntity; details: ApplicationDetails }> {
    const { app, row } = await this.load(m, actor, applicationId, { lock: false, details: true });
    return { app, details: detailsFromRow(m, row) };
  }

  private async load(
    m: EntityManager,
    actor: Actor,
    applicationId: string,
    o: { lock: boolean; details: boolean },
  ): Promise<{ app: ApplicationEntity; row: Record<string, unknown> }> {
    const row = await this.store.applicationWithRelations(
      m,
      applicationId,
      can(actor.role, 'apply-for-organisation') ? actor.userId : null,
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
    return { app, row };
  }
}
