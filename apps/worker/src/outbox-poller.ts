import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@sg/config';
import { OutboxRelay } from '@sg/jobs';

/**
 * The safety net behind the API's after-commit nudge: relays whatever is in the outbox every
 * OUTBOX_POLL_MS, so nothing committed is lost while Redis or an API process was down.
 */
@Injectable()
export class OutboxPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxPoller.name);
  private timer?: NodeJS.Timeout;
  private failing = false;

  constructor(
    private readonly relay: OutboxRelay,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const tick = async () => {
      try {
        await this.relay.relayAll();
        if (this.failing) this.logger.log('outbox relay recovered');
        this.failing = false;
      } catch (err) {
        if (!this.failing) this.logger.warn(`outbox relay failing: ${(err as Error).message}`);
        this.failing = true;
      } finally {
        if (this.timer) this.timer = setTimeout(tick, this.config.OUTBOX_POLL_MS);
      }
    };
    this.timer = setTimeout(tick, 0);
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
