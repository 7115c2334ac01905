import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Actor, addIsoDuration, CONDITION_BLOCKS, ConditionBlocks, londonDate, UseCaseError } from '@sg/domain';
import { ApplicationEntity } from '@sg/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { enqueueNotifications } from '@sg/notifications';
import { ApplicationAccess } from '../application-access';

/** A condition as the decision sets it. Plain strings are conditions on the grant starting. */
export interface ConditionSpec {
  text: string;
  evidenceRequired?: string;
  blocks?: ConditionBlocks;
  /** YYYY-MM-DD; defaults to a month after the decision. */
  dueOn?: string;
  /** Where it came from, e.g. "area:risk_identification" from the assessment. */
  source?: string;
}

export interface ConditionView {
  id: string;
  text: string;
  evidenceRequired: string;
  blocks: ConditionBlocks;
  dueOn: string | null;
  status: 'open' | 'met' | 'waived';
  resolutionNote: string | null;
  resolvedBy: { userId: string; displayName: string } | null;
  resolvedAt: string | null;
  source: string | null;
}

const OFFICERS = ['officer', 'partner_officer'];

/** The specs of an approval, checked; problems name the field. */
export function checkConditionSpecs(specs: readonly ConditionSpec[]): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  specs.forEach((c, i) => {
    if (typeof c.text !== 'string' || c.text.trim() === '' || c.text.length > 1000)
      problems.push({
        field: `conditionDetails.${i}.text`,
        message: 'Say what the condition is (up to 1,000 characters)',
      });
    if (c.blocks !== undefined && !(CONDITION_BLOCKS as readonly string[]).includes(c.blocks))
      problems.push({ field: `conditionDetails.${i}.blocks`, message: `One of ${CONDITION_BLOCKS.join(', ')}` });
    if (c.dueOn !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(c.dueOn))
      problems.push({ field: `conditionDetails.${i}.dueOn`, message: 'A date as YYYY-MM-DD' });
  });
  return problems;
}

/** Writes the approval's conditions as tracked records, in the approving transaction. */
export async function recordAwardConditions(
  m: EntityManager,
  applicationId: string,
  specs: readonly ConditionSpec[],
  decidedAt: Date,
): Promise<void> {
  const defaultDue = londonDate(addIsoDuration(decidedAt, 'P1M'));
  for (const [i, c] of specs.entries()) {
    await m.query(
      `INSERT INTO conditions (application_id, position, text, evidence_required, blocks, due_on, source) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        applicationId,
        i + 1,
        c.text.trim(),
        c.evidenceRequired?.trim() ?? '',
        c.blocks ?? 'first_payment',
        c.dueOn ?? defaultDue,
        c.source ?? null,
      ],
    );
  }
}

/** A person's conflict-of-interest declaration on an application: true, false, or null if none. */
export async function declaredConflict(
  m: Pick<EntityManager, 'query'>,
  applicationId: string,
  userId: string,
): Promise<boolean | null> {
  const [row] = await m.query(
    'SELECT conflicted FROM conflict_declarations WHERE application_id = $1 AND user_id = $2',
    [applicationId, userId],
  );
  return row ? row.conflicted === true : null;
}

/** Conditions on an award: read by whoever may see the application; met or waived by an officer. */
@Injectable()
export class AwardConditions {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: ApplicationAccess,
  ) {}

  async list(actor: Actor, applicationId: string): Promise<ConditionView[]> {
    await this.access.loadVisible(this.dataSource.manager, actor, applicationId);
    return this.rows(this.dataSource.manager, applicationId);
  }

  /** Marks a condition met (with the evidence seen) or waived (with the reason), signed by the officer. */
  async resolve(
    actor: Actor,
    applicationId: string,
    conditionId: string,
    outcome: 'met' | 'waived',
    note: string,
  ): Promise<ConditionView[]> {
    if (!OFFICERS.includes(actor.role))
      throw new UseCaseError('forbidden', 'role_not_permitted', 'Only grant officers sign off conditions');
    const text = note.trim();
    if (text === '' || text.length > 2000) {
      const message = outcome === 'met' ? 'Say what evidence you saw' : 'Say why the condition is waived';
      throw new UseCaseError('invalid', 'validation_failed', message, [{ field: 'note', message }]);
    }
    return this.dataSource.transaction(async (m) => {
      const app = await this.access.loadVisible(m, actor, applicationId, true);
      if (!['offered', 'conditions_pending', 'active', 'suspended'].includes(app.state)) {
        throw new UseCaseError(
          'conflict',
          'not_awarded',
          `The application is ${app.state}; conditions are signed off once awarded`,
        );
      }
      const [updated] = await m.query(
        `UPDATE conditions SET status = $3, resolution_note = $4, resolved_by = $5, resolved_at = now()
         WHERE id = $1 AND application_id = $2 AND status = 'open' RETURNING id`,
        [conditionId, app.id, outcome, text, actor.userId],
      );
      if (!updated || updated.length === 0) {
        const [exists] = await m.query('SELECT status FROM conditions WHERE id = $1 AND application_id = $2', [
          conditionId,
          app.id,
        ]);
        if (!exists) throw UseCaseError.notFound('The condition');
        throw new UseCaseError('conflict', 'condition_resolved', `This condition is already ${exists.status}`);
      }
      // Signing off a condition is on the record, and the applicant hears of it.
      const [{ text: conditionText }] = await m.query('SELECT text FROM conditions WHERE id = $1', [conditionId]);
      const [event] = await m.query(
        `INSERT INTO events (fund_id, application_id, action, actor_user_id, actor_role, reason, data) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [
          app.fundId,
          app.id,
          outcome === 'met' ? 'meet-condition' : 'waive-condition',
          actor.userId,
          actor.role,
          text,
          { conditionId, text: conditionText },
        ],
      );
      await enqueueNotifications(
        m,
        {
          eventId: Number(event.id),
          applicationId: app.id,
          fundId: app.fundId,
          organisationId: app.organisationId,
          areaCode: app.areaCode,
        },
        [{ template: 'condition-resolved', audience: 'applicant' }],
      );
      return this.rows(m, app.id);
    });
  }

  private async rows(m: Pick<EntityManager, 'query'>, applicationId: string): Promise<ConditionView[]> {
    const rows = await m.query(
      `SELECT c.*, to_char(c.due_on, 'YYYY-MM-DD') AS due, u.display_name FROM conditions c LEFT JOIN users u ON u.id = c.resolved_by
       WHERE c.application_id = $1 ORDER BY c.position`,
      [applicationId],
    );
    return rows.map((r: Record<string, any>) => ({
      id: r.id,
      text: r.text,
      evidenceRequired: r.evidence_required,
      blocks: r.blocks,
      dueOn: r.due,
      status: r.status,
      resolutionNote: r.resolution_note,
      resolvedBy: r.resolved_by ? { userId: r.resolved_by, displayName: r.display_name } : null,
      resolvedAt: r.resolved_at ? new Date(r.resolved_at).toISOString() : null,
      source: r.source,
    }));
  }
}

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
    if (actor.role !== 'panel_member')
      throw new UseCaseError('forbidden', 'role_not_permitted', 'Panel members declare conflicts of interest');
    await this.access.loadVisible(this.dataSource.manager, actor, applicationId);
    const [row] = await this.dataSource.query(
      `INSERT INTO conflict_declarations (application_id, user_id, conflicted, note) VALUES ($1, $2, $3, $4)
       ON CONFLICT (application_id, user_id) DO UPDATE SET conflicted = EXCLUDED.conflicted, note = EXCLUDED.note, declared_at = now()
       RETURNING conflicted, declared_at`,
      [applicationId, actor.userId, conflicted, note?.trim() || null],
    );
    return { conflicted: row.conflicted, declaredAt: new Date(row.declared_at).toISOString() };
  }

  /** The caller's declaration on an application: true (conflicted), false, or null if none yet. */
  declaration(actor: Actor, applicationId: string): Promise<boolean | null> {
    return declaredConflict(this.dataSource.manager, applicationId, actor.userId);
  }
}
