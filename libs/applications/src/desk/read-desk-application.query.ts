import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Actor, can, UseCaseError } from '@sg/domain';
import { DataSource } from 'typeorm';
import { ApplicationQueries } from '../manage-applications/application-queries';
import { ApplicationView } from '../manage-applications/application-view';
import { DeskApplicationRows, readDeskApplicationRows } from './desk-application-view.store';

/** Everything the desk's application page shows, for one reader. */
export interface DeskApplication extends Omit<DeskApplicationRows, 'events' | 'eligibility' | 'assessment'> {
  /** The application with what this reader may do next. */
  application: ApplicationView;
  /** The timeline, oldest first; the officer's questions and the applicant's answers carry their message. */
  events: (Omit<DeskApplicationRows['events'][number], 'data'> & { message?: string })[];
  /**
   * The eligibility checks and the risk-capability assessment, or null when this reader may not
   * see them (someone who neither assesses nor decides).
   */
  assessment: { eligibility: DeskApplicationRows['eligibility']; assessment: DeskApplicationRows['assessment'] } | null;
}

/**
 * The desk's read of one application: two statements whatever the number of reports, notes or
 * events (the application with its details and allowed actions, then everything around it). For
 * the fund's officers, partner officers and panel members; anyone else finds no application, and
 * someone who declared a conflict of interest in it is refused (403, conflict_of_interest).
 */
@Injectable()
export class ReadDeskApplication {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queries: ApplicationQueries,
  ) {}

  async get(actor: Actor, applicationId: string): Promise<DeskApplication> {
    if (!can(actor.role, 'use-desk')) throw UseCaseError.notFound('The application');
    const application = await this.queries.get(actor, applicationId);
    const rows = await readDeskApplicationRows(this.dataSource.manager, applicationId, {
      userId: actor.userId,
      partnerOrganisationId: actor.partnerOrganisationId ?? null,
    });
    if (application.form && !rows.form) throw UseCaseError.notFound('The application form');
    // Assessors and deciders read the assessment; anyone who declared a conflict was refused above.
    const seesAssessment = can(actor.role, 'screen-and-assess') || can(actor.role, 'decide-awards');
    return {
      ...rows,
      application,
      events: rows.events.map(({ data, ...e }) => ({
        ...e,
        ...((e.action === 'request-information' || e.action === 'provide-information') &&
        typeof data?.message === 'string'
          ? { message: data.message }
          : {}),
      })),
      assessment: seesAssessment ? { eligibility: rows.eligibility, assessment: rows.assessment } : null,
      declaredConflict: can(actor.role, 'declare-conflicts') ? rows.declaredConflict : null,
    };
  }
}
