export * from './organisations';
export * from './organisations.module';
