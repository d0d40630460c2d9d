/**
 * A small float64 ONNX interpreter used only as a test oracle: whole-model gradients are checked
 * against central differences of this interpreter, where float64 lets the step be small enough
 * (1e-7) that ReLU kinks are rarely crossed and rounding is negligible. It is written directly from
 * the ONNX operator specifications and shares no code with the VJP rules. Ops: those of the bundled
 * models plus a few simple ones (Conv, Gemm, MatMul-free CNN set).
 */
import type { ModelProto, NodeProto } from 'onnx-buf';
import { attrFloat, attrInt, attrInts, attrString, readTensor } from './proto.ts';

export type T64 = { dims: number[]; data: Float64Array };

const size = (d: number[]) => d.reduce((a, b) => a * b, 1);
const stridesOf = (d: number[]) => {
  const s = new Array<number>(d.length).fill(1);
  for (let i = d.length - 2; i >= 0; i--) s[i] = (s[i + 1] as number) * (d[i + 1] as number);
  return s;
};

function broadcast(a: T64, b: T64, f: (x: number, y: number) => number): T64 {
  if (a.dims.length === b.dims.length && a.dims.every((d, i) => d === b.dims[i])) {
    return { dims: a.dims, data: a.data.map((v, k) => f(v, b.data[k] as number)) };
  }
  if (b.data.length === 1) {
    const bv = b.data[0] as number;
    if (b.dims.length <= a.dims.length) return { dims: a.dims, data: a.data.map((v) => f(v, bv)) };
  }
  const r = Math.max(a.dims.length, b.dims.length);
  const pad = (d: number[]) => [...new Array<number>(r - d.length).fill(1), ...d];
  const da = pad(a.dims);
  const db = pad(b.dims);
  const dims = da.map((x, i) => Math.max(x, db[i] as number));
  const sa = stridesOf(da).map((s, i) => (da[i] === 1 ? 0 : s));
  const sb = stridesOf(db).map((s, i) => (db[i] === 1 ? 0 : s));
  const so = stridesOf(dims);
  const out = new Float64Array(size(dims));
  for (let k = 0; k < out.length; k++) {
    let ia = 0;
    let ib = 0;
    let rem = k;
    for (let i = 0; i < r; i++) {
      const c = Math.floor(rem / (so[i] as number));
      rem -= c * (so[i] as number);
      ia += c * (sa[i] as number);
      ib += c * (sb[i] as number);
    }
    out[k] = f(a.data[ia] as number, b.data[ib] as number);
  }
  return { dims, data: out };
}

const map = (a: T64, f: (x: number) => number): T64 => ({ dims: a.dims, data: a.data.map(f) });

function conv(n: NodeProto, x: T64, w: T64, b?: T64): T64 {
  const [N, C, H, W] = x.dims as [number, number, number, number];
  const [M, Cg, KH, KW] = w.dims as [number, number, number, number];
  const group = attrInt(n, 'group', 1);
  const [sh, sw] = (attrInts(n, 'strides') ?? [1, 1]) as [number, number];
  const [dh, dw] = (attrInts(n, 'dilations') ?? [1, 1]) as [number, number];
  const [pt, pl, pb, pr] = (attrInts(n, 'pads') ?? [0, 0, 0, 0]) as [number, number, number, number];
  if (attrString(n, 'auto_pad', 'NOTSET') !== 'NOTSET') throw new Error('reference: auto_pad');
  const OH = Math.floor((H + pt + pb - ((KH - 1) * dh + 1)) / sh) + 1;
  const OW = Math.floor((W + pl + pr - ((KW - 1) * dw + 1)) / sw) + 1;
  const out = new Float64Array(N * M * OH * OW);
  const Mg = M / group;
  for (let bi = 0; bi < N; bi++) {
    for (let m = 0; m < M; m++) {
      const o0 = (bi * M + m) * OH * OW;
      const bias = b ? (b.data[m] as number) : 0;
      out.fill(bias, o0, o0 + OH * OW);
      const g = Math.floor(m / Mg);
      for (let ci = 0; ci < Cg; ci++) {
        const c = g * Cg + ci;
        const i0 = (bi * C + c) * H * W;
        for (let kh = 0; kh < KH; kh++) {
          for (let kw = 0; kw < KW; kw++) {
            const wv = w.data[((m * Cg + ci) * KH + kh) * KW + kw] as number;
            // Output columns whose input column is inside the image.
            const off = kw * dw - pl;
            const owLo = Math.max(0, Math.ceil(-off / sw));
            const owHi = Math.min(OW, Math.floor((W - 1 - off) / sw) + 1);
            for (let oh = 0; oh < OH; oh++) {
              const ih = oh * sh - pt + kh * dh;
              if (ih < 0 || ih >= H) continue;
              const orow = o0 + oh * OW;
              const irow = i0 + ih * W + off;
              for (let ow = owLo; ow < owHi; ow++) {
                out[orow + ow] = (out[orow + ow] as number) + wv * (x.data[irow + ow * sw] as number);
              }
            }
          }
        }
      }
    }
  }
  return { dims: [N, M, OH, OW], data: out };
}

function maxPool(n: NodeProto, x: T64): T64 {
  const [N, C, H, W] = x.dims as [number, number, number, number];
  const [KH, KW] = attrInts(n, 'kernel_shape') as [number, number];
  const [sh, sw] = attrInts(n, 'strides') ?? [1, 1];
  const [pt, pl, pb, pr] = attrInts(n, 'pads') ?? [0, 0, 0, 0];
  if (attrInt(n, 'ceil_mode', 0) !== 0 || attrInts(n, 'dilations')?.some((d) => d !== 1)) {
    throw new Error('reference: MaxPool ceil_mode/dilations');
  }
  const OH = Math.floor((H + (pt as number) + (pb as number) - KH) / (sh as number)) + 1;
  const OW = Math.floor((W + (pl as number) + (pr as number) - KW) / (sw as number)) + 1;
  const out = new Float64Array(N * C * OH * OW).fill(Number.NEGATIVE_INFINITY);
  for (let p = 0; p < N * C; p++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        let best = Number.NEGATIVE_INFINITY;
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * (sh as number) - (pt as number) + kh;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * (sw as number) - (pl as number) + kw;
            if (iw < 0 || iw >= W) continue;
            best = Math.max(best, x.data[(p * H + ih) * W + iw] as number);
          }
        }
        out[(p * OH + oh) * OW + ow] = best;
      }
    }
  }
  return { dims: [N, C, OH, OW], data: out };
}

function slice(x: T64, starts: number[], ends: number[], axes: number[], steps: number[]): T64 {
  const r = x.dims.length;
  const st = new Array<number>(r).fill(0);
  const sp = new Array<number>(r).fill(1);
  const cnt = [...x.dims];
  axes.forEach((a0, j) => {
    const a = a0 < 0 ? a0 + r : a0;
    const d = x.dims[a] as number;
    const step = steps[j] ?? 1;
    if (step < 1) throw new Error('reference: negative Slice step');
    const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + d : v, 0), d);
    const s = clamp(starts[j] as number);
    const e = clamp(ends[j] as number);
    st[a] = s;
    sp[a] = step;
    cnt[a] = Math.max(0, Math.ceil((e - s) / step));
  });
  const xs = stridesOf(x.dims);
  const os = stridesOf(cnt);
  const out = new Float64Array(size(cnt));
  for (let k = 0; k < out.length; k++) {
    let rem = k;
    let src = 0;
    for (let i = 0; i < r; i++) {
      const c = Math.floor(rem / (os[i] as number));
      rem -= c * (os[i] as number);
      src += ((st[i] as number) + c * (sp[i] as number)) * (xs[i] as number);
    }
    out[k] = x.data[src] as number;
  }
  return { dims: cnt, data: out };
}

function pad(x: T64, pads: number[], value: number): T64 {
  const r = x.dims.length;
  const dims = x.dims.map((d, i) => d + (pads[i] as number) + (pads[i + r] as number));
  const out = new Float64Array(size(dims)).fill(value);
  const xs = stridesOf(x.dims);
  const os = stridesOf(dims);
  for (let k = 0; k < x.data.length; k++) {
    let rem = k;
    let dst = 0;
    let inside = true;
    for (let i = 0; i < r; i++) {
      const c = Math.floor(rem / (xs[i] as number));
      rem -= c * (xs[i] as number);
      const o = c + (pads[i] as number);
      if (o < 0 || o >= (dims[i] as number)) inside = false;
      dst += o * (os[i] as number);
    }
    if (inside) out[dst] = x.data[k] as number;
  }
  return { dims, data: out };
}

function gemm(n: NodeProto, a: T64, b: T64, c?: T64): T64 {
  const ta = attrInt(n, 'transA', 0);
  const tb = attrInt(n, 'transB', 0);
  const alpha = attrFloat(n, 'alpha', 1);
  const beta = attrFloat(n, 'beta', 1);
  const [M, K] = (ta ? [a.dims[1], a.dims[0]] : a.dims) as [number, number];
  const Nn = (tb ? b.dims[0] : b.dims[1]) as number;
  const A = (i: number, k: number) => a.data[ta ? k * M + i : i * K + k] as number;
  const B = (k: number, j: number) => b.data[tb ? j * K + k : k * Nn + j] as number;
  const out = new Float64Array(M * Nn);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < Nn; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += A(i, k) * B(k, j);
      out[i * Nn + j] = alpha * s;
    }
  }
  const y = { dims: [M, Nn], data: out };
  return c ? broadcast(y, c, (u, v) => u + beta * v) : y;
}

/** Evaluates the model's first output in float64. Throws on ops it does not know. */
export function evaluate64(model: ModelProto, inputName: string, x: T64): T64 {
  const g = model.graph;
  if (!g) throw new Error('no graph');
  const env = new Map<string, T64>();
  for (const t of g.initializer) {
    const v = readTensor(t);
    env.set(t.name, { dims: v.dims, data: v.data });
  }
  env.set(inputName, x);
  const get = (name: string | undefined): T64 => {
    const v = name ? env.get(name) : undefined;
    if (!v) throw new Error(`reference: missing value ${name}`);
    return v;
  };
  const opt = (name: string | undefined) => (name ? env.get(name) : undefined);
  for (const n of g.node) {
    const i = n.input;
    let y: T64;
    switch (n.opType) {
      case 'Constant': {
        const t = n.attribute.find((a) => a.name === 'value')?.t;
        if (!t) throw new Error('reference: Constant without tensor');
        const v = readTensor(t);
        y = { dims: v.dims, data: v.data };
        break;
      }
      case 'Identity':
        y = get(i[0]);
        break;
      case 'Conv':
        y = conv(n, get(i[0]), get(i[1]), opt(i[2]));
        break;
      case 'Relu':
        y = map(get(i[0]), (v) => Math.max(v, 0));
        break;
      case 'LeakyRelu': {
        const alpha = attrFloat(n, 'alpha', 0.01);
        y = map(get(i[0]), (v) => (v >= 0 ? v : alpha * v));
        break;
      }
      case 'Clip': {
        const lo = opt(i[1])?.data[0] ?? Number.NEGATIVE_INFINITY;
        const hi = opt(i[2])?.data[0] ?? Number.POSITIVE_INFINITY;
        y = map(get(i[0]), (v) => Math.min(Math.max(v, lo), hi));
        break;
      }
      case 'Add':
        y = broadcast(get(i[0]), get(i[1]), (a, b) => a + b);
        break;
      case 'Sub':
        y = broadcast(get(i[0]), get(i[1]), (a, b) => a - b);
        break;
      case 'Mul':
        y = broadcast(get(i[0]), get(i[1]), (a, b) => a * b);
        break;
      case 'Div':
        y = broadcast(get(i[0]), get(i[1]), (a, b) => a / b);
        break;
      case 'MaxPool':
        y = maxPool(n, get(i[0]));
        break;
      case 'GlobalAveragePool': {
        const v = get(i[0]);
        const [N, C] = v.dims as [number, number];
        const hw = size(v.dims.slice(2));
        const out = new Float64Array(N * C);
        for (let p = 0; p < N * C; p++) {
          let s = 0;
          for (let k = 0; k < hw; k++) s += v.data[p * hw + k] as number;
          out[p] = s / hw;
        }
        y = { dims: [N, C, ...v.dims.slice(2).map(() => 1)], data: out };
        break;
      }
      case 'Flatten': {
        const v = get(i[0]);
        const axis = attrInt(n, 'axis', 1);
        y = { dims: [size(v.dims.slice(0, axis)), size(v.dims.slice(axis))], data: v.data };
        break;
      }
      case 'Gemm':
        y = gemm(n, get(i[0]), get(i[1]), opt(i[2]));
        break;
      case 'Gather': {
        const v = get(i[0]);
        const idx = get(i[1]);
        const axis = attrInt(n, 'axis', 0);
        if (v.dims.length !== 2 || axis !== 1 || idx.dims.length !== 1)
          throw new Error('reference: Gather form');
        const [N, C] = v.dims as [number, number];
        const m = idx.data.length;
        const out = new Float64Array(N * m);
        for (let b = 0; b < N; b++) {
          for (let j = 0; j < m; j++) {
            const c = idx.data[j] as number;
            out[b * m + j] = v.data[b * C + (c < 0 ? c + C : c)] as number;
          }
        }
        y = { dims: [N, m], data: out };
        break;
      }
      case 'Slice': {
        const v = get(i[0]);
        const arr = (k: number) => (i[k] ? Array.from(get(i[k]).data) : undefined);
        const starts = arr(1) ?? [];
        y = slice(v, starts, arr(2) ?? [], arr(3) ?? starts.map((_, j) => j), arr(4) ?? starts.map(() => 1));
        break;
      }
      case 'Pad': {
        if (attrString(n, 'mode', 'constant') !== 'constant' || i[3]) throw new Error('reference: Pad form');
        y = pad(get(i[0]), Array.from(get(i[1]).data), opt(i[2])?.data[0] ?? 0);
        break;
      }
      default:
        throw new Error(`reference: op ${n.opType} not implemented`);
    }
    env.set(n.output[0] as string, y);
  }
  return get(g.output[0]?.name);
}
