/**
 * FAB-T, the targeted Fast Adaptive Boundary attack (Croce & Hein 2020, arXiv:1907.02044), as
 * fra31/auto-attack runs it in the standard version: autoattack/fab_base.py
 * (attack_single_run with is_targeted=True, perturb with targeted=True) and fab_pt.py
 * (get_diff_logits_grads_batch_targeted). n_restarts = 1, so no random start: deterministic.
 */

import os from 'node:os';
import { FabStepPool } from './fab-pool.ts';
import { type FabStepParams, FabStepWork, fabStepRows } from './fab-step.ts';
import { argmaxRow } from './losses.ts';
import {
  groupRuns,
  SIDE_BY_SIDE_DEFAULTS,
  stackTargetRuns,
  startTargetRuns,
  targetRunCount,
} from './side-by-side.ts';
import { copySample, diffNorm, gather, gatherIntInto, gatherInto, nonzero } from './tensor.ts';
import { type AttackContext, type Classifier, type Norm, type PerturbResult, sampleSize } from './types.ts';

export type FabOptions = {
  norm: Norm;
  /** Success threshold: a point counts only if ||x_adv - x|| <= eps. */
  eps: number;
  nIter: number;
  nTargetClasses: number;
  alphaMax: number;
  eta: number;
  beta: number;
  /**
   * Stop iterating a sample once it has an adversarial point within eps. FAB only ever lowers the
   * norm of its best point, so success is unchanged; the returned point may have a larger norm.
   */
  earlyStop: boolean;
};

export const FAB_DEFAULTS: Omit<FabOptions, 'norm' | 'eps'> = {
  nIter: 100,
  nTargetClasses: 9,
  alphaMax: 0.1,
  eta: 1.05,
  beta: 0.9,
  earlyStop: true,
};

/** A FAB-T run's result: the best adversarial point per row and its norm (1e10 = none), the counters. */
export type FabRunResult = { adv: Float32Array; res2: Float64Array; forwards: number; gradients: number };

/**
 * A classifier that runs a FAB-T run's rows in shares at once, each on its own thread with its own
 * onnxruntime session and steps (OnnxClassifier with shares). The rows of a run are independent, so
 * the result must be `fabTargetedSingleRun`'s on all rows; undefined where it does not split them.
 */
export interface FabRowSharing {
  fabTargetedShared(
    im2: Float32Array,
    la2: Int32Array,
    target: Int32Array,
    bs: number,
    opts: FabOptions,
    onIteration?: (i: number) => void,
  ): Promise<FabRunResult | undefined>;
}

/**
 * One targeted FAB run on points that are all correctly classified (the caller filters), with
 * targets `yTarget`. Returns the best adversarial point per sample and its norm (1e10 = none).
 */
export async function fabTargetedSingleRun(
  clf: Classifier,
  im2: Float32Array,
  la2: Int32Array,
  target: Int32Array,
  bs: number,
  opts: FabOptions,
  onIteration?: (i: number) => void,
  pool?: FabStepPool,
): Promise<FabRunResult> {
  const d = sampleSize(clf.inputShape);
  const k = clf.numClasses;
  const { norm, beta } = opts;
  const step: FabStepParams = { norm, eta: opts.eta, alphaMax: opts.alphaMax };
  const adv = Float32Array.from(im2);
  const res2 = new Float64Array(bs).fill(1e10);
  // x1 (and the original points, for the projections) in the pool's shared buffers when there is one
  const shared = pool?.buffers(bs);
  const x1 = shared ? shared.x1 : Float32Array.from(im2);
  if (shared) {
    shared.x1.set(im2);
    shared.x0.set(im2);
  }
  let forwards = 0;
  let gradients = 0;
  const active = Array.from({ length: bs }, (_, s) => s);
  // kept for the whole run: the steps' scratch, and (once early stopping has dropped points, or
  // always with shared buffers, which onnxruntime does not take) the gathered active rows
  const work = shared ? undefined : new FabStepWork(d);
  let rows: { x: Float32Array; y: Int32Array; t: Int32Array } | undefined;
  for (let it = 0; it < opts.nIter && active.length > 0; it++) {
    const m = active.length;
    const all = m === bs && !shared;
    if (!all && !rows) rows = { x: new Float32Array(bs * d), y: new Int32Array(bs), t: new Int32Array(bs) };
    const sub = all ? undefined : rows;
    const xa = sub ? gatherInto(sub.x, x1, d, active) : x1;
    // df = z_t - z_y = -(z_y - z_t), dg = its input gradient (one VJP, cotangent e_t - e_y)
    const g = await clf.lossGrad(
      xa,
      m,
      'logit-diff',
      sub ? gatherIntInto(sub.y, la2, active) : la2,
      sub ? gatherIntInto(sub.t, target, active) : target,
    );
    gradients += m;
    if (pool) await pool.step(g.grad, g.loss, active, m);
    else fabStepRows(x1, im2, g.grad, g.loss, active, 0, m, step, work as FabStepWork);
    const xb = sub ? gatherInto(sub.x, x1, d, active) : x1;
    const z = await clf.logits(xb, m);
    forwards += m;
    for (let r = 0; r < m; r++) {
      const s = active[r] as number;
      if (argmaxRow(z, r * k, k) === (la2[s] as number)) continue; // untargeted success criterion
      const t = diffNorm(norm, x1, s, im2, s, d);
      if (t < (res2[s] as number)) {
        copySample(adv, s, x1, s, d);
        res2[s] = t;
      }
      // backward step towards the original point
      const o = s * d;
      for (let j = 0; j < d; j++) {
        x1[o + j] = (im2[o + j] as number) + ((x1[o + j] as number) - (im2[o + j] as number)) * beta;
      }
    }
    if (opts.earlyStop) {
      // drop the points with an adversarial point within eps, in place
      let kept = 0;
      for (const s of active) if (!((res2[s] as number) <= opts.eps)) active[kept++] = s;
      active.length = kept;
    }
    onIteration?.(it + 1);
  }
  return { adv, res2, forwards, gradients };
}

/**
 * FAB-T perturb: for target ranks 2..nTargetClasses+1 on the still-robust points, run the targeted
 * attack and accept a point when it is misclassified by a fresh forward pass and within eps.
 *
 * The target ranks run side by side (`ctx.sideBySide`; maxRuns 1 runs them one after another): one
 * batch holds every still-robust point once per rank of a group (as many ranks as the sample and
 * float budgets allow), so each onnxruntime call carries more samples. FAB-T with one restart draws
 * no random numbers (fab_base.py's perturb passes use_rand_start=(counter > 0): a random start
 * only from the second restart on; nothing in fabTargetedSingleRun uses an RNG), and every
 * per-point computation is independent of the other points (there is no batch-level quantity in
 * attack_single_run; per-sample onnxruntime
 * results do not depend on the batch: src/onnx.test.ts), so the results are those of the
 * reference's rank-by-rank loop: successes are accepted rank by rank, only for points no earlier
 * rank fooled; a fooled point's results in later ranks of the group are discarded (counted as
 * `discarded` in the stats, one per run that had a point dropped). A point fooled by an early rank
 * has run the later ranks of its group in vain; that is the price of the larger batches.
 *
 * A group's run goes to the classifier's `fabTargetedShared` where it offers one (OnnxClassifier with
 * shares, unless `ctx.rowShares` is false): each share of the rows runs the whole run on its own
 * thread, steps included, and the step pool is not opened; else it runs here with the step pool.
 *
 * In-stage checkpoints (issue 12): after each group `ctx.onTargetGroup` receives the state (ranks
 * done, which points are fooled, the counters; no RNG), and `ctx.resumeTargets` continues from it
 * at the next rank (the clean forward pass repeated for the targets but not counted again).
 */
export async function fabTargetedPerturb(
  clf: Classifier,
  x: Float32Array,
  y: Int32Array,
  n: number,
  opts: FabOptions,
  ctx: AttackContext,
): Promise<PerturbResult> {
  const d = sampleSize(clf.inputShape);
  const k = clf.numClasses;
  const clean = await clf.logits(x, n);
  const nTargets = targetRunCount(opts, k);
  const start = startTargetRuns(ctx.resumeTargets, clean, y, n, k, nTargets, false);
  const { acc, stats } = start;
  let { forwards, gradients } = start;
  const adv = Float32Array.from(x);
  const sb = ctx.sideBySide ?? SIDE_BY_SIDE_DEFAULTS;
  // the per-row steps on several threads for rows long enough to be worth a round trip; the pool
  // is opened on the first run (FabStepPool.open returns undefined at once for one thread)
  const threads = fabStepThreads(d, ctx.fabStepThreads);
  let pool: FabStepPool | undefined;
  const stepPool = () => {
    pool ??= FabStepPool.open(d, { norm: opts.norm, eta: opts.eta, alphaMax: opts.alphaMax }, threads);
    return pool;
  };
  // a classifier with shares runs each run's rows on its threads, steps included (then no step pool)
  const sharing =
    ctx.rowShares !== false && typeof (clf as Partial<FabRowSharing>).fabTargetedShared === 'function'
      ? (clf as Classifier & FabRowSharing)
      : undefined;
  try {
    // run q is target rank 2 + q
    let rank = 2 + start.runsDone;
    while (rank <= nTargets + 1) {
      const idx = nonzero(acc);
      if (idx.length === 0) break;
      const group = groupRuns(nTargets + 2 - rank, idx.length, d, sb);
      const ranks = Array.from({ length: group }, (_, i) => rank + i);
      const p = idx.length;
      const m = p * group;
      // attack_single_run: correctly classified points only (all of idx are), targets from clean logits
      const { xs, ys, targets: target } = stackTargetRuns(x, y, clean, k, d, idx, ranks);
      const first = rank;
      const onIteration = (i: number) => ctx.onProgress?.((first - 2 + (i / opts.nIter) * group) / nTargets);
      const run =
        (await sharing?.fabTargetedShared(xs, ys, target, m, opts, onIteration)) ??
        (await fabTargetedSingleRun(clf, xs, ys, target, m, opts, onIteration, stepPool()));
      forwards += run.forwards;
      gradients += run.gradients;
      // accept rank by rank, only points no earlier rank fooled (the sequential loop's order)
      stats.groups++;
      let fooledBefore = false;
      for (let ri = 0; ri < group; ri++) {
        stats.runs++;
        // the sequential loop would have run this rank on fewer points: the rows of points an earlier
        // rank of the group fooled are discarded (counted once per rank)
        if (fooledBefore) stats.discarded++;
        const rows: number[] = [];
        for (let t = 0; t < p; t++) {
          if (acc[idx[t] as number] === 1 && (run.res2[ri * p + t] as number) < 1e10) rows.push(ri * p + t);
        }
        if (rows.length === 0) continue;
        const z = await clf.logits(gather(run.adv, d, rows), rows.length);
        forwards += rows.length;
        rows.forEach((row, q) => {
          const fooled = argmaxRow(z, q * k, k) !== (ys[row] as number);
          const within = diffNorm(opts.norm, run.adv, row, xs, row, d) <= opts.eps;
          if (fooled && within) {
            const s = idx[row % p] as number;
            acc[s] = 0;
            copySample(adv, s, run.adv, row, d);
            if (ri < group - 1 && !fooledBefore) stats.rewinds++;
            fooledBefore = true;
          }
        });
      }
      rank += group;
      if (ctx.onTargetGroup && rank <= nTargets + 1 && acc.includes(1)) {
        await ctx.onTargetGroup(
          { runsDone: rank - 2, acc: Array.from(acc), forwards, gradients, sideBySide: { ...stats } },
          adv,
        );
      }
    }
    return { xAdv: adv, forwards, gradients, sideBySide: stats };
  } finally {
    await pool?.close();
  }
}

/** Sample size from which FAB-T's steps use every core by default (a CIFAR image is 3072). */
export const FAB_POOL_MIN_D = 1024;

/** FAB-T's step threads for samples of d values: the count asked for, else the default above. */
export function fabStepThreads(d: number, requested?: number): number {
  return requested ?? (d >= FAB_POOL_MIN_D ? os.availableParallelism() : 1);
}
