import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { feeAdjustment, feeBasisAmount, FundMoneySettings, LedgerEntryDraft } from '@sg/domain';
import { FundEntity, storedBalances } from '@sg/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { lockFundRow } from '../funds.store';
import { addToFundFee, insertFeeEvent, insertFeeLedgerEntry } from './management-fee.store';

export interface FeePosting {
  fundId: string;
  posted: LedgerEntryDraft | null;
  feePence: number;
}

function moneySettings(f: FundEntity): FundMoneySettings {
  return {
    totalPence: f.totalPence,
    feeRateBasisPoints: f.feeRateBasisPoints,
    feeBasis: f.feeBasis,
    feeTreatment: f.feeTreatment,
    maxPerOrganisationPence: f.maxPerOrganisationPence,
  };
}

/**
 * Brings the fund's posted fee to what its basis makes due, inside the caller's transaction and
 * under the fund row's lock: concurrent runs queue on the lock, and each sees the fee the previous
 * one posted, so the same inputs never post twice and a change of basis posts only the difference.
 */
export async function postFeeAdjustment(m: EntityManager, fundId: string): Promise<FeePosting | null> {
  const fund = await lockFundRow(m, fundId);
  if (!fund) return null;
  const balances = storedBalances(fund);
  const settings = moneySettings(fund);
  const adjustment = feeAdjustment(settings, balances);
  if (!adjustment) return { fundId, posted: null, feePence: fund.feePence };
  const event = await insertFeeEvent(m, fundId, {
    basis: fund.feeBasis,
    basisAmountPence: feeBasisAmount(settings, balances),
    rateBasisPoints: fund.feeRateBasisPoints,
    postedBeforePence: fund.feePence,
  });
  await insertFeeLedgerEntry(m, fundId, event.id, adjustment);
  const delta = adjustment.kind === 'fee' ? adjustment.amountPence : -adjustment.amountPence;
  await addToFundFee(m, fundId, delta);
  return { fundId, posted: adjustment, feePence: fund.feePence + delta };
}

/** The fee job (docs/domain.md §7): after each money change on the fund, and nightly for every fund. */
@Injectable()
export class CalculateFeeUseCase {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  execute(fundId: string): Promise<FeePosting | null> {
    return this.dataSource.transaction((m) => postFeeAdjustment(m, fundId));
  }
}
