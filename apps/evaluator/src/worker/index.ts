import { connect, type Database, ignoreClientErrors } from '@alignscope/db';
import {
  adoptLegacyRequests,
  evaluationTask,
  registerEvaluatorBenchmarks,
  STUDY_COMPLETE_TASK,
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
import studyComplete from './tasks/study-complete.ts';
import studyRun from './tasks/study-run.ts';

/** What a task gets besides its payload: the platform's database through the queries layer. */
export type WorkerContext = { db: Database };
/** A task file default-exports a factory of its graphile-worker Task. */
export type TaskFactory = (ctx: WorkerContext) => import('graphile-worker').Task;

export type WorkerOptions = {
  connectionString: string;
  concurrency?: number;
  executionProvider?: ExecutionProvider;
  /** ALIGNSCOPE_HOME of the local model store, where model files fetched from the database are cached. */
  home?: string;
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

/** `runner`: the first queue runner (more are started to replace workers lost to database errors). */
export type Worker = { runner: Runner; stop(): Promise<void> };

/**
 * Starts an evaluator worker on the Postgres-backed queue (graphile-worker). Workers on any number of
 * machines pull from the same database, so scaling out is starting more of them. On start it
 * registers the benchmarks it runs (what the API accepts), gives the requests of the old single-job
 * queue their jobs, wakes jobs queued while no worker had installed the queue, and every few seconds
 * hands the jobs of dead workers (stale heartbeat) back to the queue.
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
  // Each queue runner keeps one LISTEN connection; replacements (below) may split the workers over
  // up to `concurrency` runners.
  const pgPool = new pg.Pool({ connectionString: opts.connectionString, max: 2 * concurrency + 2 });
  pgPool.on('error', () => {});
  pgPool.on('connect', ignoreClientErrors);
  const app = connect(opts.connectionString, concurrency * 2 + 2);
  const shutdown = new AbortController();
  const jobTask = evaluationJobTask({
    db: app.db,
    executionProvider: opts.executionProvider,
    home: opts.home,
    staleSeconds,
    heartbeatMs: opts.heartbeatMs ?? 2000,
    shutdown: shutdown.signal,
    log,
  });
  const taskList: TaskList = {
    ping: ping({ db: app.db }),
    [STUDY_RUN_TASK]: studyRun({ db: app.db }),
    [STUDY_COMPLETE_TASK]: studyComplete({ db: app.db }),
  };
  for (const id of ids) taskList[evaluationTask(id)] = jobTask;
  // graphile-worker ends a queue worker for good when it cannot record a job's end (the database
  // went away at that moment: "committing seppuku"), and does not start another. So each such loss
  // is replaced here: once the database answers again, the dead worker's locks are released (its job
  // runs again, and the job row says whether anything is left to do) and a runner of one worker
  // takes its place. Without this a restart of the database leaves the worker idle for good.
  const runners: Runner[] = [];
  let stopping = false;
  const startRunner = async (n: number): Promise<Runner> => {
    const r = await run({
      pgPool,
      concurrency: n,
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
    let alive = n;
    r.events.on('worker:fatalError', ({ worker }) => {
      if (stopping) return;
      alive -= 1;
      // a runner whose workers are all gone only holds a LISTEN connection: stop it
      if (alive === 0) {
        runners.splice(runners.indexOf(r), 1);
        void r.stop().catch(() => {});
      }
      void replace(worker.workerId);
    });
    runners.push(r);
    return r;
  };
  const replace = async (deadId: string) => {
    log(`queue worker ${deadId} stopped on a database error; replacing it once the database answers`);
    for (let delay = 250; !stopping; delay = Math.min(delay * 2, 5000)) {
      try {
        await pgPool.query('select graphile_worker.force_unlock_workers($1::text[])', [[deadId]]);
        await startRunner(1);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  };
  const runner = await startRunner(concurrency);
  await registerEvaluatorBenchmarks(
    app.db,
    ids.map((id) => {
      const p = plugins.get(id);
      return { identifier: id, version: p?.version ?? 1, labelSpace: p?.labelSpace ?? '' };
    }),
  );
  const adopted = await adoptLegacyRequests(app.db);
  if (adopted > 0) log(`${adopted} request(s) of the old single-job queue now have their jobs`);
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
      stopping = true;
      clearInterval(sweep);
      shutdown.abort();
      await Promise.all(runners.map((r) => r.stop().catch(() => {})));
      await pgPool.end().catch(() => {});
      await app.pool.end().catch(() => {});
    },
  };
}
