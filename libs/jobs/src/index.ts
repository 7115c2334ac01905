export * from './queues';
export * from './jobs.module';
export * from './outbox-relay';
export * from './outbox.store';
