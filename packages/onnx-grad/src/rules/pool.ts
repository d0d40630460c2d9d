import { attrInt, attrInts, attrString } from '../proto.ts';
import { transposeGeometry, windowOf } from './linear.ts';
import type { Rule, RuleContext } from './types.ts';
import { dY, input, normAxis, output } from './types.ts';

/**
 * MaxPool: the forward node also returns its Indices (flat over N*C*H*W, storage_order 0). Where
 * windows cannot overlap (kernel <= stride, no dilation) each input receives at most one gradient,
 * so MaxUnpool places dY (measured faster in ORT 1.30 CPU); otherwise dY is scattered into zeros
 * with ScatterElements reduction 'add' so overlapping windows accumulate.
 */
const maxPool: Rule = (c) => {
  if (attrInt(c.node, 'storage_order', 0) !== 0) c.fail('storage_order=1');
  const x = input(c, 0);
  const sx = c.shape(x);
  const indices = c.ensureOutput(1, 'maxpool_indices');
  const e = c.e;
  const kernel = attrInts(c.node, 'kernel_shape') ?? [];
  const strides = attrInts(c.node, 'strides') ?? kernel.map(() => 1);
  const dilated = (attrInts(c.node, 'dilations') ?? []).some((d) => d !== 1);
  const n = kernel.length;
  const pads = attrInts(c.node, 'pads') ?? new Array<number>(2 * n).fill(0);
  const sy = c.shape(output(c, 0));
  // MaxUnpool checks that output_shape is at least its own inference (ceil_mode can exceed it).
  const fits = kernel.every(
    (k, i) =>
      ((sy[i + 2] as number) - 1) * (strides[i] as number) +
        k -
        (pads[i] as number) -
        (pads[i + n] as number) <=
      (sx[i + 2] as number),
  );
  const autoPad = attrString(c.node, 'auto_pad', 'NOTSET') !== 'NOTSET';
  if (!dilated && !autoPad && fits && n > 0 && kernel.every((k, i) => k <= (strides[i] as number))) {
    return [e.op('MaxUnpool', [dY(c), indices, e.i64(sx)], { kernel_shape: kernel, strides, pads })];
  }
  const total = sx.reduce((a, b) => a * b, 1);
  const scattered = e.op(
    'ScatterElements',
    [e.zeros([total]), e.reshape(indices, [-1]), e.reshape(dY(c), [-1])],
    { axis: 0, reduction: 'add' },
  );
  return [e.reshape(scattered, sx)];
};

/**
 * AveragePool: dX = depthwise ConvTranspose of dY / count with a ones kernel, where count is the
 * number of elements each window averaged (computed here per output position).
 */
const averagePool: Rule = (c) => {
  const x = input(c, 0);
  const sx = c.shape(x);
  const sy = c.shape(output(c, 0));
  const kernel = attrInts(c.node, 'kernel_shape');
  if (!kernel) return c.fail('missing kernel_shape');
  const w = windowOf(c, kernel);
  if (w.dilations.some((d) => d !== 1)) c.fail('dilated AveragePool');
  const includePad = attrInt(c.node, 'count_include_pad', 0) === 1;
  const n = kernel.length;
  const inSp = sx.slice(2);
  const outSp = sy.slice(2);
  // Per axis: the count of each output position along that axis; the window count is their product.
  const perAxis = kernel.map((k, i) => {
    const s = w.strides[i] as number;
    const pb = w.pads[i] as number;
    const pe = w.pads[i + n] as number;
    const size = inSp[i] as number;
    return Array.from({ length: outSp[i] as number }, (_, o) => {
      const start = o * s - pb;
      const lo = includePad ? Math.max(start, -pb) : Math.max(start, 0);
      const hi = includePad ? Math.min(start + k, size + pe) : Math.min(start + k, size);
      return hi - lo;
    });
  });
  const outCount = outSp.reduce((a, b) => a * b, 1);
  const inv = new Float32Array(outCount);
  for (let idx = 0; idx < outCount; idx++) {
    let rem = idx;
    let cnt = 1;
    for (let i = n - 1; i >= 0; i--) {
      const d = outSp[i] as number;
      cnt *= (perAxis[i] as number[])[rem % d] as number;
      rem = Math.floor(rem / d);
    }
    inv[idx] = 1 / cnt;
  }
  const e = c.e;
  const uniform = inv.every((v) => v === inv[0]);
  const scaled = e.op('Mul', [dY(c), uniform ? e.f32([inv[0] as number]) : e.f32(inv, [1, 1, ...outSp])]);
  const channels = sx[1] as number;
  const ksize = kernel.reduce((a, b) => a * b, 1);
  const ones = e.f32(new Float32Array(channels * ksize).fill(1), [channels, 1, ...kernel]);
  const geo = transposeGeometry(w, inSp, outSp);
  return [
    e.op('ConvTranspose', [scaled, ones], {
      group: channels,
      kernel_shape: kernel,
      strides: w.strides,
      pads: geo.pads,
      output_padding: geo.outputPadding,
    }),
  ];
};

const globalAveragePool: Rule = (c) => {
  const sx = c.shape(input(c, 0));
  const count = sx.slice(2).reduce((a, b) => a * b, 1);
  const e = c.e;
  return [e.op('Expand', [e.op('Mul', [dY(c), e.f32([1 / count])]), e.i64(sx)])];
};

/** Axes of a Reduce* node: attribute before the opset where they became an input. */
function reduceAxes(c: RuleContext, inputSince: number): number[] | undefined {
  const rank = c.shape(input(c, 0)).length;
  let axes: number[] | undefined;
  if (c.opset < inputSince) axes = attrInts(c.node, 'axes');
  else if (input(c, 1)) axes = Array.from(c.requireValue(input(c, 1), 'reduction axes').data);
  if (axes === undefined || axes.length === 0) {
    if (c.opset >= inputSince && attrInt(c.node, 'noop_with_empty_axes', 0) === 1) return undefined;
    return Array.from({ length: rank }, (_, i) => i);
  }
  return axes.map((a) => normAxis(a, rank));
}

const reduce =
  (mean: boolean): Rule =>
  (c) => {
    const sx = c.shape(input(c, 0));
    const axes = reduceAxes(c, mean ? 18 : 13);
    if (axes === undefined) return [dY(c)];
    const e = c.e;
    const keep = attrInt(c.node, 'keepdims', 1) === 1;
    let g = dY(c);
    if (!keep)
      g = e.reshape(
        g,
        sx.map((d, i) => (axes.includes(i) ? 1 : d)),
      );
    if (mean) g = e.op('Mul', [g, e.f32([1 / axes.reduce((a, i) => a * (sx[i] as number), 1)])]);
    return [e.op('Expand', [g, e.i64(sx)])];
  };

/** BatchNormalization in inference mode: dX = dY * scale / sqrt(var + eps), per channel. */
const batchNorm: Rule = (c) => {
  if (attrInt(c.node, 'training_mode', 0) === 1 || c.node.output.filter((o) => o).length > 1) {
    c.fail('training-mode BatchNormalization');
  }
  if ([1, 2, 3, 4].some((i) => c.active(i))) c.fail('BatchNormalization parameters that depend on the input');
  const sx = c.shape(input(c, 0));
  const eps = c.node.attribute.find((a) => a.name === 'epsilon')?.f ?? 1e-5;
  const e = c.e;
  const k = e.op('Div', [input(c, 1), e.op('Sqrt', [e.op('Add', [input(c, 4), e.f32([eps])])])]);
  const kr = e.reshape(k, [sx[1] as number, ...sx.slice(2).map(() => 1)]);
  return [e.op('Mul', [dY(c), kr])];
};

/**
 * LayerNormalization over axes [axis, rank): with xhat = (x - mu) r, r = 1/sqrt(var + eps), g = dY scale,
 * dX = r (g - mean(g) - xhat mean(g xhat)).
 */
const layerNorm: Rule = (c) => {
  if (c.active(1) || c.active(2)) c.fail('LayerNormalization scale or bias that depend on the input');
  const x = input(c, 0);
  const sx = c.shape(x);
  const axis = normAxis(attrInt(c.node, 'axis', -1), sx.length);
  const eps = c.node.attribute.find((a) => a.name === 'epsilon')?.f ?? 1e-5;
  const axes = Array.from({ length: sx.length - axis }, (_, i) => axis + i);
  const e = c.e;
  const mean = (v: string) => e.reduce('ReduceMean', v, axes, true);
  const xc = e.op('Sub', [x, mean(x)]);
  const r = e.op('Reciprocal', [e.op('Sqrt', [e.op('Add', [mean(e.op('Mul', [xc, xc])), e.f32([eps])])])]);
  const xhat = e.op('Mul', [xc, r]);
  const g = e.op('Mul', [dY(c), input(c, 1)]);
  const inner = e.op('Sub', [e.op('Sub', [g, mean(g)]), e.op('Mul', [xhat, mean(e.op('Mul', [g, xhat]))])]);
  return [e.op('Mul', [r, inner])];
};

export const poolRules: Record<string, Rule> = {
  MaxPool: maxPool,
  AveragePool: averagePool,
  GlobalAveragePool: globalAveragePool,
  ReduceMean: reduce(true),
  ReduceSum: reduce(false),
  BatchNormalization: batchNorm,
  LayerNormalization: layerNorm,
};
