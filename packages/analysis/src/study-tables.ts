/**
 * A stored study result's tables as CSV text: the one writer behind `alignscope study export` (files
 * in a folder) and the web's downloads (`/studies/<id>/csv/<table>.csv`), so both give the same bytes.
 *
 * Cells: null and undefined (and a non-finite number, which JSON cannot carry anyway) are empty;
 * numbers are written with JavaScript's shortest round-trip form (`String(n)`), booleans as
 * `true`/`false`; a field holding `"`, `,`, CR or LF is quoted with `"` doubled (RFC 4180). Rows end
 * with LF, the last one too.
 */
import type { CorrelationRow, StoredStudyResult } from './types.ts';

/** The tables, by file stem (`<stem>.csv`), in the order they are written and listed. */
export const STUDY_TABLES = [
  'correlations',
  'aggregates',
  'predictor',
  'predictions',
  'weights',
  'values',
  'failures',
] as const;
export type StudyTable = (typeof STUDY_TABLES)[number];

/** What each table holds (the web lists it beside the download). */
export const STUDY_TABLE_TEXT: Record<StudyTable, string> = {
  correlations:
    'every benchmark against every target: n, coefficient, p, BH q, 95 % CI, ranking accuracy, OLS, partial correlation',
  aggregates: "the aggregates' OLS R² and F-test per target",
  predictor: 'the cross-validated predictor per target: its features and held-out accuracy',
  predictions: "every model's held-out prediction per target (empty where it has none)",
  weights: "each feature's weight in the ridge fitted on every model, per target",
  values:
    'the analysed value of every model on every column, and the interval stored with it where the column has any (<column>_ci_low, <column>_ci_high)',
  failures: 'the scores that failed and are missing from the analysis (model, benchmark, error)',
};

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' && !Number.isFinite(v)) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text of a header and rows (see the module comment for the cell rules). */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return `${[header, ...rows].map((row) => row.map(cell).join(',')).join('\n')}\n`;
}

const CORRELATION_COLUMNS: (keyof CorrelationRow)[] = [
  'benchmark',
  'n',
  'coefficient',
  'pValue',
  'qValue',
  'ciLow',
  'ciHigh',
  'rankingAccuracy',
  'r2',
  'fStatistic',
  'fPValue',
  'slope',
  'intercept',
  'partialCoefficient',
  'partialPValue',
  'significant',
  'reason',
];

/** One table of a stored result as CSV text. */
export function studyCsv(r: StoredStudyResult, table: StudyTable): string {
  switch (table) {
    case 'correlations':
      return toCsv(
        ['target', ...CORRELATION_COLUMNS],
        r.correlations.flatMap((c) => c.rows.map((x) => [c.target, ...CORRELATION_COLUMNS.map((k) => x[k])])),
      );
    case 'aggregates':
      return toCsv(
        ['target', 'benchmark', 'n', 'r2', 'f', 'f_p'],
        r.aggregates.map((a) => [a.target, a.benchmark, a.n, a.r2, a.f, a.fP]),
      );
    case 'predictor':
      return toCsv(
        ['target', 'features', 'n', 'folds', 'heldout_ranking_accuracy', 'heldout_spearman'],
        r.predictor.map((p) => [
          p.target,
          p.features.join(' '),
          p.result.n,
          p.result.folds,
          p.result.heldOutRankingAccuracy,
          p.result.heldOutSpearman,
        ]),
      );
    case 'predictions':
      return toCsv(
        ['target', 'model', 'heldout_prediction'],
        r.predictor.flatMap((p) => r.models.map((m, i) => [p.target, m, p.result.predictions[i]])),
      );
    case 'weights':
      return toCsv(
        ['target', 'feature', 'weight', 'intercept'],
        r.predictor.flatMap((p) =>
          p.features.map((f) => [p.target, f, p.result.weights[f] ?? null, p.result.intercept]),
        ),
      );
    case 'values': {
      // A column with stored intervals is followed by <column>_ci_low and <column>_ci_high (empty where
      // a value has none), as the leaderboard's CSV writes them.
      const cols = Object.keys(r.values ?? {});
      const withCi = (c: string) => r.intervals?.[c] !== undefined;
      return toCsv(
        ['model', ...cols.flatMap((c) => (withCi(c) ? [c, `${c}_ci_low`, `${c}_ci_high`] : [c]))],
        r.models.map((m, i) => [
          m,
          ...cols.flatMap((c) => {
            const v = r.values?.[c]?.[i] ?? null;
            const ci = r.intervals?.[c]?.[i] ?? null;
            return withCi(c) ? [v, ci?.[0] ?? null, ci?.[1] ?? null] : [v];
          }),
        ]),
      );
    }
    case 'failures':
      return toCsv(
        ['model', 'benchmark', 'limit', 'state', 'error'],
        (r.failures ?? []).map((f) => [f.model, f.benchmark, f.limit, f.state, f.error]),
      );
  }
}
