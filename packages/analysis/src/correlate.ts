/**
 * Every benchmark against a target column (a robustness benchmark), on pairwise-complete models: the chosen
 * coefficient with its p-value, a seeded percentile bootstrap interval, Benjamini-Hochberg q-values, OLS of
 * the target on the benchmark, pairwise ranking accuracy and, with a covariate, partial Spearman.
 *
 * Each column is sorted once; a benchmark's pairwise-complete ranking is read off that sort in O(n).
 * The family for the q-values is the rows with a p-value and at least `minN` models; other rows get no
 * q-value and are never significant.
 */

import { benjaminiHochberg } from './benjamini-hochberg.ts';
import { bootstrapPairs, drawResamples, type Resamples, resolveBootstrap } from './bootstrap.ts';
import { correlationPValue } from './distributions.ts';
import { isConstant, pearsonR, type Ranking, rankingFromOrder } from './internal/paired.ts';
import { kendallComplete, kendallCounts } from './kendall.ts';
import { olsComplete } from './ols.ts';
import { partialSpearmanFromRanks } from './partial-spearman.ts';
import { pearsonComplete } from './pearson.ts';
import { rankingAccuracyFromCounts } from './ranking-accuracy.ts';
import type { CorrelateInput, CorrelateOptions, CorrelationResult, CorrelationRow } from './types.ts';

export const CORRELATE_DEFAULTS = { minN: 8, alpha: 0.05 } as const;

type Column = { values: Float64Array; order: Int32Array };

export function correlate(input: CorrelateInput, opts: CorrelateOptions): CorrelationRow[] {
  const { models, columns } = input;
  const N = models.length;
  if (new Set(models).size !== N) throw new Error('correlate: duplicate model identifiers');
  const names = Object.keys(columns);
  const prepared = new Map<string, Column>();
  for (const name of names) {
    const col = columns[name] as (number | null)[];
    if (col.length !== N) {
      throw new Error(`correlate: column "${name}" has ${col.length} values for ${N} models`);
    }
    prepared.set(name, prepare(name, col));
  }
  const target = prepared.get(opts.target);
  if (!target) throw new Error(`correlate: unknown target column "${opts.target}"`);
  const covariate = opts.covariate === undefined ? undefined : prepared.get(opts.covariate);
  if (opts.covariate !== undefined && !covariate) {
    throw new Error(`correlate: unknown covariate column "${opts.covariate}"`);
  }
  if (opts.covariate === opts.target) throw new Error('correlate: the covariate must differ from the target');
  if (!['spearman', 'pearson', 'kendall'].includes(opts.method)) {
    throw new Error(`correlate: method must be spearman, pearson or kendall, got ${String(opts.method)}`);
  }
  const minN = opts.minN ?? CORRELATE_DEFAULTS.minN;
  const alpha = opts.alpha ?? CORRELATE_DEFAULTS.alpha;
  if (!Number.isInteger(minN) || minN < 1)
    throw new Error(`correlate: minN must be a positive integer, got ${minN}`);
  if (!(alpha > 0 && alpha < 1)) throw new Error(`correlate: alpha must be in (0, 1), got ${alpha}`);
  const boot = opts.bootstrap === false ? null : drawResamples(N, resolveBootstrap(opts.bootstrap ?? {}));

  const compact = new Int32Array(N);
  const rows: CorrelationRow[] = [];
  for (const name of names) {
    if (name === opts.target) continue;
    const bench = prepared.get(name) as Column;
    rows.push(row(name, bench, target, opts.method, boot, compact));
    if (covariate) {
      const r = rows[rows.length - 1] as CorrelationRow;
      const p =
        name === opts.covariate
          ? { n: 0, coefficient: null, pValue: null, reason: 'the benchmark is the covariate' }
          : partialRow(bench, target, covariate, compact);
      r.partialCoefficient = p.coefficient;
      r.partialPValue = p.pValue;
      if (p.reason && !(r.reason ?? '').startsWith(p.reason))
        r.reason = join(r.reason, `partial: ${p.reason}`);
    }
  }
  const family = rows.map((r) => (r.pValue !== null && r.n >= minN ? r.pValue : null));
  const q = benjaminiHochberg(family);
  rows.forEach((r, i) => {
    r.qValue = q[i] ?? null;
    r.significant = r.qValue !== null && r.qValue <= alpha;
    if (r.n < minN && r.n > 0) r.reason = join(r.reason, `below minimum n (${minN})`);
  });
  return rows;
}

function prepare(name: string, col: (number | null)[]): Column {
  const values = new Float64Array(col.length);
  let present = 0;
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    if (v === null || v === undefined || Number.isNaN(v)) {
      values[i] = Number.NaN;
      continue;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new Error(`correlate: column "${name}", model ${i}: not a finite number (${String(v)})`);
    }
    values[i] = v;
    present++;
  }
  const order = new Int32Array(present);
  let k = 0;
  for (let i = 0; i < col.length; i++) if (!Number.isNaN(values[i] as number)) order[k++] = i;
  order.sort((a, b) => (values[a] as number) - (values[b] as number));
  return { values, order };
}

/** Marks the models present in every column in `compact` (their index among them, else -1); returns n. */
function intersect(cols: Column[], compact: Int32Array): number {
  let n = 0;
  for (let i = 0; i < compact.length; i++) {
    let ok = true;
    for (const c of cols) if (Number.isNaN(c.values[i] as number)) ok = false;
    compact[i] = ok ? n++ : -1;
  }
  return n;
}

/** The subset's values (compact order) and their ranking, read off the column's global sort. */
function subset(col: Column, compact: Int32Array, n: number): { v: Float64Array; r: Ranking } {
  const v = new Float64Array(n);
  const order = new Int32Array(n);
  let k = 0;
  for (const i of col.order) {
    const c = compact[i] as number;
    if (c < 0) continue;
    v[c] = col.values[i] as number;
    order[k++] = c;
  }
  return { v, r: rankingFromOrder(v, order) };
}

/**
 * A row of `n` models with no statistic (every value null, not significant): the start of every
 * correlation row, and what a row stays when n is too small or a column constant.
 */
export function undefinedCorrelationRow(
  benchmark: string,
  n: number,
  reason: string | null = null,
): CorrelationRow {
  return {
    benchmark,
    n,
    coefficient: null,
    pValue: null,
    qValue: null,
    ciLow: null,
    ciHigh: null,
    rankingAccuracy: null,
    r2: null,
    fStatistic: null,
    fPValue: null,
    slope: null,
    intercept: null,
    significant: false,
    reason,
  };
}

function row(
  name: string,
  bench: Column,
  target: Column,
  method: CorrelateOptions['method'],
  boot: Resamples | null,
  compact: Int32Array,
): CorrelationRow {
  const n = intersect([bench, target], compact);
  const { v: x, r: xr } = subset(bench, compact, n);
  const { v: y, r: yr } = subset(target, compact, n);
  const base = undefinedCorrelationRow(name, n);
  if (n === 0) return { ...base, reason: 'no overlapping models' };
  if (n < 3) return { ...base, reason: 'n < 3' };
  if (isConstant(y)) return { ...base, reason: 'constant target column' };
  if (isConstant(x)) return { ...base, reason: 'constant column' };
  let corr: CorrelationResult;
  if (method === 'spearman') {
    const rho = pearsonR(xr.rank, yr.rank) as number;
    corr = { n, coefficient: rho, pValue: correlationPValue(rho, n - 2), reason: null };
  } else if (method === 'pearson') {
    corr = pearsonComplete(x, y);
  } else {
    corr = kendallComplete(x, y, 'auto', xr, yr);
  }
  const fit = olsComplete(x, y);
  const acc = rankingAccuracyFromCounts(kendallCounts(xr, yr));
  const ci = boot ? bootstrapPairs(rowsOf(compact, n), x, y, xr, yr, method, boot) : null;
  return {
    ...base,
    coefficient: corr.coefficient,
    pValue: corr.pValue,
    ciLow: ci?.low ?? null,
    ciHigh: ci?.high ?? null,
    rankingAccuracy: acc.accuracy,
    r2: fit.r2,
    fStatistic: fit.fStatistic,
    fPValue: fit.fPValue,
    slope: fit.slope,
    intercept: fit.intercept,
    reason: join(join(corr.reason, fit.reason), ci?.reason ? `bootstrap: ${ci.reason}` : null),
  };
}

function partialRow(bench: Column, target: Column, cov: Column, compact: Int32Array): CorrelationResult {
  const n = intersect([bench, target, cov], compact);
  const x = subset(bench, compact, n);
  const y = subset(target, compact, n);
  const z = subset(cov, compact, n);
  const ranks = new Map([
    [x.v, x.r.rank],
    [y.v, y.r.rank],
    [z.v, z.r.rank],
  ]);
  return partialSpearmanFromRanks(x.v, y.v, z.v, (v) => ranks.get(v) as Float64Array);
}

/** The table row of each compact item. */
function rowsOf(compact: Int32Array, n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let i = 0; i < compact.length; i++) {
    const c = compact[i] as number;
    if (c >= 0) rows[c] = i;
  }
  return rows;
}

function join(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b || a === b) return a;
  return `${a}; ${b}`;
}
