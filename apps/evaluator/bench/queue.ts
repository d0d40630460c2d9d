/**
 * `npm run bench:queue`: the evaluation queue's own cost (issue 18).
 *
 * 1. Throughput of 1,000 no-op jobs with 1, 2 and 4 workers (each a graphile-worker runner of one
 *    worker with its own connection pool, as separate `alignscope worker` processes would have), and
 *    the queue's overhead per job (wall time per job with one worker). A no-op job goes through every
 *    step a real one does except the benchmark: the queue wakes a worker (get_job), the worker claims
 *    the job row (claimJob), ends it in a transaction (finishJob, the guard a score is written under)
 *    and graphile-worker completes its queue job. For comparison, graphile-worker alone: the same
 *    number of queue jobs whose task does nothing.
 * 2. AutoAttack checkpoint overhead: `cifar10.AutoAttack-Linf-1/255` on the bundle's ResNet-20 over
 *    `--images` CIFAR-10 images, run without a checkpoint store and with one that writes every
 *    checkpoint to Postgres (saveCheckpoint on a claimed job, as a worker does), alternately
 *    `--reps` times each; reports the wall-time ratio and the time spent inside the checkpoint writes.
 *
 * Uses DATABASE_URL's server (a throw-away database on it) or a throw-away embedded PostgreSQL.
 *   npm run bench:queue -- --jobs 1000 --images 16 --reps 2 [--json] [--skip-attack]
 */
import { parseArgs } from 'node:util';
import { needsDataBundle } from '@alignscope/config/testing';
import { connect, setupDatabase, startEphemeralPostgres } from '@alignscope/db';
import { claimJob, enqueueJobs, finishJob, saveCheckpoint, upsertModel } from '@alignscope/db/queries';
import { type Runner, run, runMigrations, type Task } from 'graphile-worker';
import pg from 'pg';
import { evaluate } from '../src/evaluate/evaluate.ts';
import { closeModels } from '../src/models/session.ts';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '1000' },
    workers: { type: 'string', default: '1,2,4' },
    images: { type: 'string', default: '16' },
    reps: { type: 'string', default: '2' },
    json: { type: 'boolean', default: false },
    'skip-attack': { type: 'boolean', default: false },
  },
});
const JOBS = Number(values.jobs);
const WORKERS = values.workers.split(',').map(Number);
const IMAGES = Number(values.images);
const REPS = Number(values.reps);

const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};
async function admin(url: string, sql: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(sql);
  await c.end();
}
const say = (m: string) => {
  if (!values.json) console.log(m);
};

const external = process.env.DATABASE_URL;
const embedded = external ? undefined : await startEphemeralPostgres();
const serverUrl = external ?? (embedded?.url as string);
const name = `alignscope_bench_queue_${process.pid}`;
await admin(serverUrl, `create database ${name}`);
const url = withDatabase(serverUrl, name);
const app = connect(url, 4);
const result: Record<string, unknown> = {
  jobs: JOBS,
  database: embedded ? 'embedded' : 'DATABASE_URL server',
};
try {
  await setupDatabase(app.db);
  await runMigrations({ connectionString: url, logger: undefined });
  const { model } = await upsertModel(app.db, {
    identifier: 'bench-noop',
    displayName: 'no-op',
    onnxSha256: '0'.repeat(64),
  });

  // 1. no-op jobs
  const noop: Task = async (payload, helpers) => {
    const jobId = (payload as { jobId: number }).jobId;
    const claimed = await claimJob(app.db, { jobId, worker: helpers.job.locked_by, staleSeconds: 30 });
    if (!claimed) return;
    await app.db.transaction((tx) =>
      finishJob(tx, { jobId, claim: claimed.claim, state: 'succeeded', computeSeconds: 0 }),
    );
  };
  const throughput: { workers: number; seconds: number; jobsPerSecond: number; msPerJobPerWorker: number }[] =
    [];
  for (const w of WORKERS) {
    await app.pool.query('delete from evaluation_jobs');
    await enqueueJobs(app.db, {
      modelId: model.id,
      jobs: Array.from({ length: JOBS }, (_, i) => ({
        benchmark: 'noop',
        benchmarkVersion: 1,
        configuration: { i, w },
      })),
    });
    const pools = Array.from({ length: w }, () => new pg.Pool({ connectionString: url, max: 3 }));
    const t0 = performance.now();
    const runners: Runner[] = await Promise.all(
      pools.map((pgPool) =>
        run({
          pgPool,
          concurrency: 1,
          noHandleSignals: true,
          pollInterval: 1000,
          parsedCronItems: [],
          taskList: { 'evaluate:noop': noop },
          logger: undefined,
        }),
      ),
    );
    for (;;) {
      const r = await app.pool.query(
        `select count(*)::int as n from evaluation_jobs where state = 'succeeded'`,
      );
      if (r.rows[0].n === JOBS) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    const seconds = (performance.now() - t0) / 1000;
    await Promise.all(runners.map((r) => r.stop()));
    await Promise.all(pools.map((p) => p.end()));
    const row = {
      workers: w,
      seconds: Math.round(seconds * 100) / 100,
      jobsPerSecond: Math.round(JOBS / seconds),
      msPerJobPerWorker: Math.round(((seconds * 1000 * w) / JOBS) * 100) / 100,
    };
    throughput.push(row);
    say(
      `${JOBS} no-op jobs, ${w} worker(s): ${row.seconds} s, ${row.jobsPerSecond} jobs/s, ${row.msPerJobPerWorker} ms per job per worker`,
    );
  }
  result.throughput = throughput;
  // graphile-worker alone (a task that does nothing, one worker): the share of the overhead that is
  // the queue library's, the rest being the job row's claim and finish
  {
    const pgPool = new pg.Pool({ connectionString: url, max: 3 });
    const bare = JOBS;
    await app.pool.query(
      `select graphile_worker.add_job('bare', '{}'::json) from generate_series(1, $1::int)`,
      [bare],
    );
    const t0 = performance.now();
    const r = await run({
      pgPool,
      concurrency: 1,
      noHandleSignals: true,
      pollInterval: 1000,
      parsedCronItems: [],
      taskList: { bare: async () => {} },
      logger: undefined,
    });
    for (;;) {
      const left = await app.pool.query('select count(*)::int as n from graphile_worker._private_jobs');
      if (left.rows[0].n === 0) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    const ms = performance.now() - t0;
    await r.stop();
    await pgPool.end();
    result.graphileOnlyMsPerJob = Math.round((ms / bare) * 100) / 100;
    say(`graphile-worker alone (empty task, 1 worker): ${(ms / bare).toFixed(2)} ms per job`);
  }
  const one = throughput.find((t) => t.workers === 1);
  if (one) {
    result.overheadMsPerJob = one.msPerJobPerWorker;
    say(`queue overhead per job (1 worker): ${one.msPerJobPerWorker} ms`);
  }

  // 2. AutoAttack checkpoint overhead
  const bundle = needsDataBundle(
    ['models/cifar10_resnet20.onnx', 'models/cifar10_resnet20.json', 'cifar10/test'],
    'bench:queue (AutoAttack part)',
  );
  if (!values['skip-attack'] && !bundle.missing) {
    const benchmark = 'cifar10.AutoAttack-Linf-1/255';
    const base = {
      model: bundle.path('models/cifar10_resnet20.onnx'),
      card: bundle.path('models/cifar10_resnet20.json'),
      benchmarks: [benchmark],
      limit: IMAGES,
      threads: 2,
    };
    const plain: number[] = [];
    const withCheckpoints: number[] = [];
    const writeMs: number[] = [];
    let writes = 0;
    let bytes = 0;
    let flags: unknown;
    // warm-up (model load, graph building, image decoding caches), not counted
    await evaluate({ ...base, limit: 2 }, null);
    for (let rep = 0; rep < REPS; rep++) {
      const runPlain = async () => {
        const t0 = performance.now();
        const [r] = await evaluate(base, null);
        plain.push(performance.now() - t0);
        return r;
      };
      // odd repetitions run the checkpointed run first, so an order effect cancels out
      const first = rep % 2 === 1 ? undefined : await runPlain();
      const [job] = await enqueueJobs(app.db, {
        modelId: model.id,
        jobs: [{ benchmark, benchmarkVersion: 1, configuration: { rep, limit: IMAGES } }],
      });
      const claimed = await claimJob(app.db, {
        jobId: job?.job.id as number,
        worker: 'bench',
        staleSeconds: 30,
      });
      if (!claimed) throw new Error('bench: could not claim the checkpoint job');
      let inside = 0;
      const t0 = performance.now();
      const [b] = await evaluate(
        {
          ...base,
          checkpoint: {
            saved: null,
            async save(state) {
              const s0 = performance.now();
              await saveCheckpoint(app.db, {
                jobId: claimed.job.id,
                claim: claimed.claim,
                checkpoint: state,
              });
              inside += performance.now() - s0;
              writes += 1;
              bytes += JSON.stringify(state).length;
            },
          },
        },
        null,
      );
      withCheckpoints.push(performance.now() - t0);
      writeMs.push(inside);
      const a = first ?? (await runPlain());
      // the checkpointed run must give the same result as the plain one
      if (a?.raw !== b?.raw) throw new Error(`bench: checkpointed run scored ${b?.raw}, plain ${a?.raw}`);
      flags = a?.raw;
      say(
        `AutoAttack ${benchmark}, ${IMAGES} images, rep ${rep + 1}${rep % 2 === 1 ? ' (checkpointed first)' : ''}: plain ${((plain[rep] as number) / 1000).toFixed(2)} s, with checkpoints ${((withCheckpoints[rep] as number) / 1000).toFixed(2)} s (${(inside / 1000).toFixed(3)} s inside checkpoint writes)`,
      );
    }
    const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
    const ratio = sum(withCheckpoints) / sum(plain);
    const share = sum(writeMs) / sum(withCheckpoints);
    result.autoattack = {
      benchmark,
      images: IMAGES,
      reps: REPS,
      robustAccuracy: flags,
      plainSeconds: plain.map((x) => Math.round(x) / 1000),
      checkpointSeconds: withCheckpoints.map((x) => Math.round(x) / 1000),
      ratio: Math.round(ratio * 1000) / 1000,
      checkpointWrites: writes / REPS,
      checkpointBytesPerWrite: Math.round(bytes / Math.max(1, writes)),
      shareInsideWrites: Math.round(share * 10000) / 10000,
    };
    say(
      `checkpoint overhead: wall-time ratio ${ratio.toFixed(3)} (goal < 1.05); ${(share * 100).toFixed(2)} % of the checkpointed runs' time inside ${writes / REPS} checkpoint writes per run (${Math.round(bytes / Math.max(1, writes))} bytes each)`,
    );
    await closeModels();
  }
  if (values.json) console.log(JSON.stringify(result, null, 2));
} finally {
  await app.pool.end();
  await admin(serverUrl, `drop database if exists ${name} with (force)`).catch(() => {});
  await embedded?.stop();
}
