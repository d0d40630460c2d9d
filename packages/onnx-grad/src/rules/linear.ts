import { attrFloat, attrInt, attrInts, attrString } from '../proto.ts';
import type { Rule, RuleContext } from './types.ts';
import { dY, input, output } from './types.ts';

export type Window = {
  kernel: number[];
  strides: number[];
  dilations: number[];
  /** Begin pads per spatial axis, then end pads (ONNX order). */
  pads: number[];
};

/** Kernel/strides/dilations/pads of a Conv or pool node, with auto_pad resolved from the probed shapes. */
export function windowOf(c: RuleContext, kernel: number[]): Window {
  const n = kernel.length;
  const strides = attrInts(c.node, 'strides') ?? Array(n).fill(1);
  const dilations = attrInts(c.node, 'dilations') ?? Array(n).fill(1);
  let pads = attrInts(c.node, 'pads') ?? Array(2 * n).fill(0);
  const autoPad = attrString(c.node, 'auto_pad', 'NOTSET');
  if (autoPad === 'VALID') pads = Array(2 * n).fill(0);
  else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const sx = c.shape(input(c, 0)).slice(2);
    const sy = c.shape(output(c, 0)).slice(2);
    pads = Array(2 * n).fill(0);
    for (let i = 0; i < n; i++) {
      const k = ((kernel[i] as number) - 1) * (dilations[i] as number) + 1;
      const total = Math.max(0, ((sy[i] as number) - 1) * (strides[i] as number) + k - (sx[i] as number));
      const small = Math.floor(total / 2);
      pads[i] = autoPad === 'SAME_UPPER' ? small : total - small;
      pads[i + n] = total - (pads[i] as number);
    }
  } else if (autoPad !== 'NOTSET') c.fail(`auto_pad="${autoPad}"`);
  return { kernel, strides, dilations, pads };
}

/**
 * The ConvTranspose attributes that map a window's output gradient (spatial size `out`) back onto
 * an input of spatial size `inp`: the same strides/dilations/begin pads, with the end pad and
 * output_padding chosen so the result has exactly the input size (windows that ceil_mode let run
 * past the end are cropped by a larger end pad).
 */
export function transposeGeometry(w: Window, inp: number[], out: number[]) {
  const n = w.kernel.length;
  const pads = [...w.pads];
  const outputPadding: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = ((w.kernel[i] as number) - 1) * (w.dilations[i] as number) + 1;
    const s = w.strides[i] as number;
    const full = ((out[i] as number) - 1) * s + k - (pads[i] as number);
    let end = pads[i + n] as number;
    let op = (inp[i] as number) - (full - end);
    if (op < 0) {
      end -= op;
      op = 0;
    }
    pads[i + n] = end;
    outputPadding.push(op);
  }
  return { pads, outputPadding };
}

/**
 * Conv: dX = ConvTranspose(dY, W) with the conv's strides/pads/dilations/group and the output padding
 * that restores the input size; for stride 1 (and constant W, not channel-expanding) a Conv with
 * spatially flipped weights, in/out channels swapped per group, and pads (k-1)d - p, which ORT runs
 * faster.
 */
const conv: Rule = (c) => {
  if (c.active(1) || c.active(2)) c.fail('Conv weights or bias that depend on the input');
  const x = input(c, 0);
  const wName = input(c, 1);
  const sx = c.shape(x);
  const sw = c.shape(wName);
  const sy = c.shape(output(c, 0));
  const group = attrInt(c.node, 'group', 1);
  const kernel = sw.slice(2);
  const w = windowOf(c, kernel);
  const n = kernel.length;
  const g = dY(c);
  const wConst = c.value(wName);
  const stride1 = w.strides.every((s) => s === 1);
  const flipPads = kernel.flatMap((_, j) =>
    [0, n].map(
      (off) => ((kernel[j] as number) - 1) * (w.dilations[j] as number) - (w.pads[j + off] as number),
    ),
  );
  const beginEnd = [
    ...kernel.map((_, j) => flipPads[2 * j] as number),
    ...kernel.map((_, j) => flipPads[2 * j + 1] as number),
  ];
  const [cout, cinG] = [sw[0] as number, sw[1] as number];
  const coutG = cout / group;
  // Measured with ORT 1.30 CPU: the flipped Conv's im2col works on dY's channels, ConvTranspose's
  // col2im on dX's, so for channel-expanding convs (e.g. 16 -> 128) ConvTranspose is ~2x faster.
  const expanding = coutG > 2 * cinG;
  if (stride1 && wConst && !expanding && beginEnd.every((p) => p >= 0)) {
    const ksize = kernel.reduce((a, b) => a * b, 1);
    const src = wConst.data;
    const dst = new Float32Array(src.length);
    // W'[gi*cinG + i, o, flip(k)] = W[gi*coutG + o, i, k]
    for (let gi = 0; gi < group; gi++) {
      for (let o = 0; o < coutG; o++) {
        for (let i = 0; i < cinG; i++) {
          const s0 = ((gi * coutG + o) * cinG + i) * ksize;
          const d0 = ((gi * cinG + i) * coutG + o) * ksize;
          for (let k = 0; k < ksize; k++) dst[d0 + ksize - 1 - k] = src[s0 + k] as number;
        }
      }
    }
    const wFlip = c.e.f32(dst, [cinG * group, coutG, ...kernel]);
    return [
      c.e.op('Conv', [g, wFlip], {
        group,
        kernel_shape: kernel,
        dilations: w.dilations,
        strides: w.strides,
        pads: beginEnd,
      }),
    ];
  }
  const geo = transposeGeometry(w, sx.slice(2), sy.slice(2));
  return [
    c.e.op('ConvTranspose', [g, wName], {
      group,
      kernel_shape: kernel,
      dilations: w.dilations,
      strides: w.strides,
      pads: geo.pads,
      output_padding: geo.outputPadding,
    }),
  ];
};

/** Gemm: Y = alpha op(A) op(B) + beta C. */
const gemm: Rule = (c) => {
  const [a, b, cc] = [input(c, 0), input(c, 1), input(c, 2)];
  const alpha = attrFloat(c.node, 'alpha', 1);
  const beta = attrFloat(c.node, 'beta', 1);
  const transA = attrInt(c.node, 'transA', 0);
  const transB = attrInt(c.node, 'transB', 0);
  const g = dY(c);
  const e = c.e;
  let ga: string | undefined;
  let gb: string | undefined;
  let gc: string | undefined;
  if (c.active(0)) {
    ga =
      transA === 0
        ? e.op('Gemm', [g, b], { alpha, transA: 0, transB: 1 - transB })
        : e.op('Gemm', [b, g], { alpha, transA: transB, transB: 1 });
  }
  if (c.active(1)) {
    gb =
      transB === 0
        ? e.op('Gemm', [a, g], { alpha, transA: 1 - transA, transB: 0 })
        : e.op('Gemm', [g, a], { alpha, transA: 1, transB: transA });
  }
  if (cc && c.active(2)) {
    const scaled = beta === 1 ? g : e.op('Mul', [g, e.f32([beta])]);
    gc = e.unbroadcast(scaled, c.shape(output(c, 0)), c.shape(cc));
  }
  return [ga, gb, gc];
};

/** MatMul with numpy broadcasting of batch dims (operands of rank >= 2). */
const matmul: Rule = (c) => {
  const [a, b] = [input(c, 0), input(c, 1)];
  const sa = c.shape(a);
  const sb = c.shape(b);
  if (sa.length < 2 || sb.length < 2) c.fail('MatMul with a 1-D operand');
  const sy = c.shape(output(c, 0));
  const swapLast = (r: number) => [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2];
  const g = dY(c);
  const e = c.e;
  // Gradients before reduction have the broadcast batch dims of Y.
  const full = (s: number[]) => [...sy.slice(0, -2), ...s.slice(-2)];
  const ga = c.active(0)
    ? e.unbroadcast(e.op('MatMul', [g, e.op('Transpose', [b], { perm: swapLast(sb.length) })]), full(sa), sa)
    : undefined;
  const gb = c.active(1)
    ? e.unbroadcast(e.op('MatMul', [e.op('Transpose', [a], { perm: swapLast(sa.length) }), g]), full(sb), sb)
    : undefined;
  return [ga, gb];
};

export const linearRules: Record<string, Rule> = { Conv: conv, Gemm: gemm, MatMul: matmul };
