import { Global, Module } from '@nestjs/common';
import { systemClock } from '@sg/domain';
import { AppConfig, loadConfig } from './app-config';

/** The injection token for the clock; tests provide their own to move time. */
export const CLOCK = Symbol('CLOCK');

@Global()
@Module({
  providers: [
    { provide: AppConfig, useFactory: () => loadConfig() },
    { provide: CLOCK, useValue: systemClock },
  ],
  exports: [AppConfig, CLOCK],
})
export class ConfigModule {}
