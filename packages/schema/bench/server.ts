/** The API under load, in its own process (the load generator must not share its event loop). */
import { connect } from '@alignscope/db';
import { startApiServer } from '../src/index.ts';

const url = process.env.BENCH_DATABASE_URL;
if (!url) throw new Error('BENCH_DATABASE_URL is not set');
const { db, pool } = connect(url, 10);
const server = await startApiServer({ db, databaseUrl: url, port: 0, logError: (e) => console.error(e) });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.on('SIGTERM', () => {
  void server.close().then(() => pool.end().then(() => process.exit(0)));
});
