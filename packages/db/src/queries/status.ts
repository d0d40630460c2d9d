import { sql } from 'drizzle-orm';
import type { Database } from '../client.ts';

export type DbStatus = {
  serverVersion: string;
  migrationsApplied: number;
  lastMigrationAt: string | null;
  counts: { models: number; benchmarks: number; scores: number; runs: number; apiKeys: number };
};

/** Server version, applied migrations and row counts (for `alignscope db status`). */
export async function dbStatus(db: Database): Promise<DbStatus> {
  const version = await db.execute<{ v: string }>(sql`select current_setting('server_version') as v`);
  let migrationsApplied = 0;
  let lastMigrationAt: string | null = null;
  const hasTable = await db.execute<{ t: string | null }>(
    sql`select to_regclass('drizzle.__drizzle_migrations')::text as t`,
  );
  if (hasTable.rows[0]?.t) {
    const m = await db.execute<{ n: number; last: string | null }>(
      sql`select count(*)::int as n, max(created_at)::text as last from drizzle.__drizzle_migrations`,
    );
    migrationsApplied = m.rows[0]?.n ?? 0;
    const last = m.rows[0]?.last;
    lastMigrationAt = last ? new Date(Number(last)).toISOString() : null;
  }
  const counts = { models: 0, benchmarks: 0, scores: 0, runs: 0, apiKeys: 0 };
  if (migrationsApplied > 0) {
    const c = await db.execute<Record<string, number>>(sql`select
      (select count(*)::int from models) as models,
      (select count(*)::int from benchmarks) as benchmarks,
      (select count(*)::int from scores) as scores,
      (select count(*)::int from runs) as runs,
      (select count(*)::int from api_keys) as "apiKeys"`);
    Object.assign(counts, c.rows[0]);
  }
  return { serverVersion: version.rows[0]?.v ?? 'unknown', migrationsApplied, lastMigrationAt, counts };
}
