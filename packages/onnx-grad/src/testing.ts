import * as ort from 'onnxruntime-node';
import { buildVjpModel } from './vjp.ts';

/** Seeded uniform [0, 1) generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples (Box-Muller) from a uniform generator. */
export function gaussian(n: number, rand: () => number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rand()));
    const th = 2 * Math.PI * rand();
    out[i] = r * Math.cos(th);
    if (i + 1 < n) out[i + 1] = r * Math.sin(th);
  }
  return out;
}

export type FdOptions = {
  /** The input point. */
  x: Float32Array;
  inputShape: number[];
  seed?: number;
  /** Random Gaussian directions (entries N(0,1)). */
  directions?: number;
  /** Single input coordinates: the largest |dx| first, then random ones. */
  coordinates?: number;
  /** Step for directions and for coordinates. */
  h?: number;
  hCoordinate?: number;
};

export type FdCheck = { analytic: number; numeric: number; noise: number; index?: number };

export type FdReport = {
  /** max |logits(VJP model) - logits(plain model)|. */
  logitsMaxAbsDiff: number;
  maxAbsLogit: number;
  dx: Float32Array;
  directional: FdCheck[];
  coordinate: FdCheck[];
};

/**
 * Central finite differences of f(x) = <g, model(x)> (g random, sums in float64) against the VJP
 * model's dx. `noise` estimates the float32 rounding contribution to each numeric derivative:
 * 2^-24 * sum_i |g_i y_i| / h, i.e. one ulp of every output term, divided by the step.
 */
export async function finiteDifferenceCheck(model: Uint8Array, opts: FdOptions): Promise<FdReport> {
  const rand = rng(opts.seed ?? 1);
  const n = opts.inputShape[0] as number;
  const vjp = await buildVjpModel(model, { batchSize: n });
  const sOpts: ort.InferenceSession.SessionOptions = { graphOptimizationLevel: 'extended' };
  const grad = await ort.InferenceSession.create(vjp.model, sOpts);
  const plain = await ort.InferenceSession.create(model, sOpts);
  try {
    const outCount = vjp.outputShape.reduce((a, b) => a * b, 1);
    const g = Float32Array.from(gaussian(outCount, rand));
    const tensor = (data: Float32Array, dims: number[]) => new ort.Tensor('float32', data, dims);
    const res = await grad.run({
      [vjp.inputName]: tensor(opts.x, opts.inputShape),
      [vjp.dlogitsName]: tensor(g, vjp.outputShape),
    });
    const dx = res[vjp.dinputName]?.data as Float32Array;
    const logitsVjp = res[vjp.outputName]?.data as Float32Array;
    const forward = async (x: Float32Array) => {
      const r = await plain.run({ [vjp.inputName]: tensor(x, opts.inputShape) }, [vjp.outputName]);
      return r[vjp.outputName]?.data as Float32Array;
    };
    const f = async (x: Float32Array) => {
      const y = await forward(x);
      let s = 0;
      let scale = 0;
      for (let i = 0; i < y.length; i++) {
        s += (g[i] as number) * (y[i] as number);
        scale += Math.abs((g[i] as number) * (y[i] as number));
      }
      return { s, scale };
    };
    const logits = await forward(opts.x);
    let logitsMaxAbsDiff = 0;
    let maxAbsLogit = 0;
    for (let i = 0; i < logits.length; i++) {
      logitsMaxAbsDiff = Math.max(
        logitsMaxAbsDiff,
        Math.abs((logits[i] as number) - (logitsVjp[i] as number)),
      );
      maxAbsLogit = Math.max(maxAbsLogit, Math.abs(logits[i] as number));
    }
    const along = async (v: Float64Array, h: number): Promise<FdCheck> => {
      const xp = Float32Array.from(opts.x, (xi, i) => xi + h * (v[i] as number));
      const xm = Float32Array.from(opts.x, (xi, i) => xi - h * (v[i] as number));
      // The step actually taken in float32.
      const [fp, fm] = [await f(xp), await f(xm)];
      let analytic = 0;
      for (let i = 0; i < v.length; i++) {
        if (v[i] !== 0) analytic += (dx[i] as number) * (((xp[i] as number) - (xm[i] as number)) / (2 * h));
      }
      return {
        analytic,
        numeric: (fp.s - fm.s) / (2 * h),
        noise: (2 ** -24 * (fp.scale + fm.scale)) / (2 * h),
      };
    };
    const directional: FdCheck[] = [];
    for (let d = 0; d < (opts.directions ?? 3); d++) {
      directional.push(await along(gaussian(opts.x.length, rand), opts.h ?? 1e-3));
    }
    const coordinate: FdCheck[] = [];
    const nc = opts.coordinates ?? 3;
    let best = 0;
    for (let i = 1; i < dx.length; i++)
      if (Math.abs(dx[i] as number) > Math.abs(dx[best] as number)) best = i;
    for (let k = 0; k < nc; k++) {
      const index = k === 0 ? best : Math.floor(rand() * dx.length);
      const v = new Float64Array(opts.x.length);
      v[index] = 1;
      coordinate.push({ ...(await along(v, opts.hCoordinate ?? opts.h ?? 1e-3)), index });
    }
    return { logitsMaxAbsDiff, maxAbsLogit, dx, directional, coordinate };
  } finally {
    await grad.release();
    await plain.release();
  }
}

/**
 * Tolerance for one finite-difference comparison: relative `rtol` of the analytic value, plus
 * `noiseFactor` times the float32 rounding estimate of the numeric derivative, plus `atol`.
 */
export function fdTolerance(c: FdCheck, rtol: number, noiseFactor = 4, atol = 1e-6): number {
  return rtol * Math.abs(c.analytic) + noiseFactor * c.noise + atol;
}
