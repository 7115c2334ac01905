export * from './create-fund/create-fund.use-case';
export * from './fund-definition.dto';
export * from './funds.module';
export * from './read-fund/fund-queries';
export * from './reconcile-fund/reconcile-fund.use-case';
export * from './fund-balances';
