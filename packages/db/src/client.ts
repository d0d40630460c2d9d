import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Config, loadConfig } from '@alignscope/config';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { type EmbeddedServer, findRunningServer, startEmbeddedPostgres } from './embedded.ts';
import * as tables from './tables/index.ts';

export type Database = NodePgDatabase<typeof tables>;

export type DbHandle = {
  db: Database;
  pool: pg.Pool;
  /** The connection URL (contains the password: never log it, use redactUrl). */
  url: string;
  /** Where the database came from. */
  source: 'DATABASE_URL' | 'embedded (shared)' | 'embedded (started)';
  /** Closes the pool, and stops the embedded server if this process started it. */
  close(): Promise<void>;
};

/** A database that cannot be reached; its message is one line naming where and why. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable database URL>';
  }
}

/** A no-op 'error' listener on a pool's client (see connect). */
export function ignoreClientErrors(client: pg.PoolClient): void {
  client.on('error', () => {});
}

export function connect(url: string, max = 10): { db: Database; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 10_000 });
  // A client losing its server (restart, shutdown) must not crash the process: an idle one reports
  // through the pool's 'error', a checked-out one (a transaction, a long query) through its own, which
  // pg emits with no listener otherwise (an uncaught exception). Its queries still fail; the caller
  // sees that and the pool discards the client.
  pool.on('error', () => {});
  pool.on('connect', ignoreClientErrors);
  return { db: drizzle(pool, { schema: tables, casing: 'snake_case' }), pool };
}

async function checkReachable(pool: pg.Pool, url: string): Promise<void> {
  try {
    await pool.query('select 1');
  } catch (e) {
    await pool.end().catch(() => {});
    const err = e as NodeJS.ErrnoException & { code?: string };
    const reason = err.code ? `${err.code}: ${err.message}` : err.message;
    throw new DatabaseUnavailableError(
      `cannot reach the database at ${redactUrl(url)} (${reason.split('\n')[0]})`,
    );
  }
}

/**
 * Opens the database: DATABASE_URL when set; otherwise the embedded PostgreSQL of ALIGNSCOPE_HOME —
 * the one another alignscope process already runs (found through its server file), or a new one
 * started here (`startEmbedded: false` refuses that and throws instead).
 */
export async function createDb(
  opts: { config?: Config; startEmbedded?: boolean; poolSize?: number } = {},
): Promise<DbHandle> {
  const config = opts.config ?? loadConfig();
  if (config.databaseUrl) {
    const { db, pool } = connect(config.databaseUrl, opts.poolSize);
    await checkReachable(pool, config.databaseUrl);
    return { db, pool, url: config.databaseUrl, source: 'DATABASE_URL', close: () => pool.end() };
  }
  const shared = await findRunningServer(config.home);
  if (shared) {
    const { db, pool } = connect(shared, opts.poolSize);
    await checkReachable(pool, shared);
    return { db, pool, url: shared, source: 'embedded (shared)', close: () => pool.end() };
  }
  if (opts.startEmbedded === false) {
    throw new DatabaseUnavailableError(
      `no database: DATABASE_URL is not set and no embedded database is running in ${config.home} (start one with \`npm start\`)`,
    );
  }
  mkdirSync(config.home, { recursive: true });
  const server: EmbeddedServer = await startEmbeddedPostgres({
    dataDir: path.join(config.home, 'pgdata'),
    persistent: true,
    home: config.home,
    logFile: path.join(config.home, 'postgres.log'),
  });
  const { db, pool } = connect(server.url, opts.poolSize);
  await checkReachable(pool, server.url);
  return {
    db,
    pool,
    url: server.url,
    source: 'embedded (started)',
    async close() {
      await pool.end().catch(() => {});
      await server.stop();
    },
  };
}
