import { createDb, setupDatabase } from '@alignscope/db';
import type { Command } from 'commander';
import { quickAddJob } from 'graphile-worker';
import { InputError } from '../errors.ts';
import { exitAfterFlush } from '../exit.ts';
import type { ExecutionProvider } from '../models/session.ts';
import { startWorker, type Worker } from '../worker/index.ts';

const PROVIDERS: readonly ExecutionProvider[] = ['cpu', 'cuda', 'webgpu'];

function intOption(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InputError(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
  return n;
}

export default function register(program: Command): void {
  program
    .command('worker')
    .description(
      'run an evaluator worker that takes evaluation jobs from the Postgres-backed queue (graphile-worker); start as many as you like, anywhere that reaches the database',
    )
    .option('--concurrency <n>', 'jobs run at once', '1')
    .option(
      '--execution-provider <ep>',
      'onnxruntime execution provider for every session: cpu, cuda or webgpu',
    )
    .option('--benchmarks <list>', 'only jobs of these benchmarks (comma-separated identifiers)')
    .option(
      '--stale-after <seconds>',
      'take over a running job whose worker sent no heartbeat for this long',
      '30',
    )
    .option('--ping', 'enqueue one no-op job (to check that a worker is consuming) and exit')
    .action(
      async (opts: {
        concurrency: string;
        executionProvider?: string;
        benchmarks?: string;
        staleAfter: string;
        ping?: boolean;
      }) => {
        const concurrency = intOption('concurrency', opts.concurrency, 1, 32);
        const staleSeconds = intOption('stale-after', opts.staleAfter, 2, 86_400);
        const ep = opts.executionProvider;
        if (ep !== undefined && !PROVIDERS.includes(ep as ExecutionProvider)) {
          throw new InputError(`--execution-provider must be one of ${PROVIDERS.join(', ')}, got "${ep}"`);
        }
        const benchmarks = opts.benchmarks
          ?.split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        if (benchmarks !== undefined && benchmarks.length === 0)
          throw new InputError('--benchmarks needs at least one identifier');
        const handle = await createDb();
        await setupDatabase(handle.db);
        if (opts.ping) {
          const job = await quickAddJob({ connectionString: handle.url }, 'ping', {
            at: new Date().toISOString(),
          });
          console.log(`enqueued ping job ${job.id}`);
          await handle.close();
          return;
        }
        // Signals are handled from the start: a SIGTERM while the worker starts stops it once started.
        let worker: Worker | undefined;
        let stopping = false;
        let stopped: Promise<never> | undefined;
        const stop = () => {
          stopped ??= (worker ? worker.stop() : Promise.resolve())
            .then(() => handle.close())
            .finally(() => exitAfterFlush(0)) as Promise<never>;
          return stopped;
        };
        const onSignal = (signal: NodeJS.Signals) => {
          if (stopping) {
            console.error(
              `alignscope: ${signal} again; exiting now (unreleased jobs are taken over after --stale-after)`,
            );
            process.exit(130);
          }
          stopping = true;
          console.error(`alignscope: ${signal}; releasing running jobs and stopping`);
          if (worker) void stop();
        };
        process.removeAllListeners('SIGINT');
        process.removeAllListeners('SIGTERM');
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
        worker = await startWorker({
          connectionString: handle.url,
          concurrency,
          staleSeconds,
          ...(ep ? { executionProvider: ep as ExecutionProvider } : {}),
          ...(benchmarks ? { benchmarks } : {}),
        });
        if (stopping) return stop();
        console.log(
          `alignscope: worker running (concurrency ${concurrency}${ep ? `, ${ep}` : ''}); Ctrl-C stops (running jobs are checkpointed and released), a second Ctrl-C exits at once`,
        );
        await worker.runner.promise;
        // the runner ends when a signal stops it: let the stop finish (it exits the process)
        if (stopping) await stop();
      },
    );
}
