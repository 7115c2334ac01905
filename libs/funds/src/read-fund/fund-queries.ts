import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  Actor,
  availableForGrants,
  can,
  FundBalances,
  fundApplicationScope,
  LedgerKind,
  UseCaseError,
} from '@sg/domain';
import { FundEntity, storedBalances } from '@sg/persistence';
import { ledgerBalances } from '../fund-balances';
import { findFundPartnerLink, fundExists } from '../funds.store';
import * as store from './read-fund.store';
import { DataSource, EntityManager } from 'typeorm';

export interface FundSummaryView {
  id: string;
  slug: string;
  name: string;
  currency: string;
  opensOn: string | null;
  closesOn: string | null;
  maxPerOrganisationPence: number;
  areas: { code: string; name: string }[];
}

export interface FundMoneyView {
  totalPence: number;
  feeRateBasisPoints: number;
  feeBasis: string;
  feeTreatment: string;
  feePence: number;
  grantablePence: number;
  committedPence: number;
  disbursedPence: number;
  returnedPence: number;
  availablePence: number;
  /** Balances recomputed from the ledger equal the stored summary. */
  reconciled: boolean;
}

@Injectable()
export class FundQueries {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(): Promise<FundSummaryView[]> {
    const funds = await store.listFunds(this.dataSource.manager);
    return funds.map(summary);
  }

  async get(actor: Actor, idOrSlug: string): Promise<FundSummaryView & { money?: FundMoneyView }> {
    const fund = await this.find(idOrSlug);
    if (!can(actor.role, 'view-fund-money') || !(await this.isPartyTo(actor, fund))) return summary(fund);
    return { ...summary(fund), money: await this.money(fund) };
  }

  async ledger(
    actor: Actor,
    id: string,
  ): Promise<
    { id: number; kind: LedgerKind; amountPence: number; applicationId: string | null; eventId: number; at: string }[]
  > {
    const fund = await this.find(id);
    await requireFundOfficer(this.dataSource.manager, actor, fund.id, 'ledger');
    const entries = await store.ledgerEntriesOf(this.dataSource.manager, fund.id);
    return entries.map((e) => ({
      id: e.id,
      kind: e.kind,
      amountPence: e.amountPence,
      applicationId: e.applicationId,
      eventId: e.eventId,
      at: e.createdAt.toISOString(),
    }));
  }

  private async find(idOrSlug: string): Promise<FundEntity> {
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrSlug);
    const fund = await store.findFundByIdOrSlug(
      this.dataSource.manager,
      isUuid ? { id: idOrSlug } : { slug: idOrSlug },
    );
    if (!fund) throw UseCaseError.notFound('The fund');
    return fund;
  }

  private isPartyTo(actor: Actor, fund: FundEntity): Promise<boolean> {
    return isPartyToFund(this.dataSource.manager, actor, fund.id);
  }

  private async money(fund: FundEntity): Promise<FundMoneyView> {
    const fromLedger = await ledgerBalances(this.dataSource.manager, fund.id);
    const stored = storedBalances(fund);
    return {
      totalPence: fund.totalPence,
      feeRateBasisPoints: fund.feeRateBasisPoints,
      feeBasis: fund.feeBasis,
      feeTreatment: fund.feeTreatment,
      feePence: fund.feePence,
      grantablePence: fund.grantablePence,
      committedPence: fund.committedPence,
      disbursedPence: fund.disbursedPence,
      returnedPence: fund.returnedPence,
      availablePence: availableForGrants(fund.grantablePence, stored),
      reconciled: (Object.keys(stored) as (keyof FundBalances)[]).every((k) => stored[k] === fromLedger[k]),
    };
  }
}

function summary(f: FundEntity): FundSummaryView {
  return {
    id: f.id,
    slug: f.slug,
    name: f.name,
    currency: f.currency,
    opensOn: f.opensOn,
    closesOn: f.closesOn,
    maxPerOrganisationPence: f.maxPerOrganisationPence,
    areas: f.areas,
  };
}

/** Administrators see every fund; others only funds their VDA or funder is party to. */
export async function isPartyToFund(m: EntityManager, actor: Actor, fundId: string): Promise<boolean> {
  if (can(actor.role, 'oversee-every-fund')) return true;
  if (!actor.partnerOrganisationId) return false;
  const link = await findFundPartnerLink(m, fundId, actor.partnerOrganisationId);
  return link !== null;
}

/**
 * Money records and exports (ledger, fee statement, payment run, CSV and 360Giving) are for those who
 * hold the capability and may see every one of the fund's applications: its managing VDA's officers
 * and administrators; not an officer of its funder or of a partner that does not manage it.
 */
export async function requireFundOfficer(m: EntityManager, actor: Actor, fundId: string, what: string): Promise<void> {
  if (!(await fundExists(m, fundId))) throw UseCaseError.notFound('The fund');
  const link = actor.partnerOrganisationId ? await findFundPartnerLink(m, fundId, actor.partnerOrganisationId) : null;
  if (!can(actor.role, 'read-fund-records') || fundApplicationScope(actor, link) !== 'all') {
    throw new UseCaseError(
      'forbidden',
      'role_not_permitted',
      `Only the fund’s officers and administrators read its ${what}`,
    );
  }
}
