import { attrInt, attrInts, attrString } from '../proto.ts';
import type { Rule } from './types.ts';
import { dY, input, normAxis, output } from './types.ts';

/** Flatten, Reshape, Squeeze, Unsqueeze: reshape the gradient back to the input's shape. */
const reshapeBack: Rule = (c) => [c.e.reshape(dY(c), c.shape(input(c, 0)))];

const transpose: Rule = (c) => {
  const rank = c.shape(input(c, 0)).length;
  const perm = attrInts(c.node, 'perm') ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
  const inv = new Array<number>(rank);
  perm.forEach((p, i) => {
    inv[p] = i;
  });
  return [c.e.op('Transpose', [dY(c)], { perm: inv })];
};

/** Concat: split the gradient back into the inputs' extents along the axis. */
const concat: Rule = (c) => {
  const rank = c.shape(output(c, 0)).length;
  const axis = normAxis(attrInt(c.node, 'axis', 0), rank);
  const sizes = c.node.input.map((x) => c.shape(x)[axis] as number);
  const parts = c.e.opN('Split', [dY(c), c.e.i64(sizes)], sizes.length, { axis });
  return c.node.input.map((_, i) => (c.active(i) ? parts[i] : undefined));
};

/** Split: concatenate the outputs' gradients (zeros for outputs that do not reach the model output). */
const split: Rule = (c) => {
  const rank = c.shape(input(c, 0)).length;
  const axis = normAxis(attrInt(c.node, 'axis', 0), rank);
  const parts = c.node.output.map((o, i) => c.gy(i) ?? c.e.zeros(c.shape(o)));
  return [c.e.op('Concat', parts, { axis })];
};

/**
 * Slice: zeros everywhere except the selected positions. Positive steps > 1 are undone per axis by
 * interleaving zeros (Unsqueeze, Pad, Reshape; on an axis whose inner block is short, such as the
 * last, Pad on a new leading axis and a Transpose, which onnxruntime runs several times faster, with
 * the same values); then one Pad restores the begin/end margins.
 */
const slice: Rule = (c) => {
  if ([1, 2, 3, 4].some((i) => c.active(i))) c.fail('Slice parameters that depend on the input');
  const sx = c.shape(input(c, 0));
  const rank = sx.length;
  let starts: number[];
  let axes: number[] | undefined;
  let steps: number[] | undefined;
  if (c.opset < 10) {
    starts = attrInts(c.node, 'starts') ?? [];
    axes = attrInts(c.node, 'axes');
  } else {
    const v = (i: number, what: string) =>
      input(c, i) ? Array.from(c.requireValue(input(c, i), what).data) : undefined;
    starts = v(1, 'Slice starts') ?? [];
    axes = v(3, 'Slice axes');
    steps = v(4, 'Slice steps');
  }
  const ax = (axes ?? starts.map((_, i) => i)).map((a) => normAxis(a, rank));
  const e = c.e;
  let g = dY(c);
  const pads = new Array<number>(2 * rank).fill(0);
  let cur = [...c.shape(output(c, 0))];
  ax.forEach((a, j) => {
    const dim = sx[a] as number;
    const step = steps?.[j] ?? 1;
    if (step <= 0) c.fail('Slice with a non-positive step');
    // Clamp start as the ONNX spec does for positive steps.
    let start = starts[j] as number;
    if (start < 0) start += dim;
    start = Math.min(Math.max(start, 0), dim);
    const n = cur[a] as number;
    let span = n;
    if (step > 1 && n > 0) {
      const inner = cur.slice(a + 1).reduce((x, y) => x * y, 1);
      let padded: string;
      if (inner >= 8) {
        // [.., n, ..] -> [.., n, 1, ..] -> pad to [.., n, step, ..] -> [.., n*step, ..]
        const u = e.op('Unsqueeze', [g, e.i64([a + 1])]);
        const p = new Array<number>(2 * (rank + 1)).fill(0);
        p[a + 1 + rank + 1] = step - 1;
        padded = e.op('Pad', [u, e.i64(p)]);
      } else {
        // on a short inner block (e.g. the last axis) that Pad copies element by element; instead
        // [1, ..] -> pad to [step, ..] (whole blocks) -> transpose the new axis to after axis a
        const u = e.op('Unsqueeze', [g, e.i64([0])]);
        const p = new Array<number>(2 * (rank + 1)).fill(0);
        p[rank + 1] = step - 1;
        const perm = Array.from({ length: rank + 1 }, (_, i) => (i <= a ? i + 1 : i === a + 1 ? 0 : i));
        padded = e.op('Transpose', [e.op('Pad', [u, e.i64(p)])], { perm });
      }
      span = n * step;
      cur = cur.map((d, i) => (i === a ? span : d));
      g = e.reshape(padded, cur);
      if (start + span > dim) {
        span = dim - start;
        g = e.op('Slice', [g, e.i64([0]), e.i64([span]), e.i64([a])]);
        cur = cur.map((d, i) => (i === a ? span : d));
      }
    }
    pads[a] = start;
    pads[a + rank] = dim - start - span;
  });
  if (pads.some((p) => p < 0)) c.fail('internal: negative Slice padding');
  return [pads.some((p) => p > 0) ? e.op('Pad', [g, e.i64(pads)]) : g];
};

/** Gather with constant indices: scatter-add the gradient back into zeros. */
const gather: Rule = (c) => {
  if (c.active(1)) c.fail('Gather indices that depend on the input');
  const x = input(c, 0);
  const sx = c.shape(x);
  const rank = sx.length;
  const axis = normAxis(attrInt(c.node, 'axis', 0), rank);
  const idx = c.requireValue(input(c, 1), 'Gather indices');
  const dim = sx[axis] as number;
  const flat = Array.from(idx.data, (v) => (v < 0 ? v + dim : v));
  const m = flat.length;
  const e = c.e;
  // dY: sx[:axis] + idx.dims + sx[axis+1:] -> sx[:axis] + [m] + sx[axis+1:]
  const target = [...sx.slice(0, axis), m, ...sx.slice(axis + 1)];
  const g = e.reshape(dY(c), target);
  const idxShape = target.map((_, i) => (i === axis ? m : 1));
  const indices = e.op('Expand', [e.i64(flat, idxShape), e.i64(target)]);
  return [e.op('ScatterElements', [e.zeros(sx), indices, g], { axis, reduction: 'add' }), undefined];
};

const expand: Rule = (c) => [c.e.unbroadcast(dY(c), c.shape(output(c, 0)), c.shape(input(c, 0)))];

/** Pad (constant mode): slice the gradient back out; negative pads (crops) are padded back with zeros. */
const pad: Rule = (c) => {
  if (c.active(1) || c.active(2) || c.active(3)) c.fail('Pad parameters that depend on the input');
  const mode = attrString(c.node, 'mode', 'constant');
  if (mode !== 'constant') c.fail(`Pad mode="${mode}"`);
  const sx = c.shape(input(c, 0));
  const rank = sx.length;
  let raw: number[];
  let axes: number[] = Array.from({ length: rank }, (_, i) => i);
  if (c.opset < 11) raw = attrInts(c.node, 'pads') ?? [];
  else {
    raw = Array.from(c.requireValue(input(c, 1), 'Pad pads').data);
    if (input(c, 3))
      axes = Array.from(c.requireValue(input(c, 3), 'Pad axes').data, (a) => normAxis(a, rank));
  }
  const pads = new Array<number>(2 * rank).fill(0);
  axes.forEach((a, j) => {
    pads[a] = raw[j] as number;
    pads[a + rank] = raw[j + axes.length] as number;
  });
  const e = c.e;
  const sy = c.shape(output(c, 0));
  let g = dY(c);
  const starts = sy.map((_, i) => Math.max(pads[i] as number, 0));
  const ends = sy.map((d, i) => d - Math.max(pads[i + rank] as number, 0));
  if (starts.some((s, i) => s !== 0 || ends[i] !== sy[i])) {
    g = e.op('Slice', [g, e.i64(starts), e.i64(ends), e.i64(sy.map((_, i) => i))]);
  }
  const back = pads.map((p) => Math.max(-p, 0));
  if (back.some((p) => p > 0)) g = e.op('Pad', [g, e.i64(back)]);
  return [g];
};

export const shapeRules: Record<string, Rule> = {
  Flatten: reshapeBack,
  Reshape: reshapeBack,
  Squeeze: reshapeBack,
  Unsqueeze: reshapeBack,
  Transpose: transpose,
  Concat: concat,
  Split: split,
  Slice: slice,
  Gather: gather,
  Expand: expand,
  Pad: pad,
};
