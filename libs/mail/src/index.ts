export * from './email-renderer';
export * from './mail-transport';
export * from './mail.module';
