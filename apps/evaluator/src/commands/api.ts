import { loadConfig } from '@alignscope/config';
import { createDb, type DbHandle, setupDatabase } from '@alignscope/db';
import type { ApiServer } from '@alignscope/schema';
import type { Command } from 'commander';
import { InputError } from '../errors.ts';
import { exitAfterFlush } from '../exit.ts';

function intOption(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new InputError(`${name} must be an integer from ${min} to ${max} (got "${value}")`);
  }
  return n;
}

export default function register(program: Command): void {
  program
    .command('api')
    .description('serve the GraphQL API alone (no web app) at http://<host>:<port>/graphql')
    .option('--port <port>', 'port to listen on (0: any free port)', '4000')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--cache-ttl <ms>', 'how long leaderboard and correlation data is shared across requests', '5000')
    .option('--max-body <bytes>', 'largest request body accepted', String(1024 * 1024))
    .action(async (opts: { port: string; host: string; cacheTtl: string; maxBody: string }) => {
      const port = intOption('--port', opts.port, 0, 65535);
      const cacheTtlMs = intOption('--cache-ttl', opts.cacheTtl, 0, 3_600_000);
      const maxBodyBytes = intOption('--max-body', opts.maxBody, 1024, 100 * 1024 * 1024);
      // A serving process: graphql-js skips its development-only checks in production mode (read
      // when it is first imported, hence the import here).
      (process.env as Record<string, string | undefined>).NODE_ENV ??= 'production';
      const { startApiServer } = await import('@alignscope/schema');
      const handle: DbHandle = await createDb();
      let server: ApiServer | undefined;
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`alignscope: ${signal} received, shutting down...\n`);
        await server?.close().catch(() => {});
        await handle.close();
        await exitAfterFlush(0);
      };
      // Close the server and the pool before the embedded database stops.
      process.removeAllListeners('SIGINT');
      process.removeAllListeners('SIGTERM');
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
      try {
        await setupDatabase(handle.db);
        server = await startApiServer({
          db: handle.db,
          ...(loadConfig().boardWorkers ? { databaseUrl: handle.url } : {}),
          port,
          host: opts.host,
          cacheTtlMs,
          maxBodyBytes,
        });
      } catch (e) {
        await handle.close();
        const err = e as NodeJS.ErrnoException;
        if (err.code === 'EADDRINUSE')
          throw new InputError(`port ${port} is already in use (choose another with --port)`);
        if (err.code === 'EADDRNOTAVAIL')
          throw new InputError(`cannot listen on ${opts.host}: no such address`);
        throw e;
      }
      console.log(`GraphQL API at ${server.url} (database: ${handle.source}); Ctrl-C to stop`);
      await new Promise<never>(() => {});
    });
}
