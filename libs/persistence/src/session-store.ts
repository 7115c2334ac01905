import connectPgSimple from 'connect-pg-simple';
import { Pool } from 'pg';

/**
 * The portal's sessions live in PostgreSQL (table `sessions`), on a small pool of their own so
 * that page sign-ins never wait behind the API's transactions. `sessionPlugin` is the session
 * plugin the store serves (connect-pg-simple only reads its `Store` class).
 */
export function createSessionStore(
  sessionPlugin: unknown,
  options: { databaseUrl: string; pruneExpired: boolean },
): { store: unknown; close: () => Promise<void> } {
  const pool = new Pool({ connectionString: options.databaseUrl, max: 3, application_name: 'small-grants-sessions' });
  const PgStore = connectPgSimple(sessionPlugin as never);
  const store = new PgStore({
    pool,
    tableName: 'sessions',
    createTableIfMissing: false,
    pruneSessionInterval: options.pruneExpired ? 15 * 60 : false,
  });
  return {
    store,
    close: async () => {
      store.close();
      await pool.end();
    },
  };
}
