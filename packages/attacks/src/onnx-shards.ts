/**
 * A batch's samples split across worker threads, each running its own onnxruntime sessions of the
 * model on one thread (issue 15). One session on two intra-op threads splits every node's work
 * between the threads and joins them at the node's end: a ResNet-20 gradient graph is ~200 small
 * nodes, and on a 2-core Xeon a targeted-DLR gradient call of 26 samples took 27.1 ms that way
 * against 20.4 ms as two calls of 13 samples on one thread each, side by side (a forward call 8.8 ms
 * against 7.9 ms; packages/attacks/README.md).
 *
 * The results are those of one session where a sample's logits and gradient do not depend on the
 * batch it is in or on the number of threads (at optimisation level 'all' for the bundled models:
 * src/onnx-shards.test.ts), so OnnxClassifier shards only at level 'all' and only when its check of
 * that at open passes (`OnnxClassifierOptions.shards`, `batchInvariance`). The first share runs on the
 * main thread, on a one-thread classifier of its own, while the workers run the others (one message
 * round trip fewer, and the main thread would otherwise only wait). Each worker holds a whole
 * OnnxClassifier (its padding grid, graphs of the exact size, NCHWc rewrite) and answers one request
 * at a time; a share goes to it as a copy that is transferred, not cloned again.
 *
 * Whole runs (session 11): APGD-T's and FAB-T's runs (`apgdFromStart`, `fabTargetedSingleRun`) have
 * no quantity that couples their rows, so a run's rows can be cut into shares that each run the
 * whole run on their thread, the main thread's share there and the others in the workers (a request
 * that holds its worker for the run), meeting at the run's end instead of at every call: the threads
 * no longer wait for each other after every onnxruntime call, and each does its own rows' steps.
 * The worker bundle then holds fab.ts and fab-pool.ts too; a worker runs FAB-T without a step pool.
 * Linf Square (session 12) likewise: its queries' windows and signs are the run's, not a row's, so
 * given the draws taken ahead its rows are independent; the shares meet every SQUARE_SHARE_SPAN
 * queries (`squareQueries`), where the still-robust rows are dealt out evenly again.
 */
import type { Worker } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { type ApgdOptions, type ApgdRunResult, apgdFromStart } from './apgd.ts';
import { type FabOptions, type FabRunResult, fabTargetedSingleRun } from './fab.ts';
import type { BatchInvariance, OnnxClassifier, OnnxClassifierOptions, OnnxTimings } from './onnx.ts';
import type { ShardReply, ShardRequest } from './onnx-shard-worker.ts';
import { type SquareOptions, type SquareSpanResult, type SquareState, squareQueries } from './square.ts';
import type { LossGradResult, LossName } from './types.ts';
import { bundledWorker, startWorker } from './worker-bundle.ts';

type Pending = { resolve: (r: ShardReply) => void; reject: (e: Error) => void };

/** The main thread's share runs on a classifier of this shape (an OnnxClassifier of one thread). */
export type LocalClassifier = Pick<
  OnnxClassifier,
  | 'inputShape'
  | 'numClasses'
  | 'logits'
  | 'lossGrad'
  | 'timings'
  | 'gradientLayouts'
  | 'release'
  | 'batchInvariance'
>;

/** The growth of a classifier's counters since `before` (all of them on the first call). */
function grown(t: OnnxTimings, before: OnnxTimings | undefined): OnnxTimings {
  const out = { ...t };
  if (before) for (const key of Object.keys(out) as (keyof OnnxTimings)[]) out[key] -= before[key];
  return out;
}

const unexpected = (r: ShardReply, to: string) =>
  new Error(`onnxruntime shard: '${r.kind}' reply to '${to}'`);

/** One worker: requests answered in order; the worker keeps the process alive only while one is open. */
class Shard {
  private readonly pending: Pending[] = [];
  private failed?: Error;
  /** The worker classifier's counters at its last reply. */
  timings?: OnnxTimings;
  /** The worker classifier's batchInvariance (its ready reply). */
  batchInvariance?: BatchInvariance;
  readonly ready: Promise<ShardReply>;

  constructor(private readonly worker: Worker) {
    this.ready = new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
    worker.on('message', (r: ShardReply) => {
      const p = this.pending.shift();
      if (this.pending.length === 0) worker.unref();
      if (!p) return;
      if (r.kind === 'error') p.reject(new Error(`onnxruntime shard: ${r.message}`));
      else p.resolve(r);
    });
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => this.fail(new Error(`onnxruntime shard worker exited (code ${code})`)));
  }

  private fail(e: Error): void {
    this.failed ??= e;
    for (const p of this.pending.splice(0)) p.reject(this.failed);
  }

  request(req: ShardRequest, transfer: ArrayBuffer[] = []): Promise<ShardReply> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.worker.ref();
      this.worker.postMessage(req, transfer);
    });
  }

  /** The counters' growth since the last reply. */
  delta(t: OnnxTimings): OnnxTimings {
    const out = grown(t, this.timings);
    this.timings = { ...t };
    return out;
  }

  terminate(): Promise<number> {
    this.failed ??= new Error('onnxruntime shards released');
    return this.worker.terminate();
  }
}

/** Work counters of a sharded call: onnxruntime calls and padded gradient samples over all shares. */
export type ShardedCounts = { calls: number; paddedSamples: number };

export class OnnxShards {
  /** The local classifier's counters after the last call. */
  private localTimings: OnnxTimings;

  private constructor(
    private readonly local: LocalClassifier,
    private readonly workers: Shard[],
    private readonly d: number,
    private readonly k: number,
  ) {
    this.localTimings = { ...local.timings };
  }

  /**
   * Shares for `local` (the main thread's, first) and `workers` worker threads, each opening the
   * model with `options` (which should ask for one intra-op thread, no shards and a fixed gradient
   * level: the caller has decided those). Rejects, with every worker stopped, when one cannot open
   * the model; `local` stays the caller's to release then.
   */
  static async open(
    local: LocalClassifier,
    model: Uint8Array,
    options: OnnxClassifierOptions,
    workers: number,
  ): Promise<OnnxShards> {
    const code = bundledWorker(new URL('./onnx-shard-worker.ts', import.meta.url), [
      'onnxruntime-node',
      'esbuild',
    ]);
    // onnxruntime's logger belongs to the process: a worker that started it at its own default level
    // would change the level the caller set (ort.env.logLevel), so the worker takes the caller's
    const logLevel = ort.env.logLevel;
    const shards = Array.from(
      { length: workers },
      () => new Shard(startWorker(code, { model, options, logLevel })),
    );
    try {
      for (const [i, r] of (await Promise.all(shards.map((s) => s.ready))).entries()) {
        if (r.kind === 'ready') {
          (shards[i] as Shard).timings = { ...r.timings };
          (shards[i] as Shard).batchInvariance = r.batchInvariance;
        }
      }
    } catch (e) {
      await Promise.all(shards.map((s) => s.terminate()));
      throw e;
    }
    const d = options.inputShape.reduce((a, b) => a * b, 1);
    return new OnnxShards(local, shards, d, options.numClasses);
  }

  /** Every share's classifier's batchInvariance, the local one first (the workers' from their ready reply). */
  get invariances(): (BatchInvariance | undefined)[] {
    return [this.local.batchInvariance, ...this.workers.map((s) => s.batchInvariance)];
  }

  /** Shares a call can have: the main thread's and one per worker. */
  get count(): number {
    return this.workers.length + 1;
  }

  /** Contiguous shares of n samples: share i is [bounds[i], bounds[i + 1]). */
  private static bounds(n: number, parts: number): number[] {
    return Array.from({ length: parts + 1 }, (_, i) => Math.round((i * n) / parts));
  }

  /** The local classifier's counters' growth since the last call. */
  private localDelta(): OnnxTimings {
    const out = grown(this.local.timings, this.localTimings);
    this.localTimings = { ...this.local.timings };
    return out;
  }

  /**
   * n samples of x in `parts` shares (2 <= parts <= count): the first through `local` on the main
   * thread, the others sent to the workers as `request` builds them (their x share transferred);
   * `place` puts each share's result at its first sample. Returns the growth of every share's
   * counters, summed; with `runs`, the milliseconds are those of the share that spent the most in
   * onnxruntime (the shares overlap in time), the calls and samples summed.
   */
  private async shared<P>(
    x: Float32Array,
    n: number,
    parts: number,
    request: (xs: Float32Array, from: number, to: number) => ShardRequest,
    local: (m: number) => Promise<P>,
    reply: (r: ShardReply) => { value: P; timings: OnnxTimings },
    place: (value: P, from: number) => void,
    /** Whole runs on each share, not one call each. */
    runs = false,
  ): Promise<OnnxTimings> {
    const d = this.d;
    const b = OnnxShards.bounds(n, parts);
    const replies = this.workers.slice(0, parts - 1).map((s, i) => {
      const from = b[i + 1] as number;
      const to = b[i + 2] as number;
      const xs = x.slice(from * d, to * d);
      return s.request(request(xs, from, to), [xs.buffer]);
    });
    try {
      place(await local(b[1] as number), 0);
    } finally {
      // the workers' replies are awaited even when the local share failed (no reply left behind)
      await Promise.allSettled(replies);
    }
    const total = this.localDelta();
    let most = total.forwardMs + total.gradientMs;
    for (const [i, p] of replies.entries()) {
      const r = reply(await p);
      place(r.value, b[i + 1] as number);
      const delta = (this.workers[i] as Shard).delta(r.timings);
      const ms = delta.forwardMs + delta.gradientMs;
      for (const key of Object.keys(total) as (keyof OnnxTimings)[]) {
        if (!runs || !key.endsWith('Ms')) total[key] += delta[key];
        else if (ms > most) total[key] = delta[key];
      }
      if (runs) most = Math.max(most, ms);
    }
    return total;
  }

  async logits(x: Float32Array, n: number, parts: number): Promise<{ logits: Float32Array } & ShardedCounts> {
    const { d, k } = this;
    const logits = new Float32Array(n * k);
    const counts = await this.shared(
      x,
      n,
      parts,
      (xs, from, to) => ({ kind: 'logits', x: xs, n: to - from }),
      (m) => this.local.logits(x.subarray(0, m * d), m),
      (r) => {
        if (r.kind !== 'logits') throw unexpected(r, 'logits');
        return { value: r.logits, timings: r.timings };
      },
      (z, from) => logits.set(z, from * k),
    );
    return { logits, calls: counts.forwardCalls, paddedSamples: n };
  }

  async lossGrad(
    x: Float32Array,
    n: number,
    loss: LossName,
    y: Int32Array,
    t: Int32Array | undefined,
    parts: number,
  ): Promise<LossGradResult & ShardedCounts> {
    const { d, k } = this;
    const out = { logits: new Float32Array(n * k), loss: new Float32Array(n), grad: new Float32Array(n * d) };
    const counts = await this.shared<LossGradResult>(
      x,
      n,
      parts,
      (xs, from, to) => ({
        kind: 'lossGrad',
        x: xs,
        n: to - from,
        loss,
        y: y.slice(from, to),
        ...(t ? { t: t.slice(from, to) } : {}),
      }),
      (m) => this.local.lossGrad(x.subarray(0, m * d), m, loss, y.subarray(0, m), t?.subarray(0, m)),
      (r) => {
        if (r.kind !== 'lossGrad') throw unexpected(r, 'lossGrad');
        return { value: r, timings: r.timings };
      },
      (r, from) => {
        out.logits.set(r.logits, from * k);
        out.loss.set(r.loss, from);
        out.grad.set(r.grad, from * d);
      },
    );
    return { ...out, calls: counts.gradientCalls, paddedSamples: counts.gradientPaddedSamples };
  }

  /**
   * FAB-T's targeted single run (fab.ts `fabTargetedSingleRun`) on n rows in `parts` shares at
   * once: the first share's rows on the main thread (its onnxruntime calls and its steps), each other
   * share's rows in a worker, which runs the same function on its own classifier and thread. The rows
   * of a run are independent and a row's model outputs do not depend on its batch (what the shares
   * rely on, checked at open), so every row's result is the one-batch run's; what changes is that the
   * threads no longer meet at every onnxruntime call and that each thread does its own rows' steps.
   * `onIteration` follows the main thread's share. The counters: calls and samples summed over the
   * shares, milliseconds the largest share's (the shares overlap in time).
   */
  async fabTargeted(
    im2: Float32Array,
    la2: Int32Array,
    target: Int32Array,
    n: number,
    opts: FabOptions,
    parts: number,
    onIteration?: (i: number) => void,
  ): Promise<FabRunResult & { timings: OnnxTimings }> {
    const d = this.d;
    const out: FabRunResult = {
      adv: new Float32Array(n * d),
      res2: new Float64Array(n),
      forwards: 0,
      gradients: 0,
    };
    const timings = await this.shared<FabRunResult>(
      im2,
      n,
      parts,
      (xs, from, to) => ({
        kind: 'fabTargeted',
        x: xs,
        y: la2.slice(from, to),
        t: target.slice(from, to),
        n: to - from,
        opts,
      }),
      (m) =>
        fabTargetedSingleRun(
          this.local,
          im2.subarray(0, m * d),
          la2.subarray(0, m),
          target.subarray(0, m),
          m,
          opts,
          onIteration,
        ),
      (r) => {
        if (r.kind !== 'fabTargeted') throw unexpected(r, 'fabTargeted');
        return { value: r, timings: r.timings };
      },
      (r, from) => {
        out.adv.set(r.adv, from * d);
        out.res2.set(r.res2, from);
        out.forwards += r.forwards;
        out.gradients += r.gradients;
      },
      true,
    );
    return { ...out, timings };
  }

  /**
   * APGD's run from its random start (apgd.ts `apgdFromStart`, one segment) on n rows in `parts`
   * shares at once, as `fabTargeted` does for FAB-T: the main thread's share there, each other share
   * in a worker. Every quantity of such a run is per row (the zero-gradient count is summed).
   */
  async apgdFromStart(
    x: Float32Array,
    y: Int32Array,
    n: number,
    loss: LossName,
    opts: ApgdOptions,
    xStart: Float32Array,
    yTarget: Int32Array | undefined,
    parts: number,
    onIteration?: (i: number) => void,
  ): Promise<ApgdRunResult & { timings: OnnxTimings }> {
    const d = this.d;
    const out: ApgdRunResult = {
      acc: new Uint8Array(n),
      xBestAdv: new Float32Array(n * d),
      lossBest: new Float32Array(n),
      forwards: 0,
      gradients: 0,
      zeroGrad: [0],
    };
    const timings = await this.shared<ApgdRunResult>(
      x,
      n,
      parts,
      (xs, from, to) => ({
        kind: 'apgd',
        x: xs,
        y: y.slice(from, to),
        ...(yTarget ? { t: yTarget.slice(from, to) } : {}),
        n: to - from,
        loss,
        opts,
        xStart: xStart.slice(from * d, to * d),
      }),
      (m) =>
        apgdFromStart(
          this.local,
          x.subarray(0, m * d),
          y.subarray(0, m),
          m,
          loss,
          opts,
          xStart.subarray(0, m * d),
          yTarget?.subarray(0, m),
          onIteration,
        ),
      (r) => {
        if (r.kind !== 'apgd') throw unexpected(r, 'apgd');
        return { value: r, timings: r.timings };
      },
      (r, from) => {
        out.acc.set(r.acc, from);
        out.xBestAdv.set(r.xBestAdv, from * d);
        out.lossBest.set(r.lossBest, from);
        out.forwards += r.forwards;
        out.gradients += r.gradients;
        out.zeroGrad[0] = (out.zeroGrad[0] as number) + r.zeroGrad.reduce((a, b) => a + b, 0);
      },
      true,
    );
    return { ...out, timings };
  }

  /**
   * Queries from .. to - 1 of a Linf Square run (square.ts `squareQueries`) on n rows in `parts`
   * shares at once, as `fabTargeted` does for FAB-T: the main thread's share there, each other share
   * in a worker, all following the same draws (a Linf query's window and signs are the run's, not a
   * row's). `st` is changed in place. `end`: the query the span ended before, the latest of the
   * shares' (a share stops early once its rows are all fooled).
   */
  async squareQueries(
    x: Float32Array,
    y: Int32Array,
    n: number,
    opts: SquareOptions,
    st: SquareState,
    draws: Int32Array,
    from: number,
    to: number,
    parts: number,
    onIteration?: (i: number) => void,
  ): Promise<SquareSpanResult & { timings: OnnxTimings }> {
    const d = this.d;
    const out: SquareSpanResult = { forwards: 0, end: from };
    const timings = await this.shared<SquareSpanResult & { st?: SquareState }>(
      x,
      n,
      parts,
      (xs, a, b) => ({
        kind: 'square',
        x: xs,
        y: y.slice(a, b),
        n: b - a,
        opts,
        st: {
          xBest: st.xBest.slice(a * d, b * d),
          marginMin: st.marginMin.slice(a, b),
          lossMin: st.lossMin.slice(a, b),
        },
        draws,
        from,
        to,
      }),
      (m) =>
        squareQueries(
          this.local,
          x.subarray(0, m * d),
          y.subarray(0, m),
          m,
          opts,
          {
            xBest: st.xBest.subarray(0, m * d),
            marginMin: st.marginMin.subarray(0, m),
            lossMin: st.lossMin.subarray(0, m),
          },
          draws,
          from,
          to,
          onIteration,
        ),
      (r) => {
        if (r.kind !== 'square') throw unexpected(r, 'square');
        return { value: r, timings: r.timings };
      },
      (r, a) => {
        // the main thread's share changed its rows of st in place
        if (r.st) {
          st.xBest.set(r.st.xBest, a * d);
          st.marginMin.set(r.st.marginMin, a);
          st.lossMin.set(r.st.lossMin, a);
        }
        out.forwards += r.forwards;
        out.end = Math.max(out.end, r.end);
      },
      true,
    );
    return { ...out, timings };
  }

  /** The gradient layouts of every share's classifier (OnnxClassifier.gradientLayouts). */
  async layouts(): Promise<Awaited<ReturnType<LocalClassifier['gradientLayouts']>>[]> {
    const replies = await Promise.all(this.workers.map((s) => s.request({ kind: 'layouts' })));
    return [
      await this.local.gradientLayouts(),
      ...replies.map((r) => {
        if (r.kind !== 'layouts') throw unexpected(r, 'layouts');
        return r.layouts;
      }),
    ];
  }

  /** Stops the workers and releases the local classifier. */
  async release(): Promise<void> {
    await Promise.all(this.workers.map((s) => s.terminate()));
    await this.local.release();
  }
}
