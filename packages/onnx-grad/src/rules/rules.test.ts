/**
 * Per-op VJP checks: each rule on a tiny graph against central finite differences of
 * f(x) = <g, model(x)> (float32 model, float64 sums; see ../testing.ts). Inputs are kept away from
 * kinks (ReLU/Clip zero crossings, max-pool ties) by more than the largest step taken (h * |v_i| <=
 * ~0.05 with h = 1e-2), so the numeric derivative is exact up to truncation (h^2, smooth ops) and
 * float32 rounding. Tolerance: 1e-3 relative + 4x the rounding estimate.
 */
import { describe, expect, it } from 'vitest';
import { type GraphBuilder, graph } from '../builder.ts';
import { fdTolerance, finiteDifferenceCheck, rng } from '../testing.ts';

const RTOL = 1e-3;

type Case = {
  name: string;
  shape: number[];
  build: (b: GraphBuilder) => GraphBuilder;
  /** Input generator (default uniform(-1, 1)); use it to stay away from kinks. */
  input?: (n: number, r: () => number) => Float32Array;
  opset?: number;
  h?: number;
};

const uniform = (lo: number, hi: number) => (n: number, r: () => number) =>
  Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
/** |x| >= 0.1: away from the kink at 0. */
const awayFromZero = (n: number, r: () => number) =>
  Float32Array.from({ length: n }, () => (r() < 0.5 ? -1 : 1) * (0.1 + r()));
/** Distinct values 0.1 apart in random order: no max-pool ties within the FD step. */
const distinct = (n: number, r: () => number) => {
  const v = Float32Array.from({ length: n }, (_, i) => (i - n / 2) * 0.1);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [v[i], v[j]] = [v[j] as number, v[i] as number];
  }
  return v;
};
const weights = (n: number, seed: number) => {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => r() - 0.5);
};
const i64 = (v: number[]) => BigInt64Array.from(v.map(BigInt));

const conv = (
  name: string,
  shape: number[],
  w: number[],
  attrs: Record<string, number | number[] | string>,
): Case => ({
  name,
  shape,
  build: (b) =>
    b
      .init(
        'w',
        w,
        weights(
          w.reduce((a, c) => a * c, 1),
          7,
        ),
      )
      .init('bias', [w[0] as number], weights(w[0] as number, 8))
      .node('Conv', ['x', 'w', 'bias'], 'y', attrs),
});

const cases: Case[] = [
  // Convolutions
  conv('Conv 3x3 stride 1 pad 1 (flipped-weight Conv)', [2, 3, 6, 6], [4, 3, 3, 3], { pads: [1, 1, 1, 1] }),
  conv('Conv 3x3 stride 1 expanding 2 -> 8 channels (ConvTranspose path)', [2, 2, 5, 5], [8, 2, 3, 3], {
    pads: [1, 1, 1, 1],
  }),
  conv('Conv stride 2, output_padding 1 (H=8)', [2, 3, 8, 8], [4, 3, 3, 3], {
    strides: [2, 2],
    pads: [1, 1, 1, 1],
  }),
  conv('Conv stride 2, output_padding 0 (H=9)', [2, 3, 9, 9], [4, 3, 3, 3], {
    strides: [2, 2],
    pads: [1, 1, 1, 1],
  }),
  conv('Conv stride 2 asymmetric pads (TF same)', [2, 3, 8, 7], [4, 3, 3, 3], {
    strides: [2, 2],
    pads: [0, 0, 1, 1],
  }),
  conv('Conv stride 3 kernel 2 (H=10, output_padding 2)', [1, 2, 10, 10], [3, 2, 2, 2], { strides: [3, 3] }),
  conv('Conv dilation 2, groups 2', [2, 4, 9, 9], [6, 2, 3, 3], {
    dilations: [2, 2],
    group: 2,
    pads: [2, 2, 2, 2],
  }),
  conv('Depthwise conv stride 1', [2, 4, 6, 6], [4, 1, 3, 3], { group: 4, pads: [1, 1, 1, 1] }),
  conv('Depthwise conv stride 2', [2, 4, 7, 7], [4, 1, 3, 3], {
    group: 4,
    strides: [2, 2],
    pads: [1, 1, 1, 1],
  }),
  conv('Conv 1x1 with pads (ConvTranspose fallback)', [1, 3, 4, 4], [2, 3, 1, 1], { pads: [1, 1, 1, 1] }),
  conv('Conv auto_pad SAME_UPPER stride 2', [1, 2, 7, 7], [3, 2, 3, 3], {
    auto_pad: 'SAME_UPPER',
    strides: [2, 2],
  }),
  conv('Conv 1-D', [2, 3, 9], [2, 3, 3], { strides: [2], pads: [1, 1] }),
  // Dense
  {
    name: 'Gemm (transB=1, C broadcast)',
    shape: [3, 4],
    build: (b) =>
      b
        .init('B', [5, 4], weights(20, 1))
        .init('C', [5], weights(5, 2))
        .node('Gemm', ['x', 'B', 'C'], 'y', { transB: 1, alpha: 0.7, beta: 1.5 }),
  },
  {
    name: 'Gemm (transA=1, x as both operands)',
    shape: [4, 3],
    build: (b) => b.node('Gemm', ['x', 'x'], 'y', { transA: 1, alpha: 2 }),
  },
  {
    name: 'Gemm (transA=1, transB=1, active B)',
    shape: [3, 3],
    build: (b) => b.node('Relu', ['x'], 'r').node('Gemm', ['x', 'r'], 'y', { transA: 1, transB: 1 }),
    input: awayFromZero,
  },
  {
    name: 'MatMul with constant weights',
    shape: [2, 3, 4],
    build: (b) => b.init('W', [4, 5], weights(20, 3)).node('MatMul', ['x', 'W'], 'y'),
  },
  {
    name: 'MatMul x @ x^T (a value used twice)',
    shape: [2, 3, 4, 5],
    build: (b) => b.node('Transpose', ['x'], 't', { perm: [0, 1, 3, 2] }).node('MatMul', ['x', 't'], 'y'),
  },
  {
    name: 'MatMul with broadcast batch dims',
    shape: [2, 3, 4, 5],
    build: (b) =>
      b
        .node('ReduceMean', ['x'], 'm', { axes: [1], keepdims: 1 })
        .node('Transpose', ['m'], 'mt', { perm: [0, 1, 3, 2] })
        .node('MatMul', ['x', 'mt'], 'y'),
  },
  // Activations
  { name: 'Relu', shape: [2, 3, 4], build: (b) => b.node('Relu', ['x'], 'y'), input: awayFromZero },
  {
    name: 'LeakyRelu',
    shape: [2, 3, 4],
    build: (b) => b.node('LeakyRelu', ['x'], 'y', { alpha: 0.1 }),
    input: awayFromZero,
  },
  {
    name: 'LeakyRelu with alpha > 1',
    shape: [2, 3, 4],
    build: (b) => b.node('LeakyRelu', ['x'], 'y', { alpha: 1.5 }),
    input: awayFromZero,
  },
  {
    name: 'Clip (ReLU6, inputs)',
    shape: [2, 3, 4],
    build: (b) => b.constant('lo', [], [0]).constant('hi', [], [6]).node('Clip', ['x', 'lo', 'hi'], 'y'),
    input: (n, r) =>
      Float32Array.from({ length: n }, (_, i) => [-0.5 - r(), 0.1 + 5.8 * r(), 6.5 + r()][i % 3] as number),
  },
  {
    name: 'Clip (min only)',
    shape: [2, 6],
    build: (b) => b.constant('lo', [], [0.2]).node('Clip', ['x', 'lo'], 'y'),
    input: (n, r) => Float32Array.from({ length: n }, (_, i) => (i % 2 ? 0.4 + r() : -r())),
  },
  { name: 'Softplus', shape: [2, 5], build: (b) => b.node('Softplus', ['x'], 'y'), input: uniform(-3, 3) },
  {
    name: 'Elu',
    shape: [2, 6],
    build: (b) => b.node('Elu', ['x'], 'y', { alpha: 0.7 }),
    input: awayFromZero,
  },
  {
    name: 'Max and Min (broadcast, a value used twice)',
    shape: [2, 3, 4],
    build: (b) =>
      b
        .init('c', [4], [0.05, -0.3, 0.2, 0.6])
        .node('ReduceMean', ['x'], 'm', { axes: [1], keepdims: 1 })
        .node('Max', ['x', 'c'], 'mx')
        .node('Min', ['mx', 'm'], 'y'),
    // Values on a 0.1 grid offset by 0.05 from c's entries and from each other keep |a - b| >= 0.05.
    input: (n, r) => Float32Array.from({ length: n }, () => Math.round(r() * 20 - 10) / 10 + 0.025),
  },
  { name: 'Sigmoid', shape: [2, 5], build: (b) => b.node('Sigmoid', ['x'], 'y'), input: uniform(-3, 3) },
  { name: 'Tanh', shape: [2, 5], build: (b) => b.node('Tanh', ['x'], 'y'), input: uniform(-2, 2) },
  {
    name: 'HardSigmoid',
    shape: [2, 6],
    build: (b) => b.node('HardSigmoid', ['x'], 'y', { alpha: 0.25, beta: 0.5 }),
    input: (n, r) =>
      Float32Array.from({ length: n }, (_, i) => [-3 - r(), -1.8 + 3.6 * r(), 2.5 + r()][i % 3] as number),
  },
  {
    name: 'HardSwish',
    shape: [2, 6],
    opset: 14,
    build: (b) => b.node('HardSwish', ['x'], 'y'),
    input: (n, r) =>
      Float32Array.from({ length: n }, (_, i) => [-4 - r(), -2.8 + 5.6 * r(), 3.2 + r()][i % 3] as number),
  },
  { name: 'Erf', shape: [2, 5], build: (b) => b.node('Erf', ['x'], 'y'), input: uniform(-2, 2) },
  {
    name: 'Gelu (exact, opset 20)',
    shape: [2, 5],
    opset: 20,
    build: (b) => b.node('Gelu', ['x'], 'y'),
    input: uniform(-3, 3),
  },
  {
    name: 'Gelu (tanh, opset 20)',
    shape: [2, 5],
    opset: 20,
    build: (b) => b.node('Gelu', ['x'], 'y', { approximate: 'tanh' }),
    input: uniform(-3, 3),
  },
  {
    name: 'Sqrt, Pow (constant exponent), Neg',
    shape: [2, 5],
    build: (b) =>
      b
        .constant('one', [], [1])
        .constant('e', [], [1.5])
        .node('Mul', ['x', 'x'], 'x2')
        .node('Add', ['x2', 'one'], 'p')
        .node('Sqrt', ['p'], 's')
        .node('Pow', ['p', 'e'], 'q')
        .node('Sub', ['s', 'q'], 'd')
        .node('Neg', ['d'], 'y'),
  },
  {
    name: 'Pow with an active exponent, Exp, Log',
    shape: [2, 5],
    build: (b) =>
      b
        .node('Exp', ['x'], 'ex')
        .node('Pow', ['ex', 'x'], 'p')
        .node('Log', ['ex'], 'l')
        .node('Add', ['p', 'l'], 'y'),
    input: uniform(-1, 1),
  },
  {
    name: 'Softmax (axis 1)',
    shape: [3, 5],
    build: (b) => b.node('Softmax', ['x'], 'y', { axis: 1 }),
    input: uniform(-2, 2),
  },
  {
    name: 'Softmax (axis -1 of 4-D)',
    shape: [2, 2, 3, 4],
    build: (b) => b.node('Softmax', ['x'], 'y', { axis: -1 }),
    input: uniform(-2, 2),
  },
  {
    name: 'LogSoftmax',
    shape: [3, 5],
    build: (b) => b.node('LogSoftmax', ['x'], 'y', { axis: 1 }),
    input: uniform(-2, 2),
  },
  // Broadcasting arithmetic
  {
    name: 'Add/Sub/Mul/Div with broadcasting, both operands active',
    shape: [2, 3, 4, 4],
    build: (b) =>
      b
        .constant('one', [], [1])
        .node('ReduceMean', ['x'], 'm', { axes: [2, 3], keepdims: 1 })
        .node('Add', ['x', 'm'], 'a')
        .node('Sub', ['m', 'a'], 's')
        .node('Mul', ['s', 'm'], 'p')
        .node('Mul', ['m', 'm'], 'm2')
        .node('Add', ['m2', 'one'], 'den')
        .node('Div', ['p', 'den'], 'y'),
  },
  {
    name: 'Div with an active denominator (broadcast)',
    shape: [2, 3, 4],
    build: (b) =>
      b
        .constant('two', [], [2])
        .node('Mul', ['x', 'x'], 'x2')
        .node('Add', ['x2', 'two'], 'pos')
        .node('ReduceSum', ['pos', 'ax'], 'den', { keepdims: 1 })
        .init('ax', [1], i64([1]))
        .node('Div', ['x', 'den'], 'y'),
  },
  {
    name: 'Mul/Add with constant broadcast operands ([C,1,1] and [W])',
    shape: [2, 3, 4, 5],
    build: (b) =>
      b
        .init('c', [3, 1, 1], weights(3, 4))
        .init('w', [5], weights(5, 5))
        .node('Mul', ['x', 'c'], 'm')
        .node('Add', ['m', 'w'], 'y'),
  },
  {
    name: 'Sum and Mean (variadic, broadcasting)',
    shape: [2, 3],
    build: (b) =>
      b
        .node('ReduceMean', ['x'], 'm', { axes: [1], keepdims: 1 })
        .node('Sum', ['x', 'm', 'x'], 's')
        .node('Mean', ['s', 'm'], 'y'),
  },
  // Pooling and reductions
  {
    name: 'MaxPool overlapping 3x3 stride 2 pad 1',
    shape: [2, 3, 7, 7],
    build: (b) =>
      b.node('MaxPool', ['x'], 'y', { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
    input: distinct,
  },
  {
    name: 'MaxPool 2x2 stride 2',
    shape: [2, 2, 6, 6],
    build: (b) => b.node('MaxPool', ['x'], 'y', { kernel_shape: [2, 2], strides: [2, 2] }),
    input: distinct,
  },
  {
    name: 'MaxPool 2x3 stride 3 with pads and ceil_mode (MaxUnpool path)',
    shape: [2, 2, 7, 8],
    build: (b) =>
      b.node('MaxPool', ['x'], 'y', {
        kernel_shape: [2, 3],
        strides: [3, 3],
        pads: [1, 0, 0, 1],
        ceil_mode: 1,
      }),
    input: distinct,
  },
  {
    name: 'MaxPool 2x2 stride 2 pad 1 (MaxUnpool path)',
    shape: [2, 2, 6, 5],
    build: (b) =>
      b.node('MaxPool', ['x'], 'y', { kernel_shape: [2, 2], strides: [2, 2], pads: [1, 1, 1, 0] }),
    input: distinct,
  },
  {
    name: 'MaxPool 2x2 stride 2 ceil_mode on an odd size (window past the end: scatter path)',
    shape: [1, 3, 5, 5],
    build: (b) => b.node('MaxPool', ['x'], 'y', { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 }),
    input: distinct,
  },
  {
    name: 'MaxPool 3x3 stride 2 ceil_mode (overlap)',
    shape: [1, 2, 5, 5],
    build: (b) => b.node('MaxPool', ['x'], 'y', { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 }),
    input: distinct,
  },
  {
    name: 'AveragePool 3x3 stride 2 pad 1, count_include_pad 0',
    shape: [2, 3, 7, 7],
    build: (b) =>
      b.node('AveragePool', ['x'], 'y', { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
  },
  {
    name: 'AveragePool 3x3 stride 2 pad 1, count_include_pad 1',
    shape: [1, 2, 8, 8],
    build: (b) =>
      b.node('AveragePool', ['x'], 'y', {
        kernel_shape: [3, 3],
        strides: [2, 2],
        pads: [1, 1, 1, 1],
        count_include_pad: 1,
      }),
  },
  {
    name: 'AveragePool 2x2 stride 2 ceil_mode',
    shape: [1, 2, 5, 5],
    build: (b) => b.node('AveragePool', ['x'], 'y', { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 }),
  },
  { name: 'GlobalAveragePool', shape: [2, 3, 4, 5], build: (b) => b.node('GlobalAveragePool', ['x'], 'y') },
  {
    name: 'ReduceMean keepdims 0 (opset 13 attribute)',
    shape: [2, 3, 4],
    build: (b) => b.node('ReduceMean', ['x'], 'y', { axes: [1, -1], keepdims: 0 }),
  },
  {
    name: 'ReduceMean (opset 18 axes input)',
    shape: [2, 3, 4],
    opset: 18,
    build: (b) => b.init('ax', [1], i64([2])).node('ReduceMean', ['x', 'ax'], 'y', { keepdims: 0 }),
  },
  {
    name: 'ReduceSum all axes',
    shape: [2, 3],
    build: (b) => b.node('Mul', ['x', 'x'], 'sq').node('ReduceSum', ['sq'], 'y', { keepdims: 1 }),
  },
  // Normalisation
  {
    name: 'BatchNormalization (inference)',
    shape: [2, 3, 4, 4],
    build: (b) =>
      b
        .init('scale', [3], [0.5, -1.5, 2])
        .init('bias', [3], [0.1, 0.2, 0.3])
        .init('mean', [3], [0.3, -0.2, 0.1])
        .init('var', [3], [0.5, 1.5, 2.5])
        .node('BatchNormalization', ['x', 'scale', 'bias', 'mean', 'var'], 'y', { epsilon: 1e-3 }),
  },
  {
    name: 'LayerNormalization over the last axis (opset 17)',
    shape: [2, 3, 6],
    opset: 17,
    build: (b) =>
      b
        .init('s', [6], weights(6, 9))
        .init('bb', [6], weights(6, 10))
        .node('LayerNormalization', ['x', 's', 'bb'], 'y', { axis: -1, epsilon: 1e-5 }),
  },
  {
    name: 'LayerNormalization over C,H,W (opset 18)',
    shape: [2, 2, 3, 3],
    opset: 18,
    build: (b) =>
      b.init('s', [2, 3, 3], weights(18, 11)).node('LayerNormalization', ['x', 's'], 'y', { axis: 1 }),
  },
  // Shape ops
  {
    name: 'Flatten, Reshape, Squeeze, Unsqueeze, Transpose',
    shape: [2, 3, 1, 4],
    build: (b) =>
      b
        .init('ax', [1], i64([2]))
        .init('ax0', [1], i64([0]))
        .init('shp', [3], i64([4, 3, -1]))
        .node('Squeeze', ['x', 'ax'], 's')
        .node('Unsqueeze', ['s', 'ax0'], 'u')
        .node('Transpose', ['u'], 't', { perm: [3, 0, 2, 1] })
        .node('Reshape', ['t', 'shp'], 'r')
        .node('Tanh', ['r'], 'th')
        .node('Flatten', ['th'], 'y', { axis: 1 }),
  },
  {
    name: 'Concat of x, a constant and x again',
    shape: [2, 2, 3],
    build: (b) => b.init('c', [2, 1, 3], weights(6, 12)).node('Concat', ['x', 'c', 'x'], 'y', { axis: 1 }),
  },
  {
    name: 'Split with an unused output',
    shape: [2, 6],
    build: (b) =>
      b
        .init('sp', [3], i64([1, 2, 3]))
        .node('Split', ['x', 'sp'], ['a', 'b', 'c'], { axis: 1 })
        .node('Mul', ['a', 'c'], 'y'),
  },
  {
    name: 'Slice step 2 from the start to INT64_MAX (CIFAR ResNet shortcut) + channel Pad',
    shape: [2, 2, 6, 6],
    build: (b) =>
      b
        .constant('st', [2], [0, 0], 'int64')
        .constant('en', [2], [2 ** 63, 2 ** 63], 'int64')
        .constant('ax', [2], [2, 3], 'int64')
        .constant('sp', [2], [2, 2], 'int64')
        .node('Slice', ['x', 'st', 'en', 'ax', 'sp'], 's')
        .constant('pads', [8], [0, 1, 0, 0, 0, 2, 0, 0], 'int64')
        .node('Pad', ['s', 'pads'], 'y'),
  },
  {
    name: 'Slice step 2 on an axis with a long inner block (zeros interleaved by Pad, not Transpose)',
    shape: [2, 2, 5, 9],
    build: (b) =>
      b
        .constant('st', [1], [1], 'int64')
        .constant('en', [1], [5], 'int64')
        .constant('ax', [1], [2], 'int64')
        .constant('sp', [1], [2], 'int64')
        .node('Slice', ['x', 'st', 'en', 'ax', 'sp'], 'y'),
  },
  {
    name: 'Slice with negative start, step 3, and a crop (negative Pad)',
    shape: [2, 3, 8, 8],
    build: (b) =>
      b
        .constant('st', [3], [1, -7, 0], 'int64')
        .constant('en', [3], [3, 8, 5], 'int64')
        .constant('ax', [3], [1, 2, 3], 'int64')
        .constant('sp', [3], [1, 3, 2], 'int64')
        .node('Slice', ['x', 'st', 'en', 'ax', 'sp'], 's')
        .constant('pads', [8], [0, 0, -1, 1, 0, 0, 2, 0], 'int64')
        .node('Pad', ['s', 'pads'], 'y'),
  },
  {
    name: 'Gather with a scalar index (class token)',
    shape: [2, 4, 3],
    build: (b) => b.init('i', [], i64([1])).node('Gather', ['x', 'i'], 'y', { axis: 1 }),
  },
  {
    name: 'Gather with repeated and negative indices',
    shape: [2, 4, 3],
    build: (b) => b.init('i', [2, 2], i64([0, -1, 0, 2])).node('Gather', ['x', 'i'], 'y', { axis: 1 }),
  },
  {
    name: 'Expand',
    shape: [2, 3, 1],
    build: (b) => b.init('s', [4], i64([2, 2, 3, 4])).node('Expand', ['x', 's'], 'y'),
  },
  {
    name: 'Where with a constant condition and broadcasting',
    shape: [2, 3],
    build: (b) =>
      b
        .init('cond', [2, 3], [1, 0, 1, 0, 0, 1], 'bool')
        .init('row', [3], weights(3, 13))
        .node('ReduceMean', ['x'], 'm', { axes: [1], keepdims: 1 })
        .node('Where', ['cond', 'x', 'm'], 'w')
        .node('Where', ['cond', 'row', 'w'], 'y'),
  },
  {
    name: 'Identity, Dropout, Cast float -> float64 -> float (both ways), Cast to int stops',
    shape: [2, 3],
    build: (b) =>
      b
        .node('Identity', ['x'], 'i')
        .node('Dropout', ['i'], 'd')
        .node('Cast', ['d'], 'd64', { to: 11 })
        .node('Add', ['d64', 'd64'], 'sq64')
        .node('Cast', ['sq64'], 'c', { to: 1 })
        .node('Cast', ['x'], 'xi', { to: 7 })
        .node('Cast', ['xi'], 'xf', { to: 1 })
        .node('Add', ['c', 'xf'], 'cx')
        .node('Mul', ['cx', 'x'], 'y'),
  },
  {
    name: 'Shape plumbing is skipped (Shape, Gather, Concat, Reshape)',
    shape: [2, 3, 4],
    build: (b) =>
      b
        .node('Shape', ['x'], 'sh')
        .init('zero', [1], i64([0]))
        .init('minus1', [1], i64([-1]))
        .node('Gather', ['sh', 'zero'], 'n')
        .node('Concat', ['n', 'minus1'], 'target', { axis: 0 })
        .node('Reshape', ['x', 'target'], 'r')
        .node('Softmax', ['r'], 'y', { axis: 1 }),
  },
  {
    name: 'Opset 18: Split with num_outputs, Pad with axes input',
    shape: [2, 6, 3],
    opset: 18,
    build: (b) =>
      b
        .node('Split', ['x'], ['a', 'b', 'c'], { axis: 1, num_outputs: 3 })
        .node('Mul', ['a', 'c'], 'ac')
        .init('pads', [2], i64([1, 2]))
        .init('axes', [1], i64([2]))
        .node('Pad', ['ac', 'pads', '', 'axes'], 'y'),
  },
  {
    name: 'Composite: a tiny ViT block (patch conv, class token, LayerNorm, attention, Gelu, head)',
    shape: [2, 3, 8, 8],
    opset: 20,
    build: (b) =>
      b
        .init('pw', [6, 3, 4, 4], weights(6 * 3 * 16, 21))
        .node('Conv', ['x', 'pw'], 'patches', { strides: [4, 4] }) // [2, 6, 2, 2]
        .init('tok', [3], i64([2, 6, 4]))
        .node('Reshape', ['patches', 'tok'], 'p3')
        .node('Transpose', ['p3'], 'seq', { perm: [0, 2, 1] }) // [2, 4, 6]
        .init('cls', [1, 1, 6], weights(6, 22))
        .init('clsShape', [3], i64([2, 1, 6]))
        .node('Expand', ['cls', 'clsShape'], 'clsB')
        .node('Concat', ['clsB', 'seq'], 'tokens', { axis: 1 }) // [2, 5, 6]
        .init('ln', [6], weights(6, 23))
        .node('LayerNormalization', ['tokens', 'ln'], 'h', { axis: -1 })
        .init('wq', [6, 6], weights(36, 24))
        .init('wk', [6, 6], weights(36, 25))
        .node('MatMul', ['h', 'wq'], 'q')
        .node('MatMul', ['h', 'wk'], 'k')
        .node('Transpose', ['k'], 'kt', { perm: [0, 2, 1] })
        .node('MatMul', ['q', 'kt'], 'att')
        .init('scale', [], [0.4])
        .node('Mul', ['att', 'scale'], 'atts')
        .node('Softmax', ['atts'], 'attp', { axis: -1 })
        .node('MatMul', ['attp', 'h'], 'ctx')
        .node('Add', ['ctx', 'tokens'], 'res')
        .node('Gelu', ['res'], 'act')
        .init('zero', [], i64([0]))
        .node('Gather', ['act', 'zero'], 'clsOut', { axis: 1 }) // [2, 6]
        .init('head', [4, 6], weights(24, 26))
        .node('Gemm', ['clsOut', 'head'], 'y', { transB: 1 }),
  },
  {
    name: 'Opset 11: Squeeze/Unsqueeze attributes and coerced 2-D Softmax are upgraded',
    shape: [2, 3, 1, 2],
    opset: 11,
    build: (b) =>
      b
        .node('Squeeze', ['x'], 's', { axes: [2] })
        .node('Unsqueeze', ['s'], 'u', { axes: [0] })
        .node('Softmax', ['u'], 'y', { axis: 2 }),
  },
];

describe('VJP rules against central finite differences', () => {
  it.each(cases)('$name', async (c) => {
    const r = rng(42);
    const n = c.shape.reduce((a, b) => a * b, 1);
    const x = (c.input ?? uniform(-1, 1))(n, r);
    const model = c
      .build(graph({ opset: c.opset ?? 13 }).input('x', c.shape))
      .output('y')
      .build();
    const rep = await finiteDifferenceCheck(model, {
      x,
      inputShape: c.shape,
      h: c.h ?? 1e-2,
      directions: 2,
      coordinates: 2,
    });
    expect(rep.logitsMaxAbsDiff).toBeLessThanOrEqual(1e-6 * Math.max(1, rep.maxAbsLogit));
    for (const check of [...rep.directional, ...rep.coordinate]) {
      expect(Math.abs(check.numeric - check.analytic)).toBeLessThanOrEqual(fdTolerance(check, RTOL));
    }
    // The checks are not vacuous: the gradient is non-zero.
    expect(rep.dx.some((v) => v !== 0)).toBe(true);
  });
});
