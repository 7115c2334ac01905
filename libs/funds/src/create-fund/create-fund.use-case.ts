import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Actor, actingUserId, can, FundMoneySettings, grantableAmount, UseCaseError } from '@sg/domain';
import { postFeeAdjustment } from '../management-fee/calculate-fee.use-case';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '@sg/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { FundDefinitionDto, fundDefinitionProblems } from '../fund-definition.dto';
import * as store from './create-fund.store';

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
      if (!(await store.rubricExists(m, d.rubric)))
        throw new UseCaseError('unprocessable', 'unknown_rubric', `No rubric "${d.rubric}" is published`, [
          { field: 'rubric', message: 'no such rubric' },
        ]);
    }
    for (const [field, key, purpose] of [
      ['applicationForm', d.applicationForm, 'application'],
      ['reportForm', d.reportForm, 'report'],
    ] as const) {
      if (!key) continue;
      if (!(await store.formExists(m, key, purpose)))
        throw new UseCaseError('unprocessable', 'unknown_form', `No ${purpose} form "${key}" is published`, [
          { field, message: `no such ${purpose} form` },
        ]);
    }
    const fund = await store.insertFund(m, d, grantableAmount(settings));
    const partners = [
      { ...d.managingOrganisation, kind: 'vda', role: 'managing' },
      ...d.partners.map((p) => ({ ...p, kind: 'vda', role: 'partner' })),
      ...(d.funder ? [{ ...d.funder, areas: [] as string[], kind: 'funder', role: 'funder' }] : []),
    ];
    for (const p of partners) {
      // Partner organisations are shared across funds: the first definition to name one creates it.
      const row = await store.upsertPartnerOrganisation(m, p);
      await store.insertFundPartner(m, fund.id, row.id, p.role, p.areas);
    }
    const event = await store.insertCreateFundEvent(m, fund.id, actingUserId(actor), actor.role, { slug: d.slug });
    await store.insertAllocation(m, fund.id, event.id, d.totalPence);
    // The fee's first calculation is the fee job's own, run in this transaction: one way to post a fee.
    await postFeeAdjustment(m, fund.id);
    return { id: fund.id, slug: d.slug };
  }
}
