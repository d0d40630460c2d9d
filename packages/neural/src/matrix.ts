/**
 * Dense row-major matrices and the few kernels the metrics need. Values are read as float64 whatever the
 * storage (activations usually arrive as float32); every accumulation is in float64.
 */

export type Matrix = {
  rows: number;
  cols: number;
  /** Row-major: element (i, j) at i * cols + j. */
  data: Float64Array | Float32Array;
};

export function matrix(rows: number, cols: number, data?: Float64Array | Float32Array): Matrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new Error(`matrix shape must be non-negative integers, got ${rows} x ${cols}`);
  }
  const d = data ?? new Float64Array(rows * cols);
  if (d.length !== rows * cols) {
    throw new Error(`matrix data has ${d.length} values, expected ${rows} x ${cols} = ${rows * cols}`);
  }
  return { rows, cols, data: d };
}

/** A matrix from an array of equal-length rows. */
export function fromRows(rows: ArrayLike<number>[]): Matrix {
  const n = rows.length;
  const p = n === 0 ? 0 : (rows[0] as ArrayLike<number>).length;
  const out = new Float64Array(n * p);
  rows.forEach((r, i) => {
    if (r.length !== p) throw new Error(`row ${i} has ${r.length} values, expected ${p}`);
    for (let j = 0; j < p; j++) out[i * p + j] = r[j] as number;
  });
  return matrix(n, p, out);
}

/** The rows `index` of `m`, in that order. */
export function selectRows(m: Matrix, index: ArrayLike<number>): Matrix {
  const out = new Float64Array(index.length * m.cols);
  for (let r = 0; r < index.length; r++) {
    const i = index[r] as number;
    for (let j = 0; j < m.cols; j++) out[r * m.cols + j] = m.data[i * m.cols + j] as number;
  }
  return matrix(index.length, m.cols, out);
}

/** Throws a one-line error naming the first non-finite value of `m`. */
export function assertFinite(m: Matrix, what: string): void {
  for (let k = 0; k < m.data.length; k++) {
    if (!Number.isFinite(m.data[k])) {
      const i = Math.floor(k / m.cols);
      throw new Error(`${what} has a non-finite value (${m.data[k]}) at row ${i}, column ${k - i * m.cols}`);
    }
  }
}

/** Column means of `m`. */
export function columnMeans(m: Matrix): Float64Array {
  const mean = new Float64Array(m.cols);
  for (let i = 0; i < m.rows; i++)
    for (let j = 0; j < m.cols; j++) mean[j] = (mean[j] as number) + (m.data[i * m.cols + j] as number);
  for (let j = 0; j < m.cols; j++) mean[j] = (mean[j] as number) / Math.max(1, m.rows);
  return mean;
}

const PANEL = 256;

/**
 * The Gram matrix X X^T (n x n, full symmetric, float64) of the rows of X. Columns are copied in panels of
 * 256 into a float64 buffer and the lower triangle is accumulated by a 4 x 4 register-blocked kernel, then
 * mirrored. This is the one O(n^2 p) step of kernel PLS, shared by every split.
 */
export function gram(x: Matrix, onProgress?: (done: number, total: number) => void): Float64Array {
  const n = x.rows;
  const p = x.cols;
  const np = Math.ceil(n / 4) * 4;
  const acc = new Float64Array(np * np);
  const panel = new Float64Array(np * PANEL);
  for (let k0 = 0; k0 < p; k0 += PANEL) {
    const kb = Math.min(PANEL, p - k0);
    panel.fill(0);
    for (let i = 0; i < n; i++) {
      const src = i * p + k0;
      for (let k = 0; k < kb; k++) panel[i * PANEL + k] = x.data[src + k] as number;
    }
    for (let i = 0; i < np; i += 4) {
      const a0 = i * PANEL;
      const a1 = a0 + PANEL;
      const a2 = a1 + PANEL;
      const a3 = a2 + PANEL;
      for (let j = 0; j <= i; j += 4) {
        const b0 = j * PANEL;
        const b1 = b0 + PANEL;
        const b2 = b1 + PANEL;
        const b3 = b2 + PANEL;
        let s00 = 0,
          s01 = 0,
          s02 = 0,
          s03 = 0,
          s10 = 0,
          s11 = 0,
          s12 = 0,
          s13 = 0;
        let s20 = 0,
          s21 = 0,
          s22 = 0,
          s23 = 0,
          s30 = 0,
          s31 = 0,
          s32 = 0,
          s33 = 0;
        for (let k = 0; k < kb; k++) {
          const x0 = panel[b0 + k] as number;
          const x1 = panel[b1 + k] as number;
          const x2 = panel[b2 + k] as number;
          const x3 = panel[b3 + k] as number;
          const y0 = panel[a0 + k] as number;
          s00 += y0 * x0;
          s01 += y0 * x1;
          s02 += y0 * x2;
          s03 += y0 * x3;
          const y1 = panel[a1 + k] as number;
          s10 += y1 * x0;
          s11 += y1 * x1;
          s12 += y1 * x2;
          s13 += y1 * x3;
          const y2 = panel[a2 + k] as number;
          s20 += y2 * x0;
          s21 += y2 * x1;
          s22 += y2 * x2;
          s23 += y2 * x3;
          const y3 = panel[a3 + k] as number;
          s30 += y3 * x0;
          s31 += y3 * x1;
          s32 += y3 * x2;
          s33 += y3 * x3;
        }
        let r = i * np + j;
        acc[r] = (acc[r] as number) + s00;
        acc[r + 1] = (acc[r + 1] as number) + s01;
        acc[r + 2] = (acc[r + 2] as number) + s02;
        acc[r + 3] = (acc[r + 3] as number) + s03;
        r += np;
        acc[r] = (acc[r] as number) + s10;
        acc[r + 1] = (acc[r + 1] as number) + s11;
        acc[r + 2] = (acc[r + 2] as number) + s12;
        acc[r + 3] = (acc[r + 3] as number) + s13;
        r += np;
        acc[r] = (acc[r] as number) + s20;
        acc[r + 1] = (acc[r + 1] as number) + s21;
        acc[r + 2] = (acc[r + 2] as number) + s22;
        acc[r + 3] = (acc[r + 3] as number) + s23;
        r += np;
        acc[r] = (acc[r] as number) + s30;
        acc[r + 1] = (acc[r + 1] as number) + s31;
        acc[r + 2] = (acc[r + 2] as number) + s32;
        acc[r + 3] = (acc[r + 3] as number) + s33;
      }
    }
    onProgress?.(Math.min(p, k0 + PANEL), p);
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = acc[i * np + j] as number;
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  }
  return out;
}
