import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Runner, run, type Task, type TaskList } from 'graphile-worker';
import pg from 'pg';

const tasksDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'tasks');

/** Every task of src/worker/tasks (one file per task, named after it, default-exporting the Task). */
export async function loadTasks(): Promise<TaskList> {
  const tasks: TaskList = {};
  const files = readdirSync(tasksDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  for (const f of files.sort()) {
    const mod = (await import(pathToFileURL(path.join(tasksDir, f)).href)) as { default?: Task };
    if (typeof mod.default !== 'function') throw new Error(`worker task ${f} has no default export`);
    tasks[path.basename(f, '.ts')] = mod.default;
  }
  return tasks;
}

/**
 * Starts an evaluator worker on the Postgres-backed queue (graphile-worker). Workers on any number of
 * machines pull from the same database, so scaling out is starting more of them.
 */
export type Worker = { runner: Runner; stop(): Promise<void> };

export async function startWorker(opts: { connectionString: string; concurrency?: number }): Promise<Worker> {
  const concurrency = opts.concurrency ?? 1;
  // Our own pool, so a server going away during shutdown is an event we ignore, not a crash.
  const pgPool = new pg.Pool({ connectionString: opts.connectionString, max: concurrency + 2 });
  pgPool.on('error', () => {});
  const runner = await run({
    pgPool,
    concurrency,
    noHandleSignals: true,
    pollInterval: 2000,
    parsedCronItems: [],
    taskList: await loadTasks(),
  });
  return {
    runner,
    async stop() {
      await runner.stop();
      await pgPool.end().catch(() => {});
    },
  };
}
