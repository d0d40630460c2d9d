import type { RngState } from './rng.ts';
import type { SideBySide, SideBySideStats } from './side-by-side.ts';

/**
 * The classifier interface every attack is written against. Inputs are float32 images on the
 * [0,1] scale, one sample after another (row-major, sample-major: sample i occupies
 * x[i*D .. (i+1)*D) with D = product of `inputShape`); outputs are raw logits.
 */

/** Threat model: the norm that bounds the perturbation. */
export type Norm = 'Linf' | 'L2';

/**
 * Per-sample losses whose input gradient the attacks need (fra31/auto-attack autopgd_base.py, fab_pt.py):
 * - 'ce': logsumexp(z) - z_y
 * - 'dlr': -(z_y - max_{j != y} z_j) / (z_pi1 - z_pi3 + 1e-12)
 * - 'dlr-targeted': -(z_y - z_t) / (z_pi1 - (z_pi3 + z_pi4)/2 + 1e-12)
 * - 'logit-diff': z_t - z_y (FAB's targeted linearisation)
 * where pi sorts the logits in decreasing order.
 */
export type LossName = 'ce' | 'dlr' | 'dlr-targeted' | 'logit-diff';

export type LossGradResult = {
  /** [n, K] logits at x. */
  logits: Float32Array;
  /** [n] per-sample loss. */
  loss: Float32Array;
  /** [n, D] gradient of the summed loss with respect to x, i.e. the per-sample input gradient. */
  grad: Float32Array;
};

export interface Classifier {
  /** Shape of one input sample, e.g. [3, 32, 32] (CHW) or [D] for vector models. */
  readonly inputShape: readonly number[];
  /** Number of classes K (length of a logit row). */
  readonly numClasses: number;
  /** Logits [n, K] for n samples. */
  logits(x: Float32Array, n: number): Promise<Float32Array>;
  /**
   * Logits, per-sample loss and input gradient for n samples. `yTarget` is required for
   * 'dlr-targeted' and 'logit-diff'.
   */
  lossGrad(
    x: Float32Array,
    n: number,
    loss: LossName,
    y: Int32Array,
    yTarget?: Int32Array,
  ): Promise<LossGradResult>;
}

/** Reports progress inside one attack run as a fraction in [0, 1]. */
export type ProgressFn = (fraction: number) => void;

/** What every attack's `perturb` receives besides the classifier and the data. */
export type AttackContext = {
  seed: number;
  onProgress?: ProgressFn;
  /** Collected sanity warnings (the reference's checks). */
  warn?: (message: string) => void;
  /** APGD-T's and FAB-T's target runs side by side (default SIDE_BY_SIDE_DEFAULTS). */
  sideBySide?: SideBySide;
  /**
   * APGD-T, FAB-T: called at every target-group boundary (after a group's accepted runs, where the
   * sequential code is between two runs) while runs and still-robust points are left, with the
   * state to continue from and the adversarial points so far (fooled points' rows final); the
   * attack waits for it, and a rejection stops the attack.
   */
  onTargetGroup?: (state: TargetRunsState, xAdv: Float32Array) => void | Promise<void>;
  /** APGD-T, FAB-T: continue the batch from a state `onTargetGroup` received (same inputs and options). */
  resumeTargets?: TargetRunsState;
  /**
   * FAB-T: threads for its per-row steps (projections and update; fab-pool.ts), the main thread
   * included; default every core this process may use; 1 keeps them on the main thread. The
   * results do not depend on it. Not used for runs that go on shares of their rows (`rowShares`):
   * there each share's thread does its own rows' steps.
   */
  fabStepThreads?: number;
  /**
   * APGD-T, FAB-T, Linf Square: a classifier that can run a run's rows in shares, each share a whole
   * run (Square: a span of its queries) on its own thread with its own steps (OnnxClassifier with
   * shares: `apgdShared`, `fabTargetedShared`, `squareShared`), does so unless this is false. The
   * results do not depend on it.
   */
  rowShares?: boolean;
};

/**
 * APGD-T's / FAB-T's state between two target runs of a batch (an in-stage checkpoint): plain JSON.
 * The runs are taken in the sequential order (APGD-T: target rank 2 + floor(q / nRestarts), restart
 * q % nRestarts; FAB-T: target rank 2 + q); the points a run fooled keep their adversarial rows,
 * which the state does not hold (the driver checks them when it saves the state).
 */
export type TargetRunsState = {
  /** Runs done: the next run's index q. */
  runsDone: number;
  /** Per point of the batch: 1 while no run has fooled it (and it was correct on the clean pass). */
  acc: number[];
  /** APGD-T: the RNG after the runs done, i.e. where the sequential code's next random start begins. */
  rng?: RngState;
  /** The attack's counters for the batch so far (the clean forward pass included). */
  forwards: number;
  gradients: number;
  sideBySide: SideBySideStats;
};

/** The result of an attack on a batch: adversarial points (clean point where it failed). */
export type PerturbResult = {
  xAdv: Float32Array;
  /** Forward passes (logits only) and forward+gradient passes, per sample, summed over the batch. */
  forwards: number;
  gradients: number;
  /** APGD-T and FAB-T: how their target runs were grouped. */
  sideBySide?: SideBySideStats;
};

export function sampleSize(shape: readonly number[]): number {
  let d = 1;
  for (const s of shape) d *= s;
  return d;
}
