import { createDb, setupDatabase } from '@alignscope/db';
import type { Command } from 'commander';
import { quickAddJob } from 'graphile-worker';
import { UserError } from '../errors.ts';
import { exitAfterFlush } from '../exit.ts';
import { startWorker } from '../worker/index.ts';

export default function register(program: Command): void {
  program
    .command('worker')
    .description('run an evaluator worker that takes jobs from the Postgres-backed queue (graphile-worker)')
    .option('--concurrency <n>', 'jobs run at once', '1')
    .option('--ping', 'enqueue one no-op job (to check that a worker is consuming) and exit')
    .action(async (opts: { concurrency: string; ping?: boolean }) => {
      const concurrency = Number(opts.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) {
        throw new UserError(`--concurrency must be an integer from 1 to 32, got "${opts.concurrency}"`);
      }
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
      const worker = await startWorker({ connectionString: handle.url, concurrency });
      console.log(`alignscope: worker running (concurrency ${concurrency}); Ctrl-C stops`);
      const stop = async () => {
        await worker.stop();
        await handle.close();
        await exitAfterFlush(0);
      };
      process.removeAllListeners('SIGINT');
      process.removeAllListeners('SIGTERM');
      process.on('SIGINT', () => void stop());
      process.on('SIGTERM', () => void stop());
      await worker.runner.promise;
    });
}
