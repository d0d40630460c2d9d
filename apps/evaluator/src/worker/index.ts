import { connect, type Database } from '@alignscope/db';
import {
  evaluationTask,
  registerEvaluatorBenchmarks,
  STUDY_RUN_TASK,
  staleWorkers,
  wakeQueuedJobs,
  wakeStaleJobs,
} from '@alignscope/db/queries';
import { Logger, type Runner, run, type TaskList } from 'graphile-worker';
import pg from 'pg';
import { benchmarkPlugins } from '../benchmarks/registry.ts';
import { InputError } from '../errors.ts';
import type { ExecutionProvider } from '../models/session.ts';
import { evaluationJobTask } from './job.ts';
import ping from './tasks/ping.ts';
import studyRun from './tasks/study-run.ts';

/** What a task gets besides its payload: the platform's database through the queries layer. */
export type WorkerContext = { db: Database };
/** A task file default-exports a factory of its graphile-worker Task. */
export type TaskFactory = (ctx: WorkerContext) => import('graphile-worker').Task;

export type WorkerOptions = {
  connectionString: string;
  concurrency?: number;
  executionProvider?: ExecutionProvider;
  /** Only these benchmarks (default: every benchmark this evaluator runs). */
  benchmarks?: readonly string[];
  /** A running job without a heartbeat for this long is taken over (default 30 s). */
  staleSeconds?: number;
  /** Heartbeat and progress interval (default 2 s). */
  heartbeatMs?: number;
  /** How often new jobs are polled for besides LISTEN/NOTIFY (default 2 s). */
  pollIntervalMs?: number;
  log?: (message: string) => void;
  /** The queue library's own messages: only its warnings and errors, through `log` (default: its console log). */
  quietQueue?: boolean;
};

export type Worker = { runner: Runner; stop(): Promise<void> };

/**
 * Starts an evaluator worker on the Postgres-backed queue (graphile-worker). Workers on any number of
 * machines pull from the same database, so scaling out is starting more of them. On start it
 * registers the benchmarks it runs (what the API accepts), wakes jobs queued while no worker had
 * installed the queue, and every few seconds hands the jobs of dead workers (stale heartbeat) back to
 * the queue.
 */
export async function startWorker(opts: WorkerOptions): Promise<Worker> {
  const concurrency = opts.concurrency ?? 1;
  const staleSeconds = opts.staleSeconds ?? 30;
  const log = opts.log ?? ((m: string) => console.log(`alignscope worker: ${m}`));
  const plugins = await benchmarkPlugins();
  const queueable = [...plugins.values()].filter((p) => p.queueable !== false).map((p) => p.identifier);
  const ids = opts.benchmarks ? [...opts.benchmarks] : queueable.sort();
  for (const id of ids) {
    const p = plugins.get(id);
    if (!p)
      throw new InputError(`unknown benchmark "${id}"; the evaluator runs: ${queueable.sort().join(', ')}`);
    if (p.queueable === false)
      throw new InputError(`${id} needs inputs a queued job cannot carry; run it with alignscope evaluate`);
  }
  // Our own pools, so a server going away (restart, shutdown) is an event we ignore, not a crash.
  const pgPool = new pg.Pool({ connectionString: opts.connectionString, max: concurrency + 2 });
  pgPool.on('error', () => {});
  const app = connect(opts.connectionString, concurrency * 2 + 2);
  const shutdown = new AbortController();
  const jobTask = evaluationJobTask({
    db: app.db,
    executionProvider: opts.executionProvider,
    staleSeconds,
    heartbeatMs: opts.heartbeatMs ?? 2000,
    shutdown: shutdown.signal,
    log,
  });
  const taskList: TaskList = { ping: ping({ db: app.db }), [STUDY_RUN_TASK]: studyRun({ db: app.db }) };
  for (const id of ids) taskList[evaluationTask(id)] = jobTask;
  const runner = await run({
    pgPool,
    concurrency,
    noHandleSignals: true,
    pollInterval: opts.pollIntervalMs ?? 2000,
    parsedCronItems: [],
    taskList,
    ...(opts.quietQueue
      ? {
          logger: new Logger(() => (level, message) => {
            if (level === 'error' || level === 'warning') log(`queue ${level}: ${message}`);
          }),
        }
      : {}),
  });
  await registerEvaluatorBenchmarks(
    app.db,
    ids.map((id) => {
      const p = plugins.get(id);
      return { identifier: id, version: p?.version ?? 1, labelSpace: p?.labelSpace ?? '' };
    }),
  );
  const woken = await wakeQueuedJobs(app.db);
  if (woken > 0) log(`${woken} queued job(s) handed to the queue`);

  // Dead workers: their jobs' heartbeats stop; unlock their queue jobs so a live worker claims them.
  const sweep = setInterval(
    () => {
      staleWorkers(app.db, staleSeconds)
        .then(async (workers) => {
          if (workers.length === 0) return;
          await pgPool.query('select graphile_worker.force_unlock_workers($1::text[])', [workers]);
          const { woken, failed } = await wakeStaleJobs(app.db, staleSeconds);
          log(
            `took back the jobs of unresponsive worker(s) ${workers.join(', ')}: ${woken} queued again` +
              (failed > 0 ? `, ${failed} failed (out of attempts)` : ''),
          );
        })
        .catch(() => {
          // the database is away; the next sweep tries again
        });
    },
    Math.max(500, (staleSeconds * 1000) / 3),
  );
  sweep.unref();
  return {
    runner,
    async stop() {
      clearInterval(sweep);
      shutdown.abort();
      await runner.stop().catch(() => {});
      await pgPool.end().catch(() => {});
      await app.pool.end().catch(() => {});
    },
  };
}
