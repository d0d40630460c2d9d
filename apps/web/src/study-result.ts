/**
 * A study's stored result as the pages read it (what `alignscope study run` stores in
 * `studies.result`), and the tables derived from it: the CSV downloads and the spread of each
 * benchmark over the cohort. Pure functions, shared by the study page, its CSV route and the explorer.
 */
import type { CorrelationRow, StoredStudyResult } from '@alignscope/analysis';

/** The stored result (analysis' StoredStudyResult: older results lack `values` and `targetValues`). */
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

const field = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

function csv(header: string[], rows: unknown[][]): string {
  return `${[header, ...rows].map((r) => r.map(field).join(',')).join('\n')}\n`;
}

/** The CSV tables a study offers for download, by file stem. */
export const STUDY_TABLES = ['correlations', 'aggregates', 'predictor', 'predictions', 'values'] as const;
export type StudyTable = (typeof STUDY_TABLES)[number];

export const STUDY_TABLE_TEXT: Record<StudyTable, string> = {
  correlations:
    'every benchmark against every target: coefficient, 95 % CI, p, BH q, ranking accuracy, OLS, partial correlation',
  aggregates: "the aggregates' OLS R² and F-test per target",
  predictor: "the cross-validated predictor per target: held-out accuracy and each feature's weight",
  predictions: 'held-out predictions of the predictor beside the measured target value',
  values: 'the analysed value of every model on every column',
};

/** One CSV table of the result (full precision; empty cells where a value is undefined). */
export function studyCsv(result: StudyResultView, table: StudyTable): string {
  switch (table) {
    case 'correlations':
      return csv(
        [
          'target',
          'benchmark',
          'n',
          'coefficient',
          'ci_low',
          'ci_high',
          'ci_spans_zero',
          'p',
          'q',
          'ranking_accuracy',
          'r2',
          'f',
          'f_p',
          'slope',
          'intercept',
          'partial_coefficient',
          'partial_p',
          'reason',
        ],
        result.correlations.flatMap((c) =>
          c.rows.map((r) => [
            c.target,
            r.benchmark,
            r.n,
            r.coefficient,
            r.ciLow,
            r.ciHigh,
            r.ciLow === null || r.ciHigh === null ? '' : String(ciSpansZero(r)),
            r.pValue,
            r.qValue,
            r.rankingAccuracy,
            r.r2,
            r.fStatistic,
            r.fPValue,
            r.slope,
            r.intercept,
            r.partialCoefficient ?? null,
            r.partialPValue ?? null,
            r.reason,
          ]),
        ),
      );
    case 'aggregates':
      return csv(
        ['target', 'benchmark', 'n', 'r2', 'f', 'f_p'],
        result.aggregates.map((a) => [a.target, a.benchmark, a.n, a.r2, a.f, a.fP]),
      );
    case 'predictor':
      return csv(
        [
          'target',
          'n',
          'folds',
          'held_out_spearman',
          'held_out_ranking_accuracy',
          'feature',
          'weight',
          'intercept',
        ],
        result.predictor.flatMap((p) =>
          p.features.map((f) => [
            p.target,
            p.result.n,
            p.result.folds,
            p.result.heldOutSpearman,
            p.result.heldOutRankingAccuracy,
            f,
            p.result.weights[f] ?? null,
            p.result.intercept,
          ]),
        ),
      );
    case 'predictions':
      return csv(
        ['target', 'model', 'target_value', 'held_out_prediction'],
        result.predictor.flatMap((p) =>
          result.models
            .map((m, i) => [m, i] as const)
            .filter(([, i]) => p.result.predictions[i] !== null && p.result.predictions[i] !== undefined)
            .map(([m, i]) => [p.target, m, measured(result, p, i), p.result.predictions[i]]),
        ),
      );
    case 'values': {
      const cols = Object.keys(result.values ?? {});
      return csv(
        ['model', ...cols],
        result.models.map((m, i) => [m, ...cols.map((c) => result.values?.[c]?.[i] ?? null)]),
      );
    }
  }
}
