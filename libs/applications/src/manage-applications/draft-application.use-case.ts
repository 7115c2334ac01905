import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Actor, formatPounds, UseCaseError } from '@sg/domain';
import { ApplicationEntity, FundEntity, OrganisationEntity, PG_UNIQUE_VIOLATION, pgErrorCode } from '@sg/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { ApplicationAccess } from '../application-access';
import { ApplicationQueries } from './application-queries';
import { ApplicationView } from './application-view';

export interface DraftFields {
  title?: string;
  summary?: string;
  requestedPence?: number;
  activityRiskTier?: 'low' | 'medium' | 'high';
}

/** Starting and editing a draft. Only the applying organisation's members may, and only in draft. */
@Injectable()
export class DraftApplicationUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: ApplicationAccess,
    private readonly queries: ApplicationQueries,
  ) {}

  async create(actor: Actor, fundId: string, organisationId: string, fields: DraftFields & { title: string; requestedPence: number }): Promise<ApplicationView> {
    if (actor.role !== 'applicant') throw new UseCaseError('forbidden', 'role_not_permitted', 'Only applicants start applications');
    return this.dataSource.transaction(async (m) => {
      const [member] = await m.query('SELECT 1 FROM organisation_members WHERE organisation_id = $1 AND user_id = $2', [organisationId, actor.userId]);
      const org = member ? await m.getRepository(OrganisationEntity).findOneBy({ id: organisationId }) : null;
      if (!org) throw new UseCaseError('unprocessable', 'unknown_organisation', 'You are not a member of that organisation', [{ field: 'organisationId', message: 'not one of your organisations' }]);
      const fund = await m.getRepository(FundEntity).findOneBy({ id: fundId });
      if (!fund) throw new UseCaseError('unprocessable', 'unknown_fund', 'There is no such fund', [{ field: 'fundId', message: 'no such fund' }]);
      if (!fund.areas.some((a) => a.code === org.areaCode)) {
        throw new UseCaseError('unprocessable', 'area_not_in_fund', `${fund.name} does not cover your organisation's area`, [
          { field: 'organisationId', message: 'the organisation is outside the fund’s areas' },
        ]);
      }
      this.checkAmount(fund, fields.requestedPence);
      for (let attempt = 0; ; attempt++) {
        try {
          const [row] = await m.query(
            `INSERT INTO applications (reference, fund_id, organisation_id, state, title, summary, requested_pence, area_code, activity_risk_tier, created_by)
             VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $8, $9) RETURNING id`,
            [newReference(), fund.id, org.id, fields.title, fields.summary ?? '', fields.requestedPence, org.areaCode, fields.activityRiskTier ?? null, actor.userId],
          );
          return this.queries.get(actor, row.id, m);
        } catch (err) {
          // A reference collision (1 in 4 billion) is retried with a new one.
          if (pgErrorCode(err) !== PG_UNIQUE_VIOLATION || attempt >= 3) throw err;
        }
      }
    });
  }

  async update(actor: Actor, id: string, fields: DraftFields, expectedVersion?: number): Promise<ApplicationView> {
    return this.dataSource.transaction(async (m) => {
      const app = await this.access.loadVisible(m, actor, id, true);
      if (actor.role !== 'applicant') throw new UseCaseError('forbidden', 'role_not_permitted', 'Only the applicant edits an application');
      if (app.state !== 'draft') throw new UseCaseError('conflict', 'not_a_draft', `The application is ${app.state}; only drafts can be edited`);
      if (expectedVersion !== undefined && expectedVersion !== app.version) {
        throw new UseCaseError('conflict', 'stale_version', `The application has changed (version ${app.version}, not ${expectedVersion}); reload it and try again`);
      }
      if (fields.requestedPence !== undefined) this.checkAmount(await m.getRepository(FundEntity).findOneByOrFail({ id: app.fundId }), fields.requestedPence);
      await this.save(m, app, fields);
      return this.queries.get(actor, id, m);
    });
  }

  private async save(m: EntityManager, app: ApplicationEntity, f: DraftFields): Promise<void> {
    await m.query(
      `UPDATE applications SET title = coalesce($2, title), summary = coalesce($3, summary), requested_pence = coalesce($4, requested_pence),
         activity_risk_tier = coalesce($5, activity_risk_tier), version = version + 1, updated_at = now() WHERE id = $1`,
      [app.id, f.title ?? null, f.summary ?? null, f.requestedPence ?? null, f.activityRiskTier ?? null],
    );
  }

  private checkAmount(fund: FundEntity, requested: number): void {
    if (requested > fund.maxPerOrganisationPence) {
      throw new UseCaseError('unprocessable', 'exceeds_organisation_cap', `This fund awards at most ${formatPounds(fund.maxPerOrganisationPence)} per organisation`, [
        { field: 'requestedPence', message: `must be at most ${fund.maxPerOrganisationPence} pence` },
      ]);
    }
  }
}

/** A short reference people can read out on the phone: SG- and eight hex digits. */
function newReference(): string {
  return `SG-${randomBytes(4).toString('hex').toUpperCase()}`;
}
