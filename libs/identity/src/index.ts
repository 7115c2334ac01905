export * from './api-tokens';
export * from './development-users';
export * from './identity.module';
export * from './accounts';
