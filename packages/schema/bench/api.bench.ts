/**
 * `npm run bench:api`: the GraphQL API on a seeded database of 1,000 models x 150 leaf benchmarks
 * (10% of cells missing), the leaderboard and the correlations queries each under 50 concurrent
 * clients on loopback for 20 s (autocannon), the API in a child process. Prints p50/p95/p99 latency
 * and requests/s, the first (cold) request of each, and the goals: leaderboard p95 < 50 ms and
 * >= 500 req/s; correlations p95 < 100 ms. Then the leaderboard at a steady 500 requests/s while an
 * import writes (one model's 150 scores per transaction, about 4 transactions/s, so the data version
 * changes all the time and the board is rebuilt every cache period), twice: with the boards built in
 * worker threads (as deployed) and, as the baseline of the same run, on the request thread
 * (BENCH_INLINE); it prints p95 and the API's longest event-loop delay (perf_hooks
 * monitorEventLoopDelay in the server process) of each, and their ratios. Goals: p95 < 50 ms and no
 * event-loop delay over 50 ms with the workers.
 * Uses DATABASE_URL's server (a throw-away database on it) or a throw-away embedded PostgreSQL.
 * BENCH_DURATION (s) and BENCH_CONNECTIONS override 20 and 50.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { connect, type Database, setupDatabase, startEphemeralPostgres } from '@alignscope/db';
import { upsertScoresBulk } from '@alignscope/db/queries';
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

/** Load average now (1, 5, 15 min), printed with each measurement: other work shares the machine. */
function loadAverage(): string {
  return `load ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`;
}

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

type EventLoop = { maxMs: number; p99Ms: number; meanMs: number };
type Server = { child: ChildProcess; url: string; eventLoop(): Promise<EventLoop> };

async function startServer(dbUrl: string, inline = false): Promise<Server> {
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const child = spawn(
    process.execPath,
    [...profile, '--import', 'tsx', path.join(import.meta.dirname, 'server.ts')],
    {
      // As deployed (next start sets it too): graphql-js skips its development-only checks.
      env: {
        ...process.env,
        NODE_ENV: 'production',
        BENCH_DATABASE_URL: dbUrl,
        ...(inline ? { BENCH_INLINE: '1' } : {}),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`API server exited (${code})`)));
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
  });
  const waiting: ((e: EventLoop) => void)[] = [];
  lines.on('line', (line) => {
    const m = JSON.parse(line) as { eventLoop?: EventLoop };
    if (m.eventLoop) waiting.shift()?.(m.eventLoop);
  });
  return {
    child,
    url,
    /** The server's event-loop delay since the last call (and resets it). */
    eventLoop: () =>
      new Promise<EventLoop>((resolve) => {
        waiting.push(resolve);
        child.kill('SIGUSR2');
      }),
  };
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

async function load(url: string, query: string, duration = DURATION, rate?: number): Promise<Load> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance: autocannon.Instance = autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration,
        ...(rate ? { overallRate: rate } : {}),
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

/**
 * The leaderboard at a steady `RATE` requests/s for DURATION s while an import writes: one model's
 * leaf scores per transaction (new values), one transaction every 250 ms, model after model.
 */
const RATE = 500;
async function leaderboardUnderImport(
  db: Database,
  pool: pg.Pool,
  server: Server,
  importing = true,
): Promise<Load & { eventLoop: EventLoop; writes: number; load: string }> {
  await timed(server.url, LEADERBOARD);
  await load(server.url, LEADERBOARD, 3, RATE); // warm-up, not counted
  await server.eventLoop(); // reset
  const modelIds = (await pool.query<{ id: number }>('select id from models order by id')).rows.map(
    (r) => r.id,
  );
  const leaves = (
    await pool.query<{ id: number; version: number }>(
      "select id, version from benchmarks b where not exists (select 1 from benchmarks c where c.parent_id = b.id) and domain <> 'aggregate'",
    )
  ).rows;
  let writing = importing;
  let writes = 0;
  const writer = (async () => {
    for (let i = 0; writing; i++) {
      const modelId = modelIds[i % modelIds.length] as number;
      await upsertScoresBulk(
        db,
        leaves.map((b, j) => ({
          modelId,
          benchmarkId: b.id,
          benchmarkVersion: b.version,
          status: 'scored' as const,
          rawValue: ((i * 7919 + j * 104729) % 1000) / 1000,
          ceiledValue: ((i * 7919 + j * 104729) % 1000) / 1000,
        })),
      );
      writes++;
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const r = await load(server.url, LEADERBOARD, DURATION, RATE);
  writing = false;
  await writer;
  return { ...r, eventLoop: await server.eventLoop(), writes, load: loadAverage() };
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
        ` (${cold.correlations.bytes} bytes); ${loadAverage()}`,
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
        `${label.padEnd(13)} p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  ${r.rps.toFixed(0)} req/s  (${r.requests} requests, ${r.errors} errors, ${r.non2xx} non-2xx); ${loadAverage()}`,
      );
    }
    // The leaderboard while an import writes: workers (as deployed), then the in-line baseline.
    let underImport:
      | {
          workers: Awaited<ReturnType<typeof leaderboardUnderImport>>;
          inline: Awaited<ReturnType<typeof leaderboardUnderImport>>;
        }
      | undefined;
    if (!process.env.BENCH_ONLY || process.env.BENCH_ONLY === 'import') {
      // The control: the same load with nothing written (what the machine's load alone costs).
      const control = await leaderboardUnderImport(db, pool, started, false);
      console.log(
        `leaderboard at ${RATE} req/s, nothing written (control): p50 ${control.p50.toFixed(1)} ms  p95 ${control.p95.toFixed(1)} ms  p99 ${control.p99.toFixed(1)} ms  ${control.rps.toFixed(0)} req/s; API event loop: max delay ${control.eventLoop.maxMs.toFixed(1)} ms, p99 ${control.eventLoop.p99Ms.toFixed(1)} ms; ${control.load}`,
      );
      const workers = await leaderboardUnderImport(db, pool, started);
      started.child.kill('SIGTERM');
      const baseline = await startServer(dbUrl, true);
      child = baseline.child;
      const inline = await leaderboardUnderImport(db, pool, baseline);
      underImport = { workers, inline };
      for (const [label, r] of Object.entries(underImport)) {
        console.log(
          `leaderboard at ${RATE} req/s during an import, boards ${label === 'workers' ? 'built in worker threads' : 'built in line (baseline)'}: p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  ${r.rps.toFixed(0)} req/s  (${r.requests} requests, ${r.errors} errors, ${r.non2xx} non-2xx); ${r.writes} import transactions; API event loop: max delay ${r.eventLoop.maxMs.toFixed(1)} ms, p99 ${r.eventLoop.p99Ms.toFixed(1)} ms; ${r.load}`,
        );
      }
      console.log(
        `ratios workers / in-line baseline: p95 ${(workers.p95 / inline.p95).toFixed(3)}, p99 ${(workers.p99 / inline.p99).toFixed(3)}, event-loop max delay ${(workers.eventLoop.maxMs / inline.eventLoop.maxMs).toFixed(3)}`,
      );
      console.log(
        `ratios workers during the import / control (same load, nothing written): p95 ${(workers.p95 / control.p95).toFixed(3)}, event-loop max delay ${(workers.eventLoop.maxMs / control.eventLoop.maxMs).toFixed(3)}`,
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
      ...(underImport
        ? ([
            [`leaderboard p95 < 50 ms at ${RATE} req/s during an import`, underImport.workers.p95 < 50],
            [
              'API event loop never delayed > 50 ms during the import',
              underImport.workers.eventLoop.maxMs <= 50,
            ],
          ] as const)
        : []),
    ] as const;
    for (const [goal, met] of goals)
      console.log(`goal ${goal}: ${met ? 'met' : 'NOT met'} (${loadAverage()})`);
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
