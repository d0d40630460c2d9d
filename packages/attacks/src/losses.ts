/**
 * Per-sample attack losses and their derivatives with respect to the logits, written from the
 * definitions in fra31/auto-attack (autopgd_base.py: CrossEntropyLoss, dlr_loss, dlr_loss_targeted;
 * fab_pt.py: get_diff_logits_grads_batch_targeted). Used by the pure-TypeScript classifiers; the ONNX
 * classifier gets the same quantities from the gradient graph of packages/onnx-grad.
 */
import type { LossName } from './types.ts';

const DLR_EPS = 1e-12;

/** Index of the largest logit (first one on ties, as torch.max). */
export function argmaxRow(z: ArrayLike<number>, offset: number, k: number): number {
  let best = 0;
  let bv = z[offset] as number;
  for (let j = 1; j < k; j++) {
    const v = z[offset + j] as number;
    if (v > bv) {
      bv = v;
      best = j;
    }
  }
  return best;
}

/**
 * The predicted class of one logit row, or -1 when any logit is not finite (an argmax over NaN
 * would otherwise answer class 0).
 */
export function predictedClass(z: ArrayLike<number>, offset: number, k: number): number {
  for (let j = 0; j < k; j++) if (!Number.isFinite(z[offset + j] as number)) return -1;
  return argmaxRow(z, offset, k);
}

/** Predicted class per sample of a [n, k] logit matrix. */
export function argmaxRows(z: ArrayLike<number>, n: number, k: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = argmaxRow(z, i * k, k);
  return out;
}

/** Class indices of one logit row in decreasing order of the logit. */
export function sortedDesc(z: ArrayLike<number>, offset: number, k: number): number[] {
  const idx = Array.from({ length: k }, (_, j) => j);
  idx.sort((a, b) => (z[offset + b] as number) - (z[offset + a] as number) || a - b);
  return idx;
}

/**
 * The class with the `rank`-th largest logit (rank 1 = largest), as the reference's
 * `z.sort(dim=1)[1][:, -rank]`.
 */
export function classAtRank(z: ArrayLike<number>, offset: number, k: number, rank: number): number {
  const s = sortedDesc(z, offset, k);
  const c = s[rank - 1];
  if (c === undefined) throw new Error(`rank ${rank} out of range for ${k} classes`);
  return c;
}

/**
 * Loss value of one logit row and, when `dz` is given, its gradient with respect to the logits
 * written into dz[dzOffset .. dzOffset + k).
 */
export function lossAndLogitGrad(
  loss: LossName,
  z: ArrayLike<number>,
  offset: number,
  k: number,
  y: number,
  t: number | undefined,
  dz?: Float64Array,
  dzOffset = 0,
): number {
  const zy = z[offset + y] as number;
  if (dz) dz.fill(0, dzOffset, dzOffset + k);
  switch (loss) {
    case 'ce': {
      let m = -Infinity;
      for (let j = 0; j < k; j++) m = Math.max(m, z[offset + j] as number);
      let s = 0;
      for (let j = 0; j < k; j++) s += Math.exp((z[offset + j] as number) - m);
      const lse = m + Math.log(s);
      if (dz) {
        for (let j = 0; j < k; j++) dz[dzOffset + j] = Math.exp((z[offset + j] as number) - lse);
        dz[dzOffset + y] = (dz[dzOffset + y] as number) - 1;
      }
      return lse - zy;
    }
    case 'dlr': {
      if (k < 3) throw new Error('the DLR loss needs at least 3 classes');
      const s = sortedDesc(z, offset, k);
      const p1 = s[0] as number;
      const p3 = s[2] as number;
      const o = p1 === y ? (s[1] as number) : p1;
      const num = zy - (z[offset + o] as number);
      const den = (z[offset + p1] as number) - (z[offset + p3] as number) + DLR_EPS;
      if (dz) {
        dz[dzOffset + y] = (dz[dzOffset + y] as number) - 1 / den;
        dz[dzOffset + o] = (dz[dzOffset + o] as number) + 1 / den;
        const c = num / (den * den);
        dz[dzOffset + p1] = (dz[dzOffset + p1] as number) + c;
        dz[dzOffset + p3] = (dz[dzOffset + p3] as number) - c;
      }
      return -num / den;
    }
    case 'dlr-targeted': {
      if (k < 4) throw new Error('the targeted DLR loss needs at least 4 classes');
      if (t === undefined) throw new Error('dlr-targeted needs a target class');
      const s = sortedDesc(z, offset, k);
      const p1 = s[0] as number;
      const p3 = s[2] as number;
      const p4 = s[3] as number;
      const num = zy - (z[offset + t] as number);
      const den =
        (z[offset + p1] as number) -
        0.5 * ((z[offset + p3] as number) + (z[offset + p4] as number)) +
        DLR_EPS;
      if (dz) {
        dz[dzOffset + y] = (dz[dzOffset + y] as number) - 1 / den;
        dz[dzOffset + t] = (dz[dzOffset + t] as number) + 1 / den;
        const c = num / (den * den);
        dz[dzOffset + p1] = (dz[dzOffset + p1] as number) + c;
        dz[dzOffset + p3] = (dz[dzOffset + p3] as number) - 0.5 * c;
        dz[dzOffset + p4] = (dz[dzOffset + p4] as number) - 0.5 * c;
      }
      return -num / den;
    }
    case 'logit-diff': {
      if (t === undefined) throw new Error('logit-diff needs a target class');
      if (dz) {
        dz[dzOffset + t] = (dz[dzOffset + t] as number) + 1;
        dz[dzOffset + y] = (dz[dzOffset + y] as number) - 1;
      }
      return (z[offset + t] as number) - zy;
    }
  }
}

/** Square attack's margin z_y - max_{j != y} z_j of one logit row. */
export function margin(z: ArrayLike<number>, offset: number, k: number, y: number): number {
  let other = -Infinity;
  for (let j = 0; j < k; j++) if (j !== y) other = Math.max(other, z[offset + j] as number);
  return (z[offset + y] as number) - other;
}
