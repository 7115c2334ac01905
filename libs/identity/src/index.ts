export * from './api-tokens';
export * from './development-users';
export * from './identity.module';
export * from './accounts';
export type { NotificationPreferences, SignedIn } from './account-rules';
export * from './security-log';
export type { SecurityEventFilter, SecurityEventRow } from './security-events.store';
export * from './production-safety';
