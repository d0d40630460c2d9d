/**
 * What a board rebuild costs the thread that answers requests, on a seeded database (BENCH_DATABASE_URL,
 * e.g. the one `npm run bench:api` keeps with BENCH_KEEP=1): the longest event-loop delay (perf_hooks
 * monitorEventLoopDelay, 1 ms resolution) while a board is built in the worker threads and swapped in
 * (the message with the snapshot received, the board wrapped, its leaderboard made), against the same
 * board built in line (the baseline of the same run), and the parts of the swap timed alone: the
 * structured clone of the snapshot's plain parts (models, benchmarks, node order), wrapping it
 * (boardFromSnapshot) and the first leaderboard of the new board. A measurement, not a test.
 * Run: BENCH_DATABASE_URL=postgres://... npx tsx packages/board/bench/swap.bench.ts
 */
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { connect } from '@alignscope/db';
import { boardData, boardVersion } from '@alignscope/db/queries';
import { boardFromSnapshot, dbBoardSource, encodeSnapshot, workerBoardSource } from '../src/index.ts';

const url = process.env.BENCH_DATABASE_URL;
if (!url) throw new Error('BENCH_DATABASE_URL is not set');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const { db, pool } = connect(url, 4);
const load = () =>
  `load ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`;

async function blocked<T>(fn: () => Promise<T>): Promise<{ value: T; maxMs: number; ms: number }> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  h.disable();
  return { value, maxMs: h.max / 1e6, ms };
}

const version = await boardVersion(db);
const workers = workerBoardSource(db, url);
const inline = dbBoardSource(db);
await workers.read(version); // start the workers (not counted)
const rows: Record<string, number[][]> = { workers: [], inline: [] };
for (let i = 0; i < ROUNDS; i++) {
  for (const [label, source] of [
    ['workers', workers],
    ['inline', inline],
  ] as const) {
    const r = await blocked(async () => {
      const board = await source.read(`${version}#${label}${i}`);
      board.leaderboard('average_vision', 'zero');
      return board;
    });
    rows[label]?.push([r.ms, r.maxMs]);
  }
}
for (const [label, list] of Object.entries(rows)) {
  const wall = list.map((x) => x[0] as number).sort((a, b) => a - b);
  const max = list.map((x) => x[1] as number).sort((a, b) => a - b);
  console.log(
    `board built ${label}: wall median ${wall[wall.length >> 1]?.toFixed(0)} ms; longest event-loop delay median ${max[max.length >> 1]?.toFixed(1)} ms, max ${max.at(-1)?.toFixed(1)} ms (${ROUNDS} rounds); ${load()}`,
  );
}
// The swap's parts on this thread, alone.
const data = await boardData(db);
const snap = encodeSnapshot(data, version);
const plain = { models: snap.models, benchmarks: snap.benchmarks, nodeOrder: snap.nodeOrder };
const time = (fn: () => unknown, n = 10) => {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  return (performance.now() - t0) / n;
};
console.log(
  `swap parts: structured clone of models (${snap.models.length}), benchmarks (${snap.benchmarks.length}) and node order ${time(() => structuredClone(plain)).toFixed(1)} ms; ` +
    `boardFromSnapshot ${time(() => boardFromSnapshot(snap)).toFixed(1)} ms; first leaderboard ${time(() => boardFromSnapshot(snap).leaderboard('average_vision', 'zero')).toFixed(1)} ms (with the wrap); ` +
    `encodeSnapshot (the aggregation, in the builder worker) ${time(() => encodeSnapshot(data, 'x'), 2).toFixed(0)} ms; ${load()}`,
);
await workers.close();
await pool.end();
