import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { QUEUES } from '@sg/jobs';
import { Queue } from 'bullmq';
import { Public } from '../http/actor';

@ApiTags('health')
@Controller('api/health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicator: HealthIndicatorService,
    @InjectQueue(QUEUES.notifications) private readonly notifications: Queue,
  ) {}

  /** Ready when PostgreSQL and Redis answer; 503 with the failing part otherwise. */
  @Get()
  @Public()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 2000 }),
      async () => {
        const redis = this.indicator.check('redis');
        try {
          const client = await this.notifications.getBackend().client;
          await Promise.race([client.info(), new Promise((_, r) => setTimeout(() => r(new Error('timeout')), 2000))]);
          return redis.up();
        } catch {
          return redis.down({ message: 'unreachable' });
        }
      },
    ]);
  }
}
