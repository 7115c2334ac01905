import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Actor, can, FundMoneySettings, grantableAmount, UseCaseError } from '@sg/domain';
import { postFeeAdjustment } from '../management-fee/management-fee.use-case';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '@sg/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { FundDefinitionDto, fundDefinitionProblems } from '../fund-definition.dto';

/**
 * Creates a fund from its definition: the fund row, its partners, and the opening ledger entries
 * (the allocation of the total under one event, then the fee as far as it is due yet).
 */
@Injectable()
export class CreateFundUseCase {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async execute(actor: Actor, definition: FundDefinitionDto): Promise<{ id: string; slug: string }> {
    if (!can(actor.role, 'create-funds'))
      throw new UseCaseError('forbidden', 'role_not_permitted', 'Only administrators create funds');
    const problems = fundDefinitionProblems(definition);
    if (problems.length > 0)
      throw new UseCaseError(
        'unprocessable',
        'invalid_fund_definition',
        'The fund definition is inconsistent',
        problems,
      );
    try {
      return await this.dataSource.transaction((m) => this.create(m, actor, definition));
    } catch (err) {
      if (pgErrorCode(err) === PG_UNIQUE_VIOLATION) {
        throw new UseCaseError('conflict', 'fund_exists', `A fund with the slug "${definition.slug}" already exists`, [
          { field: 'slug', message: 'already used' },
        ]);
      }
      throw err;
    }
  }

  private async create(m: EntityManager, actor: Actor, d: FundDefinitionDto): Promise<{ id: string; slug: string }> {
    const settings: FundMoneySettings = {
      totalPence: d.totalPence,
      feeRateBasisPoints: d.feeRateBasisPoints,
      feeBasis: d.feeBasis,
      feeTreatment: d.feeTreatment,
      maxPerOrganisationPence: d.maxPerOrganisationPence,
    };
    if (d.rubric) {
      const [rubric] = await m.query('SELECT 1 FROM rubrics WHERE key = $1', [d.rubric]);
      if (!rubric)
        throw new UseCaseError('unprocessable', 'unknown_rubric', `No rubric "${d.rubric}" is published`, [
          { field: 'rubric', message: 'no such rubric' },
        ]);
    }
    for (const [field, key, purpose] of [
      ['applicationForm', d.applicationForm, 'application'],
      ['reportForm', d.reportForm, 'report'],
    ] as const) {
      if (!key) continue;
      const [form] = await m.query(
        `SELECT 1 FROM application_forms WHERE key = $1 AND coalesce(definition->>'purpose', 'application') = $2`,
        [key, purpose],
      );
      if (!form)
        throw new UseCaseError('unprocessable', 'unknown_form', `No ${purpose} form "${key}" is published`, [
          { field, message: `no such ${purpose} form` },
        ]);
    }
    const [fund] = await m.query(
      `INSERT INTO funds (slug, name, currency, total_pence, fee_rate_bp, fee_basis, fee_treatment, max_per_organisation_pence,
         grantable_pence, alert_thresholds_bp, areas, opens_on, closes_on, offer_valid_for, payment_schedule, report_schedule,
         definition, allocated_pence, application_form_key, rubric_key, eligible_legal_forms, approver_may_be_assessor, fee_shares, reminder_offsets,
         report_form_key, programme_ends_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $4, $18, $19, $20, $21, $22, $23, $24, $25) RETURNING id`,
      [
        d.slug,
        d.name,
        d.currency,
        d.totalPence,
        d.feeRateBasisPoints,
        d.feeBasis,
        d.feeTreatment,
        d.maxPerOrganisationPence,
        grantableAmount(settings),
        d.alertThresholdsBasisPoints,
        JSON.stringify(d.areas),
        d.opensOn ?? null,
        d.closesOn ?? null,
        d.offerValidFor,
        JSON.stringify(d.paymentSchedule),
        JSON.stringify(d.reportSchedule),
        JSON.stringify(d),
        d.applicationForm ?? null,
        d.rubric ?? null,
        d.eligibleLegalForms ?? [],
        d.approverMayBeAssessor ?? false,
        JSON.stringify(d.feeShares ?? []),
        JSON.stringify(d.reminders ?? {}),
        d.reportForm ?? null,
        d.programmeEndsOn ?? null,
      ],
    );
    const partners = [
      { ...d.managingOrganisation, kind: 'vda', role: 'managing' },
      ...d.partners.map((p) => ({ ...p, kind: 'vda', role: 'partner' })),
      ...(d.funder ? [{ ...d.funder, areas: [] as string[], kind: 'funder', role: 'funder' }] : []),
    ];
    for (const p of partners) {
      // Partner organisations are shared across funds: the first definition to name one creates it.
      const [row] = await m.query(
        `INSERT INTO partner_organisations (slug, name, kind) VALUES ($1, $2, $3)
         ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug RETURNING id`,
        [p.slug, p.name, p.kind],
      );
      await m.query(
        `INSERT INTO fund_partners (fund_id, partner_organisation_id, role, areas) VALUES ($1, $2, $3, $4)`,
        [fund.id, row.id, p.role, p.areas],
      );
    }
    const [event] = await m.query(
      `INSERT INTO events (fund_id, action, actor_user_id, actor_role, data) VALUES ($1, 'create-fund', $2, $3, $4) RETURNING id`,
      [fund.id, actor.role === 'system' ? null : actor.userId, actor.role, { slug: d.slug }],
    );
    await m.query(
      `INSERT INTO ledger_entries (fund_id, event_id, kind, amount_pence) VALUES ($1, $2, 'allocation', $3)`,
      [fund.id, event.id, d.totalPence],
    );
    // The fee's first calculation is the fee job's own, run in this transaction: one way to post a fee.
    await postFeeAdjustment(m, fund.id);
    return { id: fund.id, slug: d.slug };
  }
}
