import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, systemClock, WorkingCalendar } from '@sg/domain';
import { AppConfig, ConfigError, loadConfig } from './app-config';

/** The injection token for the clock; tests provide their own to move time. */
export const CLOCK = Symbol('CLOCK');
/** The injection token for the working-day calendar (weekends and the configured bank holidays). */
export const WORKING_CALENDAR = Symbol('WORKING_CALENDAR');

export interface RuntimeOptions {
  /** Replaces the system clock: tests move time with it. */
  clock?: Clock;
}

/** Reads the bank holidays file; a missing or malformed file stops the start with its path. */
export function loadWorkingCalendar(config: AppConfig): WorkingCalendar {
  const path = isAbsolute(config.BANK_HOLIDAYS_FILE)
    ? config.BANK_HOLIDAYS_FILE
    : [
        join(process.cwd(), config.BANK_HOLIDAYS_FILE),
        join(__dirname, '..', '..', '..', config.BANK_HOLIDAYS_FILE),
      ].find((p) => existsSync(p));
  if (!path || !existsSync(path))
    throw new ConfigError(`BANK_HOLIDAYS_FILE: ${config.BANK_HOLIDAYS_FILE} does not exist`);
  const dates: unknown = JSON.parse(readFileSync(path, 'utf8')).dates;
  if (!Array.isArray(dates) || !dates.every((d) => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d))) {
    throw new ConfigError(`BANK_HOLIDAYS_FILE: ${path} must hold {"dates": ["YYYY-MM-DD", ...]}`);
  }
  return { bankHolidays: new Set(dates) };
}

@Global()
@Module({})
export class ConfigModule {
  static forRoot(options: RuntimeOptions = {}): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      providers: [
        { provide: AppConfig, useFactory: () => loadConfig() },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: WORKING_CALENDAR, inject: [AppConfig], useFactory: loadWorkingCalendar },
      ],
      exports: [AppConfig, CLOCK, WORKING_CALENDAR],
    };
  }
}
