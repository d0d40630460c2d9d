import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { connect, type Database } from '@alignscope/db';
import { enqueuePendingRequests } from '@alignscope/db/queries';
import { type Runner, run, type Task, type TaskList } from 'graphile-worker';
import pg from 'pg';

/** What a task gets besides its payload: the platform's database through the queries layer. */
export type WorkerContext = { db: Database };
/** A task file default-exports a factory of its graphile-worker Task. */
export type TaskFactory = (ctx: WorkerContext) => Task;

const tasksDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'tasks');

/** Every task of src/worker/tasks (one file per task, named after it). */
export async function loadTasks(ctx: WorkerContext): Promise<TaskList> {
  const tasks: TaskList = {};
  const files = readdirSync(tasksDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  for (const f of files.sort()) {
    const mod = (await import(pathToFileURL(path.join(tasksDir, f)).href)) as { default?: TaskFactory };
    if (typeof mod.default !== 'function') throw new Error(`worker task ${f} has no default export`);
    tasks[path.basename(f, '.ts')] = mod.default(ctx);
  }
  return tasks;
}

export type Worker = { runner: Runner; stop(): Promise<void> };

/**
 * Starts an evaluator worker on the Postgres-backed queue (graphile-worker). Workers on any number of
 * machines pull from the same database, so scaling out is starting more of them. On start it enqueues
 * evaluation requests recorded while no worker had installed the queue.
 */
export async function startWorker(opts: { connectionString: string; concurrency?: number }): Promise<Worker> {
  const concurrency = opts.concurrency ?? 1;
  // Our own pools, so a server going away during shutdown is an event we ignore, not a crash.
  const pgPool = new pg.Pool({ connectionString: opts.connectionString, max: concurrency + 2 });
  pgPool.on('error', () => {});
  const app = connect(opts.connectionString, concurrency + 1);
  const runner = await run({
    pgPool,
    concurrency,
    noHandleSignals: true,
    pollInterval: 2000,
    parsedCronItems: [],
    taskList: await loadTasks({ db: app.db }),
  });
  const swept = await enqueuePendingRequests(app.db);
  if (swept > 0) console.log(`alignscope: enqueued ${swept} pending evaluation request(s)`);
  return {
    runner,
    async stop() {
      await runner.stop();
      await pgPool.end().catch(() => {});
      await app.pool.end().catch(() => {});
    },
  };
}
