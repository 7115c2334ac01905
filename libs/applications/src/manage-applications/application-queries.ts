import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK } from '@sg/config';
import { Actor, allowedActions, APPLICATION_STATES, can, Clock, londonDate, UseCaseError } from '@sg/domain';
import { ApplicationEntity, EventEntity, hydrate, visibilityClause } from '@sg/persistence';

export { visibilityClause };
import { DataSource, EntityManager } from 'typeorm';
import { ApplicationAccess } from '../application-access';
import { ApplicationDetails, applicationFacts, detailsFromRow } from '../application-facts';
import { ApplicationsStore } from './applications.store';
import { ApplicationView, toApplicationView, withheldForConflict } from './application-view';

export interface ApplicationListFilter {
  fundId?: string;
  state?: string;
  limit: number;
  offset: number;
}

/** Reads: one application with its allowed actions, a visible list, and the event timeline. */
@Injectable()
export class ApplicationQueries {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: ApplicationAccess,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly store: ApplicationsStore,
  ) {}

  async get(actor: Actor, id: string, m: EntityManager = this.dataSource.manager): Promise<ApplicationView> {
    // One statement: the application, who may see it, and what surrounds it.
    const { app, details } = await this.access.loadVisibleWithDetails(m, actor, id);
    return this.viewOf(actor, app, details);
  }

  private viewOf(actor: Actor, app: ApplicationEntity, details: ApplicationDetails): ApplicationView {
    const actions = allowedActions(app.state, actor.role, {
      application: applicationFacts(app, details, londonDate(this.clock.now())),
      fund: details.fund,
    });
    return toApplicationView(app, details.organisationName, actions, details.payments, details.reports);
  }

  async list(actor: Actor, filter: ApplicationListFilter): Promise<{ items: ApplicationView[]; total: number }> {
    if (filter.state !== undefined && !(APPLICATION_STATES as readonly string[]).includes(filter.state)) {
      throw new UseCaseError('invalid', 'invalid_filter', `state must be one of: ${APPLICATION_STATES.join(', ')}`, [
        { field: 'state', message: 'not a lifecycle state' },
      ]);
    }
    const visible = visibilityClause(actor);
    if (!visible) throw new UseCaseError('forbidden', 'role_not_permitted', `A ${actor.role} cannot list applications`);
    const m = this.dataSource.manager;
    const selected = { visible, fundId: filter.fundId, state: filter.state };
    const total = await this.store.countVisible(m, selected);
    const rows = await this.store.pageVisible(
      m,
      selected,
      filter,
      can(actor.role, 'declare-conflicts') ? actor.userId : null,
    );
    // Someone who declared a conflict sees that the application exists, and nothing it holds.
    const items = rows.map((row) => {
      const view = this.viewOf(actor, hydrate(m, ApplicationEntity, row), detailsFromRow(m, row));
      return row._conflicted === true ? withheldForConflict(view) : view;
    });
    return { items, total };
  }

  async events(
    actor: Actor,
    id: string,
  ): Promise<
    {
      id: number;
      action: string;
      from: string | null;
      to: string | null;
      actorRole: string;
      reason: string | null;
      message?: string;
      at: string;
    }[]
  > {
    const m = this.dataSource.manager;
    await this.access.loadVisible(m, actor, id);
    const events = await m.getRepository(EventEntity).find({ where: { applicationId: id }, order: { id: 'ASC' } });
    // The officer's questions and the applicant's answer are part of the conversation both sides see.
    const conversation = (e: EventEntity) =>
      (e.action === 'request-information' || e.action === 'provide-information') && typeof e.data?.message === 'string'
        ? { message: e.data.message }
        : {};
    return events.map((e) => ({
      id: e.id,
      action: e.action,
      from: e.fromState,
      to: e.toState,
      actorRole: e.actorRole,
      reason: e.reason,
      ...conversation(e),
      at: e.createdAt.toISOString(),
    }));
  }
}
