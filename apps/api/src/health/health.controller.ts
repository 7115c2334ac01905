import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { QUEUES } from '@sg/jobs';
import { Queue } from 'bullmq';
import type { FastifyReply } from 'fastify';
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

  /**
   * Ready when PostgreSQL and Redis answer; otherwise 503 with Terminus's report of each part
   * (`error.redis.status: "down"`), sent as it is rather than as a generic problem, so that a
   * load balancer or an operator sees which part failed.
   */
  @Get()
  @Public()
  @HealthCheck()
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
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
    } catch (err) {
      if (!(err instanceof ServiceUnavailableException)) throw err;
      void reply.status(503);
      return err.getResponse() as HealthCheckResult;
    }
  }
}
