export * from './money/pence';
export * from './money/fund-money';
export * from './lifecycle/application-state';
export * from './lifecycle/actor-role';
export * from './lifecycle/lifecycle-action';
export * from './lifecycle/transition-types';
export * from './lifecycle/decide-transition';
export { TRANSITION_TABLE, unresolvedUnderspend } from './lifecycle/transition-table';
