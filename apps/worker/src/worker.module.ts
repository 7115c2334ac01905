import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigModule } from '@sg/config';
import { FundsModule } from '@sg/funds';
import { JOB_QUEUE, JobsModule } from '@sg/jobs';
import { MAIL_TRANSPORT, MailTransport } from '@sg/mail';
import { NotificationsModule } from '@sg/notifications';
import { PersistenceModule } from '@sg/persistence';
import { OutboxPoller } from './outbox-poller';
import { ReconcileFundProcessor } from './reconcile-fund.processor';
import { SendEmailProcessor } from './send-email.processor';

const PROCESSORS = [SendEmailProcessor, ReconcileFundProcessor];

/** Startup fails if a job the code can enqueue has no handler here. */
const handled = new Set<string>(PROCESSORS.flatMap((p) => [...p.handles]));
const unhandled = Object.keys(JOB_QUEUE).filter((name) => !handled.has(name));
if (unhandled.length > 0) throw new Error(`worker has no handler for job(s): ${unhandled.join(', ')}`);

@Module({
  imports: [ConfigModule, PersistenceModule, JobsModule, NotificationsModule, FundsModule],
  providers: [...PROCESSORS, OutboxPoller],
})
export class WorkerModule implements OnApplicationShutdown {
  constructor(@Inject(MAIL_TRANSPORT) private readonly transport: MailTransport) {}

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
