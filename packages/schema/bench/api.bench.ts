/**
 * `npm run bench:api`: the GraphQL API on a seeded database of 1,000 models x 150 leaf benchmarks
 * (10% of cells missing), the leaderboard and the correlations queries each under 50 concurrent
 * clients on loopback for 20 s (autocannon), the API in a child process. Prints p50/p95/p99 latency
 * and requests/s, the first (cold) request of each, and the goals: leaderboard p95 < 50 ms and
 * >= 500 req/s; correlations p95 < 100 ms. Uses DATABASE_URL's server (a throw-away database on it)
 * or a throw-away embedded PostgreSQL. BENCH_DURATION (s) and BENCH_CONNECTIONS override 20 and 50.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { connect, type Database, setupDatabase, startEphemeralPostgres } from '@alignscope/db';
import autocannon from 'autocannon';
import pg from 'pg';
import { addSyntheticBenchmarks, leafBenchmarks, seedResults } from '../../../test/support/seed.ts';

const MODELS = 1000;
const LEAVES = 150;
const DURATION = Number(process.env.BENCH_DURATION ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

const LEADERBOARD = `query Leaderboard {
  leaderboard(root: "average_vision", missing: ZERO, first: 50) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { rank score model { identifier displayName family } children { benchmark { identifier } value } } }
  }
}`;
const CORRELATIONS = `query Correlations {
  correlations(target: "AutoAttack-Linf-1/255", method: SPEARMAN) {
    benchmark { identifier }
    n coefficient pValue qValue ciLow ciHigh rankingAccuracy r2 fStatistic fPValue slope intercept significant reason
  }
}`;

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(sql);
  await c.end();
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

async function startServer(dbUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const child = spawn(
    process.execPath,
    [...profile, '--import', 'tsx', path.join(import.meta.dirname, 'server.ts')],
    {
      // As deployed (next start sets it too): graphql-js skips its development-only checks.
      env: { ...process.env, NODE_ENV: 'production', BENCH_DATABASE_URL: dbUrl },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`API server exited (${code})`)));
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
  });
  return { child, url };
}

async function timed(url: string, query: string): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const text = await res.text();
  const body = JSON.parse(text) as { errors?: unknown[] };
  if (res.status !== 200 || body.errors) throw new Error(`query failed: ${text.slice(0, 300)}`);
  return { ms: performance.now() - t0, bytes: text.length };
}

type Load = {
  p50: number;
  p95: number;
  p99: number;
  rps: number;
  requests: number;
  errors: number;
  non2xx: number;
};

async function load(url: string, query: string, duration = DURATION): Promise<Load> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance: autocannon.Instance = autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      },
      (err: Error | null, res: autocannon.Result) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) =>
      latencies.push(ms),
    );
  });
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    rps: result.requests.total / duration,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

async function seed(db: Database, pool: pg.Pool): Promise<void> {
  await setupDatabase(db);
  const have = (await leafBenchmarks(db)).length;
  await addSyntheticBenchmarks(db, Math.max(0, LEAVES - have), [
    { identifier: 'V1', domain: 'neural' },
    { identifier: 'V2', domain: 'neural' },
    { identifier: 'V4', domain: 'neural' },
    { identifier: 'IT', domain: 'neural' },
    { identifier: 'Geirhos2021-error_consistency', domain: 'behavioral' },
    { identifier: 'behavior_vision', domain: 'behavioral' },
    { identifier: 'Hermann2020', domain: 'engineering' },
  ]);
  const seeded = await seedResults(db, { models: MODELS, seed: 42, missingRate: 0.1, failedRate: 0.01 });
  if (seeded.leaves.length !== LEAVES || seeded.models.length !== MODELS) {
    throw new Error(
      `seeded ${seeded.models.length} x ${seeded.leaves.length}, expected ${MODELS} x ${LEAVES}`,
    );
  }
  await pool.query('analyze');
}

async function main() {
  const external = process.env.DATABASE_URL;
  const embedded = external ? undefined : await startEphemeralPostgres();
  const serverUrl = external ?? (embedded?.url as string);
  // BENCH_REUSE=<database> runs against a database seeded by an earlier run kept with BENCH_KEEP=1.
  const reuse = process.env.BENCH_REUSE;
  const name = reuse ?? `alignscope_bench_${randomBytes(4).toString('hex')}`;
  if (!reuse) await admin(serverUrl, `create database ${name}`);
  const dbUrl = withDatabase(serverUrl, name);
  const { db, pool } = connect(dbUrl, 4);
  let child: ChildProcess | undefined;
  try {
    const t0 = performance.now();
    if (!reuse) await seed(db, pool);
    console.log(
      `seeded ${MODELS} models x ${LEAVES} leaf benchmarks in ${((performance.now() - t0) / 1000).toFixed(1)} s` +
        ` (${embedded ? 'embedded PostgreSQL' : 'DATABASE_URL server'}${reuse ? `, reused ${reuse}` : ''})`,
    );
    const started = await startServer(dbUrl);
    child = started.child;
    const cold = {
      leaderboard: await timed(started.url, LEADERBOARD),
      correlations: await timed(started.url, CORRELATIONS),
    };
    console.log(
      `first requests (snapshot read, aggregation, correlate with a 1,000-resample bootstrap): leaderboard ${cold.leaderboard.ms.toFixed(0)} ms, correlations ${cold.correlations.ms.toFixed(0)} ms` +
        ` (${cold.correlations.bytes} bytes)`,
    );
    console.log(
      `load: ${CONNECTIONS} connections x ${DURATION} s each after a 3 s warm-up, loopback, ${availableParallelism()} CPUs, load average ${loadavg()[0]?.toFixed(2)}`,
    );
    const results: Record<string, Load> = {};
    for (const [label, q] of [
      ['leaderboard', LEADERBOARD],
      ['correlations', CORRELATIONS],
    ] as const) {
      if (process.env.BENCH_ONLY && process.env.BENCH_ONLY !== label) continue;
      await load(started.url, q, 3); // warm-up (JIT, connections), not counted
      results[label] = await load(started.url, q);
      const r = results[label];
      console.log(
        `${label.padEnd(13)} p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  ${r.rps.toFixed(0)} req/s  (${r.requests} requests, ${r.errors} errors, ${r.non2xx} non-2xx)`,
      );
    }
    const none: Load = { p50: NaN, p95: NaN, p99: NaN, rps: NaN, requests: 0, errors: 0, non2xx: 0 };
    const lb = results.leaderboard ?? none;
    const co = results.correlations ?? none;
    const goals = [
      [`leaderboard p95 < 50 ms`, lb.p95 < 50],
      [`leaderboard >= 500 req/s`, lb.rps >= 500],
      [`correlations p95 < 100 ms`, co.p95 < 100],
      ['no errors', lb.errors + lb.non2xx + co.errors + co.non2xx === 0],
    ] as const;
    for (const [goal, met] of goals) console.log(`goal ${goal}: ${met ? 'met' : 'NOT met'}`);
    process.exitCode = goals.every(([, met]) => met) ? 0 : 1;
  } finally {
    child?.kill('SIGTERM');
    await pool.end();
    if (process.env.BENCH_KEEP) console.log(`kept database ${name} (BENCH_REUSE=${name} to run on it again)`);
    else await admin(serverUrl, `drop database if exists ${name} with (force)`).catch(() => {});
    await embedded?.stop();
  }
}

await main();
