export * from './enqueue-notifications';
export * from './notifications.module';
export * from './send-email.use-case';
export * from './account-emails';
export * from './daily-digests';
