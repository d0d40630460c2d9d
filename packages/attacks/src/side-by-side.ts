/**
 * How many target runs of APGD-T / FAB-T run side by side in one batch (issue 15). AutoAttack's
 * targeted attacks run one target rank (and restart) after another on the points still robust; with
 * few such points every onnxruntime call is a tiny batch and per-call overhead dominates. A group
 * of G consecutive runs puts G x |robust| samples in each call; the attacks keep the sequential
 * results exactly (see apgdTargetedPerturb and fabTargetedPerturb).
 */
import { argmaxRow, classAtRank } from './losses.ts';
import type { TargetRunsState } from './types.ts';

export type SideBySide = {
  /** Most runs in one group; 1 runs them one after another (the sequential code path). */
  maxRuns: number;
  /** Most samples in one group's batch, i.e. per onnxruntime call (runs x still-robust points). */
  maxSamples: number;
  /** Most float32 values in one of the group's [samples, d] arrays (memory: 4 bytes each). */
  maxFloats: number;
};

/**
 * Defaults, chosen from measurements on a 2-core CPU (packages/attacks/README.md, "Target runs side
 * by side"): a gradient call's time per sample falls most from 1 to 4 samples and little beyond
 * (on MobileNet v1 0.25 it rose again at 8-64), and APGD-T on MobileNet with 2 robust points ran
 * 1.36x faster with 4 samples per call than one run after another but 0.82x as fast with 16. Each of
 * APGD-T's seven [samples, d] arrays stays under 32 MiB (an ImageNet image is 150528 floats).
 */
export const SIDE_BY_SIDE_DEFAULTS: SideBySide = {
  maxRuns: Number.POSITIVE_INFINITY,
  maxSamples: 4,
  maxFloats: 2 ** 23,
};

/** The runs of the next group: at least 1, at most `remaining`, within the sample and float budgets. */
export function groupRuns(remaining: number, points: number, d: number, sb: SideBySide): number {
  const bySamples = Math.floor(sb.maxSamples / points);
  const byFloats = Math.floor(sb.maxFloats / (points * d));
  return Math.max(1, Math.min(remaining, sb.maxRuns, bySamples, byFloats));
}

/** Counters of the side-by-side groups an attack ran (for tests and benchmarks). */
export type SideBySideStats = {
  /** Groups run (a run alone counts as a group of 1). */
  groups: number;
  /** Runs whose results were kept (the sequential runs). */
  runs: number;
  /**
   * Groups cut short because a run fooled a point while later runs of the group had assumed it
   * robust: those later runs were discarded (APGD-T also rewound its RNG to after the fooling run).
   */
  rewinds: number;
  /** Runs computed and then discarded. */
  discarded: number;
};

export const emptyStats = (): SideBySideStats => ({ groups: 0, runs: 0, rewinds: 0, discarded: 0 });

/**
 * The rows of a group of targeted runs side by side: for run j (0..ranks.length-1) and still-robust
 * point t, row j * |idx| + t holds the point, its label and its target, the class at rank
 * `ranks[j]` among its clean logits (`clean`, k per point).
 */
export function stackTargetRuns(
  x: Float32Array,
  y: Int32Array,
  clean: Float32Array,
  k: number,
  d: number,
  idx: readonly number[],
  ranks: readonly number[],
): { xs: Float32Array; ys: Int32Array; targets: Int32Array } {
  const p = idx.length;
  const m = p * ranks.length;
  const xs = new Float32Array(m * d);
  const ys = new Int32Array(m);
  const targets = new Int32Array(m);
  ranks.forEach((rank, j) => {
    for (let t = 0; t < p; t++) {
      const s = idx[t] as number;
      const row = j * p + t;
      xs.set(x.subarray(s * d, (s + 1) * d), row * d);
      ys[row] = y[s] as number;
      targets[row] = classAtRank(clean, s * k, k, rank);
    }
  });
  return { xs, ys, targets };
}

/**
 * The target runs of APGD-T / FAB-T on a model with k classes: nTargetClasses ranks (at most the
 * k - 1 other classes; autoattack.py warns and uses k - 1), nRestarts runs each (FAB-T: 1).
 */
export function targetRunCount(opts: { nTargetClasses: number; nRestarts?: number }, k: number): number {
  return Math.min(opts.nTargetClasses, k - 1) * (opts.nRestarts ?? 1);
}

/**
 * Refuses a target-runs state that cannot belong to this batch: the wrong number of points, runs
 * outside 0..total, or (APGD-T) no RNG state.
 */
export function checkTargetRunsState(st: TargetRunsState, n: number, total: number, needsRng: boolean): void {
  if (st.acc.length !== n) {
    throw new Error(`the target-runs state holds ${st.acc.length} points; this batch has ${n}`);
  }
  if (!(Number.isInteger(st.runsDone) && st.runsDone >= 0 && st.runsDone <= total)) {
    throw new Error(`the target-runs state has ${st.runsDone} runs done; this attack runs ${total}`);
  }
  if (needsRng && !st.rng)
    throw new Error('the target-runs state has no RNG state (APGD-T draws random starts)');
}

/**
 * Where APGD-T's / FAB-T's target runs start on a batch of n points: fresh (every correctly classified
 * point of the clean logits robust, the clean pass counted, no run done) or a resumed state, checked
 * against the batch and the attack's `total` runs (`needsRng`: APGD-T's state must hold its RNG).
 */
export function startTargetRuns(
  from: TargetRunsState | undefined,
  clean: Float32Array,
  y: Int32Array,
  n: number,
  k: number,
  total: number,
  needsRng: boolean,
): { acc: Uint8Array; runsDone: number; forwards: number; gradients: number; stats: SideBySideStats } {
  const acc = new Uint8Array(n);
  if (!from) {
    for (let s = 0; s < n; s++) acc[s] = argmaxRow(clean, s * k, k) === (y[s] as number) ? 1 : 0;
    return { acc, runsDone: 0, forwards: n, gradients: 0, stats: emptyStats() };
  }
  checkTargetRunsState(from, n, total, needsRng);
  acc.set(from.acc);
  return {
    acc,
    runsDone: from.runsDone,
    forwards: from.forwards,
    gradients: from.gradients,
    stats: { ...from.sideBySide },
  };
}
