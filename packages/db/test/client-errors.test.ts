/**
 * A pool client that loses its server while checked out (a transaction, a long query: what the
 * database restart of apps/evaluator/test/jobs-db-restart.test.ts hit under load) must not crash the
 * process. pg emits 'error' on such a client, and with no listener that is an uncaught exception,
 * which Vitest reports as an error of the run (so this file fails without the listener).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../src/testing.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb({ setup: false });
});
afterAll(async () => {
  await t?.close();
});

describe('connect(): a checked-out client whose server goes away', () => {
  it('fails its queries and leaves the process and the pool working', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      const client = await t.pool.connect();
      const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
      const pid = rows[0]?.pid as number;
      // connect() gave it a listener (no other is added here: without it pg's 'error' is uncaught)
      expect(client.listenerCount('error')).toBeGreaterThan(0);
      const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
      // the server ends this backend (as a restart or shutdown would), from another connection
      const admin = new pg.Client({ connectionString: t.url });
      await admin.connect();
      await admin.query('select pg_terminate_backend($1)', [pid]);
      await admin.end();
      await ended;
      await expect(client.query('select 1')).rejects.toThrow();
      client.release(true);
      // the pool opens a fresh client for the next query
      expect((await t.pool.query<{ one: number }>('select 1 as one')).rows[0]?.one).toBe(1);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
