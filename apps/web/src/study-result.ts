/**
 * A study's stored result as the pages read it (what `alignscope study run` stores in
 * `studies.result`) and the spread of each benchmark over the cohort. Pure functions, shared by the
 * study page and the explorer. The CSV downloads are analysis' `studyCsv` (the files `study export` writes).
 */
import type { CorrelationRow, StoredStudyResult } from '@alignscope/analysis';

/** The stored result (analysis' StoredStudyResult: older results lack `values`, `intervals` and `targetValues`). */
export type StudyResultView = StoredStudyResult;

/** The stored result, or null when the study has none (or it is not in the shape the pages read). */
export function parseStudyResult(raw: unknown): StudyResultView | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Partial<StudyResultView>;
  if (!Array.isArray(r.models) || !Array.isArray(r.correlations)) return null;
  return {
    study: String(r.study ?? ''),
    computedAt: String(r.computedAt ?? ''),
    models: r.models,
    correlations: r.correlations,
    aggregates: Array.isArray(r.aggregates) ? r.aggregates : [],
    predictor: Array.isArray(r.predictor) ? r.predictor : [],
    ...(r.values && typeof r.values === 'object' ? { values: r.values } : {}),
    ...(r.intervals && typeof r.intervals === 'object' ? { intervals: r.intervals } : {}),
    ...(r.intervalMethods && typeof r.intervalMethods === 'object'
      ? { intervalMethods: r.intervalMethods }
      : {}),
    ...(Array.isArray(r.failures) ? { failures: r.failures } : {}),
    provenance: r.provenance && typeof r.provenance === 'object' ? r.provenance : {},
  };
}

/** A model's measured target value beside a held-out prediction (model index `i` of `models`). */
export function measured(
  result: StudyResultView,
  p: StudyResultView['predictor'][number],
  i: number,
): number | null {
  return p.targetValues?.[i] ?? result.values?.[p.target]?.[i] ?? null;
}

/** A 95 % interval that contains 0: the sign of the correlation is not established. */
export function ciSpansZero(row: Pick<CorrelationRow, 'ciLow' | 'ciHigh'>): boolean {
  return row.ciLow !== null && row.ciHigh !== null && row.ciLow <= 0 && row.ciHigh >= 0;
}

export type Spread = {
  benchmark: string;
  n: number;
  min: number | null;
  max: number | null;
  /** max - min over the cohort. */
  range: number | null;
  /** Sample standard deviation over the cohort (n - 1). */
  sd: number | null;
  /** Median width of the models' own 95 % intervals of this score, where the scores carry one. */
  medianCiWidth: number | null;
  /** The cohort's range is no wider than a typical model's own interval: differences are within noise. */
  withinNoise: boolean;
};

/** How much each column varies over the cohort, beside the typical width of one model's interval. */
export function spreadOf(
  benchmark: string,
  values: readonly (number | null)[],
  ciWidths: readonly number[] = [],
): Spread {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  const n = v.length;
  const min = n ? Math.min(...v) : null;
  const max = n ? Math.max(...v) : null;
  const mean = n ? v.reduce((a, b) => a + b, 0) / n : 0;
  const sd = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : null;
  const w = [...ciWidths].sort((a, b) => a - b);
  const mid = Math.floor(w.length / 2);
  const medianCiWidth = w.length
    ? w.length % 2
      ? (w[mid] as number)
      : ((w[mid - 1] as number) + (w[mid] as number)) / 2
    : null;
  const range = min !== null && max !== null ? max - min : null;
  return {
    benchmark,
    n,
    min,
    max,
    range,
    sd,
    medianCiWidth,
    withinNoise: range !== null && medianCiWidth !== null && range <= medianCiWidth,
  };
}
