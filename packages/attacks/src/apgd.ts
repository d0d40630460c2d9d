/**
 * Auto-PGD (Croce & Hein 2020, "Reliable evaluation of adversarial robustness with an ensemble of
 * diverse parameter-free attacks", Alg. 1), following fra31/auto-attack autoattack/autopgd_base.py
 * (APGDAttack.attack_single_run / perturb and APGDAttack_targeted.perturb) for Linf and L2.
 */
import { argmaxRow, predictedClass } from './losses.ts';
import { Rng, type RngState } from './rng.ts';
import {
  groupRuns,
  SIDE_BY_SIDE_DEFAULTS,
  stackTargetRuns,
  startTargetRuns,
  targetRunCount,
} from './side-by-side.ts';
import { clamp01, copySample, gather, gatherInt, gatherIntInto, gatherInto, nonzero } from './tensor.ts';
import {
  type AttackContext,
  type Classifier,
  type LossName,
  type Norm,
  type PerturbResult,
  sampleSize,
} from './types.ts';

export type ApgdOptions = {
  norm: Norm;
  eps: number;
  /** Iterations (reference: 100; torchattacks: 10). */
  nIter: number;
  nRestarts: number;
  /** Step-size decrease threshold (reference `rho` = `thr_decr`). */
  rho: number;
  /** Expectation over transformation: gradients averaged over this many passes ('rand' version: 20). */
  eotIter: number;
  /**
   * Stop iterating a sample once it is misclassified (confirmed by a fresh forward pass). Every
   * per-sample quantity of APGD is independent of the other samples, so for a deterministic model
   * this changes only which misclassified iterate is returned (the first instead of the last),
   * never whether a point is fooled. Ignored with eotIter > 1 (a randomised model: one lucky draw
   * must not end the attack); the driver also turns it off when its randomness check fires.
   */
  earlyStop: boolean;
  /**
   * torchattacks' APGDT L2 step uses `step_size[0]` (the first sample's step) for the whole batch;
   * reproduced when true (then earlyStop is ignored, as the first sample must keep iterating).
   */
  sharedL2Step?: boolean;
};

export const APGD_DEFAULTS: Omit<ApgdOptions, 'norm' | 'eps'> = {
  nIter: 100,
  nRestarts: 1,
  rho: 0.75,
  eotIter: 1,
  earlyStop: true,
};

/** The checkpoint constants of attack_single_run (`n_iter_2`, `n_iter_min`, `size_decr`). */
export function apgdConstants(nIter: number): { nIter2: number; nIterMin: number; sizeDecr: number } {
  return {
    nIter2: Math.max(Math.trunc(0.22 * nIter), 1),
    nIterMin: Math.max(Math.trunc(0.06 * nIter), 1),
    sizeDecr: Math.max(Math.trunc(0.03 * nIter), 1),
  };
}

/**
 * Iterations (1-based counts of completed iterations) after which the step size is checked:
 * 22, 41, 57, 70, 80, 87, 93, 99 for 100 iterations (paper: p_{j+1} = p_j + max(p_j - p_{j-1} - 0.03, 0.06)).
 */
export function apgdCheckpoints(nIter: number): number[] {
  const { nIter2, nIterMin, sizeDecr } = apgdConstants(nIter);
  const out: number[] = [];
  let k = nIter2;
  let counter = 0;
  for (let i = 0; i < nIter; i++) {
    counter++;
    if (counter === k) {
      out.push(i + 1);
      k = Math.max(k - sizeDecr, nIterMin);
      counter = 0;
    }
  }
  return out;
}

/**
 * APGD's per-sample step-size bookkeeping, separated from the gradient steps so that it can be
 * tested on scripted loss sequences. Holds `loss_steps` ([nIter, n], zero-initialised: the first
 * checkpoint compares the first loss against `loss_steps[-1]`, which in Python wraps around to the
 * still-zero last row — reproduced here), `loss_best`, the last-checkpoint state and the step size.
 */
export class StepSizeSchedule {
  readonly stepSize: Float64Array;
  readonly lossBest: Float32Array;
  private readonly lossSteps: Float32Array;
  private readonly lossBestLast: Float32Array;
  private readonly reducedLast: Uint8Array;
  /** The flags `record` returns, kept between calls (no allocation per iteration). */
  private readonly improvedOut: Uint8Array;
  private readonly reducedOut: Uint8Array;
  private readonly nIterMin: number;
  private readonly sizeDecr: number;
  /** Current window length k and iterations since the last checkpoint. */
  k: number;
  counter = 0;

  constructor(
    readonly n: number,
    readonly nIter: number,
    initialStep: number,
    initialLoss: ArrayLike<number>,
    readonly rho = 0.75,
  ) {
    const c = apgdConstants(nIter);
    this.k = c.nIter2;
    this.nIterMin = c.nIterMin;
    this.sizeDecr = c.sizeDecr;
    this.stepSize = new Float64Array(n).fill(initialStep);
    this.lossBest = Float32Array.from(initialLoss);
    this.lossSteps = new Float32Array(nIter * n);
    this.lossBestLast = Float32Array.from(initialLoss);
    this.reducedLast = new Uint8Array(n).fill(1);
    this.improvedOut = new Uint8Array(n);
    this.reducedOut = new Uint8Array(n);
  }

  /**
   * Records the losses of iteration i (0-based) for the samples `active` (losses aligned with
   * `active`). Returns, aligned with `active`, whether the loss strictly improved on the best
   * loss, and at a checkpoint which samples get their step halved (else null). The returned arrays
   * are reused: they hold until the next call.
   */
  record(
    i: number,
    active: readonly number[],
    losses: ArrayLike<number>,
  ): { improved: Uint8Array; reduced: Uint8Array | null } {
    const { n, nIter } = this;
    const improved = this.improvedOut.subarray(0, active.length);
    improved.fill(0);
    for (let a = 0; a < active.length; a++) {
      const s = active[a] as number;
      const l = Math.fround(losses[a] as number);
      this.lossSteps[i * n + s] = l;
      if (l > (this.lossBest[s] as number)) {
        this.lossBest[s] = l;
        improved[a] = 1;
      }
    }
    this.counter++;
    if (this.counter !== this.k) return { improved, reduced: null };
    const k = this.k;
    const reduced = this.reducedOut.subarray(0, active.length);
    reduced.fill(0);
    for (let a = 0; a < active.length; a++) {
      const s = active[a] as number;
      // check_oscillation: count increases over the last k steps; index i-j-1 may be -1 (Python wrap).
      let cnt = 0;
      for (let j = 0; j < k; j++) {
        const cur = this.lossSteps[(i - j) * n + s] as number;
        const prevRow = (((i - j - 1) % nIter) + nIter) % nIter;
        const prev = this.lossSteps[prevRow * n + s] as number;
        if (cur > prev) cnt++;
      }
      const oscillation = cnt <= k * this.rho;
      const noImprovement =
        !this.reducedLast[s] && (this.lossBestLast[s] as number) >= (this.lossBest[s] as number);
      const reduce = oscillation || noImprovement;
      this.reducedLast[s] = reduce ? 1 : 0;
      this.lossBestLast[s] = this.lossBest[s] as number;
      if (reduce) {
        this.stepSize[s] = (this.stepSize[s] as number) / 2;
        reduced[a] = 1;
      }
    }
    this.k = Math.max(k - this.sizeDecr, this.nIterMin);
    this.counter = 0;
    return { improved, reduced };
  }
}

/** How `apgdSingleRun` runs its batch. */
export type SingleRunOptions = {
  /** Rows per independent run side by side in the batch (default: the whole batch, one run). */
  segment?: number;
  /**
   * A classifier with `apgdShared` (OnnxClassifier with shares) may run a one-run batch on shares of
   * its rows, each a whole run on its own thread (default true; the results do not depend on it).
   */
  rowShares?: boolean;
};

type SingleRunResult = {
  /** Misclassification flag per sample is `acc[s] === 0`. */
  acc: Uint8Array;
  xBestAdv: Float32Array;
  lossBest: Float32Array;
  forwards: number;
  gradients: number;
  /** Per sub-run (segment): points whose initial gradient is all zero (the reference's warning). */
  zeroGrad: number[];
  /** Per sub-run: the RNG's state right after that sub-run's random start was drawn. */
  rngAfter: RngState[];
};

/** The reference's warning for points whose gradient is zero at the random start. */
export function zeroGradientWarning(count: number): string {
  return `there are ${count} points with zero gradient! This might lead to unreliable evaluation with gradient-based attacks.`;
}

async function lossGradEot(
  clf: Classifier,
  x: Float32Array,
  n: number,
  loss: LossName,
  y: Int32Array,
  yTarget: Int32Array | undefined,
  eotIter: number,
) {
  let res = await clf.lossGrad(x, n, loss, y, yTarget);
  if (eotIter === 1) return res;
  const grad = Float32Array.from(res.grad);
  for (let e = 1; e < eotIter; e++) {
    res = await clf.lossGrad(x, n, loss, y, yTarget);
    for (let j = 0; j < grad.length; j++) grad[j] = (grad[j] as number) + (res.grad[j] as number);
  }
  for (let j = 0; j < grad.length; j++) grad[j] = (grad[j] as number) / eotIter;
  // logits and loss are those of the last EOT sample, as in the reference
  return { logits: res.logits, loss: res.loss, grad };
}

/**
 * Checks the points `idx` of `xs` with a fresh forward pass (`clf.logits`); sets confirmed[s] = 1
 * where the prediction is not y[s] (and finite). Returns the number of forward passes spent.
 */
async function confirm(
  clf: Classifier,
  xs: Float32Array,
  y: Int32Array,
  idx: readonly number[],
  confirmed: Uint8Array,
): Promise<number> {
  const d = sampleSize(clf.inputShape);
  const k = clf.numClasses;
  const z = await clf.logits(gather(xs, d, idx), idx.length);
  for (let r = 0; r < idx.length; r++) {
    const s = idx[r] as number;
    const c = predictedClass(z, r * k, k);
    if (c !== -1 && c !== (y[s] as number)) confirmed[s] = 1;
  }
  return idx.length;
}

/**
 * One APGD run (attack_single_run) on n samples. The returned `acc[s]` is 0 only where the
 * verifying forward pass confirms that `xBestAdv` is misclassified.
 *
 * `segment` (default n, a divisor of n) runs n / segment independent runs side by side in one
 * batch, each on `segment` consecutive rows: the random starts are drawn segment after segment
 * (the order of sequential runs), and the only batch-level quantities of the reference's run are
 * kept per segment: the zero-gradient count (returned, not warned: the caller warns for the runs
 * it keeps) and torchattacks' shared L2 step (`step_size[0]`: the segment's first row). Every other
 * quantity is per sample, so each segment's results are those of a run on its rows alone (given
 * per-sample model outputs that do not depend on the batch: src/onnx.test.ts).
 *
 * The random starts are drawn here, on the calling thread; the run from them goes to the classifier's
 * `apgdShared` where it offers one (`how.rowShares`: one segment, no shared L2 step), else
 * `apgdFromStart` on this thread.
 */
export async function apgdSingleRun(
  clf: Classifier,
  x: Float32Array,
  y: Int32Array,
  n: number,
  loss: LossName,
  opts: ApgdOptions,
  rng: Rng,
  yTarget?: Int32Array,
  onIteration?: (i: number) => void,
  how: SingleRunOptions = {},
): Promise<SingleRunResult> {
  const { segment = n, rowShares = true } = how;
  if (!(Number.isInteger(segment) && segment > 0 && n % segment === 0) && n > 0) {
    throw new Error(`segment ${segment} does not divide the batch of ${n}`);
  }
  const d = sampleSize(clf.inputShape);
  const { xAdv, rngAfter } = apgdRandomStart(x, n, d, opts, rng, segment);
  const sharedStep = opts.sharedL2Step === true && opts.norm === 'L2';
  // row shares only for one run in the batch (share boundaries need not fall on segment boundaries,
  // and the zero-gradient count is per segment) and without torchattacks' step size shared by a
  // segment's rows
  const sharing =
    rowShares && segment === n && !sharedStep
      ? (clf as Partial<ApgdRowSharing>).apgdShared?.bind(clf)
      : undefined;
  const run =
    (await sharing?.(x, y, n, loss, opts, xAdv, yTarget, onIteration)) ??
    (await apgdFromStart(clf, x, y, n, loss, opts, xAdv, yTarget, onIteration, segment));
  return { ...run, rngAfter };
}

/**
 * A classifier that runs an APGD run's rows (`apgdFromStart`, one segment) in shares at once, each on
 * its own thread with its own onnxruntime session and steps (OnnxClassifier with shares). Each row of
 * such a run is independent, so the result must be `apgdFromStart`'s on all rows; undefined where it
 * does not split them.
 */
export interface ApgdRowSharing {
  apgdShared(
    x: Float32Array,
    y: Int32Array,
    n: number,
    loss: LossName,
    opts: ApgdOptions,
    xStart: Float32Array,
    yTarget?: Int32Array,
    onIteration?: (i: number) => void,
  ): Promise<ApgdRunResult | undefined>;
}

/** An APGD run's result from a given start (`apgdFromStart`). */
export type ApgdRunResult = Omit<SingleRunResult, 'rngAfter'>;

/**
 * The random starts of n rows scaled to exactly eps before clamping (reference `normalize(t)`),
 * drawn row after row, and the RNG's state after each segment's rows.
 */
function apgdRandomStart(
  x: Float32Array,
  n: number,
  d: number,
  opts: ApgdOptions,
  rng: Rng,
  segment: number,
): { xAdv: Float32Array; rngAfter: RngState[] } {
  const { eps, norm } = opts;
  const xAdv = new Float32Array(n * d);
  const t = new Float64Array(d);
  const rngAfter: RngState[] = [];
  for (let s = 0; s < n; s++) {
    const o = s * d;
    let scale = 0;
    if (norm === 'Linf') {
      for (let j = 0; j < d; j++) {
        t[j] = 2 * rng.uniform() - 1;
        scale = Math.max(scale, Math.abs(t[j] as number));
      }
    } else {
      for (let j = 0; j < d; j++) {
        t[j] = rng.normal();
        scale += (t[j] as number) ** 2;
      }
      scale = Math.sqrt(scale);
    }
    for (let j = 0; j < d; j++)
      xAdv[o + j] = clamp01((x[o + j] as number) + (eps * (t[j] as number)) / (scale + 1e-12));
    if ((s + 1) % segment === 0) rngAfter.push(rng.state());
  }
  return { xAdv, rngAfter };
}

/**
 * attack_single_run from the random start `xStart` (n rows, as `apgdRandomStart` draws them; not
 * modified); `segment` as in `apgdSingleRun`.
 */
export async function apgdFromStart(
  clf: Classifier,
  x: Float32Array,
  y: Int32Array,
  n: number,
  loss: LossName,
  opts: ApgdOptions,
  xStart: Float32Array,
  yTarget?: Int32Array,
  onIteration?: (i: number) => void,
  segment = n,
): Promise<ApgdRunResult> {
  const segments = n === 0 ? 0 : n / segment;
  const d = sampleSize(clf.inputShape);
  const k = clf.numClasses;
  const { eps, norm, nIter } = opts;
  const sharedStep = opts.sharedL2Step === true && norm === 'L2';
  // a randomised gradient (EOT) keeps every point iterating, as the reference does
  const earlyStop = opts.earlyStop && !sharedStep && opts.eotIter === 1;
  let forwards = 0;
  let gradients = 0;
  /** Points whose x_best_adv the verifying forward pass finds misclassified. */
  const confirmed = new Uint8Array(n);
  const xAdv = Float32Array.from(xStart);
  const xBest = Float32Array.from(xAdv);
  const xBestAdv = Float32Array.from(xAdv);
  const xOld = Float32Array.from(xAdv);

  const first = await lossGradEot(clf, xAdv, n, loss, y, yTarget, opts.eotIter);
  gradients += n * opts.eotIter;
  const grad = Float32Array.from(first.grad);
  const gradBest = Float32Array.from(first.grad);
  const acc = new Uint8Array(n);
  const zeroGrad = new Array<number>(segments).fill(0);
  for (let s = 0; s < n; s++) {
    acc[s] = argmaxRow(first.logits, s * k, k) === (y[s] as number) ? 1 : 0;
    let any = false;
    for (let j = 0; j < d && !any; j++) any = grad[s * d + j] !== 0;
    if (!any) {
      const g = Math.floor(s / segment);
      zeroGrad[g] = (zeroGrad[g] as number) + 1;
    }
  }
  const schedule = new StepSizeSchedule(n, nIter, 2 * eps, first.loss, opts.rho);

  if (earlyStop) {
    const start = nonzero(Array.from(acc, (a) => a === 0));
    if (start.length > 0) forwards += await confirm(clf, xBestAdv, y, start, confirmed);
  }
  const active = earlyStop
    ? nonzero(Array.from(confirmed, (c) => c === 0))
    : Array.from({ length: n }, (_, s) => s);
  const tmp = new Float64Array(d);
  // once early stopping has dropped points, the active rows are gathered into buffers kept for the run
  let rows: { x: Float32Array; y: Int32Array; t: Int32Array } | undefined;
  const flipped: number[] = [];
  for (let i = 0; i < nIter && active.length > 0; i++) {
    const a = i === 0 ? 1.0 : 0.75;
    for (const s of active) {
      const o = s * d;
      // torchattacks: step_size[0] of the run, i.e. of the segment's first row
      const step = schedule.stepSize[sharedStep ? s - (s % segment) : s] as number;
      if (norm === 'Linf') {
        for (let j = 0; j < d; j++) {
          const xv = xAdv[o + j] as number;
          const x0 = x[o + j] as number;
          const g = grad[o + j] as number;
          const lo = x0 - eps;
          const hi = x0 + eps;
          let z = xv + step * (g > 0 ? 1 : g < 0 ? -1 : 0);
          z = clamp01(Math.min(Math.max(z, lo), hi));
          const v = xv + (z - xv) * a + (xv - (xOld[o + j] as number)) * (1 - a);
          xOld[o + j] = xv;
          xAdv[o + j] = clamp01(Math.min(Math.max(v, lo), hi));
        }
      } else {
        let gn = 0;
        for (let j = 0; j < d; j++) gn += (grad[o + j] as number) ** 2;
        gn = Math.sqrt(gn) + 1e-12;
        let dn = 0;
        for (let j = 0; j < d; j++) {
          const u = (xAdv[o + j] as number) + (step * (grad[o + j] as number)) / gn - (x[o + j] as number);
          tmp[j] = u;
          dn += u * u;
        }
        dn = Math.sqrt(dn);
        let f = Math.min(eps, dn) / (dn + 1e-12);
        let vn = 0;
        for (let j = 0; j < d; j++) {
          const xv = xAdv[o + j] as number;
          const z = clamp01((x[o + j] as number) + (tmp[j] as number) * f);
          const v = xv + (z - xv) * a + (xv - (xOld[o + j] as number)) * (1 - a) - (x[o + j] as number);
          tmp[j] = v;
          vn += v * v;
        }
        vn = Math.sqrt(vn);
        f = Math.min(eps, vn) / (vn + 1e-12);
        for (let j = 0; j < d; j++) {
          xOld[o + j] = xAdv[o + j] as number;
          xAdv[o + j] = clamp01((x[o + j] as number) + (tmp[j] as number) * f);
        }
      }
    }

    const m = active.length;
    const all = m === n;
    if (!all && !rows) rows = { x: new Float32Array(n * d), y: new Int32Array(n), t: new Int32Array(n) };
    const sub = all ? undefined : rows;
    const xa = sub ? gatherInto(sub.x, xAdv, d, active) : xAdv;
    const ya = sub ? gatherIntInto(sub.y, y, active) : y;
    const ta = yTarget && sub ? gatherIntInto(sub.t, yTarget, active) : yTarget;
    const res = await lossGradEot(clf, xa, m, loss, ya, ta, opts.eotIter);
    gradients += m * opts.eotIter;
    flipped.length = 0;
    for (let r = 0; r < m; r++) {
      const s = active[r] as number;
      grad.set(res.grad.subarray(r * d, (r + 1) * d), s * d);
      const pred = argmaxRow(res.logits, r * k, k) === (y[s] as number);
      if (!pred) {
        acc[s] = 0;
        copySample(xBestAdv, s, xAdv, s, d);
        flipped.push(s);
      }
    }
    // early stop only on points the verifying forward pass also finds misclassified
    if (earlyStop && flipped.length > 0) {
      forwards += await confirm(clf, xBestAdv, y, flipped, confirmed);
    }
    const { improved, reduced } = schedule.record(i, active, res.loss);
    for (let r = 0; r < m; r++) {
      const s = active[r] as number;
      if (improved[r]) {
        copySample(xBest, s, xAdv, s, d);
        copySample(gradBest, s, grad, s, d);
      }
      if (reduced?.[r]) {
        // restart from the best point and its gradient (x_old is not reset, as in the reference)
        copySample(xAdv, s, xBest, s, d);
        copySample(grad, s, gradBest, s, d);
      }
    }
    if (earlyStop) {
      // drop the confirmed points in place
      let kept = 0;
      for (const s of active) if (confirmed[s] === 0) active[kept++] = s;
      active.length = kept;
    }
    onIteration?.(i + 1);
  }
  // A point counts as fooled only if the verifying forward pass (the classifier's `logits`) agrees
  // with the gradient pass that flagged it: the two can disagree at the decision boundary (ONNX: two
  // graphs, the gradient graph with its extra nodes, padded batches and possibly another
  // optimisation level); the others stay robust and go on.
  const unconfirmed: number[] = [];
  for (let s = 0; s < n; s++) if (acc[s] === 0 && confirmed[s] === 0) unconfirmed.push(s);
  if (unconfirmed.length > 0) forwards += await confirm(clf, xBestAdv, y, unconfirmed, confirmed);
  for (let s = 0; s < n; s++) acc[s] = confirmed[s] === 1 ? 0 : 1;
  return { acc, xBestAdv, lossBest: schedule.lossBest, forwards, gradients, zeroGrad };
}

/** APGD with an untargeted loss ('ce' or 'dlr'): APGDAttack.perturb. */
export async function apgdPerturb(
  clf: Classifier,
  x: Float32Array,
  y: Int32Array,
  n: number,
  loss: 'ce' | 'dlr',
  opts: ApgdOptions,
  ctx: AttackContext,
): Promise<PerturbResult> {
  const d = sampleSize(clf.inputShape);
  const k = clf.numClasses;
  const clean = await clf.logits(x, n);
  let forwards = n;
  let gradients = 0;
  const acc = new Uint8Array(n);
  for (let s = 0; s < n; s++) acc[s] = argmaxRow(clean, s * k, k) === (y[s] as number) ? 1 : 0;
  const adv = Float32Array.from(x);
  const rng = new Rng(ctx.seed);
  for (let r = 0; r < opts.nRestarts; r++) {
    const idx = nonzero(acc);
    if (idx.length === 0) break;
    const res = await apgdSingleRun(
      clf,
      gather(x, d, idx),
      gatherInt(y, idx),
      idx.length,
      loss,
      opts,
      rng,
      undefined,
      (i) => ctx.onProgress?.((r + i / opts.nIter) / opts.nRestarts),
      {
        // not on shares of the rows: the untargeted run starts from every clean-correct point and
        // fools most of them early, so the shares' rows would drop out unevenly and a thread would wait
        // (measured: APGD-CE 0.4-0.8 s slower at 0.5/255); each call's samples are shared evenly instead
        rowShares: false,
      },
    );
    const zero = res.zeroGrad[0] as number;
    if (zero > 0) ctx.warn?.(zeroGradientWarning(zero));
    forwards += res.forwards;
    gradients += res.gradients;
    for (let t = 0; t < idx.length; t++) {
      if (res.acc[t] === 0) {
        const s = idx[t] as number;
        acc[s] = 0;
        copySample(adv, s, res.xBestAdv, t, d);
      }
    }
  }
  return { xAdv: adv, forwards, gradients };
}

/**
 * APGD-T (APGDAttack_targeted.perturb): for target ranks 2..nTargetClasses+1 (and restarts within
 * each), the target of each still-robust point is the class with that rank among its clean logits;
 * targeted DLR loss. Each run attacks the points no earlier run fooled, and all runs draw their
 * random starts from one RNG stream in sequence.
 *
 * Runs side by side (`ctx.sideBySide`, issue 15), with the sequential results: a group of G
 * consecutive runs goes through apgdSingleRun as one batch of G x |robust| rows (one segment per
 * run), drawing the random starts in the sequential order on the assumption that no run fools a
 * point. Then the runs are taken in order; at the first run that fooled a point the group is cut
 * there: its results and those before it are kept, the later runs (computed for points that are no
 * longer robust, and from random numbers the sequential code would have drawn for fewer points)
 * are discarded, the RNG is rewound to just after the fooling run's draws, and the next group
 * starts with the following run on the smaller robust set. The first run of a group is always kept.
 *
 * In-stage checkpoints (issue 12): after each group the state is that of the sequential code after
 * the runs kept (runs done, which points are fooled, the RNG after their draws, the counters), and
 * `ctx.onTargetGroup` receives it; `ctx.resumeTargets` continues from such a state (the seeded RNG
 * restored to it, the clean forward pass repeated for the targets but not counted again), with the
 * results of the uninterrupted run for every point not fooled before the state was taken.
 */
export async function apgdTargetedPerturb(
  clf: Classifier,
  x: Float32Array,
  y: Int32Array,
  n: number,
  opts: ApgdOptions & { nTargetClasses: number },
  ctx: AttackContext,
): Promise<PerturbResult> {
  const d = sampleSize(clf.inputShape);
  const k = clf.numClasses;
  const clean = await clf.logits(x, n);
  const total = targetRunCount(opts, k);
  const from = ctx.resumeTargets;
  const start = startTargetRuns(from, clean, y, n, k, total, true);
  const { acc, stats } = start;
  let { forwards, gradients } = start;
  const adv = Float32Array.from(x);
  const rng = new Rng(ctx.seed);
  if (from?.rng) rng.restore(from.rng);
  const sb = ctx.sideBySide ?? SIDE_BY_SIDE_DEFAULTS;
  // run q (0-based) is target rank 2 + floor(q / nRestarts), restart q % nRestarts
  let done = start.runsDone;
  // progress counts a group's runs as they go; after a cut it holds until the kept runs catch up
  let shown = total > 0 ? done / total : 0;
  const progress = (f: number) => {
    shown = Math.max(shown, f);
    ctx.onProgress?.(shown);
  };
  while (done < total) {
    const idx = nonzero(acc);
    if (idx.length === 0) break;
    const p = idx.length;
    const g = groupRuns(total - done, p, d, sb);
    // targets from the clean logits of the still-robust points (the reference recomputes the
    // same logits with a forward pass of x_to_fool)
    const ranks = Array.from({ length: g }, (_, j) => 2 + Math.floor((done + j) / opts.nRestarts));
    const { xs, ys, targets: yTarget } = stackTargetRuns(x, y, clean, k, d, idx, ranks);
    const first = done;
    const res = await apgdSingleRun(
      clf,
      xs,
      ys,
      g * p,
      'dlr-targeted',
      opts,
      rng,
      yTarget,
      (i) => progress((first + (g * i) / opts.nIter) / total),
      { segment: p, rowShares: ctx.rowShares !== false },
    );
    forwards += res.forwards;
    gradients += res.gradients;
    stats.groups++;
    for (let j = 0; j < g; j++) {
      const zero = res.zeroGrad[j] as number;
      if (zero > 0) ctx.warn?.(zeroGradientWarning(zero));
      let fooled = false;
      for (let t = 0; t < p; t++) {
        const row = j * p + t;
        if (res.acc[row] === 0) {
          const s = idx[t] as number;
          acc[s] = 0;
          copySample(adv, s, res.xBestAdv, row, d);
          fooled = true;
        }
      }
      done++;
      stats.runs++;
      if (fooled && j < g - 1) {
        rng.restore(res.rngAfter[j] as RngState);
        stats.rewinds++;
        stats.discarded += g - 1 - j;
        break;
      }
    }
    // a group boundary: the sequential code would be between run done - 1 and run done here
    if (ctx.onTargetGroup && done < total && acc.includes(1)) {
      await ctx.onTargetGroup(
        {
          runsDone: done,
          acc: Array.from(acc),
          rng: rng.state(),
          forwards,
          gradients,
          sideBySide: { ...stats },
        },
        adv,
      );
    }
  }
  return { xAdv: adv, forwards, gradients, sideBySide: stats };
}
