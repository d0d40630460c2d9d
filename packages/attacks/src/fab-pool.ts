/**
 * FAB's per-row steps (two projections and the update of x1: fab-step.ts) on several threads.
 *
 * Between its onnxruntime calls FAB-T spends its time in these steps on the main thread, one row
 * after another, while onnxruntime's other threads wait (issue 15: 7 s of ResNet-20's 31 s FAB-T
 * stage at 0.5/255 on 2 cores). The rows are independent, so worker threads take a share of them:
 * x1, the original points, the gradient rows and the logit differences live in SharedArrayBuffers,
 * a worker runs the same fabStepRow on its rows, and the main thread does its own share meanwhile.
 * Every row is computed by the same code from the same values, so the results are bit for bit
 * those of the main thread alone (src/fab-pool.test.ts).
 *
 * The worker's code is bundled from fab-worker.ts (worker-bundle.ts), so it runs without a
 * TypeScript loader, under tsx and vitest alike.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { type FabStepParams, FabStepWork, fabStepRows } from './fab-step.ts';
import type { FabWorkerMessage } from './fab-worker.ts';
import { bundledWorker, startWorker } from './worker-bundle.ts';

/** Rows of a step below which the main thread does them all (a round trip costs ~0.1 ms). */
const MIN_ROWS_PER_THREAD = 1;

export class FabStepPool {
  private x1?: Float32Array;
  private x0?: Float32Array;
  private grad?: Float32Array;
  private loss?: Float32Array;
  private readonly local: FabStepWork;
  private failed?: Error;

  private constructor(
    private readonly workers: Worker[],
    readonly d: number,
    private readonly params: FabStepParams,
  ) {
    this.local = new FabStepWork(d);
    for (const w of workers) {
      w.unref();
      w.on('error', (e) => {
        this.failed = e;
      });
    }
  }

  /**
   * A pool of `threads - 1` workers (at most 3) beside the main thread, or undefined when there is
   * one thread (default: the cores this process may use).
   */
  static open(
    d: number,
    params: FabStepParams,
    threads = os.availableParallelism(),
  ): FabStepPool | undefined {
    const n = Math.min(threads, 4) - 1;
    if (n < 1) return undefined;
    const code = bundledWorker(new URL('./fab-worker.ts', import.meta.url));
    const workers = Array.from({ length: n }, () => startWorker(code, { d, params }));
    return new FabStepPool(workers, d, params);
  }

  /** Threads that run steps (the workers and the main thread). */
  get threads(): number {
    return this.workers.length + 1;
  }

  /**
   * Shared buffers for a run on `bs` rows: x1 and x0 (the original points), by state row. The caller
   * fills them; onnxruntime does not take SharedArrayBuffer-backed arrays, so it gathers rows from
   * them into ordinary buffers for its calls.
   */
  buffers(bs: number): { x1: Float32Array; x0: Float32Array } {
    const f32 = (n: number) => new Float32Array(new SharedArrayBuffer(n * 4));
    this.x1 = f32(bs * this.d);
    this.x0 = f32(bs * this.d);
    this.grad = f32(bs * this.d);
    this.loss = f32(bs);
    const msg: FabWorkerMessage = {
      kind: 'buffers',
      x1: this.x1.buffer as SharedArrayBuffer,
      x0: this.x0.buffer as SharedArrayBuffer,
      grad: this.grad.buffer as SharedArrayBuffer,
      loss: this.loss.buffer as SharedArrayBuffer,
    };
    for (const w of this.workers) w.postMessage(msg);
    return { x1: this.x1, x0: this.x0 };
  }

  /**
   * The steps of m rows: batch row r (of `grad`, `loss`) updates state row states[r] of x1. The
   * rows are split into contiguous shares, the main thread taking the first.
   */
  async step(grad: Float32Array, loss: Float32Array, states: readonly number[], m: number): Promise<void> {
    const { x1, x0, d } = this;
    if (!x1 || !x0 || !this.grad || !this.loss) throw new Error('FabStepPool: step before buffers');
    if (this.failed) throw this.failed;
    this.grad.set(grad.subarray(0, m * d));
    this.loss.set(loss.subarray(0, m));
    const parts = Math.max(1, Math.min(this.threads, Math.floor(m / MIN_ROWS_PER_THREAD)));
    const bounds = Array.from({ length: parts + 1 }, (_, i) => Math.round((i * m) / parts));
    const replies = this.workers.slice(0, parts - 1).map(
      (w, i) =>
        new Promise<void>((resolve, reject) => {
          const from = bounds[i + 1] as number;
          const to = bounds[i + 2] as number;
          const onExit = (code: number) => reject(new Error(`FAB worker exited (code ${code})`));
          w.once('exit', onExit);
          w.once('message', (r: { ok?: boolean; error?: string }) => {
            w.off('exit', onExit);
            if (r.error) reject(new Error(`FAB worker: ${r.error}`));
            else resolve();
          });
          const msg: FabWorkerMessage = { kind: 'step', from, to, states: [...states] };
          w.postMessage(msg);
        }),
    );
    fabStepRows(x1, x0, this.grad, this.loss, states, 0, bounds[1] as number, this.params, this.local);
    await Promise.all(replies);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
