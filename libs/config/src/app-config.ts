import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, validateSync } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/** A whole number of at least 1, read from its environment text. */
function PositiveInt(): PropertyDecorator {
  return (target, key) => {
    Transform(toInt)(target, key);
    IsInt()(target, key);
    Min(1)(target, key);
  };
}

/**
 * All configuration, read once from the environment and validated at start: a misconfigured
 * deployment stops with the variable's name instead of failing later. Defaults are for a local
 * machine (`npm start`); production sets every URL explicitly.
 */
export class AppConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '127.0.0.1';

  /** Where people reach the product; used for links in emails. */
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'PUBLIC_URL must be an http(s) URL' })
  PUBLIC_URL = 'http://localhost:3000';

  @Matches(/^postgres(ql)?:\/\/[^\s]+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/smallgrants';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  @Matches(/^rediss?:\/\/[^\s]+$/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** BullMQ key prefix: tests use one per run so that runs never see each other's jobs. */
  @Matches(/^[a-zA-Z0-9_-]+$/, { message: 'QUEUE_PREFIX may hold letters, digits, - and _ only' })
  QUEUE_PREFIX = 'sg';

  /** Unset: emails are written as .eml files to MAIL_SINK_DIR for a person to read. */
  @IsOptional()
  @Matches(/^smtps?:\/\/[^\s]+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsString()
  MAIL_FROM = 'Small Grants <grants@localhost>';

  @IsString()
  MAIL_SINK_DIR = 'var/mail';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(60000)
  OUTBOX_POLL_MS = 1000;

  /**
   * How long an email claimed by a worker counts as being sent; after it, another worker may take
   * it over (its worker died mid-send). Must outlast the slowest send the SMTP client allows.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  EMAIL_CLAIM_LEASE_MS = 5 * 60 * 1000;

  /** Signs session cookies. Every API process of a deployment must share it; production must set it. */
  @IsString()
  @Length(32, 512, { message: 'SESSION_SECRET must be at least 32 characters' })
  SESSION_SECRET = DEVELOPMENT_SESSION_SECRET;

  /** Uploaded files are kept here, outside the database, named by random keys. */
  @IsString()
  FILE_STORAGE_DIR = 'var/files';

  /** Bank holidays that working-day reminders skip: a JSON file with a "dates" list of YYYY-MM-DD. */
  @IsString()
  BANK_HOLIDAYS_FILE = 'config/bank-holidays/england-and-wales.json';

  /** Whether this worker registers the repeating jobs (reminder scan, nightly budget, digests, housekeeping). */
  @IsIn(['on', 'off'])
  SCHEDULED_JOBS: 'on' | 'off' = 'on';

  /**
   * Staff's second factor: 'required' sends every staff account to enrol after its password until
   * it has; 'optional' (development and tests) asks for a code only from those who enrolled.
   */
  @IsIn(['required', 'optional'])
  STAFF_SECOND_FACTOR: 'required' | 'optional' = 'required';

  /** How often the reminder scheduler scans for what is due, in milliseconds. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  REMINDER_SCAN_EVERY_MS = 15 * 60 * 1000;

  /**
   * Rate limits (see docs/operations.md): sign-in attempts per client address per 15 minutes;
   * registrations, reset and verification requests per address per hour (each form its own count);
   * invitations per address or API token per hour; tokens minted per address per hour; JSON API
   * requests per token (or address, without one) per minute. Counted in Redis, shared by every API
   * process. Tests raise them; the rate-limit tests set their own.
   */
  @PositiveInt()
  RATE_LIMIT_SIGN_IN = 50;

  @PositiveInt()
  RATE_LIMIT_EMAIL_FORMS = 10;

  @PositiveInt()
  RATE_LIMIT_INVITATIONS = 20;

  @PositiveInt()
  RATE_LIMIT_TOKEN_MINTING = 10;

  @PositiveInt()
  RATE_LIMIT_API = 300;

  /** The publisher's 360Giving prefix: grant identifiers (and organisations without a registration number) start with it. */
  @Matches(/^360G-[A-Za-z0-9-]+$/, {
    message: 'THREESIXTYGIVING_PREFIX must start with 360G- (letters, digits and - after it)',
  })
  THREESIXTYGIVING_PREFIX = '360G-smallgrants';
}

export const DEVELOPMENT_SESSION_SECRET = 'development-only-session-secret-change-me-in-production';

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const known = Object.keys(new AppConfig());
  const plain = Object.fromEntries(known.filter((k) => env[k] !== undefined && env[k] !== '').map((k) => [k, env[k]]));
  const config = plainToInstance(AppConfig, plain);
  const errors = validateSync(config, { forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  if (config.NODE_ENV === 'production' && config.SESSION_SECRET === DEVELOPMENT_SESSION_SECRET) {
    throw new ConfigError(
      'Invalid configuration:\n  SESSION_SECRET: production needs its own secret (at least 32 random characters)',
    );
  }
  return config;
}

/** Nest's own log levels for a LOG_LEVEL: 'warn' keeps start-up chatter out of test output. */
export function nestLogLevels(level: string): ('fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose')[] | false {
  const order = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
  const upTo = { fatal: 0, error: 1, warn: 2, info: 3, debug: 4, trace: 5 }[level];
  return upTo === undefined ? false : order.slice(0, upTo + 1);
}
