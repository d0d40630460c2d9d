/**
 * Pearson r per column (neuroid) between prediction and target on the same rows, as Brain-Score's
 * `pearsonr_correlation` (scipy.stats.pearsonr per neuroid); a column that is constant in either gives NaN,
 * which the median over neuroids skips (xarray's median skips NaN).
 */
import type { Matrix } from './matrix.ts';

export function pearsonColumns(a: Matrix, b: Matrix): Float64Array {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new Error(
      `cannot correlate a ${a.rows} x ${a.cols} prediction with a ${b.rows} x ${b.cols} target`,
    );
  }
  const n = a.rows;
  const q = a.cols;
  const r = new Float64Array(q);
  for (let j = 0; j < q; j++) {
    let ma = 0;
    let mb = 0;
    for (let i = 0; i < n; i++) {
      ma += a.data[i * q + j] as number;
      mb += b.data[i * q + j] as number;
    }
    ma /= n;
    mb /= n;
    let sab = 0;
    let saa = 0;
    let sbb = 0;
    for (let i = 0; i < n; i++) {
      const da = (a.data[i * q + j] as number) - ma;
      const db = (b.data[i * q + j] as number) - mb;
      sab += da * db;
      saa += da * da;
      sbb += db * db;
    }
    // a column whose spread is at rounding level (e.g. a prediction of a constant neuroid) counts as constant
    const tiny = (x: number, m: number) => !(x > n * (Number.EPSILON * Math.max(1, Math.abs(m))) ** 2 * 1e4);
    r[j] =
      tiny(saa, ma) || tiny(sbb, mb) ? Number.NaN : Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb)));
  }
  return r;
}

/** Median of the non-NaN values (NaN when there are none). */
export function nanMedian(values: ArrayLike<number>): number {
  const v = Array.from(values)
    .filter((x) => !Number.isNaN(x))
    .sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const h = v.length >> 1;
  return v.length % 2 ? (v[h] as number) : ((v[h - 1] as number) + (v[h] as number)) / 2;
}

/** Mean over splits and Brain-Score's error: the standard deviation (ddof 0, xarray's std) over sqrt(splits). */
export function meanAndError(values: readonly number[]): { mean: number; error: number } {
  const k = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / k;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / k);
  return { mean, error: sd / Math.sqrt(k) };
}
