/**
 * `npm run bench:history`: the board read as of a past time against the current-value read, on
 * 1,000 models x 150 leaf benchmarks (10 % of cells missing) with 5 versions per cell (the seed's
 * value, then 4 later versions of alternating sources, 1 minute apart). Times `boardData(db)` (the
 * `scores` table of current values) and `boardData(db, { asOf })` (the versions recorded by then,
 * chosen by the rule), each the median of 5 reads after one warm-up, in the same run, and prints the
 * ratio (goal: within 2x). Uses DATABASE_URL's server (a throw-away database on it) or a throw-away
 * embedded PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { addSyntheticBenchmarks, leafBenchmarks, seedResults } from '../../../test/support/seed.ts';
import { connect, setupDatabase, startEphemeralPostgres } from '../src/index.ts';
import { boardData } from '../src/queries/index.ts';

const MODELS = 1000;
const LEAVES = 150;
const VERSIONS = 5;

async function admin(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(sql);
  await c.end();
}

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[2] as number;
}

async function main() {
  const external = process.env.DATABASE_URL;
  const embedded = external ? undefined : await startEphemeralPostgres();
  const serverUrl = external ?? (embedded?.url as string);
  const name = `alignscope_bench_${randomBytes(4).toString('hex')}`;
  await admin(serverUrl, `create database ${name}`);
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const { db, pool } = connect(u.toString(), 4);
  try {
    const t0 = performance.now();
    await setupDatabase(db);
    const have = (await leafBenchmarks(db)).length;
    await addSyntheticBenchmarks(db, Math.max(0, LEAVES - have), [
      { identifier: 'V1', domain: 'neural' },
      { identifier: 'IT', domain: 'neural' },
      { identifier: 'behavior_vision', domain: 'behavioral' },
      { identifier: 'Hermann2020', domain: 'engineering' },
    ]);
    await seedResults(db, { models: MODELS, seed: 42, missingRate: 0.1, failedRate: 0.01 });
    // 4 more versions per cell, 1 .. 4 minutes later, sources alternating; then the current values.
    await pool.query(`insert into score_versions (model_id, benchmark_id, benchmark_version, source, status,
        raw_value, ceiled_value, recorded_at)
      select v.model_id, v.benchmark_id, v.benchmark_version,
        (array['import','submission','evaluation','import']::score_source[])[k], v.status,
        v.raw_value * (1 + 0.01 * k), v.ceiled_value * (1 + 0.01 * k), v.recorded_at + k * interval '1 minute'
      from score_versions v, generate_series(1, ${VERSIONS - 1}) k`);
    await pool.query(`update scores s set raw_value = s.raw_value * 1.03, ceiled_value = s.ceiled_value * 1.03,
      source = 'evaluation'`);
    await pool.query('analyze');
    const n = (await pool.query('select count(*)::int as n from score_versions')).rows[0].n as number;
    const first = (await pool.query('select min(recorded_at) as t from score_versions')).rows[0].t as Date;
    console.log(
      `seeded ${MODELS} models x ${LEAVES} leaf benchmarks, ${n} score versions in ${((performance.now() - t0) / 1000).toFixed(1)} s` +
        ` (${embedded ? 'embedded PostgreSQL' : 'DATABASE_URL server'})`,
    );
    const asOf = new Date(first.getTime() + 150_000); // between the 3rd and the 4th version
    const current = await median(() => boardData(db));
    const past = await median(() => boardData(db, { asOf }));
    const cells = (await boardData(db, { asOf })).scores.length;
    console.log(`boardData (current values):      ${current.toFixed(0)} ms`);
    console.log(`boardData (asOf, ${cells} cells): ${past.toFixed(0)} ms`);
    console.log(`ratio asOf / current: ${(past / current).toFixed(2)} (goal <= 2)`);
  } finally {
    await pool.end();
    await admin(serverUrl, `drop database ${name}`);
    await embedded?.stop();
  }
}

await main();
