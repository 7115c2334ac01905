export * from './api-tokens';
export * from './development-users';
export * from './identity.module';
export * from './accounts';
export { STAFF_ROLES } from './account-rules';
export type { NotificationPreferences, SignedIn } from './account-rules';
