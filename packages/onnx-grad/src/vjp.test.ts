import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { graph } from './builder.ts';
import { OnnxGradError, UnsupportedOpError } from './errors.ts';
import { parseModel } from './proto.ts';
import { buildVjpModel } from './vjp.ts';

describe('buildVjpModel', () => {
  it('names its inputs and outputs, fixes the batch size and raises the opset to 16', async () => {
    const m = graph({ opset: 13 })
      .input('img', ['batch', 2, 3])
      .node('Relu', ['img'], 'r')
      .node('Flatten', ['r'], 'out')
      .output('out')
      .build();
    const v = await buildVjpModel(m, { batchSize: 3 });
    expect(v).toMatchObject({
      inputName: 'img',
      outputName: 'out',
      dlogitsName: 'dlogits',
      dinputName: 'dinput',
    });
    expect(v.inputShape).toEqual([3, 2, 3]);
    expect(v.outputShape).toEqual([3, 6]);
    const proto = parseModel(v.model);
    expect(Number(proto.opsetImport.find((o) => o.domain === '')?.version)).toBe(16);
    const s = await ort.InferenceSession.create(v.model);
    expect(s.inputNames).toEqual(['img', 'dlogits']);
    expect(s.outputNames).toEqual(['out', 'dinput']);
    // Hand-worked: relu'(x) * dlogits with x = [-1, 2, ...].
    const x = Float32Array.from({ length: 18 }, (_, i) => (i % 2 ? i : -i));
    const g = Float32Array.from({ length: 18 }, (_, i) => i + 0.5);
    const r = await s.run({
      img: new ort.Tensor('float32', x, [3, 2, 3]),
      dlogits: new ort.Tensor('float32', g, [3, 6]),
    });
    await s.release();
    expect(Array.from(r.dinput?.data as Float32Array)).toEqual(Array.from(g, (gi, i) => (i % 2 ? gi : 0)));
  });

  it('avoids name clashes with the model', async () => {
    const m = graph()
      .input('x', [1, 2])
      .node('Neg', ['x'], 'dlogits')
      .node('Neg', ['dlogits'], 'dinput')
      .output('dinput')
      .build();
    const v = await buildVjpModel(m);
    expect(v.dlogitsName).toBe('dlogits_1');
    expect(v.dinputName).toBe('dinput_1');
  });
});

describe('symbolic sample dimensions', () => {
  const model = graph()
    .input('x', ['batch', 2, 'height', 'width'])
    .node('GlobalAveragePool', ['x'], 'p')
    .node('Flatten', ['p'], 'y')
    .output('y')
    .build();

  it('need the sample shape, and then build for it', async () => {
    await expect(buildVjpModel(model, { batchSize: 2 })).rejects.toThrow(
      /symbolic dimension 2; pass the sample shape/,
    );
    await expect(buildVjpModel(model, { batchSize: 2, inputShape: [3, 4, 4] })).rejects.toThrow(
      /dimension 1 fixed at 2, not 3/,
    );
    const v = await buildVjpModel(model, { batchSize: 2, inputShape: [2, 3, 5] });
    expect(v.inputShape).toEqual([2, 2, 3, 5]);
    const s = await ort.InferenceSession.create(v.model);
    const r = await s.run({
      x: new ort.Tensor('float32', new Float32Array(60), [2, 2, 3, 5]),
      dlogits: new ort.Tensor('float32', Float32Array.from([15, 30, 45, 60]), [2, 2]),
    });
    await s.release();
    // d mean / dx = 1/15 per element: each channel's gradient is dlogits / 15.
    const dx = Array.from(r.dinput?.data as Float32Array);
    expect(dx.slice(0, 15).every((v) => Math.abs(v - 1) < 1e-6)).toBe(true);
    expect(dx.slice(45).every((v) => Math.abs(v - 4) < 1e-6)).toBe(true);
  });

  it('GradientSession builds one graph per input shape', async () => {
    const { createGradientSession } = await import('./session.ts');
    const big = graph()
      .input('x', ['batch', 2, 'h', 'w'])
      .node('GlobalAveragePool', ['x'], 'p')
      .node('Flatten', ['p'], 'f')
      .node('Concat', ['f', 'f'], 'y', { axis: 1 })
      .output('y')
      .build();
    const s = await createGradientSession(big, { loss: 'ce' });
    const a = await s.run(new Float32Array(2 * 2 * 3 * 3), [2, 2, 3, 3], Int32Array.from([0, 1]));
    const b = await s.run(new Float32Array(1 * 2 * 4 * 5), [1, 2, 4, 5], Int32Array.from([2]));
    await s.release();
    // Four equal logits: CE = log 4, for any input size.
    expect(a.loss[0]).toBeCloseTo(Math.log(4), 6);
    expect(b.loss[0]).toBeCloseTo(Math.log(4), 6);
    expect(b.grad.length).toBe(40);
  });
});

describe('errors', () => {
  it('an unsupported op on the input-output path names the op, node and opset', async () => {
    const m = graph({ opset: 14 })
      .input('x', [1, 3])
      .node('Cos', ['x'], 'c', {}, 'my_cos')
      .node('Relu', ['c'], 'y')
      .output('y')
      .build();
    const err = await buildVjpModel(m).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedOpError);
    expect((err as UnsupportedOpError).message).toBe(
      'no gradient rule for ONNX op Cos (node "my_cos", opset 14)',
    );
    expect(err).toMatchObject({ opType: 'Cos', nodeName: 'my_cos', opset: 14 });
  });

  it('unsupported ops off the path are ignored (activity analysis)', async () => {
    const m = graph()
      .input('x', [1, 3])
      .constant('c', [3], [1, 2, 3])
      .node('Cos', ['c'], 'cc')
      .node('Shape', ['x'], 's')
      .node('Cast', ['s'], 'sf', { to: 1 })
      .node('ArgMax', ['x'], 'am')
      .node('Mul', ['x', 'cc'], 'y')
      .output('y')
      .build();
    await expect(buildVjpModel(m)).resolves.toMatchObject({ outputShape: [1, 3] });
  });

  it('a node whose unsupported part is used gets a detailed error', async () => {
    const m = graph()
      .input('x', [1, 1, 3, 3])
      .node('Conv', ['x', 'x'], 'y', {}, 'self_conv')
      .output('y')
      .build();
    await expect(buildVjpModel(m)).rejects.toThrow(
      /Conv \(node "self_conv", opset 13\): Conv weights or bias that depend on the input/,
    );
    const pad = graph()
      .input('x', [1, 4])
      .init('p', [4], BigInt64Array.from([0n, 1n, 0n, 1n]))
      .node('Pad', ['x', 'p'], 'y', { mode: 'reflect' }, 'refl')
      .output('y')
      .build();
    await expect(buildVjpModel(pad)).rejects.toThrow(/Pad \(node "refl", opset 13\): Pad mode="reflect"/);
  });

  it('custom-domain ops are unsupported', async () => {
    const b = graph().input('x', [1, 3]).node('FusedThing', ['x'], 'y', {}, 'f').output('y');
    const node = b.model().graph?.node[0];
    if (node) node.domain = 'com.microsoft';
    await expect(buildVjpModel(b.build())).rejects.toThrow(/com\.microsoft\.FusedThing \(node "f"/);
  });

  it('rejects models that cannot be differentiated', async () => {
    await expect(buildVjpModel(new Uint8Array([1, 2, 3, 4, 5]))).rejects.toThrow(OnnxGradError);
    // Five bytes are no protobuf ModelProto: the decoder's complaint follows the prefix.
    await expect(buildVjpModel(new Uint8Array([1, 2, 3, 4, 5]))).rejects.toThrow(/^not an ONNX model: /);
    const fixed = graph().input('x', [1, 3]).node('Relu', ['x'], 'y').output('y').build();
    await expect(buildVjpModel(fixed, { batchSize: 4 })).rejects.toThrow(/fixed batch size 1, not 4/);
    const two = graph()
      .input('a', [1, 3])
      .input('b', [1, 3])
      .node('Add', ['a', 'b'], 'y')
      .output('y')
      .build();
    await expect(buildVjpModel(two)).rejects.toThrow(/expected one graph input, found 2/);
    const constant = graph()
      .input('x', [1, 3])
      .constant('c', [3], [1, 2, 3])
      .node('Shape', ['x'], 's')
      .node('Identity', ['c'], 'y')
      .output('y')
      .build();
    await expect(buildVjpModel(constant)).rejects.toThrow(/does not depend differentiably on input/);
  });
});

describe('builder', () => {
  it('writes float attributes as floats and integer attributes as ints', () => {
    const m = graph()
      .input('x', [1, 3])
      .node('LeakyRelu', ['x'], 'l', { alpha: 1 })
      .node('Flatten', ['l'], 'y', { axis: 1 })
      .output('y')
      .model();
    const [leaky, flatten] = m.graph?.node ?? [];
    expect(leaky?.attribute[0]).toMatchObject({ name: 'alpha', f: 1, type: 1 });
    expect(flatten?.attribute[0]).toMatchObject({ name: 'axis', i: 1n, type: 2 });
  });
});
