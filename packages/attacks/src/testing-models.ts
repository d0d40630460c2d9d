/** Deterministic linear test models with closed-form minimal perturbations (used by tests and bench). */
import { argmaxRows } from './losses.ts';
import { LinearClassifier, MlpClassifier } from './models.ts';
import { Rng } from './rng.ts';

/**
 * A K-class linear model z = W x + b with b_c = -<w_c, 0.5>: all logits tie at the centre of the
 * box, so every class is reachable inside [0,1]^d from any point.
 */
export function centredLinearModel(k: number, shape: readonly number[], seed: number): LinearClassifier {
  const d = shape.reduce((a, b) => a * b, 1);
  const rng = new Rng(seed);
  const w = new Float64Array(k * d);
  for (let i = 0; i < w.length; i++) w[i] = rng.normal();
  const b = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (w[c * d + j] as number) * 0.5;
    b[c] = -s;
  }
  return new LinearClassifier(w, b, shape);
}

/**
 * The exact minimal Linf perturbation (ignoring the box) that changes the decision of a linear
 * model at x away from class y: min_{j != y} (z_y - z_j) / ||w_y - w_j||_1 (0 if already wrong).
 */
export function linearMinimalLinf(model: LinearClassifier, x: ArrayLike<number>, y: number): number {
  const k = model.numClasses;
  const d = model.inputSize;
  const z = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = model.bias[c] as number;
    for (let j = 0; j < d; j++) s += (model.weights[c * d + j] as number) * (x[j] as number);
    z[c] = s;
  }
  let best = Infinity;
  for (let c = 0; c < k; c++) {
    if (c === y) continue;
    let l1 = 0;
    for (let j = 0; j < d; j++)
      l1 += Math.abs((model.weights[y * d + j] as number) - (model.weights[c * d + j] as number));
    best = Math.min(best, Math.max(0, ((z[y] as number) - (z[c] as number)) / l1));
  }
  return best;
}

/**
 * A ReLU MLP (exact gradients, per-sample arithmetic independent of the batch) with k classes whose
 * output weights are scaled by 16^(c/(k-1) - 1/2) for class c, so that the class ranked second by
 * the logits is not always the nearest one and some points are fooled only by a later target rank
 * (APGD-T, FAB-T).
 */
export function rankedMlp(k: number, shape: readonly number[], hidden: number, seed: number): MlpClassifier {
  const d = shape.reduce((a, b) => a * b, 1);
  const rng = new Rng(seed);
  const w1 = Float64Array.from({ length: hidden * d }, () => rng.normal() / Math.sqrt(d));
  const b1 = Float64Array.from({ length: hidden }, () => 0.1 * rng.normal());
  const w2 = Float64Array.from(
    { length: k * hidden },
    (_, i) => (rng.normal() / Math.sqrt(hidden)) * 16 ** (Math.floor(i / hidden) / (k - 1) - 0.5),
  );
  const b2 = new Float64Array(k);
  return new MlpClassifier(w1, b1, w2, b2, shape);
}

/**
 * The points the target-run tests attack: n inputs with values uniform in [0.2, 0.8] (Rng seed 11),
 * labelled with the model's own predictions (every point starts correctly classified).
 */
export async function rankedMlpPoints(
  model: MlpClassifier,
  n: number,
): Promise<{ x: Float32Array; y: Int32Array }> {
  const d = model.inputShape.reduce((a, b) => a * b, 1);
  const rng = new Rng(11);
  const x = Float32Array.from({ length: n * d }, () => 0.2 + 0.6 * rng.uniform());
  return { x, y: argmaxRows(await model.logits(x, n), n, model.numClasses) };
}
