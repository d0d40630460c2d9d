/** The API under load, in its own process (the load generator must not share its event loop). */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { connect } from '@alignscope/db';
import { startApiServer } from '../src/index.ts';

const url = process.env.BENCH_DATABASE_URL;
if (!url) throw new Error('BENCH_DATABASE_URL is not set');
const { db, pool } = connect(url, 10);
// BENCH_INLINE=1: the baseline, boards built on the request thread. The load generator is one client
// measuring the API itself: no request-rate limit.
const server = await startApiServer({
  db,
  ...(process.env.BENCH_INLINE === '1' ? {} : { databaseUrl: url }),
  port: 0,
  logError: (e) => console.error(e),
  rateLimits: { perAddress: 0, perKey: 0 },
});
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
// How long the request thread was held up (event-loop delay), reported and reset on SIGUSR2.
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
process.on('SIGUSR2', () => {
  process.stdout.write(
    `${JSON.stringify({ eventLoop: { maxMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6, meanMs: delay.mean / 1e6 } })}\n`,
  );
  delay.reset();
});
process.on('SIGTERM', () => {
  void server.close().then(() => pool.end().then(() => process.exit(0)));
});
