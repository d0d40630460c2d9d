/** Server-rendered parts of a study's result shared by the study page and the correlation explorer. */
import type { CorrelationRow } from '@alignscope/analysis';
import { benchmarkHref, fmt, fmtP } from '../format.ts';
import { ciSpansZero, measured, type Spread, type StudyResultView } from '../study-result.ts';
import { ChartFrame } from './ChartFrame.tsx';
import { Heatmap, type HeatmapRow } from './Heatmap.tsx';

type Interval = [number, number];

/** The points of a scatter plot as a table (the chart's text alternative), with their values' intervals. */
export function PointsTable({
  points,
  x,
  y,
}: {
  points: { model: string; x: number; y: number; xCi?: Interval | null; yCi?: Interval | null }[];
  x: string;
  y: string;
}) {
  // A value's stored interval follows it, as the scatter plot's whisker does.
  const iv = (ci: Interval | null | undefined) => (ci ? ` [${fmt(ci[0])}, ${fmt(ci[1])}]` : '');
  return (
    <table className="data">
      <thead>
        <tr>
          <th scope="col">Model</th>
          <th scope="col" className="num">
            {x}
          </th>
          <th scope="col" className="num">
            {y}
          </th>
        </tr>
      </thead>
      <tbody>
        {points.map((p) => (
          <tr key={p.model}>
            <td>{p.model}</td>
            <td className="num">
              {fmt(p.x)}
              {iv(p.xCi)}
            </td>
            <td className="num">
              {fmt(p.y)}
              {iv(p.yCi)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The cross-validated predictor: per target its held-out Spearman and pairwise ranking accuracy, and for
 * `target` the weights of the features it uses and every model's held-out prediction beside its value.
 */
export function PredictorSection({
  result,
  target,
  label,
  predictor,
}: {
  result: StudyResultView;
  target: string;
  label: (id: string) => string;
  predictor: StudyResultView['predictor'][number] | undefined;
}) {
  const held = predictor
    ? result.models
        .map((m, i) => ({
          model: m,
          predicted: predictor.result.predictions[i] ?? null,
          actual: measured(result, predictor, i),
        }))
        .filter((p) => p.predicted !== null)
        .sort((a, b) => (b.predicted as number) - (a.predicted as number))
    : [];
  const weights = predictor
    ? predictor.features
        .map((f) => ({ feature: f, weight: predictor.result.weights[f] ?? null }))
        .sort((a, b) => Math.abs(b.weight ?? 0) - Math.abs(a.weight ?? 0))
    : [];
  return (
    <>
      <h2>Robustness predictor</h2>
      <p className="muted small">
        Ridge regression on the rank scale from the alignment benchmarks to robust accuracy, cross-validated:
        each model is predicted by a fit that did not see it. Pairwise ranking accuracy: the share of model
        pairs the held-out predictions order as the measured robustness does (0.5 is chance).
      </p>
      <table className="data" data-testid="predictor-summary">
        <thead>
          <tr>
            <th scope="col">Target</th>
            <th scope="col" className="num">
              n
            </th>
            <th scope="col" className="num">
              Folds
            </th>
            <th scope="col" className="num">
              Features
            </th>
            <th scope="col" className="num">
              Held-out Spearman
            </th>
            <th scope="col" className="num">
              Held-out ranking accuracy
            </th>
          </tr>
        </thead>
        <tbody>
          {result.predictor.map((p) => (
            <tr key={p.target} data-target={p.target}>
              <th scope="row">{label(p.target)}</th>
              <td className="num">{p.result.n}</td>
              <td className="num">{p.result.folds}</td>
              <td className="num">{p.features.length}</td>
              <td className="num">{fmt(p.result.heldOutSpearman)}</td>
              <td className="num" data-testid="ranking-accuracy">
                {fmt(p.result.heldOutRankingAccuracy)}
                {p.result.reason ? <div className="muted small">{p.result.reason}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {predictor ? (
        <>
          <h3>Weights for {label(target)}</h3>
          <table className="data" data-testid="predictor-weights">
            <thead>
              <tr>
                <th scope="col">Benchmark</th>
                <th scope="col" className="num">
                  Weight (rank scale)
                </th>
              </tr>
            </thead>
            <tbody>
              {weights.map((w) => (
                <tr key={w.feature} data-benchmark={w.feature}>
                  <th scope="row">{label(w.feature)}</th>
                  <td className="num">{fmt(w.weight)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Held-out predictions for {label(target)}</h3>
          <div className="table-scroll">
            <table className="data" data-testid="predictions">
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col" className="num">
                    Held-out prediction (rank scale)
                  </th>
                  <th scope="col" className="num">
                    Measured {label(target)}
                  </th>
                </tr>
              </thead>
              <tbody>
                {held.map((p) => (
                  <tr key={p.model} data-model={p.model}>
                    <th scope="row">{p.model}</th>
                    <td className="num">{fmt(p.predicted)}</td>
                    <td className="num">{fmt(p.actual)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <p className="muted">
          No predictor for this target (too few models with values, or no varying feature).
        </p>
      )}
    </>
  );
}

/**
 * A study's correlation rows against one target, with each row's interval marked when it spans 0 and,
 * where known, the benchmark's spread over the cohort beside a model's own interval.
 */
export function StudyCorrelationTable({
  rows,
  spread,
  covariate,
  label,
  symbol,
}: {
  rows: CorrelationRow[];
  spread: Map<string, Spread>;
  covariate: string | undefined;
  label: (id: string) => string;
  symbol: string;
}) {
  return (
    <div className="table-scroll">
      <table className="data" data-testid="study-correlations">
        <thead>
          <tr>
            <th scope="col">Benchmark</th>
            <th scope="col" className="num">
              n
            </th>
            <th scope="col" className="num">
              {symbol}
            </th>
            <th scope="col">95 % CI</th>
            <th scope="col" className="num">
              p
            </th>
            <th scope="col" className="num">
              q
            </th>
            <th scope="col" className="num">
              Ranking accuracy
            </th>
            {covariate ? (
              <th scope="col" className="num">
                Partial ρ | {label(covariate)}
              </th>
            ) : null}
            <th scope="col" className="num">
              Spread over cohort (max − min)
            </th>
            <th scope="col" className="num">
              SD over cohort
            </th>
            <th scope="col" className="num">
              A model's own 95 % CI (median width)
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const s = spread.get(r.benchmark);
            const zero = r.coefficient !== null && ciSpansZero(r);
            return (
              <tr key={r.benchmark} data-benchmark={r.benchmark} data-ci-spans-zero={zero ? '1' : '0'}>
                <th scope="row">
                  <a href={benchmarkHref(r.benchmark)}>{label(r.benchmark)}</a>
                  {zero ? (
                    <>
                      {' '}
                      <span className="badge">CI spans 0</span>
                    </>
                  ) : null}
                  {s?.withinNoise ? (
                    <>
                      {' '}
                      <span className="badge">spread within noise</span>
                    </>
                  ) : null}
                  {r.reason ? <div className="muted small">{r.reason}</div> : null}
                </th>
                <td className="num">{r.n}</td>
                <td className="num" data-testid="coef">
                  {fmt(r.coefficient)}
                </td>
                <td data-testid="ci">
                  [{fmt(r.ciLow)}, {fmt(r.ciHigh)}]
                </td>
                <td className="num">{fmtP(r.pValue)}</td>
                <td className="num">{fmtP(r.qValue)}</td>
                <td className="num">{fmt(r.rankingAccuracy)}</td>
                {covariate ? <td className="num">{fmt(r.partialCoefficient)}</td> : null}
                <td className="num" data-testid="spread">
                  {fmt(s?.range)}
                </td>
                <td className="num">{fmt(s?.sd)}</td>
                <td className="num">{s?.medianCiWidth === null ? 'not stored' : fmt(s?.medianCiWidth)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The heatmap of benchmarks (rows) against robustness targets (columns), with its table as text alternative. */
export function StudyHeatmap({
  symbol,
  file,
  description,
  rows,
  targets,
  label,
}: {
  symbol: string;
  file: string;
  description: string;
  rows: HeatmapRow[];
  targets: string[];
  label: (id: string) => string;
}) {
  return (
    <ChartFrame
      title={`Benchmarks × robustness targets (${symbol})`}
      file={file}
      description={description}
      table={
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Benchmark</th>
              {targets.map((t) => (
                <th key={t} scope="col" className="num">
                  {label(t)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <th scope="row">{r.label}</th>
                {r.cells.map((c, j) => (
                  <td key={targets[j] ?? j} className="num">
                    {fmt(c)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <Heatmap rows={rows} columns={targets.map((t) => ({ id: t, label: label(t) }))} title="Heatmap" />
    </ChartFrame>
  );
}
