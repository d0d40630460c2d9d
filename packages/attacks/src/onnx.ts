/**
 * The classifier interface over onnxruntime-node: logits from the plain model, loss values and
 * input gradients from the loss graphs of packages/onnx-grad (one per loss, static batch size).
 * Batches are split into chunks of at most `batchSize`; a chunk is padded (by repeating its first
 * sample) up to the next size of a coarse grid (`paddedSize`), so at most four gradient graphs per
 * doubling of the batch are ever built while attacks shrink their active sets. Logits come from a plain session of the model with
 * graphOptimizationLevel 'all' (as the evaluator runs models; about 2x faster than 'extended' here).
 * With two or more cores a batch is cut into shares that run side by side on one-thread sessions
 * (the `shards` option, onnx-shards.ts): one session on two threads joins its threads after every
 * node, and a gradient graph has hundreds of small nodes. Shares and graphs of the exact batch size
 * are used only when a check at open finds a sample's bits independent of its batch (`batchInvariance`).
 */

import os from 'node:os';
import {
  createGradientSession,
  type GradientSession,
  type NchwcSession,
  needsTarget,
  sessionConfigExtra,
} from '@alignscope/onnx-grad';
import * as ort from 'onnxruntime-node';
import type { ApgdOptions, ApgdRowSharing, ApgdRunResult } from './apgd.ts';
import type { FabOptions, FabRowSharing, FabRunResult } from './fab.ts';
import { OnnxShards } from './onnx-shards.ts';
import { Rng } from './rng.ts';
import type { SquareOptions, SquareRowSharing, SquareSpanResult, SquareState } from './square.ts';
import type { Classifier, LossGradResult, LossName } from './types.ts';

export type OnnxClassifierOptions = {
  /** Input shape of one sample, e.g. [3, 32, 32]. */
  inputShape: readonly number[];
  numClasses: number;
  /** Largest batch given to onnxruntime at once (default 32). */
  batchSize?: number;
  intraOpNumThreads?: number;
  /** onnxruntime session config entries of every session (default SESSION_CONFIG; {}: onnxruntime's defaults). */
  sessionConfig?: Readonly<Record<string, string>>;
  /** onnxruntime execution provider for the plain and the gradient sessions (default 'cpu'). */
  executionProvider?: string;
  /**
   * When the provider cannot create the plain or the gradient session (or run the gradient graph),
   * use the CPU for that session instead of failing; each fallback is recorded in `fallbacks`.
   */
  fallbackToCpu?: boolean;
  /**
   * onnxruntime graph optimisation level of the gradient graphs. 'auto' (default): 'all' when the
   * check at open finds its gradient equal to that of 'extended' on a probe batch (`checkGradientLevel`),
   * else 'extended'; 'extended' or 'all': that level, unchecked. The choice and its reason are in
   * `gradientOptimization`.
   */
  gradientOptimization?: 'auto' | GradientLevel;
  /**
   * Shares of each batch run side by side, each on sessions of its own with one intra-op thread
   * (onnx-shards.ts): the first on the main thread, the others on worker threads. 'auto' (default):
   * one share per intra-op thread (at most MAX_AUTO_SHARDS, the threads divided among them) when
   * there are two or more, the sessions run on the CPU, the gradient graphs at level 'all' and the
   * check of `batchInvariance` passes (a sample's logits, losses and gradients do not depend on its
   * batch, its place there or the thread count, so sharing changes no result: src/onnx-shards.test.ts
   * for the bundled ResNet-20); else
   * none. A number asks for that many (1: none); more than one needs level 'all' on the CPU. What was
   * decided, and why, is in `sharding`.
   */
  shards?: 'auto' | number;
  /**
   * Whether a sample's results may be taken not to depend on its batch. 'check' (default): at level
   * 'all', the check at open (`batchInvariance`) compares probe samples alone, in one call (padded and
   * at the exact size) and in shares, bit for bit; shares and graphs of the exact batch size are used
   * only when it passes.
   * 'assume': taken as given, unchecked (the shares' own classifiers, which the sharing classifier
   * checks).
   */
  batchInvariance?: 'check' | 'assume';
};

/**
 * Whether a sample's logits, losses and gradients are the bits it gets alone in any batch, at any
 * place, on any share (for a run's provenance). Shares and graphs of the exact batch size rely on it.
 */
export type BatchInvariance = {
  invariant: boolean;
  /** Whether the check at open ran (false: assumed, or not relied on at level 'extended'). */
  checked: boolean;
  reason: string;
};

/**
 * Samples of the check of batch invariance at open: alone, in one call (a size off the padding grid,
 * so run padded and at the exact size; places 0-10, more than the alignment phases of a 10-class
 * row) and in shares of that call (6 + 5 on two).
 */
export const INVARIANCE_PROBE_SAMPLES = 11;

/** One run of the probe samples: the plain model's logits and the 'ce' graph's results. */
type ProbeRun = { logits: Float32Array; ce: LossGradResult };

const DEPENDS_ON_BATCH = "a sample's results depend on its batch here (see batchInvariance)";
const SHARES_NEED = "shares need a sample's results not to depend on its batch (use shards 'auto' or 1)";

/** How a classifier's batches are shared among worker threads (for a run's provenance). */
export type Sharding = { shards: number; threadsPerShard: number; reason: string };

/** Most shares 'auto' gives (each holds its own sessions, so memory grows with them). */
export const MAX_AUTO_SHARDS = 8;

/** Samples per shard below which a call runs on the classifier's own sessions (all its threads). */
export const MIN_SAMPLES_PER_SHARD = 2;

export type GradientLevel = 'extended' | 'all';

/** The gradient graphs' optimisation level and why it was chosen (for a run's provenance). */
export type GradientOptimization = { level: GradientLevel; reason: string };

/** Thrown when the chosen execution provider cannot run the model or its gradient graph. */
export class ExecutionProviderError extends Error {
  override name = 'ExecutionProviderError';
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]?.trim() ?? '';

/**
 * onnxruntime's intra-op threads: the count asked for, or every core this process may use. Always
 * given explicitly: onnxruntime's own default counts physical cores through cpuinfo and was 1 on a
 * 2-core AMD EPYC VM here (2026-12-06: a ResNet-20 batch took 1.45 s at its default and 0.81 s with 2).
 */
export function intraOpThreads(requested?: number): number {
  return requested ?? os.availableParallelism();
}

/**
 * onnxruntime session config entries of every session of ours. `session.force_spinning_stop`: the
 * intra-op pool threads stop spinning as soon as a run returns (they still spin within a run, between
 * its nodes). Without it a pool thread spins on for a while after each run; an attack that alternates
 * two sessions (FAB-T: the gradient graph, then the plain model) then has one session's pool spinning
 * while the other's works, more threads than cores. Measured on a 2-core AMD EPYC (2 threads, ResNet-20,
 * 26 samples; packages/attacks/README.md): a gradient call and a forward call in turn took 47.5 ms
 * with it and 138.7 ms without. Results are unchanged (threads only).
 */
export const SESSION_CONFIG: Readonly<Record<string, string>> = { 'session.force_spinning_stop': '1' };

/**
 * The thread options of an onnxruntime-node session: `intraOpNumThreads` (intraOpThreads) and the
 * config entries SESSION_CONFIG as onnxruntime-node's `extra`.
 */
export function sessionThreadOptions(
  requested?: number,
  config: Readonly<Record<string, string>> = SESSION_CONFIG,
): { intraOpNumThreads: number; extra?: Record<string, unknown> } {
  const extra = sessionConfigExtra(config);
  return { intraOpNumThreads: intraOpThreads(requested), ...(Object.keys(extra).length ? { extra } : {}) };
}

/**
 * Time spent inside onnxruntime calls (milliseconds) and number of calls, for benchmarks. The
 * milliseconds are wall time of the calls as the caller saw them (a shared call: from its start to
 * its last share's end; a whole run on shares of its rows: the onnxruntime time of the share that
 * spent the most); calls and samples are summed over the shares.
 */
export type OnnxTimings = {
  forwardMs: number;
  gradientMs: number;
  forwardCalls: number;
  gradientCalls: number;
  /** Samples given to onnxruntime: forward, gradient, and gradient including the batch padding. */
  forwardSamples: number;
  gradientSamples: number;
  gradientPaddedSamples: number;
};

export class OnnxClassifier implements Classifier, ApgdRowSharing, FabRowSharing, SquareRowSharing {
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  readonly batchSize: number;
  readonly timings: OnnxTimings = {
    forwardMs: 0,
    gradientMs: 0,
    forwardCalls: 0,
    gradientCalls: 0,
    forwardSamples: 0,
    gradientSamples: 0,
    gradientPaddedSamples: 0,
  };
  private readonly sessions = new Map<LossName, Promise<GradientSession>>();
  private readonly d: number;

  /** What fell back to the CPU (one line each; empty when everything runs on the chosen provider). */
  readonly fallbacks: string[] = [];

  private constructor(
    private readonly model: Uint8Array,
    private readonly plain: ort.InferenceSession,
    ce: GradientSession,
    opts: OnnxClassifierOptions,
    /** Provider of the gradient sessions (the CPU after a fallback). */
    private readonly gradientEp: string,
    /** Optimisation level of the gradient sessions, and why. */
    readonly gradientOptimization: GradientOptimization,
  ) {
    this.inputShape = [...opts.inputShape];
    this.numClasses = opts.numClasses;
    this.batchSize = opts.batchSize ?? 32;
    this.d = opts.inputShape.reduce((a, b) => a * b, 1);
    this.sessions.set('ce', Promise.resolve(ce));
    this.threads = intraOpThreads(opts.intraOpNumThreads);
    this.sessionConfig = opts.sessionConfig ?? SESSION_CONFIG;
    this.executionProvider = opts.executionProvider ?? 'cpu';
  }

  private readonly threads: number;
  private shardingDecided: Sharding = { shards: 1, threadsPerShard: 1, reason: '' };
  private shardSet?: OnnxShards;

  /** How batches are shared among threads (the `shards` option, decided at open). */
  get sharding(): Sharding {
    return this.shardingDecided;
  }

  private invarianceChecked: BatchInvariance = { invariant: false, checked: false, reason: 'not checked' };

  /** Whether a sample's results do not depend on its batch, and how that is known (decided at open). */
  get batchInvariance(): BatchInvariance {
    return this.invarianceChecked;
  }

  /**
   * The batchInvariance of each share's own classifier (none without shares): 'assumed', since this
   * classifier checks the shares itself at open.
   */
  get shareInvariance(): (BatchInvariance | undefined)[] {
    return this.shardSet?.invariances ?? [];
  }

  /** Shards a call of n samples goes to (0: the classifier's own sessions). */
  private shardsFor(n: number): number {
    if (!this.shardSet) return 0;
    const parts = Math.min(this.shardSet.count, Math.floor(n / MIN_SAMPLES_PER_SHARD));
    return parts >= 2 ? parts : 0;
  }
  private readonly sessionConfig: Readonly<Record<string, string>>;
  /** The execution provider every session of this classifier runs on. */
  readonly executionProvider: string;

  /** Opens a model (ONNX bytes); checks that one sample gives [1, numClasses] logits. */
  static async open(model: Uint8Array, opts: OnnxClassifierOptions): Promise<OnnxClassifier> {
    checkShardsOption(opts.shards);
    const config = opts.sessionConfig ?? SESSION_CONFIG;
    const threads = { intraOpNumThreads: intraOpThreads(opts.intraOpNumThreads), configEntries: config };
    const ep = opts.executionProvider ?? 'cpu';
    const fallbacks: string[] = [];
    // a session on the chosen provider; on failure one line, or the CPU when asked
    const onProvider = async <T>(what: string, make: (provider: string) => Promise<T>): Promise<T> => {
      try {
        return await make(ep);
      } catch (e) {
        if (ep === 'cpu') throw e;
        const why = `execution provider '${ep}' cannot run the ${what} (${firstLine(e)})`;
        if (!opts.fallbackToCpu)
          throw new ExecutionProviderError(`${why}; use 'cpu' or allow the CPU fallback`);
        fallbacks.push(`${why}; the ${what} runs on the CPU`);
        return make('cpu');
      }
    };
    const plain = await onProvider('model', (provider) =>
      ort.InferenceSession.create(model, {
        graphOptimizationLevel: 'all',
        executionProviders: [provider],
        ...sessionThreadOptions(opts.intraOpNumThreads, config),
      }),
    );
    // the gradient graph is built and run once here, so that a provider that cannot run it is known now
    const probeX = new Float32Array(opts.inputShape.reduce((a, b) => a * b, 1)).fill(0.5);
    const wanted = opts.gradientOptimization ?? 'auto';
    if (!['auto', 'extended', 'all'].includes(wanted)) {
      throw new Error(`unknown gradient optimisation '${String(wanted)}'`);
    }
    const firstLevel: GradientLevel = wanted === 'all' ? 'all' : 'extended';
    let ce = await onProvider('gradient graph', async (provider) => {
      const s = await createGradientSession(model, {
        loss: 'ce',
        executionProvider: provider,
        optimizationLevel: firstLevel,
        ...threads,
      });
      if (provider === 'cpu') return s;
      try {
        await s.run(probeX, [1, ...opts.inputShape], Int32Array.of(0));
      } catch (e) {
        await s.release();
        throw e;
      }
      return s;
    });
    const gradientEp = gradientProvider(fallbacks, ep);
    let optimization: GradientOptimization = {
      level: firstLevel,
      reason: wanted === 'auto' ? '' : `chosen (gradientOptimization '${wanted}')`,
    };
    if (wanted === 'auto') {
      const checked = await checkGradientLevel(model, ce, opts.inputShape, opts.numClasses, {
        executionProvider: gradientEp,
        ...threads,
      });
      optimization = checked.optimization;
      if (checked.session) {
        await ce.release();
        ce = checked.session;
      }
    }
    const clf = new OnnxClassifier(model, plain, ce, opts, gradientEp, optimization);
    clf.fallbacks.push(...fallbacks);
    try {
      await clf.logits(probeX, 1);
      const how = opts.batchInvariance ?? 'check';
      if (how !== 'check' && how !== 'assume') {
        throw new Error(`batchInvariance must be 'check' or 'assume', not ${String(how)}`);
      }
      clf.shardingDecided = decideSharding(opts, optimization.level, ep, gradientEp);
      // a failed check: one share, or a refusal where shares were asked for by number
      const dependsOnBatch = (finding: BatchInvariance) => {
        clf.invarianceChecked = finding;
        if (opts.shards !== undefined && opts.shards !== 'auto') {
          throw new Error(`shards ${opts.shards}: ${finding.reason}; ${SHARES_NEED}`);
        }
        clf.shardingDecided = { shards: 1, threadsPerShard: clf.threads, reason: DEPENDS_ON_BATCH };
      };
      // first the classifier's own sessions (alone, padded, exact size); shares only when they pass
      const own = await clf.checkBatchInvariance(how);
      if (clf.sharding.shards > 1 && !own.invariant) dependsOnBatch(own);
      else clf.invarianceChecked = own;
      if (clf.sharding.shards > 1) {
        // the shares' classifiers take invariance as given: this classifier checks them below
        const shardOptions: OnnxClassifierOptions = {
          ...opts,
          intraOpNumThreads: clf.sharding.threadsPerShard,
          gradientOptimization: 'all',
          shards: 1,
          executionProvider: 'cpu',
          fallbackToCpu: false,
          batchInvariance: 'assume',
        };
        const local = await OnnxClassifier.open(model, shardOptions);
        try {
          clf.shardSet = await OnnxShards.open(local, model, shardOptions, clf.sharding.shards - 1);
        } catch (e) {
          await local.release();
          throw e;
        }
        if (how === 'check') {
          const shared = await clf.checkShares();
          if (shared) {
            const set = clf.shardSet;
            clf.shardSet = undefined;
            await set.release();
            dependsOnBatch(shared);
          }
        }
      }
    } catch (e) {
      await clf.release();
      throw e;
    } finally {
      clf.probe = undefined;
    }
    // the counters count an attack's calls, not the checks at open
    for (const key of Object.keys(clf.timings) as (keyof OnnxTimings)[]) clf.timings[key] = 0;
    return clf;
  }

  /**
   * The check of batch invariance at open, on the classifier's own sessions (level 'all' only;
   * 'extended' relies on none). The probe samples (`invarianceProbe`) run alone, then together in one
   * call as the classifier runs them (the gradient graph padded up the grid) and at the exact size (the
   * graph `gradientBatch` switches to); the plain model's logits and the 'ce' graph's logits, loss and
   * gradient must be the same bits everywhere. Every loss runs the same model graph and gradient rules,
   * and the loss heads work a row at a time (packages/onnx-grad, loss.test.ts), so one loss probes the
   * model. A model whose ops reduce across a row (a Softmax or LogSoftmax in it, whose gradient sums
   * over the classes) or across the batch can give a sample other bits elsewhere in a batch. A pass is
   * evidence on these samples and places, not a proof for every batch.
   */
  private async checkBatchInvariance(how: 'check' | 'assume'): Promise<BatchInvariance> {
    if (this.gradientOptimization.level !== 'all') {
      return {
        invariant: false,
        checked: false,
        reason: "not relied on: gradient graphs at 'extended' (no shares, no graphs of the exact batch size)",
      };
    }
    if (how === 'assume') {
      return { invariant: true, checked: false, reason: "assumed (batchInvariance 'assume')" };
    }
    const n = INVARIANCE_PROBE_SAMPLES;
    const { d } = this;
    const { x, y } = invarianceProbe(this.inputShape, this.numClasses, n);
    const alone: ProbeRun[] = [];
    this.probe = { x, y, alone };
    for (let i = 0; i < n; i++) {
      const xi = x.subarray(i * d, (i + 1) * d);
      alone.push({
        logits: await this.ownLogits(xi, 1),
        ce: await this.ownLossGrad(xi, 1, 'ce', y.subarray(i, i + 1)),
      });
    }
    // the call as the classifier makes it (chunks of batchSize, each padded up the grid), and with
    // every chunk at its exact size when any is padded (the graphs gradientBatch switches to)
    const bs = this.batchSize;
    const chunkSizes = Array.from({ length: Math.ceil(n / bs) }, (_, c) => Math.min(bs, n - c * bs));
    const call = bs < n ? `one call of ${n} in chunks of ${bs}` : `one call of ${n}`;
    const logits = await this.ownLogits(x, n);
    const runs: [string, ProbeRun][] = [
      [
        bs < n ? call : `${call} (gradient graph of ${paddedSize(n, bs)})`,
        { logits, ce: await this.ownLossGrad(x, n, 'ce', y) },
      ],
    ];
    if (chunkSizes.some((m) => paddedSize(m, bs) !== m)) {
      runs.push([
        `${call} at the exact size`,
        { logits, ce: await this.ownLossGrad(x, n, 'ce', y, undefined, true) },
      ]);
    }
    this.probePlaces = [];
    for (const [where, r] of runs) {
      const differs = this.probeDiffers(r, where);
      if (differs) return { invariant: false, checked: true, reason: `checked: ${differs}` };
      this.probePlaces.push(where);
    }
    return { invariant: true, checked: true, reason: this.probePassed() };
  }

  /** Where the probe samples got their bits alone, so far (for the reason). */
  private probePlaces: string[] = [];

  private probePassed(): string {
    return `checked: ${INVARIANCE_PROBE_SAMPLES} probe samples got their bits alone in ${this.probePlaces.join(', in ')} (logits; 'ce' logits, loss, gradient)`;
  }

  /** The probe samples and their results alone, during open (set by checkBatchInvariance for checkShares). */
  private probe?: { x: Float32Array; y: Int32Array; alone: ProbeRun[] };

  /**
   * The shares' part of the check (after checkBatchInvariance passed): the probe samples in shares on
   * one-thread sessions against their results alone. Undefined when they agree (the finding is then
   * added to `batchInvariance.reason`), else the failed finding.
   */
  private async checkShares(): Promise<BatchInvariance | undefined> {
    const n = INVARIANCE_PROBE_SAMPLES;
    const parts = this.shardsFor(n);
    if (!parts || !this.shardSet || !this.probe) return undefined;
    const { x, y } = this.probe;
    const logits = (await this.shardSet.logits(x, n, parts)).logits;
    const ce = await this.shardSet.lossGrad(x, n, 'ce', y, undefined, parts);
    const where = `${parts} shares of a call of ${n} (one thread each)`;
    const differs = this.probeDiffers({ logits, ce }, where);
    if (differs) return { invariant: false, checked: true, reason: `checked: ${differs}` };
    this.probePlaces.push(where);
    this.invarianceChecked = { ...this.invarianceChecked, reason: this.probePassed() };
    return undefined;
  }

  /** The first probe sample whose bits in `r` differ from its bits alone, said in words; else none. */
  private probeDiffers(r: ProbeRun, where: string): string | undefined {
    const { d, numClasses: k } = this;
    const same = (a: Float32Array, b: Float32Array) =>
      a.length === b.length &&
      Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
        Buffer.from(b.buffer, b.byteOffset, b.byteLength),
      );
    for (const [i, a] of (this.probe?.alone ?? []).entries()) {
      const parts: [string, Float32Array, Float32Array][] = [
        ['logits', a.logits, r.logits.subarray(i * k, (i + 1) * k)],
        ["'ce' logits", a.ce.logits, r.ce.logits.subarray(i * k, (i + 1) * k)],
        ["'ce' loss", a.ce.loss, r.ce.loss.subarray(i, i + 1)],
        ["'ce' gradient", a.ce.grad, r.ce.grad.subarray(i * d, (i + 1) * d)],
      ];
      for (const [what, u, v] of parts) {
        if (!same(u, v)) return `probe sample ${i}'s ${what} in ${where} differs from its ${what} alone`;
      }
    }
    return undefined;
  }

  /**
   * The gradient session of a loss. AutoAttack's stages use one loss each, in sequence, so the
   * sessions (and their per-batch-size graphs) of the other losses are released first: memory holds
   * one loss's graphs at a time.
   */
  private async session(loss: LossName): Promise<GradientSession> {
    for (const [other, p] of [...this.sessions]) {
      if (other === loss) continue;
      this.sessions.delete(other);
      const released = await p.catch(() => undefined);
      mergeLayouts(this.releasedLayouts, other, released);
      await released?.release();
    }
    let s = this.sessions.get(loss);
    if (!s) {
      s = createGradientSession(this.model, {
        loss,
        executionProvider: this.gradientEp,
        optimizationLevel: this.gradientOptimization.level,
        intraOpNumThreads: this.threads,
        configEntries: this.sessionConfig,
      });
      this.sessions.set(loss, s);
    }
    return s;
  }

  /** Set by release(): every later call throws rather than reach a released session. */
  private released = false;

  private checkOpen(): void {
    if (this.released) throw new Error('OnnxClassifier: used after release()');
  }

  /**
   * FAB-T's run on shares of its rows, each on its own thread (`OnnxShards.fabTargeted`; fab.ts
   * `FabRowSharing`), or undefined where a call of n samples would not be shared.
   */
  fabTargetedShared(
    im2: Float32Array,
    la2: Int32Array,
    target: Int32Array,
    n: number,
    opts: FabOptions,
    onIteration?: (i: number) => void,
  ): Promise<FabRunResult | undefined> {
    return this.onRowShares(n, (shards, parts) =>
      shards.fabTargeted(im2, la2, target, n, opts, parts, onIteration),
    );
  }

  /**
   * APGD's run from its random start on shares of its rows, each on its own thread
   * (`OnnxShards.apgdFromStart`; apgd.ts `ApgdRowSharing`), or undefined where a call of n samples
   * would not be shared.
   */
  apgdShared(
    x: Float32Array,
    y: Int32Array,
    n: number,
    loss: LossName,
    opts: ApgdOptions,
    xStart: Float32Array,
    yTarget?: Int32Array,
    onIteration?: (i: number) => void,
  ): Promise<ApgdRunResult | undefined> {
    return this.onRowShares(n, (shards, parts) =>
      shards.apgdFromStart(x, y, n, loss, opts, xStart, yTarget, parts, onIteration),
    );
  }

  /**
   * A span of a Linf Square run's queries on shares of its rows, each on its own thread
   * (`OnnxShards.squareQueries`; square.ts `SquareRowSharing`), or undefined where a call of n
   * samples would not be shared.
   */
  squareShared(
    x: Float32Array,
    y: Int32Array,
    n: number,
    opts: SquareOptions,
    st: SquareState,
    draws: Int32Array,
    from: number,
    to: number,
    onIteration?: (i: number) => void,
  ): Promise<SquareSpanResult | undefined> {
    return this.onRowShares(n, (shards, parts) =>
      shards.squareQueries(x, y, n, opts, st, draws, from, to, parts, onIteration),
    );
  }

  /** A whole run of n rows on the shares (undefined where a call of n would not be shared), its counters added. */
  private async onRowShares<R>(
    n: number,
    run: (shards: OnnxShards, parts: number) => Promise<R & { timings: OnnxTimings }>,
  ): Promise<R | undefined> {
    this.checkOpen();
    const parts = this.shardsFor(n);
    if (!parts || !this.shardSet) return undefined;
    const { timings, ...result } = await run(this.shardSet, parts);
    for (const key of Object.keys(timings) as (keyof OnnxTimings)[]) this.timings[key] += timings[key];
    return result as R;
  }

  async logits(x: Float32Array, n: number): Promise<Float32Array> {
    this.checkOpen();
    const parts = this.shardsFor(n);
    if (parts && this.shardSet) {
      const t0 = performance.now();
      const r = await this.shardSet.logits(x, n, parts);
      this.timings.forwardMs += performance.now() - t0;
      this.timings.forwardCalls += r.calls;
      this.timings.forwardSamples += n;
      return r.logits;
    }
    return this.ownLogits(x, n);
  }

  /** Logits from the classifier's own plain session (no shares). */
  private async ownLogits(x: Float32Array, n: number): Promise<Float32Array> {
    const k = this.numClasses;
    let out: Float32Array | undefined;
    for (let start = 0; start < n; start += this.batchSize) {
      const m = Math.min(this.batchSize, n - start);
      const t0 = performance.now();
      const input = new ort.Tensor('float32', x.subarray(start * this.d, (start + m) * this.d), [
        m,
        ...this.inputShape,
      ]);
      const res = await this.plain.run({ [this.plain.inputNames[0] as string]: input });
      const t = res[this.plain.outputNames[0] as string];
      if (!t) throw new Error('model returned no output');
      this.timings.forwardMs += performance.now() - t0;
      this.timings.forwardCalls++;
      this.timings.forwardSamples += m;
      if (t.dims.length !== 2 || t.dims[0] !== m || t.dims[1] !== k) {
        throw new Error(
          `model output has shape [${t.dims.join(', ')}] for ${m} inputs; expected [${m}, ${k}] logits [N, classes]`,
        );
      }
      // one chunk: onnxruntime's fresh output array is the result (no second copy)
      if (start === 0 && m === n) return t.data as Float32Array;
      out ??= new Float32Array(n * k);
      out.set(t.data as Float32Array, start * k);
    }
    return out ?? new Float32Array(0);
  }

  async lossGrad(
    x: Float32Array,
    n: number,
    loss: LossName,
    y: Int32Array,
    yTarget?: Int32Array,
  ): Promise<LossGradResult> {
    this.checkOpen();
    if (yTarget === undefined && needsTarget(loss)) {
      throw new Error(`loss '${loss}' needs target classes`);
    }
    const parts = this.shardsFor(n);
    if (parts && this.shardSet) {
      const t0 = performance.now();
      const r = await this.shardSet.lossGrad(x, n, loss, y, yTarget, parts);
      this.timings.gradientMs += performance.now() - t0;
      this.timings.gradientCalls += r.calls;
      this.timings.gradientSamples += n;
      this.timings.gradientPaddedSamples += r.paddedSamples;
      return { logits: r.logits, loss: r.loss, grad: r.grad };
    }
    return this.ownLossGrad(x, n, loss, y, yTarget);
  }

  /** Logits, losses and gradients from the classifier's own gradient session (no shares). */
  private async ownLossGrad(
    x: Float32Array,
    n: number,
    loss: LossName,
    y: Int32Array,
    yTarget?: Int32Array,
    /** Graphs of the chunk's own size, not the padding grid's (the check at open). */
    exact = false,
  ): Promise<LossGradResult> {
    const { d, numClasses: k } = this;
    const session = await this.session(loss);
    let logits: Float32Array | undefined;
    let lossOut: Float32Array | undefined;
    let grad: Float32Array | undefined;
    for (let start = 0; start < n; start += this.batchSize) {
      const m = Math.min(this.batchSize, n - start);
      const size = exact ? m : this.gradientBatch(m);
      // a chunk that needs no padding goes to onnxruntime as it is; a padded one is built in a
      // buffer kept per graph size (filled with the chunk, then copies of its first sample)
      let xb = x.subarray(start * d, (start + m) * d);
      let yb = y.subarray(start, start + m);
      let tb = yTarget?.subarray(start, start + m);
      if (size !== m) {
        const buf = this.padBuffer(size, tb !== undefined);
        buf.x.set(xb);
        buf.y.set(yb);
        if (buf.t && tb) buf.t.set(tb);
        for (let p = m; p < size; p++) {
          buf.x.copyWithin(p * d, 0, d);
          buf.y[p] = buf.y[0] as number;
          if (buf.t) buf.t[p] = buf.t[0] as number;
        }
        xb = buf.x;
        yb = buf.y;
        tb = buf.t;
      }
      const t0 = performance.now();
      const r = await session.run(xb, [size, ...this.inputShape], yb, tb);
      this.timings.gradientMs += performance.now() - t0;
      this.timings.gradientCalls++;
      this.timings.gradientSamples += m;
      this.timings.gradientPaddedSamples += size;
      if (start === 0 && m === n) {
        // one chunk: onnxruntime's fresh output arrays are the result (no second copy)
        return {
          logits: r.logits.subarray(0, m * k),
          loss: r.loss.subarray(0, m),
          grad: r.grad.subarray(0, m * d),
        };
      }
      logits ??= new Float32Array(n * k);
      lossOut ??= new Float32Array(n);
      grad ??= new Float32Array(n * d);
      logits.set(r.logits.subarray(0, m * k), start * k);
      lossOut.set(r.loss.subarray(0, m), start);
      grad.set(r.grad.subarray(0, m * d), start * d);
    }
    return {
      logits: logits ?? new Float32Array(0),
      loss: lossOut ?? new Float32Array(0),
      grad: grad ?? new Float32Array(0),
    };
  }

  /** Layouts of the gradient graphs of sessions already released, by loss and input shape. */
  private readonly releasedLayouts: Record<string, Record<string, NchwcSession['layout']>> = {};

  /**
   * What the NCHWc rewrite (`nchwcSession`) did to each gradient graph built so far, by loss and
   * input shape ("batch,c,h,w"): nodes moved and reorders before/after, or why the graph was kept as
   * onnxruntime made it. The rewrite keeps every output bit-identical; this is provenance.
   */
  async gradientLayouts(): Promise<Record<string, Record<string, NchwcSession['layout']>>> {
    const out = structuredClone(this.releasedLayouts);
    for (const [loss, p] of this.sessions) mergeLayouts(out, loss, await p.catch(() => undefined));
    // the workers' graphs (one per share size; the same size gives the same graph in every worker)
    for (const layouts of (await this.shardSet?.layouts()) ?? []) {
      for (const [loss, byShape] of Object.entries(layouts)) out[loss] = { ...out[loss], ...byShape };
    }
    return out;
  }

  /** Gradient calls per sample count that the padding grid rounds up. */
  private readonly paddedCalls = new Map<number, number>();

  /**
   * The gradient graph's batch size for m samples: `paddedSize`, except that a count the grid rounds
   * up gets a graph of its own once it has been asked for EXACT_SIZE_AFTER times (when the check at
   * open found that per-sample results do not depend on the batch: the results are the same, only the
   * padding's time is saved; a ResNet-20 graph takes ~0.2 s to build, what padding 26 samples to 28
   * costs over about a hundred calls).
   */
  private gradientBatch(m: number): number {
    const size = paddedSize(m, this.batchSize);
    if (size === m || !this.batchInvariance.invariant) return size;
    const calls = (this.paddedCalls.get(m) ?? 0) + 1;
    this.paddedCalls.set(m, calls);
    return calls > EXACT_SIZE_AFTER ? m : size;
  }

  /** Input buffers of a padded gradient batch, one set per graph size, reused by every call. */
  private readonly padBuffers = new Map<number, { x: Float32Array; y: Int32Array; t?: Int32Array }>();

  private padBuffer(size: number, target: boolean): { x: Float32Array; y: Int32Array; t?: Int32Array } {
    let b = this.padBuffers.get(size);
    if (!b) {
      b = { x: new Float32Array(size * this.d), y: new Int32Array(size) };
      this.padBuffers.set(size, b);
    }
    if (target && !b.t) b.t = new Int32Array(size);
    return target ? b : { x: b.x, y: b.y };
  }

  async release(): Promise<void> {
    this.released = true;
    const all = await Promise.all([...this.sessions.values()].map((s) => s.catch(() => undefined)));
    this.sessions.clear();
    for (const s of all) await s?.release();
    await this.plain.release();
    await this.shardSet?.release();
    this.shardSet = undefined;
  }
}

/** Refuses a `shards` option that is neither 'auto' nor a count from 1 to 64 (before any session is made). */
function checkShardsOption(shards: OnnxClassifierOptions['shards']): void {
  if (shards === undefined || shards === 'auto') return;
  if (!(Number.isInteger(shards) && shards >= 1 && shards <= 64)) {
    throw new Error(`shards must be 'auto' or a whole number from 1 to 64, not ${String(shards)}`);
  }
}

/** The `shards` option resolved: worker count, threads each, and why. */
function decideSharding(
  opts: OnnxClassifierOptions,
  level: GradientLevel,
  ep: string,
  gradientEp: string,
): Sharding {
  const threads = intraOpThreads(opts.intraOpNumThreads);
  const asked = opts.shards ?? 'auto';
  const blocker =
    ep !== 'cpu' || gradientEp !== 'cpu'
      ? `the sessions run on '${ep}', not the CPU`
      : level !== 'all'
        ? "the gradient graphs run at level 'extended', where a sample's results can depend on its batch"
        : undefined;
  if (asked === 1) return { shards: 1, threadsPerShard: threads, reason: 'chosen (shards 1)' };
  if (asked === 'auto' && threads < 2) {
    return { shards: 1, threadsPerShard: threads, reason: 'one intra-op thread' };
  }
  if (blocker) {
    if (asked === 'auto') return { shards: 1, threadsPerShard: threads, reason: blocker };
    throw new Error(`shards ${asked}: ${blocker}; shards need level 'all' on the CPU`);
  }
  const shards = asked === 'auto' ? Math.min(threads, MAX_AUTO_SHARDS) : asked;
  return {
    shards,
    threadsPerShard: Math.max(1, Math.floor(threads / shards)),
    reason:
      asked === 'auto'
        ? `${shards} shares for ${threads} intra-op threads, gradient graphs at 'all' on the CPU`
        : `chosen (shards ${asked})`,
  };
}

/** Adds a gradient session's per-shape NCHWc layouts under its loss. */
function mergeLayouts(
  into: Record<string, Record<string, NchwcSession['layout']>>,
  loss: string,
  s: GradientSession | undefined,
): void {
  if (s && s.layouts.size > 0) into[loss] = { ...into[loss], ...Object.fromEntries(s.layouts) };
}

/** Calls at one padded sample count after which it gets a gradient graph of its own size. */
export const EXACT_SIZE_AFTER = 100;

/**
 * Tolerances of the check of optimisation level 'all' against 'extended' (relative L2 of the input
 * gradient over the probe batch; largest logit difference relative to the largest |logit|).
 */
export const GRADIENT_LEVEL_TOLERANCE = { gradient: 1e-4, logits: 1e-5 };

/** The level check's probe batch: the first two samples of `invarianceProbe` (noise, a smooth pattern; labels 0, 1). */
export function gradientProbe(
  inputShape: readonly number[],
  numClasses: number,
): { x: Float32Array; y: Int32Array } {
  return invarianceProbe(inputShape, numClasses, 2);
}

/**
 * Probe samples of the checks at open (`gradientProbe`, `OnnxClassifierOptions.batchInvariance`): n
 * samples, alternately uniform noise and smooth patterns of different phases, labelled 0, 1, 2, ...
 * (mod the class count).
 */
export function invarianceProbe(
  inputShape: readonly number[],
  numClasses: number,
  n: number,
): { x: Float32Array; y: Int32Array } {
  const d = inputShape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n * d);
  const rng = new Rng(20261206);
  for (let s = 0; s < n; s++) {
    const row = x.subarray(s * d, (s + 1) * d);
    if (s % 2 === 0) for (let i = 0; i < d; i++) row[i] = rng.uniform();
    else for (let i = 0; i < d; i++) row[i] = 0.5 + 0.4 * Math.sin(i * 0.013 * s + (i % 7) + (s - 1));
  }
  return { x, y: Int32Array.from({ length: n }, (_, i) => i % numClasses) };
}

/**
 * Compares the cross-entropy gradient graph at optimisation level 'all' with the one at 'extended'
 * (`extended`) on `gradientProbe`. Returns the 'all' session when its logits and gradient agree within
 * GRADIENT_LEVEL_TOLERANCE (then the caller uses it instead), else none; with the level and the reason
 * either way. A failure to build or run the 'all' graph keeps 'extended', with the error as the reason.
 */
export async function checkGradientLevel(
  model: Uint8Array,
  extended: GradientSession,
  inputShape: readonly number[],
  numClasses: number,
  options: {
    executionProvider: string;
    intraOpNumThreads?: number;
    configEntries?: Readonly<Record<string, string>>;
  },
  tol: { gradient: number; logits: number } = GRADIENT_LEVEL_TOLERANCE,
): Promise<{ optimization: GradientOptimization; session?: GradientSession }> {
  const { x, y } = gradientProbe(inputShape, numClasses);
  const shape = [2, ...inputShape];
  let all: GradientSession | undefined;
  try {
    all = await createGradientSession(model, { loss: 'ce', optimizationLevel: 'all', ...options });
    const a = await all.run(x, shape, y);
    const e = await extended.run(x, shape, y);
    const diff = compareGradients(e, a);
    const measured = `gradient rel. L2 difference ${diff.gradient.toExponential(1)}, logits ${diff.logits.toExponential(1)} on the probe batch`;
    if (diff.gradient <= tol.gradient && diff.logits <= tol.logits) {
      return {
        optimization: { level: 'all', reason: `checked against 'extended': ${measured}` },
        session: all,
      };
    }
    await all.release();
    return {
      optimization: {
        level: 'extended',
        reason: `'all' differs from 'extended' beyond the tolerance (${tol.gradient}, ${tol.logits}): ${measured}`,
      },
    };
  } catch (e) {
    await all?.release();
    return { optimization: { level: 'extended', reason: `'all' failed: ${firstLine(e)}` } };
  }
}

/**
 * How far gradient result b is from a: relative L2 distance of the gradients (0 when both are 0) and
 * the largest logit difference over the largest |logit| of a (at least 1). NaN anywhere gives Infinity.
 */
export function compareGradients(
  a: { logits: Float32Array; grad: Float32Array },
  b: { logits: Float32Array; grad: Float32Array },
): { gradient: number; logits: number } {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.grad.length; i++) {
    const u = a.grad[i] as number;
    const v = b.grad[i] as number;
    num += (u - v) ** 2;
    den += u * u;
  }
  let dz = 0;
  let zmax = 1;
  for (let i = 0; i < a.logits.length; i++) {
    const u = a.logits[i] as number;
    dz = Math.max(dz, Math.abs(u - (b.logits[i] as number)));
    zmax = Math.max(zmax, Math.abs(u));
  }
  const gradient = num === 0 ? 0 : Math.sqrt(num / den);
  const logits = dz / zmax;
  return {
    gradient: Number.isNaN(gradient) ? Number.POSITIVE_INFINITY : gradient,
    logits: Number.isNaN(logits) ? Number.POSITIVE_INFINITY : logits,
  };
}

function gradientProvider(fallbacks: string[], ep: string): string {
  return fallbacks.some((f) => f.includes('gradient graph')) ? 'cpu' : ep;
}

/**
 * The batch size of the gradient graph that runs m samples: m itself up to 8, then the next
 * multiple of 2^(floor(log2 m) - 2) (10, 12, 14, 16, 20, 24, 28, 32, 40, ...), capped at max. The
 * padding costs under 25 % extra (a power-of-two grid cost up to 100 %), with at most four graph
 * sizes per doubling. Per-sample results do not depend on the batch size (src/onnx.test.ts checks
 * that bit for bit), so the grid changes only the time.
 */
export function paddedSize(m: number, max: number): number {
  if (m <= 8) return Math.min(m, max);
  const g = 2 ** (Math.floor(Math.log2(m)) - 2);
  return Math.min(Math.ceil(m / g) * g, max);
}
