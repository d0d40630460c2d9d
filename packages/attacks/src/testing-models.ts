/** Deterministic linear test models with closed-form minimal perturbations (used by tests and bench). */
import { LinearClassifier } from './models.ts';
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
