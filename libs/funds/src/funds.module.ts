import { Module } from '@nestjs/common';
import { CreateFundUseCase } from './create-fund/create-fund.use-case';
import { FundMoneyReports } from './read-fund/fund-money-report';
import { FundQueries } from './read-fund/fund-queries';
import { ReconcileFundUseCase } from './reconcile-fund/reconcile-fund.use-case';
import { CalculateFeeUseCase } from './management-fee/calculate-fee.use-case';
import { FeeStatements } from './management-fee/fee-statement';
import { PaymentRuns } from './payment-run/payment-run';
import { FundExports } from './exports/fund-exports';
import { FundEvidenceQueries } from './evidence/fund-evidence';

const PROVIDERS = [
  CreateFundUseCase,
  FundQueries,
  FundMoneyReports,
  ReconcileFundUseCase,
  CalculateFeeUseCase,
  FeeStatements,
  PaymentRuns,
  FundExports,
  FundEvidenceQueries,
];

@Module({ providers: PROVIDERS, exports: PROVIDERS })
export class FundsModule {}
