import { isIP } from 'node:net';
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
 * deployment stops with the variable's name instead of failing later. Unset, NODE_ENV means
 * production: `npm start` sets development and `npm test` sets test explicitly. The other defaults
 * are for a local machine; production must set its own (see unsafeProductionSettings).
 */
export class AppConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'production';

  /**
   * `on`: setup creates the development users with their published password and tokens. Only
   * with NODE_ENV=development (`npm start` sets both); anywhere else the configuration is refused.
   */
  @IsIn(['on', 'off'])
  DEVELOPMENT_USERS: 'on' | 'off' = 'off';

  /**
   * The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: addresses or
   * CIDR ranges, comma-separated, or `loopback` (a proxy on the same machine). Empty: none, and a
   * client's address is the connection's.
   */
  @Matches(/^[\s\w.:/,]*$/, { message: 'TRUSTED_PROXIES must be addresses or CIDR ranges, comma-separated' })
  TRUSTED_PROXIES = '';

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
  @Length(32, 512, {
    message: 'SESSION_SECRET must be 32 to 512 characters; set 32 or more random ones (`openssl rand -base64 48`)',
  })
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

/** One message for every problem found, one line each, so that a deployment is fixed in one go. */
export function configError(lines: string[]): ConfigError {
  return new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

/** TRUSTED_PROXIES as Fastify's trustProxy takes it: false for none, else the list. */
export function trustedProxies(config: Pick<AppConfig, 'TRUSTED_PROXIES'>): false | string[] {
  const list = config.TRUSTED_PROXIES.split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  return list.length === 0 ? false : list;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const known = Object.keys(new AppConfig());
  const plain = Object.fromEntries(known.filter((k) => env[k] !== undefined && env[k] !== '').map((k) => [k, env[k]]));
  const config = plainToInstance(AppConfig, plain);
  const errors = validateSync(config, { forbidUnknownValues: false });
  const lines = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
  const badProxies = errors.some((e) => e.property === 'TRUSTED_PROXIES')
    ? []
    : (trustedProxies(config) || []).filter((e) => !isProxyAddress(e));
  if (badProxies.length > 0)
    lines.push(
      `TRUSTED_PROXIES: ${badProxies.join(', ')} is not an address, a CIDR range or loopback; list your reverse proxies' addresses, e.g. TRUSTED_PROXIES=10.0.0.0/8`,
    );
  if (config.DEVELOPMENT_USERS === 'on' && config.NODE_ENV !== 'development')
    lines.push(
      `DEVELOPMENT_USERS: development users (published password and tokens) are created only with NODE_ENV=development; remove DEVELOPMENT_USERS (NODE_ENV is ${config.NODE_ENV})`,
    );
  if (lines.length > 0) throw configError(lines);
  return config;
}

/**
 * At least this many different characters in SESSION_SECRET: a repeated pattern is not a secret,
 * while 32 random hex digits (the least random secret we accept) have fewer only once in ~25,000.
 */
const SECRET_MIN_DISTINCT = 8;

/**
 * What production refuses to start with, each line naming the variable and the fix (an empty
 * list outside production). The API and the worker add what they find in the database
 * (refuseUnsafeProduction in @sg/identity) and stop with every line at once.
 */
export function unsafeProductionSettings(config: AppConfig): string[] {
  if (config.NODE_ENV !== 'production') return [];
  const lines: string[] = [];
  const secret = config.SESSION_SECRET;
  if (secret === DEVELOPMENT_SESSION_SECRET || secret.length < 32 || new Set(secret).size < SECRET_MIN_DISTINCT)
    lines.push(
      'SESSION_SECRET: weak (the development default, under 32 characters or too few different characters); set 32 or more random characters, e.g. the output of `openssl rand -base64 48`',
    );
  if (!config.SMTP_URL)
    lines.push(
      'SMTP_URL: unset, so emails (password reset links among them) would be written to disk; set SMTP_URL=smtps://user:password@smtp.example.org',
    );
  if (!config.PUBLIC_URL.startsWith('https://'))
    lines.push(
      `PUBLIC_URL: ${config.PUBLIC_URL} is not https; set the https address people reach the service at, e.g. PUBLIC_URL=https://grants.example.org`,
    );
  return lines;
}

/** Nest's own log levels for a LOG_LEVEL: 'warn' keeps start-up chatter out of test output. */
export function nestLogLevels(level: string): ('fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose')[] | false {
  const order = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
  const upTo = { fatal: 0, error: 1, warn: 2, info: 3, debug: 4, trace: 5 }[level];
  return upTo === undefined ? false : order.slice(0, upTo + 1);
}
