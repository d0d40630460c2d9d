/**
 * Test helpers: a throw-away database per test file on a real PostgreSQL — the server named by
 * DATABASE_URL, or an ephemeral embedded one started by the test run's global setup.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { connect, type Database } from './client.ts';
import { setupDatabase } from './setup.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    testServerUrl: string;
  }
}

export type TestDb = { db: Database; pool: pg.Pool; url: string; name: string; close(): Promise<void> };

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh database, migrated and seeded (unless `setup: false`), dropped by close(). */
export async function createTestDb(opts: { setup?: boolean } = {}): Promise<TestDb> {
  const server = inject('testServerUrl');
  if (!server) throw new Error('no test database server: run the tests through vitest (global setup)');
  const name = `alignscope_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = withDatabase(server, name);
  const { db, pool } = connect(url, 5);
  if (opts.setup !== false) await setupDatabase(db);
  return {
    db,
    pool,
    url,
    name,
    async close() {
      await pool.end();
      const a = new pg.Client({ connectionString: server });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
