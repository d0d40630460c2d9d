/**
 * Loss heads against closed forms written here in float64 (Croce & Hein 2020, eqs. for CE, DLR and
 * targeted DLR; fra31/auto-attack autopgd_base.py dlr_loss / dlr_loss_targeted; FAB's z_t - z_y).
 * The logit-gradient references are hand-derived below and themselves checked against float64
 * central differences of the closed-form losses.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { graph } from './builder.ts';
import { OnnxGradError } from './errors.ts';
import { buildLossModel, type LossKind } from './loss.ts';
import { createGradientSession } from './session.ts';
import { gaussian, rng } from './testing.ts';
import { buildVjpModel } from './vjp.ts';

type Ref = { loss: number; grad: Float64Array };

/** Classes sorted by decreasing logit. */
const order = (z: ArrayLike<number>) =>
  Array.from({ length: z.length }, (_, i) => i).sort((a, b) => (z[b] as number) - (z[a] as number));

function reference(kind: LossKind, z: Float64Array, y: number, t: number): Ref {
  const k = z.length;
  const grad = new Float64Array(k);
  const zy = z[y] as number;
  if (kind === 'ce') {
    const m = Math.max(...z);
    const s = z.reduce((a, v) => a + Math.exp(v - m), 0);
    for (let j = 0; j < k; j++) grad[j] = Math.exp((z[j] as number) - m) / s - (j === y ? 1 : 0);
    return { loss: m + Math.log(s) - zy, grad };
  }
  if (kind === 'logit-diff') {
    grad[t] = (grad[t] as number) + 1;
    grad[y] = (grad[y] as number) - 1;
    return { loss: (z[t] as number) - zy, grad };
  }
  const pi = order(z);
  const [p1, p2, p3, p4] = pi as [number, number, number, number];
  if (kind === 'dlr') {
    const other = p1 === y ? p2 : p1;
    const num = zy - (z[other] as number);
    const den = (z[p1] as number) - (z[p3] as number) + 1e-12;
    // loss = -num/den: d/dz_y = -1/den, d/dz_other = 1/den, d/dz_p1 = num/den^2, d/dz_p3 = -num/den^2
    grad[y] = (grad[y] as number) - 1 / den;
    grad[other] = (grad[other] as number) + 1 / den;
    grad[p1] = (grad[p1] as number) + num / den ** 2;
    grad[p3] = (grad[p3] as number) - num / den ** 2;
    return { loss: -num / den, grad };
  }
  const num = zy - (z[t] as number);
  const den = (z[p1] as number) - ((z[p3] as number) + (z[p4] as number)) / 2 + 1e-12;
  grad[y] = (grad[y] as number) - 1 / den;
  grad[t] = (grad[t] as number) + 1 / den;
  grad[p1] = (grad[p1] as number) + num / den ** 2;
  grad[p3] = (grad[p3] as number) - num / den ** 2 / 2;
  grad[p4] = (grad[p4] as number) - num / den ** 2 / 2;
  return { loss: -num / den, grad };
}

const KINDS: LossKind[] = ['ce', 'dlr', 'dlr-targeted', 'logit-diff'];
const K = 6;
const N = 4;
// Row 0: y is the top class (DLR's numerator uses the runner-up); row 2: the target is the top class.
const Y = [0, 3, 5, 2];
const T = [1, 0, 2, 4];
function logits(): Float64Array {
  const r = rng(3);
  const z = Float64Array.from(gaussian(N * K, r), (v) => Math.fround(2 * v));
  z[0] = Math.fround(Math.max(...z.subarray(0, K)) + 1);
  z[2 * K + 2] = Math.fround(Math.max(...z.subarray(2 * K, 3 * K)) + 1);
  return z;
}

describe('closed-form references', () => {
  it('the test logits cover the DLR branches', () => {
    const z = logits();
    expect(order(z.subarray(0, K))[0]).toBe(Y[0]);
    expect(order(z.subarray(K, 2 * K))[0]).not.toBe(Y[1]);
    expect(order(z.subarray(2 * K, 3 * K))[0]).toBe(T[2]);
  });

  it.each(KINDS)(
    '%s reference gradient matches float64 central differences of the reference loss',
    (kind) => {
      const z = logits();
      for (let i = 0; i < N; i++) {
        const row = z.slice(i * K, (i + 1) * K);
        const ref = reference(kind, row, Y[i] as number, T[i] as number);
        for (let j = 0; j < K; j++) {
          const h = 1e-6;
          const up = row.slice();
          const dn = row.slice();
          up[j] = (up[j] as number) + h;
          dn[j] = (dn[j] as number) - h;
          const fd =
            (reference(kind, up, Y[i] as number, T[i] as number).loss -
              reference(kind, dn, Y[i] as number, T[i] as number).loss) /
            (2 * h);
          expect(Math.abs(fd - (ref.grad[j] as number))).toBeLessThan(1e-7 * (1 + Math.abs(fd)));
        }
      }
    },
  );
});

describe('loss heads', () => {
  // The model is the identity on [N, K] "logits", so grad = d loss / d logits.
  const identity = graph().input('x', ['batch', K]).node('Identity', ['x'], 'z').output('z').build();

  it.each(KINDS)('%s: per-sample loss and logit-gradient equal the closed forms', async (kind) => {
    const z = logits();
    const s = await createGradientSession(identity, { loss: kind });
    const res = await s.run(Float32Array.from(z), [N, K], Int32Array.from(Y), Int32Array.from(T));
    await s.release();
    expect(Array.from(res.logits)).toEqual(Array.from(Float32Array.from(z)));
    for (let i = 0; i < N; i++) {
      const ref = reference(kind, z.slice(i * K, (i + 1) * K), Y[i] as number, T[i] as number);
      // float32 evaluation of O(1) quantities: a few ulps.
      expect(Math.abs((res.loss[i] as number) - ref.loss)).toBeLessThan(2e-6 * (1 + Math.abs(ref.loss)));
      for (let j = 0; j < K; j++) {
        expect(Math.abs((res.grad[i * K + j] as number) - (ref.grad[j] as number))).toBeLessThan(
          2e-6 * (1 + Math.abs(ref.grad[j] as number)),
        );
      }
    }
  });

  it('the loss model gradient equals the VJP model fed with the closed-form dloss/dlogits', async () => {
    const r = rng(8);
    const w = Float32Array.from({ length: 4 * 3 * 3 * 3 }, () => r() - 0.5);
    const fc = Float32Array.from({ length: K * 16 }, () => r() - 0.5);
    const model = graph()
      .input('image', ['batch', 3, 4, 4])
      .init('w', [4, 3, 3, 3], w)
      .init('fc', [K, 16], fc)
      .node('Conv', ['image', 'w'], 'c', { pads: [1, 1, 1, 1], strides: [2, 2] })
      .node('Relu', ['c'], 'r')
      .node('Flatten', ['r'], 'f')
      .node('Gemm', ['f', 'fc'], 'out', { transB: 1 })
      .output('out')
      .build();
    const x = Float32Array.from({ length: N * 48 }, () => r());
    const s = await createGradientSession(model, { loss: 'dlr-targeted' });
    const res = await s.run(x, [N, 3, 4, 4], Int32Array.from(Y), Int32Array.from(T));
    const fwd = await s.forward(x, [N, 3, 4, 4]);
    await s.release();
    expect(fwd.shape).toEqual([N, K]);
    expect(Array.from(res.logits)).toEqual(Array.from(fwd.logits));
    const dz = new Float32Array(N * K);
    for (let i = 0; i < N; i++) {
      const ref = reference(
        'dlr-targeted',
        Float64Array.from(res.logits.subarray(i * K, (i + 1) * K)),
        Y[i] as number,
        T[i] as number,
      );
      dz.set(ref.grad, i * K);
    }
    const vjp = await buildVjpModel(model, { batchSize: N });
    const vs = await ort.InferenceSession.create(vjp.model);
    const out = await vs.run({
      [vjp.inputName]: new ort.Tensor('float32', x, [N, 3, 4, 4]),
      [vjp.dlogitsName]: new ort.Tensor('float32', dz, [N, K]),
    });
    await vs.release();
    const dx = out[vjp.dinputName]?.data as Float32Array;
    let maxAbs = 0;
    for (const v of dx) maxAbs = Math.max(maxAbs, Math.abs(v));
    expect(maxAbs).toBeGreaterThan(0);
    for (let i = 0; i < dx.length; i++)
      expect(Math.abs((res.grad[i] as number) - (dx[i] as number))).toBeLessThan(1e-5 * maxAbs);
  });

  // A sample's loss and logit-gradient must not depend on the other samples of its batch, its place
  // there or the thread count: OnnxClassifier cuts batches into shares and pads them, and APGD's
  // checkpoints resume on other batches. The CE head once summed exp(z) with ReduceSum and took a
  // Log, whose results follow a row's memory position: with it, 54 of the 224 rows checked here
  // differed from the same row alone at K = 10 (onnxruntime 1.30, 2026-12-07).
  it.each(KINDS)(
    '%s: a row gets the same bits alone and anywhere in batches of 2-37, on 1 or 2 threads',
    async (kind) => {
      for (const k of [10, 1000]) {
        const id = graph().input('x', ['batch', k]).node('Identity', ['x'], 'z').output('z').build();
        const r = rng(k);
        const rows = 37;
        const z = Float32Array.from(gaussian(rows * k, r), (v) => 3 * v);
        const y = Int32Array.from({ length: rows }, (_, i) => (i * 7) % k);
        const t = Int32Array.from({ length: rows }, (_, i) => (i * 7 + 1 + (i % 3)) % k);
        const alone: { loss: number; grad: Float32Array }[] = [];
        const s1 = await createGradientSession(id, { loss: kind, intraOpNumThreads: 1 });
        for (let i = 0; i < rows; i++) {
          const o = await s1.run(z.slice(i * k, (i + 1) * k), [1, k], y.slice(i, i + 1), t.slice(i, i + 1));
          alone.push({ loss: o.loss[0] as number, grad: o.grad.slice() });
        }
        await s1.release();
        let differ = 0;
        for (const threads of [1, 2]) {
          const s = await createGradientSession(id, { loss: kind, intraOpNumThreads: threads });
          for (const [start, n] of [
            [0, 2],
            [1, 3],
            [3, 4],
            [2, 9],
            [0, 26],
            [5, 31],
            [0, 37],
          ] as const) {
            const o = await s.run(
              z.slice(start * k, (start + n) * k),
              [n, k],
              y.slice(start, start + n),
              t.slice(start, start + n),
            );
            for (let i = 0; i < n; i++) {
              const a = alone[start + i] as { loss: number; grad: Float32Array };
              const g = o.grad.subarray(i * k, (i + 1) * k);
              if (!Object.is(o.loss[i], a.loss) || g.some((v, j) => !Object.is(v, a.grad[j]))) differ++;
            }
          }
          await s.release();
        }
        expect(differ, `K ${k}`).toBe(0);
      }
    },
  );

  it('builds one gradient graph per batch size and accepts BigInt64 labels', async () => {
    const s = await createGradientSession(identity, { loss: 'ce' });
    const z = logits();
    const a = await s.run(Float32Array.from(z.subarray(0, 2 * K)), [2, K], BigInt64Array.from([0n, 3n]));
    const b = await s.run(Float32Array.from(z.subarray(0, 3 * K)), [3, K], Int32Array.from([0, 3, 5]));
    await s.release();
    expect(a.loss.length).toBe(2);
    expect(b.loss.length).toBe(3);
    expect(b.loss[1]).toBeCloseTo(a.loss[1] as number, 6);
  });

  it('models that use the public names internally are renamed out of the way', async () => {
    // Input named "logits", internal values "x", "y", "loss", "grad", output "y_target".
    const m = graph()
      .input('logits', ['batch', K])
      .node('Identity', ['logits'], 'x')
      .node('Identity', ['x'], 'y')
      .node('Identity', ['y'], 'loss')
      .node('Identity', ['loss'], 'grad')
      .node('Identity', ['grad'], 'y_target')
      .output('y_target')
      .build();
    const z = logits();
    const s = await createGradientSession(m, { loss: 'ce' });
    const res = await s.run(Float32Array.from(z.subarray(0, K)), [1, K], Int32Array.from([2]));
    const fwd = await s.forward(Float32Array.from(z.subarray(0, K)), [1, K]);
    await s.release();
    const ref = reference('ce', z.slice(0, K), 2, 0);
    expect(res.loss[0]).toBeCloseTo(ref.loss, 5);
    expect(Array.from(res.logits)).toEqual(Array.from(fwd.logits));
    for (let j = 0; j < K; j++) expect(res.grad[j]).toBeCloseTo(ref.grad[j] as number, 6);
  });

  it('rejects bad inputs with clear errors', async () => {
    const s = await createGradientSession(identity, { loss: 'logit-diff' });
    const z = Float32Array.from(logits().subarray(0, 2 * K));
    await expect(s.run(z, [2, K], Int32Array.from([0, 1]))).rejects.toThrow(/needs target classes/);
    await expect(s.run(z, [2, K], Int32Array.from([0]), Int32Array.from([1, 2]))).rejects.toThrow(
      /y has 1 entries/,
    );
    await expect(s.run(z, [3, K], Int32Array.from([0, 1, 2]))).rejects.toThrow(/does not match shape/);
    await s.release();
    const small = graph().input('x', ['batch', 3]).node('Identity', ['x'], 'z').output('z').build();
    await expect(buildLossModel(small, { loss: 'dlr-targeted', batchSize: 2 })).rejects.toThrow(
      OnnxGradError,
    );
    await expect(buildLossModel(small, { loss: 'dlr-targeted', batchSize: 2 })).rejects.toThrow(
      /at least 4 classes/,
    );
  });
});
