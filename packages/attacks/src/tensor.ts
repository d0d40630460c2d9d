/** Small helpers over sample-major float32 batches. */
import type { Norm } from './types.ts';

/** Copies the samples `idx` of a [*, d] batch into a new contiguous batch. */
export function gather(src: Float32Array, d: number, idx: ArrayLike<number>): Float32Array {
  const out = new Float32Array(idx.length * d);
  for (let i = 0; i < idx.length; i++) {
    const s = idx[i] as number;
    out.set(src.subarray(s * d, (s + 1) * d), i * d);
  }
  return out;
}

export function gatherInt(src: Int32Array, idx: ArrayLike<number>): Int32Array {
  const out = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = src[idx[i] as number] as number;
  return out;
}

/**
 * Like `gather`, into the front of a buffer the caller keeps between iterations (at least
 * idx.length * d long); returns the filled part.
 */
export function gatherInto(
  dst: Float32Array,
  src: Float32Array,
  d: number,
  idx: ArrayLike<number>,
): Float32Array {
  for (let i = 0; i < idx.length; i++) {
    const s = idx[i] as number;
    dst.set(src.subarray(s * d, (s + 1) * d), i * d);
  }
  return dst.subarray(0, idx.length * d);
}

/** Like `gatherInt`, into the front of a kept buffer; returns the filled part. */
export function gatherIntInto(dst: Int32Array, src: Int32Array, idx: ArrayLike<number>): Int32Array {
  for (let i = 0; i < idx.length; i++) dst[i] = src[idx[i] as number] as number;
  return dst.subarray(0, idx.length);
}

/** Copies sample `from` of src into sample `to` of dst. */
export function copySample(dst: Float32Array, to: number, src: Float32Array, from: number, d: number): void {
  dst.set(src.subarray(from * d, (from + 1) * d), to * d);
}

/** Norm of sample i of a - sample j of b. */
export function diffNorm(
  norm: Norm,
  a: Float32Array,
  i: number,
  b: Float32Array,
  j: number,
  d: number,
): number {
  const oa = i * d;
  const ob = j * d;
  if (norm === 'Linf') {
    let m = 0;
    for (let t = 0; t < d; t++) {
      const v = Math.abs((a[oa + t] as number) - (b[ob + t] as number));
      if (v > m) m = v;
    }
    return m;
  }
  let s = 0;
  for (let t = 0; t < d; t++) {
    const v = (a[oa + t] as number) - (b[ob + t] as number);
    s += v * v;
  }
  return Math.sqrt(s);
}

/** Indices i where flags[i] is true. */
export function nonzero(flags: ArrayLike<number | boolean>): number[] {
  const out: number[] = [];
  for (let i = 0; i < flags.length; i++) if (flags[i]) out.push(i);
  return out;
}

export function clamp01(v: number): number {
  return v < 0 ? 0 : Math.min(v, 1);
}
