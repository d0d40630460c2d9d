/**
 * A board source whose boards are built in worker threads (worker-main.ts), so that reading and
 * aggregating 150,000 scores, and every correlation table, happen off the thread that answers
 * requests: the main thread only waits for messages and wraps the transferred arrays
 * (boardFromSnapshot). Tables not on the board yet are computed by the `tables` worker, those with a
 * bootstrap (and pair intervals) by the `intervals` worker; each board keeps what it was given (per
 * data version).
 */
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import type { Database } from '@alignscope/db';
import {
  type Benchmark,
  type BoardAt,
  boardData,
  boardVersion,
  listBenchmarks,
} from '@alignscope/db/queries';
import {
  type Board,
  type BoardCorrelationRow,
  boardFromSnapshot,
  buildBoard,
  type CorrelationArgs,
  type PairInterval,
  type PairIntervalArgs,
} from './board.ts';
import type { BoardSnapshot } from './snapshot.ts';
import type { BoardSource } from './source.ts';
import type { WorkerReply, WorkerRequest, WorkerRole } from './worker-main.ts';

/** A request without its id (the id is the worker's business). */
type Request = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

class BoardWorker {
  readonly worker: Worker;
  #next = 0;
  #pending = new Map<number, Pending>();
  #dead: Error | undefined;
  constructor(role: WorkerRole, url: string, peers: MessagePort[]) {
    // Resolved against this file's own URL, which bundlers (Next) keep as the source file's.
    const file = new URL(['.', 'worker.mjs'].join('/'), import.meta.url);
    this.worker = new Worker(file, {
      workerData: { role, url, peers },
      transferList: peers as never,
      // The worker must not inherit an inspector or a loader meant for the main thread.
      execArgv: [],
    });
    this.worker.unref();
    this.worker.on('message', (m: WorkerReply) => {
      const p = this.#pending.get(m.id);
      if (!p) return;
      this.#pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(m.error));
    });
    const fail = (e: Error) => {
      this.#dead ??= e;
      for (const p of this.#pending.values()) p.reject(e);
      this.#pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`board ${role} worker exited (${code})`)));
  }
  get dead(): Error | undefined {
    return this.#dead;
  }
  request<T>(m: Request): Promise<T> {
    if (this.#dead) return Promise.reject(this.#dead);
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...m, id });
    });
  }
}

export type WorkerBoardSource = BoardSource & {
  /** Stops the workers. */
  close(): Promise<void>;
};

/**
 * `url`: the database the workers connect to (the one `db` reads). The workers start on first use;
 * a worker that died is started again (with the others) on the next board.
 */
export function workerBoardSource(db: Database, url: string): WorkerBoardSource {
  let workers: { builder: BoardWorker; tables: BoardWorker; intervals: BoardWorker } | undefined;
  const start = () => {
    if (workers && !workers.builder.dead && !workers.tables.dead && !workers.intervals.dead) return workers;
    if (workers) void stop(workers);
    const toTables = new MessageChannel();
    const toIntervals = new MessageChannel();
    workers = {
      builder: new BoardWorker('builder', url, [toTables.port1, toIntervals.port1]),
      tables: new BoardWorker('tables', url, [toTables.port2]),
      intervals: new BoardWorker('intervals', url, [toIntervals.port2]),
    };
    return workers;
  };
  const stop = async (w: NonNullable<typeof workers>) => {
    await Promise.all([w.builder, w.tables, w.intervals].map((x) => x.worker.terminate()));
  };
  let warned = false;
  /** A worker that failed: said once, and the work is done in line (slower, but the same numbers). */
  const warn = (e: unknown) => {
    if (warned) return;
    warned = true;
    console.error(`board workers: ${(e as Error).message}; computing on the request thread instead`);
  };
  const build = async (version: string, at: BoardAt = {}): Promise<Board> => {
    const w = start();
    let snap: BoardSnapshot;
    try {
      snap = await w.builder.request<BoardSnapshot>({
        type: 'build',
        version,
        at: {
          ...(at.asOf ? { asOf: at.asOf.toISOString() } : {}),
          ...(at.sourceOrder ? { sourceOrder: [...at.sourceOrder] } : {}),
        },
      });
    } catch (e) {
      if (!w.builder.dead) throw e; // the worker answered with an error (the database's): the caller's
      warn(e);
      return buildBoard(await boardData(db, at), version);
    }
    const board: Board = boardFromSnapshot(snap, {
      offload: (v: string, args: CorrelationArgs) =>
        (args.bootstrap > 0 ? w.intervals : w.tables)
          .request<BoardCorrelationRow[]>({ type: 'correlations', version: v, args })
          .catch((e: unknown) => {
            warn(e);
            return board.correlations(args);
          }),
      offloadIntervals: (v: string, args: PairIntervalArgs) =>
        w.intervals
          .request<PairInterval[]>({ type: 'pairIntervals', version: v, args })
          .catch((e: unknown) => {
            warn(e);
            return board.pairIntervals(args);
          }),
    });
    return board;
  };
  return {
    version: () => boardVersion(db),
    read: (version) => build(version),
    benchmarks: (): Promise<Benchmark[]> => listBenchmarks(db),
    readAt: (at: BoardAt, version) => build(version, at),
    async close() {
      if (workers) await stop(workers);
      workers = undefined;
    },
  };
}
