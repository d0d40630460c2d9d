/**
 * The NCHWc rewrite of onnxruntime's optimised graphs (nchwc.ts). What is checked: that it removes
 * layout reorders on gradient graphs (the point of it) and that every output stays bit-identical to
 * onnxruntime's own graph at level 'all' on inputs other than the probe batch the rewrite was checked
 * on; that nodes it must not move stay where they are: a broadcast Mul (squeeze-excitation) and
 * tensors whose channel count is not a multiple of 16 (the blocked layout would have padding
 * channels). This machine's onnxruntime blocks convolutions (AVX2/AVX-512); where it did not, there
 * would be nothing to move and the first test fails, which is what it should report.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { needsDataBundle } from '@alignscope/config/testing';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { graph } from './builder.ts';
import { buildLossModel } from './loss.ts';
import { type NchwcSession, nchwcSession } from './nchwc.ts';
import { createGradientSession, NCHWC_AFTER } from './session.ts';
import { rng } from './testing.ts';

/** Deterministic small weights in [-0.3, 0.3). */
const weights = (n: number, seed: number) => {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => (r() - 0.5) * 0.6);
};

const OPTIONS: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1 };

function feeds(shape: number[], seed: number, target: boolean): Record<string, ort.Tensor> {
  const r = rng(seed);
  const n = shape[0] as number;
  const f: Record<string, ort.Tensor> = {
    x: new ort.Tensor(
      'float32',
      Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r()),
      shape,
    ),
    y: new ort.Tensor(
      'int64',
      BigInt64Array.from({ length: n }, (_, i) => BigInt(i % 3)),
      [n],
    ),
  };
  if (target)
    f.y_target = new ort.Tensor(
      'int64',
      BigInt64Array.from({ length: n }, (_, i) => BigInt((i + 1) % 3)),
      [n],
    );
  return f;
}

function bits(t: ort.Tensor | undefined): number[] {
  const a = t?.data as Float32Array;
  return Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
}

/** Outputs of the rewritten session and of onnxruntime's own graph at 'all' on the same feeds. */
async function compare(model: Uint8Array, made: NchwcSession, f: Record<string, ort.Tensor>) {
  const own = await ort.InferenceSession.create(model, { ...OPTIONS, graphOptimizationLevel: 'all' });
  const a = await own.run(f);
  const b = await made.session.run(f);
  await own.release();
  return own.outputNames.map((k) => ({ name: k, own: bits(a[k]), rewritten: bits(b[k]) }));
}

/** x [n, 3, 8, 8] -> conv 3->c, relu -> conv c->c + skip, relu -> (optional SE gate) -> GAP -> 3 logits. */
function convNet(c: number, squeezeExcite = false): Uint8Array {
  const b = graph()
    .input('x', ['batch', 3, 8, 8])
    .init('w1', [c, 3, 3, 3], weights(c * 27, 1))
    .init('b1', [c], weights(c, 2))
    .init('w2', [c, c, 3, 3], weights(c * c * 9, 3))
    .init('b2', [c], weights(c, 4))
    .node('Conv', ['x', 'w1', 'b1'], 'c1', { pads: [1, 1, 1, 1] })
    .node('Relu', ['c1'], 'r1')
    .node('Conv', ['r1', 'w2', 'b2'], 'c2', { pads: [1, 1, 1, 1] })
    .node('Add', ['c2', 'r1'], 's')
    .node('Relu', ['s'], 'r2');
  let last = 'r2';
  if (squeezeExcite) {
    b.init('ws', [c, c, 1, 1], weights(c * c, 5))
      .node('GlobalAveragePool', ['r2'], 'p')
      .node('Conv', ['p', 'ws'], 'q')
      .node('Sigmoid', ['q'], 'gate')
      .node('Mul', ['r2', 'gate'], 'se');
    last = 'se';
  }
  return b
    .init('wf', [c, 3], weights(c * 3, 6))
    .node('GlobalAveragePool', [last], 'g')
    .init('shape', [2], BigInt64Array.of(-1n, BigInt(c)))
    .node('Reshape', ['g', 'shape'], 'flat')
    .node('MatMul', ['flat', 'wf'], 'logits')
    .output('logits')
    .build();
}

describe('nchwcSession', () => {
  it('moves the ReLU masks of a gradient graph onto the blocked layout: fewer reorders, the same bits', async () => {
    const loss = await buildLossModel(convNet(16), { loss: 'logit-diff', batchSize: 3 });
    const made = await nchwcSession(loss, OPTIONS, feeds([3, 3, 8, 8], 1, true));
    expect(made.layout).toMatchObject({ moved: expect.any(Number) });
    if (!('moved' in made.layout)) throw new Error(`unchanged: ${made.layout.unchanged}`);
    expect(made.layout.moved).toBeGreaterThan(0);
    expect(made.layout.reordersAfter).toBeLessThan(made.layout.reordersBefore);
    for (const seed of [2, 3]) {
      for (const o of await compare(loss, made, feeds([3, 3, 8, 8], seed, true))) {
        expect(o.rewritten, o.name).toEqual(o.own);
      }
    }
    await made.session.release();
  });

  it('leaves a broadcast Mul (squeeze-excitation gate) in NCHW and keeps every bit', async () => {
    const loss = await buildLossModel(convNet(16, true), { loss: 'ce', batchSize: 2 });
    const made = await nchwcSession(loss, OPTIONS, feeds([2, 3, 8, 8], 1, false));
    expect(made.model).toBeDefined();
    // the gate's Mul: [2, 16, 8, 8] x [2, 16, 1, 1] stays a plain node on NCHW tensors
    const text = Buffer.from(made.model as Uint8Array).toString('latin1');
    expect(text).toContain('se');
    expect(text).not.toContain('se/nchwc');
    for (const o of await compare(loss, made, feeds([2, 3, 8, 8], 4, false))) {
      expect(o.rewritten, o.name).toEqual(o.own);
    }
    await made.session.release();
  });

  it('moves nothing on tensors whose channels are not a multiple of 16 (padding channels)', async () => {
    const loss = await buildLossModel(convNet(12), { loss: 'ce', batchSize: 2 });
    const made = await nchwcSession(loss, OPTIONS, feeds([2, 3, 8, 8], 1, false));
    expect(made.layout).toEqual({
      unchanged:
        'no elementwise node on the blocked layout has equal input shapes and channels a multiple of 16',
    });
    await made.session.release();
  });

  it("keeps onnxruntime's own graph, with the reason, when the rewrite fails (here: a probe without an input)", async () => {
    const loss = await buildLossModel(convNet(16), { loss: 'logit-diff', batchSize: 2 });
    const made = await nchwcSession(loss, OPTIONS, feeds([2, 3, 8, 8], 1, false));
    expect(made.layout).toEqual({ unchanged: expect.stringMatching(/^the rewrite failed \(.*y_target/) });
    expect(made.model).toBeUndefined();
    // the session is onnxruntime's, and runs
    const out = await made.session.run(feeds([2, 3, 8, 8], 2, true));
    expect(out.grad?.dims).toEqual([2, 3, 8, 8]);
    await made.session.release();
  });

  it('GradientSession: a gradient graph run NCHWC_AFTER times gets the rewrite, with the same gradients', async () => {
    const model = convNet(32);
    const opts = { loss: 'ce' as const, optimizationLevel: 'all' as const, intraOpNumThreads: 1 };
    const rewritten = await createGradientSession(model, opts);
    const own = await createGradientSession(model, { ...opts, nchwcElementwise: false });
    const f = feeds([4, 3, 8, 8], 9, false);
    const x = f.x?.data as Float32Array;
    const y = Int32Array.of(0, 1, 2, 0);
    const b = await own.run(x, [4, 3, 8, 8], y);
    // onnxruntime's own graph until the shape has run NCHWC_AFTER times, then the rewrite
    const first = await rewritten.run(x, [4, 3, 8, 8], y);
    for (let i = 2; i < NCHWC_AFTER; i++) await rewritten.run(x, [4, 3, 8, 8], y);
    expect(rewritten.layouts.size).toBe(0);
    const a = await rewritten.run(x, [4, 3, 8, 8], y);
    expect(rewritten.layouts.get('4,3,8,8')).toMatchObject({ moved: expect.any(Number) });
    expect(own.layouts.size).toBe(0);
    expect(Array.from(first.grad)).toEqual(Array.from(b.grad));
    for (const k of ['logits', 'loss', 'grad'] as const) {
      expect(Array.from(new Uint32Array(a[k].buffer, a[k].byteOffset, a[k].length)), k).toEqual(
        Array.from(new Uint32Array(b[k].buffer, b[k].byteOffset, b[k].length)),
      );
    }
    await rewritten.release();
    await own.release();
  });
});

const bundle = needsDataBundle(['models/cifar10_resnet20.onnx'], 'NCHWc rewrite on the bundled ResNet-20');

describe.skipIf(bundle.missing)('nchwcSession on the bundled CIFAR ResNet-20', () => {
  it("APGD-T's targeted-DLR gradient graph: most reorders gone, outputs bit-identical on CIFAR-shaped inputs", async () => {
    const bytes = readFileSync(path.join(bundle.path('models'), 'cifar10_resnet20.onnx'));
    const loss = await buildLossModel(bytes, { loss: 'dlr-targeted', batchSize: 5 });
    const made = await nchwcSession(loss, OPTIONS, feeds([5, 3, 32, 32], 1, true));
    if (!('moved' in made.layout)) throw new Error(`unchanged: ${made.layout.unchanged}`);
    // measured on this machine: 56 -> 18 (the remaining ones feed the shortcuts' Slice/Pad and the
    // stride-2 ConvTranspose, which need NCHW)
    expect(made.layout.reordersAfter).toBeLessThan(made.layout.reordersBefore / 2);
    for (const o of await compare(loss, made, feeds([5, 3, 32, 32], 7, true))) {
      expect(o.rewritten, o.name).toEqual(o.own);
    }
    await made.session.release();
  });
});
