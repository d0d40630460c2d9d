/**
 * Baselines for sanity checks of AutoAttack's strength: FGSM (Goodfellow et al. 2015) and PGD with
 * a fixed step on the cross-entropy loss (Madry et al. 2018), Linf or L2. A point counts as fooled
 * if any iterate is misclassified.
 */
import { argmaxRow } from './losses.ts';
import { Rng } from './rng.ts';
import { clamp01 } from './tensor.ts';
import { type Classifier, type Norm, sampleSize } from './types.ts';

export type PgdOptions = {
  norm: Norm;
  eps: number;
  steps: number;
  /** Step size; default 2.5 * eps / steps. */
  stepSize?: number;
  randomStart: boolean;
  seed: number;
};

/** Returns per-sample `robust` flags (1 = never misclassified) and the adversarial points. */
export async function pgdAttack(
  clf: Classifier,
  x: Float32Array,
  y: Int32Array,
  n: number,
  opts: PgdOptions,
): Promise<{ robust: Uint8Array; xAdv: Float32Array }> {
  const d = sampleSize(clf.inputShape);
  const k = clf.numClasses;
  const { eps, norm } = opts;
  const step = opts.stepSize ?? (2.5 * eps) / opts.steps;
  const rng = new Rng(opts.seed);
  const xAdv = Float32Array.from(x);
  if (opts.randomStart) {
    for (let j = 0; j < n * d; j++) {
      const v = (x[j] as number) + (norm === 'Linf' ? eps * (2 * rng.uniform() - 1) : 0);
      xAdv[j] = clamp01(v);
    }
  }
  const robust = new Uint8Array(n).fill(1);
  const best = Float32Array.from(x);
  const clean = await clf.logits(x, n);
  for (let s = 0; s < n; s++) if (argmaxRow(clean, s * k, k) !== (y[s] as number)) robust[s] = 0;
  for (let it = 0; it <= opts.steps; it++) {
    const res = await clf.lossGrad(xAdv, n, 'ce', y);
    for (let s = 0; s < n; s++) {
      if (robust[s] && argmaxRow(res.logits, s * k, k) !== (y[s] as number)) {
        robust[s] = 0;
        best.set(xAdv.subarray(s * d, (s + 1) * d), s * d);
      }
    }
    if (it === opts.steps) break;
    for (let s = 0; s < n; s++) {
      const o = s * d;
      let gn = 0;
      if (norm === 'L2') {
        for (let j = 0; j < d; j++) gn += (res.grad[o + j] as number) ** 2;
        gn = Math.sqrt(gn) + 1e-12;
      }
      let dn = 0;
      for (let j = 0; j < d; j++) {
        const g = res.grad[o + j] as number;
        const v = (xAdv[o + j] as number) + (norm === 'Linf' ? step * Math.sign(g) : (step * g) / gn);
        xAdv[o + j] = v;
        dn += (v - (x[o + j] as number)) ** 2;
      }
      dn = Math.sqrt(dn);
      for (let j = 0; j < d; j++) {
        const x0 = x[o + j] as number;
        const v = xAdv[o + j] as number;
        xAdv[o + j] =
          norm === 'Linf'
            ? clamp01(Math.min(Math.max(v, x0 - eps), x0 + eps))
            : clamp01(x0 + ((v - x0) * Math.min(eps, dn)) / (dn + 1e-12));
      }
    }
  }
  for (let s = 0; s < n; s++) if (robust[s]) best.set(xAdv.subarray(s * d, (s + 1) * d), s * d);
  return { robust, xAdv: best };
}

/** FGSM: one signed-gradient step of size eps (Linf) from the clean point. */
export async function fgsmAttack(
  clf: Classifier,
  x: Float32Array,
  y: Int32Array,
  n: number,
  eps: number,
): Promise<{ robust: Uint8Array; xAdv: Float32Array }> {
  const d = sampleSize(clf.inputShape);
  const k = clf.numClasses;
  const res = await clf.lossGrad(x, n, 'ce', y);
  const xAdv = new Float32Array(n * d);
  for (let j = 0; j < n * d; j++)
    xAdv[j] = clamp01((x[j] as number) + eps * Math.sign(res.grad[j] as number));
  const z = await clf.logits(xAdv, n);
  const robust = new Uint8Array(n);
  for (let s = 0; s < n; s++) {
    robust[s] =
      argmaxRow(res.logits, s * k, k) === (y[s] as number) && argmaxRow(z, s * k, k) === (y[s] as number)
        ? 1
        : 0;
  }
  return { robust, xAdv };
}
