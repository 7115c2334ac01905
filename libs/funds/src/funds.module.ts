import { Module } from '@nestjs/common';
import { CreateFundUseCase } from './create-fund/create-fund.use-case';
import { FundQueries } from './read-fund/fund-queries';
import { ReconcileFundUseCase } from './reconcile-fund/reconcile-fund.use-case';

@Module({ providers: [CreateFundUseCase, FundQueries, ReconcileFundUseCase], exports: [CreateFundUseCase, FundQueries, ReconcileFundUseCase] })
export class FundsModule {}
