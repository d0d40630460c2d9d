/**
 * Migration 0006 (score versions) on a database that already holds scores: an old-schema database
 * (migrations 0000 to 0005 only) gets scores from an import, an evaluation and no run; migrating it
 * to the current schema makes each score its cell's first version — same values, source from its
 * run's kind (none without a run), recorded at its last write — and each benchmark's version the
 * first entry of its history. A write after the migration adds a second version beside the first.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate as drizzleMigrate } from 'drizzle-orm/node-postgres/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, migrationsFolder } from '../src/migrate.ts';
import { upsertScore } from '../src/queries/index.ts';
import { createTestDb, type TestDb } from '../src/testing.ts';

/** The migrations folder as it was before 0006: the SQL files and a journal of entries 0 to 5. */
function oldMigrations(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'alignscope-migrations-'));
  mkdirSync(path.join(dir, 'meta'));
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  journal.entries = journal.entries.filter((e) => e.idx <= 5);
  expect(journal.entries.map((e) => e.tag).at(-1)).toBe('0005_great_edwin_jarvis');
  writeFileSync(path.join(dir, 'meta/_journal.json'), JSON.stringify(journal));
  for (const e of journal.entries) {
    copyFileSync(path.join(migrationsFolder, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
  }
  return dir;
}

describe('migration 0006 backfill', () => {
  let t: TestDb;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDb({ setup: false });
    dir = oldMigrations();
  });
  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('makes every existing score the first version of its cell', async () => {
    await drizzleMigrate(drizzle(t.pool), { migrationsFolder: dir });
    const q = async (text: string, values: unknown[] = []) => (await t.pool.query(text, values)).rows;
    // The old schema has no versions yet.
    expect(await q(`select to_regclass('score_versions') as t`)).toEqual([{ t: null }]);
    const [m] = await q(
      `insert into models (identifier, display_name) values ('old/resnet', 'ResNet') returning id`,
    );
    const [b1] = await q(
      `insert into benchmarks (identifier, domain, version) values ('Old-top1', 'engineering', 2) returning id`,
    );
    const [b2] = await q(
      `insert into benchmarks (identifier, domain, version) values ('Old-shape', 'behavioral', 1) returning id`,
    );
    const [b3] = await q(
      `insert into benchmarks (identifier, domain, version) values ('Old-robust', 'robustness', 1) returning id`,
    );
    const [imp] = await q(`insert into runs (kind, producer) values ('import', 'old-import') returning id`);
    const [ev] = await q(`insert into runs (kind, producer) values ('evaluation', 'old-eval') returning id`);
    const t1 = '2025-01-02T03:04:05.000Z';
    const t2 = '2025-02-03T04:05:06.000Z';
    const t3 = '2025-03-04T05:06:07.000Z';
    await q(
      `insert into scores (model_id, benchmark_id, benchmark_version, status, raw_value, ceiled_value, error, ceiling, run_id, updated_at)
       values ($1, $2, 2, 'scored', 0.7, 0.7, 0.01, null, $3, $5),
              ($1, $4, 1, 'scored', 0.4, 0.5, null, 0.8, $6, $7),
              ($1, $8, 1, 'failed', null, null, null, null, null, $9)`,
      [m.id, b1.id, imp.id, b2.id, t1, ev.id, t2, b3.id, t3],
    );

    await migrate(t.db);

    const versions = await q(
      `select b.identifier, v.benchmark_version, v.source, v.status, v.raw_value, v.ceiled_value, v.error,
         v.ceiling, v.run_id, v.recorded_at, v.ci_low, v.ci_method
       from score_versions v join benchmarks b on b.id = v.benchmark_id order by b.identifier`,
    );
    expect(versions).toEqual([
      {
        identifier: 'Old-robust',
        benchmark_version: 1,
        source: null,
        status: 'failed',
        raw_value: null,
        ceiled_value: null,
        error: null,
        ceiling: null,
        run_id: null,
        recorded_at: new Date(t3),
        ci_low: null,
        ci_method: null,
      },
      {
        identifier: 'Old-shape',
        benchmark_version: 1,
        source: 'evaluation',
        status: 'scored',
        raw_value: 0.4,
        ceiled_value: 0.5,
        error: null,
        ceiling: 0.8,
        run_id: ev.id,
        recorded_at: new Date(t2),
        ci_low: null,
        ci_method: null,
      },
      {
        identifier: 'Old-top1',
        benchmark_version: 2,
        source: 'import',
        status: 'scored',
        raw_value: 0.7,
        ceiled_value: 0.7,
        error: 0.01,
        ceiling: null,
        run_id: imp.id,
        recorded_at: new Date(t1),
        ci_low: null,
        ci_method: null,
      },
    ]);
    // The current rows carry the same source; each benchmark's version starts its history.
    expect(await q(`select source from scores order by benchmark_id`)).toEqual([
      { source: 'import' },
      { source: 'evaluation' },
      { source: null },
    ]);
    expect(
      await q(
        `select b.identifier, h.version from benchmark_versions h join benchmarks b on b.id = h.benchmark_id order by b.identifier`,
      ),
    ).toEqual([
      { identifier: 'Old-robust', version: 1 },
      { identifier: 'Old-shape', version: 1 },
      { identifier: 'Old-top1', version: 2 },
    ]);

    // A write after the migration keeps the first version beside the new one; the evaluation is current.
    const { score } = await upsertScore(t.db, {
      modelId: m.id,
      benchmarkId: b1.id,
      benchmarkVersion: 2,
      status: 'scored',
      rawValue: 0.72,
      ceiledValue: 0.72,
      source: 'evaluation',
      runId: ev.id,
    });
    expect(score.rawValue).toBe(0.72);
    expect(
      await q(`select source, raw_value from score_versions where benchmark_id = $1 order by id`, [b1.id]),
    ).toEqual([
      { source: 'import', raw_value: 0.7 },
      { source: 'evaluation', raw_value: 0.72 },
    ]);
  });
});
