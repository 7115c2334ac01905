import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK } from '@sg/config';
import { Actor, APPLICATION_STATES, can, Clock, londonDate, UseCaseError } from '@sg/domain';
import { DataSource } from 'typeorm';
import { visibilityClause } from '../manage-applications/application-queries';
import * as store from './desk-queries.store';

export const DESK_SORTS = ['waiting', 'amount', 'area', 'submitted', 'state'] as const;
export type DeskSort = (typeof DESK_SORTS)[number];

export interface DeskRow {
  id: string;
  reference: string;
  title: string;
  organisationName: string;
  state: string;
  areaCode: string;
  requestedPence: number | null;
  submittedAt: string | null;
  /** Days the application has waited on officers since submission, not counting time with the applicant. */
  daysWaiting: number;
  flags: (
    | 'possible_duplicate'
    | 'eligibility_failed'
    | 'countersignature_needed'
    | 'report_to_review'
    | 'report_overdue'
    | 'open_past_programme_end'
  )[];
}

export interface DecisionRow {
  id: string;
  reference: string;
  title: string;
  organisationName: string;
  requestedPence: number | null;
  recommendedPence: number | null;
  outcome: string | null;
  headroomPence: number;
}

export interface Desk {
  fund: { id: string; name: string; slug: string };
  counts: Record<string, number>;
  rows: DeskRow[];
}

const ORDER: Record<DeskSort, string> = {
  waiting: 'waiting_seconds DESC, a.reference',
  amount: 'a.requested_pence DESC NULLS LAST, a.reference',
  area: 'a.area_code, a.reference',
  submitted: 'a.submitted_at ASC NULLS LAST, a.reference',
  state: 'a.state, a.reference',
};

/**
 * The officer's desk for one fund: counts by state and one set-based list (one query, whatever the
 * number of applications) of what the caller may see, filtered and sorted. Waiting time runs from
 * submission and leaves out the spells in information_requested, when the applicant holds the pen.
 */
@Injectable()
export class DeskQueries {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async desk(actor: Actor, fundId: string, filter: { state?: string; area?: string; sort?: DeskSort }): Promise<Desk> {
    if (filter.state && !(APPLICATION_STATES as readonly string[]).includes(filter.state))
      throw new UseCaseError('invalid', 'invalid_filter', 'Not a state', [
        { field: 'state', message: 'not a lifecycle state' },
      ]);
    const visible = visibilityClause(actor);
    if (!visible || !can(actor.role, 'use-desk'))
      throw new UseCaseError('forbidden', 'role_not_permitted', 'The desk is for officers and the panel');
    const fund = await store.deskFund(this.dataSource, fundId, actor.partnerOrganisationId);
    if (!fund) throw UseCaseError.notFound('The fund');
    const params: unknown[] = [...visible.params, fundId];
    const base = `${visible.sql} AND a.fund_id = $${params.length} AND a.state <> 'draft'`;
    const countRows = await store.countsByState(this.dataSource, base, params);
    const where = [base];
    const today = `$${params.push(londonDate(this.clock.now()))}::date`;
    if (filter.state) where.push(`a.state = $${params.push(filter.state)}`);
    if (filter.area) where.push(`a.area_code = $${params.push(filter.area)}`);
    const declarant = `$${params.push(can(actor.role, 'declare-conflicts') ? actor.userId : null)}::uuid`;
    const rows = await store.deskRows(
      this.dataSource,
      where,
      today,
      ORDER[filter.sort ?? 'waiting'],
      params,
      declarant,
    );
    return {
      fund,
      counts: Object.fromEntries(countRows.map((r) => [r.state, r.n])),
      rows: rows.map((r) => ({
        id: r.id,
        reference: r.reference,
        // Someone who declared a conflict sees that it exists: its reference, organisation and state.
        title: r.conflicted ? '' : r.title,
        organisationName: r.organisation_name,
        state: r.state,
        areaCode: r.area_code,
        requestedPence: r.requested_pence,
        submittedAt: r.submitted_at ? new Date(r.submitted_at).toISOString() : null,
        daysWaiting: Math.floor(Number(r.waiting_seconds) / 86_400),
        flags: (
          [
            'possible_duplicate',
            'eligibility_failed',
            'countersignature_needed',
            'report_to_review',
            'report_overdue',
            'open_past_programme_end',
          ] as const
        ).filter((f) => !r.conflicted && r[f] === true),
      })),
    };
  }

  /**
   * What awaits the panel's decision in a fund: each application's requested and recommended
   * amounts and computed outcome, against the fund's remaining money and each organisation's
   * remaining headroom (its duplicates counted in).
   */
  async decisions(
    actor: Actor,
    fundId: string,
  ): Promise<{ fund: Desk['fund']; availablePence: number; rows: DecisionRow[] }> {
    const { fund } = await this.desk(actor, fundId, { state: 'awaiting_decision' });
    const available = await store.availableForGrants(this.dataSource, fundId);
    const visible = visibilityClause(actor)!;
    const params = [...visible.params, fundId];
    const rows = await store.decisionRows(
      this.dataSource,
      visible,
      params,
      can(actor.role, 'declare-conflicts') ? actor.userId : null,
    );
    return {
      fund,
      availablePence: available,
      rows: rows.map((r) => ({
        id: r.id,
        reference: r.reference,
        title: r.conflicted ? '' : r.title,
        organisationName: r.organisation_name,
        requestedPence: r.requested_pence,
        recommendedPence: r.conflicted ? null : r.recommended_pence,
        outcome: r.conflicted ? null : r.outcome,
        headroomPence: Math.max(0, Number(r.headroom)),
      })),
    };
  }

  /** The funds the caller works on as an officer, partner officer or panel member. */
  async funds(actor: Actor): Promise<{ id: string; name: string; slug: string }[]> {
    if (!actor.partnerOrganisationId) return [];
    return store.deskFunds(this.dataSource, actor.partnerOrganisationId);
  }
}
