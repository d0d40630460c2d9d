/**
 * The board's worker threads (started by workers.ts), so that no request thread ever aggregates the
 * board or computes a correlation table:
 * - `builder`: reads the board data from the database, aggregates it into a snapshot (snapshot.ts),
 *   posts a copy to the other workers and transfers the arrays to the main thread;
 * - `tables` and `intervals`: keep the last boards they were sent and compute correlation tables on
 *   them when asked (`intervals` those with a bootstrap, which take longest, so they never hold up a
 *   coefficient table, and the benchmark page's pair intervals). On each new board, `tables` first computes the explorer's default tables
 *   (Spearman, missing children skipped, min n 8, no covariate) for every robustness target.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { connect } from '@alignscope/db';
import { boardData, type ScoreSource } from '@alignscope/db/queries';
import {
  type Board,
  boardFromSnapshot,
  type CorrelationArgs,
  defaultTableArgs,
  type PairIntervalArgs,
} from './board.ts';
import { type BoardSnapshot, encodeSnapshot, snapshotBuffers } from './snapshot.ts';

export type WorkerRole = 'builder' | 'tables' | 'intervals';

export type WorkerRequest =
  | { id: number; type: 'build'; version: string; at: { asOf?: string; sourceOrder?: ScoreSource[] } }
  | { id: number; type: 'correlations'; version: string; args: CorrelationArgs }
  | { id: number; type: 'pairIntervals'; version: string; args: PairIntervalArgs };

export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

const { role, url, peers } = workerData as { role: WorkerRole; url: string; peers: MessagePort[] };

/**
 * The nice value of each board worker thread. On Linux the nice value belongs to each thread
 * (setpriority(2) with a thread id), and CFS shares a core by weight: 1024 at nice 0, 335 at 5, 110 at
 * 10. So when the thread that answers requests (the process's nice, 0) wants a core that a worker is
 * using, it gets it; a rebuild takes longer on a busy machine instead of holding requests up. The
 * `tables` worker computes what a page's first paint waits for (the coefficient tables), so it gives
 * way less than the builder and the bootstrap intervals.
 */
const WORKER_NICE: Record<WorkerRole, number> = { builder: 10, tables: 5, intervals: 10 };

/** Lowers this thread's priority to its role's nice value (never raises it); elsewhere than Linux, nothing. */
function lowerOwnPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    // /proc/thread-self links to /proc/<pid>/task/<tid> of the calling thread.
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, Math.max(WORKER_NICE[role], getPriority(tid)));
  } catch {
    // No /proc, or a sandbox that refuses: the thread keeps the process's priority (slower requests
    // during a rebuild on a busy machine, the same numbers).
  }
}
lowerOwnPriority();
const port = parentPort;
if (!port) throw new Error('worker-main.ts runs as a worker thread');

/** Boards kept by the analysts, newest last (a request names its board's version). */
const KEEP = 3;
const boards = new Map<string, Board>();
let warmQueue: Promise<void> = Promise.resolve();

const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Requests that arrived before their board (it comes from the builder on another channel). */
const waiting = new Map<string, ((board: Board) => void)[]>();

function boardOf(version: string): Promise<Board> {
  const have = boards.get(version);
  if (have) return Promise.resolve(have);
  return new Promise((resolve, reject) => {
    const list = waiting.get(version) ?? [];
    list.push(resolve);
    waiting.set(version, list);
    setTimeout(() => reject(new Error(`board ${version} never reached the ${role} worker`)), 60_000).unref();
  });
}

function receive(snap: BoardSnapshot): void {
  const board = boardFromSnapshot(snap);
  boards.delete(snap.version);
  boards.set(snap.version, board);
  while (boards.size > KEEP) boards.delete(boards.keys().next().value as string);
  for (const resolve of waiting.get(snap.version) ?? []) resolve(board);
  waiting.delete(snap.version);
  if (role === 'tables') {
    // Compute the defaults one table at a time, letting requests in between.
    warmQueue = warmQueue.then(async () => {
      for (const args of defaultTableArgs(board)) {
        await yieldTurn();
        if (!boards.has(snap.version)) return; // superseded
        board.correlations(args);
      }
    });
  }
}

let handle: ReturnType<typeof connect> | undefined;

async function handleRequest(m: WorkerRequest): Promise<{ value: unknown; transfer?: ArrayBuffer[] }> {
  if (m.type === 'build') {
    handle ??= connect(url, 2);
    const { db } = handle;
    const at = {
      ...(m.at.asOf ? { asOf: new Date(m.at.asOf) } : {}),
      ...(m.at.sourceOrder ? { sourceOrder: m.at.sourceOrder } : {}),
    };
    const data = await boardData(db, at);
    const snap = encodeSnapshot(data, m.version);
    // The analysts get a copy (serialised here, not on the main thread); the main thread the arrays.
    for (const p of peers) p.postMessage(snap);
    return { value: snap, transfer: snapshotBuffers(snap) };
  }
  const board = await boardOf(m.version);
  if (m.type === 'pairIntervals') return { value: board.pairIntervals(m.args) };
  return { value: board.correlations(m.args) };
}

for (const p of peers) if (role !== 'builder') p.on('message', (snap: BoardSnapshot) => receive(snap));

port.on('message', (m: WorkerRequest) => {
  handleRequest(m).then(
    ({ value, transfer }) =>
      port.postMessage({ id: m.id, ok: true, value } satisfies WorkerReply, transfer ?? []),
    (e: unknown) =>
      port.postMessage({
        id: m.id,
        ok: false,
        error: e instanceof Error ? e.message : String(e),
      } satisfies WorkerReply),
  );
});
