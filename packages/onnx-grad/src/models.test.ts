/**
 * Whole-model checks on the real models of the data bundle (ALIGNSCOPE_DATA_DIR/models).
 *
 * 1. The VJP model's logits equal the plain model's (same ORT graph up to the added outputs).
 * 2. dx (float32, ORT) against central differences of <g, logits(x)> computed by an independent
 *    float64 interpreter (reference64.ts) with step 1e-7: in float64 the rounding error of the
 *    difference quotient is ~1e-16 * |f| / 1e-7 ~ 1e-8, and a step that small rarely crosses a
 *    ReLU/Clip/MaxPool kink (with float32 differences at h >= 1e-4 these random-input ReLU nets
 *    cross so many kinks that the quotient is meaningless). What remains is the float32 rounding of
 *    the VJP itself, which we bound by 1e-5 * sum_i |dx_i v_i| (about 100 float32 ulps per term;
 *    measured: 1e-9 to 1e-7 of it). Directions: one Gaussian, one along dx (no cancellation).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { needsDataBundle } from '@alignscope/config/testing';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { parseModel } from './proto.ts';
import { evaluate64, type T64 } from './reference64.ts';
import { gaussian, rng } from './testing.ts';
import { buildVjpModel } from './vjp.ts';

const MODELS = [
  { file: 'cifar10_resnet20.onnx', shape: [2, 3, 32, 32] },
  { file: 'cifar10_resnet56.onnx', shape: [2, 3, 32, 32] },
  { file: 'mobilenet_v1_025_imagenet1k.onnx', shape: [1, 3, 224, 224] },
  { file: 'tiny_darknet_imagenet1k.onnx', shape: [1, 3, 224, 224] },
];
const bundle = needsDataBundle(
  MODELS.map((m) => `models/${m.file}`),
  'onnx-grad whole-model tests',
);
const modelsDir = bundle.path('models');

describe.skipIf(bundle.missing)('whole models from the data bundle', () => {
  it.each(MODELS)(
    '$file: VJP logits equal the plain model; dx matches float64 finite differences',
    async ({ file, shape }) => {
      const bytes = readFileSync(path.join(modelsDir, file));
      const r = rng(11);
      const n = shape.reduce((a, b) => a * b, 1);
      const x = Float32Array.from({ length: n }, () => r());
      const vjp = await buildVjpModel(bytes, { batchSize: shape[0] as number });
      const k = vjp.outputShape.reduce((a, b) => a * b, 1);
      const g = Float32Array.from(gaussian(k, r));
      const opts: ort.InferenceSession.SessionOptions = { graphOptimizationLevel: 'extended' };
      const grad = await ort.InferenceSession.create(vjp.model, opts);
      const plain = await ort.InferenceSession.create(bytes, opts);
      const out = await grad.run({
        [vjp.inputName]: new ort.Tensor('float32', x, shape),
        [vjp.dlogitsName]: new ort.Tensor('float32', g, vjp.outputShape),
      });
      const ref = await plain.run({ [vjp.inputName]: new ort.Tensor('float32', x, shape) });
      await grad.release();
      await plain.release();
      const logits = out[vjp.outputName]?.data as Float32Array;
      const logitsPlain = ref[vjp.outputName]?.data as Float32Array;
      expect(Array.from(logits)).toEqual(Array.from(logitsPlain));
      const dx = out[vjp.dinputName]?.data as Float32Array;

      const proto = parseModel(bytes);
      const f = (xx: Float64Array) => {
        const y = evaluate64(proto, vjp.inputName, { dims: shape, data: xx } satisfies T64);
        let s = 0;
        for (let i = 0; i < y.data.length; i++) s += (g[i] as number) * (y.data[i] as number);
        return { s, y: y.data };
      };
      const h = 1e-7;
      const check = (v: Float64Array) => {
        const dir = (i: number) => v[i] as number;
        const xp = Float64Array.from(x, (xi, i) => xi + h * dir(i));
        const xm = Float64Array.from(x, (xi, i) => xi - h * dir(i));
        const fp = f(xp);
        const fm = f(xm);
        let analytic = 0;
        let scale = 0;
        for (let i = 0; i < n; i++) {
          analytic += (dx[i] as number) * dir(i);
          scale += Math.abs((dx[i] as number) * dir(i));
        }
        return { analytic, numeric: (fp.s - fm.s) / (2 * h), scale, yp: fp.y };
      };
      const direction = check(gaussian(n, r));
      // A second direction along dx itself (no cancellation in dx . v, so the relative check is tight).
      let maxAbs = 0;
      for (const d of dx) maxAbs = Math.max(maxAbs, Math.abs(d));
      const aligned = check(Float64Array.from(dx, (d) => d / maxAbs));
      // The float64 interpreter agrees with ORT's float32 logits (within float32 noise and the O(h) step).
      let maxDiff = 0;
      for (let i = 0; i < k; i++)
        maxDiff = Math.max(maxDiff, Math.abs((direction.yp[i] as number) - (logits[i] as number)));
      expect(maxDiff).toBeLessThan(1e-4);
      expect(Math.abs(direction.analytic)).toBeGreaterThan(1e-4 * direction.scale);
      expect(aligned.analytic).toBeCloseTo(aligned.scale, 12);
      for (const c of [direction, aligned]) {
        expect(Math.abs(c.numeric - c.analytic)).toBeLessThanOrEqual(1e-5 * c.scale);
      }
      const rel = (c: typeof direction) => (Math.abs(c.numeric - c.analytic) / c.scale).toExponential(2);
      console.info(
        `${file}: |numeric - analytic| / sum|dx_i v_i|: random ${rel(direction)}, along dx ${rel(aligned)}`,
      );
    },
    60_000,
  );
});
