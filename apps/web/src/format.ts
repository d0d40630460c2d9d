/** Number formatting and colour scales shared by server and client components (pure). */

/** A score as the tables print it: three decimals (Brain-Score's convention). */
export function fmt(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits);
}

/** p- and q-values: three significant digits, scientific below 0.001. */
export function fmtP(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '–';
  if (p === 0) return '0';
  return p < 0.001 ? p.toExponential(2) : p.toPrecision(3);
}

export function fmtParams(n: number | null | undefined): string {
  if (n === null || n === undefined) return '–';
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} K`;
  return String(n);
}

/**
 * ColorBrewer YlGnBu, the light six steps: sequential, colour-blind safe, and dark text keeps at least
 * 4.5:1 contrast on every step.
 */
export const SEQUENTIAL = ['#ffffd9', '#edf8b1', '#c7e9b4', '#7fcdbb', '#41b6c4', '#1d91c0'] as const;

/** The step of `v` within [min, max] (the column's range). */
export function sequentialColor(v: number, min: number | null, max: number | null): string {
  const lo = min ?? 0;
  const hi = max ?? 1;
  const t = hi > lo ? (v - lo) / (hi - lo) : 1;
  const i = Math.min(SEQUENTIAL.length - 1, Math.max(0, Math.floor(t * SEQUENTIAL.length)));
  return SEQUENTIAL[i] as string;
}

/** ColorBrewer RdBu (7 light steps) for coefficients in [-1, 1]: red negative, blue positive. */
export const DIVERGING = [
  '#ef8a62',
  '#f4a582',
  '#fddbc7',
  '#f7f7f7',
  '#d1e5f0',
  '#92c5de',
  '#67a9cf',
] as const;

export function divergingColor(v: number): string {
  const t = (Math.max(-1, Math.min(1, v)) + 1) / 2;
  const i = Math.min(DIVERGING.length - 1, Math.floor(t * DIVERGING.length));
  return DIVERGING[i] as string;
}

/** Okabe–Ito colours per domain (colour-blind safe). */
export const DOMAIN_COLOR: Record<string, string> = {
  aggregate: '#CC79A7',
  neural: '#0072B2',
  behavioral: '#E69F00',
  engineering: '#009E73',
  robustness: '#D55E00',
};

export const DOMAIN_LABEL: Record<string, string> = {
  aggregate: 'aggregate',
  neural: 'neural',
  behavioral: 'behavioral',
  engineering: 'engineering',
  robustness: 'robustness',
};

/** Paths of the dashboard's pages (identifiers may contain `/`, e.g. `AutoAttack-Linf-1/255`). */
export const modelHref = (id: string) => `/models/${id.split('/').map(encodeURIComponent).join('/')}`;
export const benchmarkHref = (id: string) => `/benchmarks/${id.split('/').map(encodeURIComponent).join('/')}`;
