/**
 * One FAB iteration's step for one row (fra31/auto-attack fab_base.py attack_single_run, the lines
 * from the two projections to the new x1): the hyperplane of the linearised decision boundary from
 * the row's logit difference and its gradient, the projections of x1 and of the original point onto
 * it, the mixing weight alpha and the extrapolated, clipped new x1. Shared by fab.ts and the worker
 * threads of fab-pool.ts, so both run the same code on their rows.
 */
import { ProjectionWork, projectionL2, projectionLinf } from './fab-projections.ts';
import { clamp01 } from './tensor.ts';
import type { Norm } from './types.ts';

export type FabStepParams = { norm: Norm; eta: number; alphaMax: number };

/** Scratch of one thread: the projections' work arrays and their two outputs. */
export class FabStepWork {
  readonly work: ProjectionWork;
  readonly d1: Float64Array;
  readonly d2: Float64Array;
  constructor(readonly d: number) {
    this.work = new ProjectionWork(d);
    this.d1 = new Float64Array(d);
    this.d2 = new Float64Array(d);
  }
}

/**
 * x1s <- the FAB step from x1s towards the hyperplane {<w, x> = b} (b from the logit difference
 * `loss` = z_t - z_y at x1s), mixed with the projection of the original point x0s.
 */
export function fabStepRow(
  x1s: Float32Array,
  x0s: Float32Array,
  w: Float32Array,
  loss: number,
  p: FabStepParams,
  sw: FabStepWork,
): void {
  const d = sw.d;
  const { d1, d2 } = sw;
  const project = p.norm === 'Linf' ? projectionLinf : projectionL2;
  let wx = 0;
  for (let j = 0; j < d; j++) wx += (w[j] as number) * (x1s[j] as number);
  const b = -loss + wx;
  project(x1s, w, b, sw.work, d1);
  project(x0s, w, b, sw.work, d2);
  const a1 = Math.max(vecNorm(p.norm, d1), 1e-8);
  const a2 = Math.max(vecNorm(p.norm, d2), 1e-8);
  const alpha = Math.min(Math.max(a1 / (a1 + a2), 0), p.alphaMax);
  const eta = p.eta;
  for (let j = 0; j < d; j++) {
    x1s[j] = clamp01(
      ((x1s[j] as number) + eta * (d1[j] as number)) * (1 - alpha) +
        ((x0s[j] as number) + eta * (d2[j] as number)) * alpha,
    );
  }
}

/**
 * fabStepRow on the batch rows r in [from, to): row r of `grad` and `loss` moves state row states[r]
 * of x1 (x0: the original points, by state row). The one loop behind the main thread's rows, a
 * FabStepPool's share of them and its workers' shares.
 */
export function fabStepRows(
  x1: Float32Array,
  x0: Float32Array,
  grad: Float32Array,
  loss: Float32Array,
  states: ArrayLike<number>,
  from: number,
  to: number,
  p: FabStepParams,
  sw: FabStepWork,
): void {
  const d = sw.d;
  for (let r = from; r < to; r++) {
    const o = (states[r] as number) * d;
    fabStepRow(
      x1.subarray(o, o + d),
      x0.subarray(o, o + d),
      grad.subarray(r * d, (r + 1) * d),
      loss[r] as number,
      p,
      sw,
    );
  }
}

function vecNorm(norm: Norm, v: Float64Array): number {
  if (norm === 'Linf') {
    let m = 0;
    for (let j = 0; j < v.length; j++) m = Math.max(m, Math.abs(v[j] as number));
    return m;
  }
  let s = 0;
  for (let j = 0; j < v.length; j++) s += (v[j] as number) ** 2;
  return Math.sqrt(s);
}
