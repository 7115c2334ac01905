import { Injectable } from '@nestjs/common';
import { AnswerValue } from '@sg/domain';
import { EntityManager } from 'typeorm';
import { DETAILS_COLUMNS, DETAILS_JOINS } from '../application-facts';
import { LATEST_DECLARATION } from '../conflicts/conflict-declarations.store';

/** A visibility clause (see visibilityClause) and the list's filters. */
export interface VisibleFilter {
  visible: { sql: string; params: unknown[] };
  fundId?: string;
  state?: string;
}

/** A draft's editable columns; for a fund with a form, answers are the whole truth. */
export interface DraftColumns {
  answers?: Record<string, AnswerValue>;
  title?: string;
  summary?: string;
  requestedPence?: number | null;
  activityRiskTier?: 'low' | 'medium' | 'high' | null;
}

export interface NewDraft {
  reference: string;
  fundId: string;
  organisationId: string;
  areaCode: string;
  formKey: string | null;
  formVersion: number | null;
  createdBy: string;
  columns: DraftColumns;
}

/** Applications: the visible lists, drafts started and edited, and who may start one. */
@Injectable()
export class ApplicationsStore {
  /** How many applications the filter lets through. */
  async countVisible(m: EntityManager, filter: VisibleFilter): Promise<number> {
    const { where, params } = whereOf(filter);
    const [{ total }] = await m.query(
      `SELECT count(*)::bigint AS total FROM applications a WHERE ${where.join(' AND ')}`,
      params,
    );
    return total;
  }

  /** One page of them, newest first, each with its details (DETAILS_COLUMNS). */
  pageVisible(
    m: EntityManager,
    filter: VisibleFilter,
    page: { limit: number; offset: number },
    declarantUserId: string | null,
  ): Promise<Record<string, unknown>[]> {
    const { where, params } = whereOf(filter);
    // The page and what surrounds each application in one statement, not one more per item; with the
    // reader's latest conflict-of-interest declaration on each, when they are one who declares.
    const n = params.length;
    return m.query(
      `SELECT a.*, ${DETAILS_COLUMNS},
         CASE WHEN $${n + 3}::uuid IS NOT NULL THEN ${LATEST_DECLARATION('a.id', `$${n + 3}::uuid`)} END AS _conflicted
       FROM applications a ${DETAILS_JOINS} WHERE ${where.join(' AND ')} ORDER BY a.created_at DESC, a.id
       LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...params, page.limit, page.offset, declarantUserId],
    );
  }

  /** Whether the user is a member of the organisation. */
  async isMember(m: EntityManager, organisationId: string, userId: string): Promise<boolean> {
    const [member] = await m.query('SELECT 1 FROM organisation_members WHERE organisation_id = $1 AND user_id = $2', [
      organisationId,
      userId,
    ]);
    return member !== undefined;
  }

  /** Starts a draft; returns its id. A reference already taken fails with a unique violation. */
  async insertDraft(m: EntityManager, d: NewDraft): Promise<string> {
    const c = d.columns;
    const [row] = await m.query(
      `INSERT INTO applications (reference, fund_id, organisation_id, state, title, summary, requested_pence, area_code, activity_risk_tier,
               form_key, form_version, answers, created_by)
             VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [
        d.reference,
        d.fundId,
        d.organisationId,
        c.title ?? '',
        c.summary ?? '',
        c.requestedPence ?? null,
        d.areaCode,
        c.activityRiskTier ?? null,
        d.formKey,
        d.formVersion,
        JSON.stringify(c.answers ?? {}),
        d.createdBy,
      ],
    );
    return row.id;
  }

  /** With a form, the answers are the whole truth: bound columns follow them, including clearing. */
  async saveAnswers(m: EntityManager, applicationId: string, c: DraftColumns): Promise<void> {
    await m.query(
      `UPDATE applications SET answers = $2, title = $3, summary = $4, requested_pence = $5, activity_risk_tier = $6,
           version = version + 1, updated_at = now() WHERE id = $1`,
      [
        applicationId,
        JSON.stringify(c.answers),
        c.title ?? '',
        c.summary ?? '',
        c.requestedPence ?? null,
        c.activityRiskTier ?? null,
      ],
    );
  }

  /** Without a form, the fields given replace the stored ones; those not given stay. */
  async saveFields(m: EntityManager, applicationId: string, c: DraftColumns): Promise<void> {
    await m.query(
      `UPDATE applications SET title = coalesce($2, title), summary = coalesce($3, summary), requested_pence = coalesce($4, requested_pence),
         activity_risk_tier = coalesce($5, activity_risk_tier), version = version + 1, updated_at = now() WHERE id = $1`,
      [applicationId, c.title ?? null, c.summary ?? null, c.requestedPence ?? null, c.activityRiskTier ?? null],
    );
  }
}

function whereOf(filter: VisibleFilter): { where: string[]; params: unknown[] } {
  const where = [filter.visible.sql];
  const params: unknown[] = [...filter.visible.params];
  if (filter.fundId) {
    params.push(filter.fundId);
    where.push(`a.fund_id = $${params.length}`);
  }
  if (filter.state) {
    params.push(filter.state);
    where.push(`a.state = $${params.length}`);
  }
  return { where, params };
}
