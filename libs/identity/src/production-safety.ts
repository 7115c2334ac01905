import { AppConfig, configError, unsafeProductionSettings } from '@sg/config';
import { dataSourceOptions } from '@sg/persistence';
import { DataSource } from 'typeorm';
import { hashApiToken } from './api-tokens';
import { DEVELOPMENT_USERS } from './development-users';
import { findPublishedCredentials } from './development-users.store';

/**
 * The development users' accounts and tokens in a database, as lines naming the fix. Their
 * password and tokens are published (README, docs/api.md): in production they are a way in.
 */
export async function publishedCredentialProblems(db: Pick<DataSource, 'query'>): Promise<string[]> {
  const found = await findPublishedCredentials(
    db,
    DEVELOPMENT_USERS.map((u) => u.email),
    DEVELOPMENT_USERS.map((u) => hashApiToken(u.token)),
  );
  const lines: string[] = [];
  if (found.emails.length > 0)
    lines.push(
      `DATABASE_URL: the database holds development users (${found.emails.join(', ')}) whose password is published; delete them or set up a fresh database (NODE_ENV is production; unset means production)`,
    );
  if (found.tokens > 0)
    lines.push(
      `DATABASE_URL: ${found.tokens} API token(s) in the database are published development API tokens (dev-…-token); revoke them or delete their users`,
    );
  return lines;
}

/**
 * Stops a production API or worker that would run unsafe: a weak SESSION_SECRET, no SMTP_URL, a
 * PUBLIC_URL that is not https, or the development users and tokens in its database. Every
 * problem is reported at once, one line each naming the variable and the fix. Outside production
 * it does nothing (and opens no connection).
 */
export async function refuseUnsafeProduction(config: AppConfig): Promise<void> {
  if (config.NODE_ENV !== 'production') return;
  const lines = unsafeProductionSettings(config);
  const ds = new DataSource(dataSourceOptions(config.DATABASE_URL, 1));
  await ds.initialize();
  try {
    lines.push(...(await publishedCredentialProblems(ds)));
  } finally {
    await ds.destroy();
  }
  if (lines.length > 0) throw configError(lines);
}
