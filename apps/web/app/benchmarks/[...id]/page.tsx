import { rankWithTies } from '@alignscope/analysis';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { getBoard } from '../../../src/board.ts';
import { ChartFrame } from '../../../src/components/ChartFrame.tsx';
import { Histogram, ScatterFit } from '../../../src/components/charts.tsx';
import {
  benchmarkVsTargets,
  pairs,
  type TargetIntervals,
  type TargetRow,
} from '../../../src/correlations.ts';
import { benchmarkHref, fmt, fmtP, modelHref } from '../../../src/format.ts';
import { firstParam, identifierFromSegments } from '../../../src/params.ts';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string[] }>; searchParams: Promise<Record<string, string | string[]>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `${identifierFromSegments((await params).id)} · AlignScope` };
}

function histogram(values: number[]): { label: string; count: number }[] {
  if (values.length === 0) return [];
  const lo = Math.min(0, ...values);
  const hi = Math.max(1, ...values);
  const k = 10;
  const w = (hi - lo) / k;
  const bins = Array.from({ length: k }, (_, i) => ({ label: (lo + i * w).toFixed(2), count: 0 }));
  for (const v of values) {
    const i = Math.min(k - 1, Math.max(0, Math.floor((v - lo) / w)));
    (bins[i] as { count: number }).count++;
  }
  return bins;
}

export default async function BenchmarkPage({ params, searchParams }: Props) {
  const identifier = identifierFromSegments((await params).id);
  const sp = await searchParams;
  const missingParam = firstParam(sp.missing);
  // Scores follow the leaderboard (missing children count as 0); correlations follow the explorer and
  // the API (missing children skipped), unless the URL says otherwise.
  const missing = missingParam === 'skip' ? 'skip' : 'zero';
  const corrMissing = missingParam === 'zero' ? 'zero' : 'skip';
  const board = await getBoard();
  const node = board.node.get(identifier);
  if (!node) notFound();
  const cells = board.cells(identifier, missing);
  const ranked = board.models
    .map((m, i) => ({
      model: m,
      value: cells[i]?.value ?? null,
      status: cells[i]?.status ?? 'missing',
    }))
    .filter((r) => r.value !== null || r.status === 'failed' || r.status === 'not-run')
    .sort(
      (a, b) =>
        (b.value ?? -Infinity) - (a.value ?? -Infinity) ||
        a.model.identifier.localeCompare(b.model.identifier),
    );
  const ranks = rankWithTies(
    ranked.map((r) => r.value),
    { descending: true },
  );
  const scoredValues = ranked.flatMap((r) => (r.value === null ? [] : [r.value]));

  const isRobustness = node.domain === 'robustness';
  // Coefficients, p, q and n first (the board's tables worker); the bootstrap interval of each pair
  // from the board's intervals worker, streamed in after (<Suspense> below): none on this thread.
  const vsTargets = isRobustness ? undefined : benchmarkVsTargets(board, identifier, corrMissing);
  vsTargets?.intervals.catch(() => {}); // its failure is shown where it is awaited (the <Suspense> below)
  const correlations = vsTargets ? await vsTargets.rows : [];
  const withData = correlations.filter((c) => c.row && c.row.n > 0);
  const targetParam = firstParam(sp.target);
  const selected =
    withData.find((c) => c.target.identifier === targetParam) ??
    [...withData].sort((a, b) => (b.row?.n ?? 0) - (a.row?.n ?? 0))[0];
  const tableProps = { rows: withData, selected: selected?.target.identifier, missingParam, missing };
  const benchParams = node.parameters as Record<string, unknown>;

  return (
    <article data-board-version={board.version}>
      <p className="muted small">
        <a href="/benchmarks">Benchmarks</a>
        {node.parent ? (
          <>
            {' '}
            / <a href={benchmarkHref(node.parent)}>{board.node.get(node.parent)?.label ?? node.parent}</a>
          </>
        ) : null}
      </p>
      <h1 data-testid="benchmark-title">{node.label}</h1>
      <p className="muted">
        <code>{node.identifier}</code> · version {node.version} · {node.domain}
      </p>
      {node.description ? <p>{node.description}</p> : null}
      <dl className="meta">
        <dt>Metric</dt>
        <dd>{node.metric ?? '–'}</dd>
        <dt>Ceiling</dt>
        <dd data-testid="ceiling">{node.ceiling === null ? 'none' : fmt(node.ceiling, 4)}</dd>
        <dt>Reference</dt>
        <dd>{node.reference ?? '–'}</dd>
        {node.children.length ? (
          <>
            <dt>Children</dt>
            <dd>
              {node.children.map((c, i) => (
                <span key={c}>
                  {i ? ', ' : ''}
                  <a href={benchmarkHref(c)}>{board.node.get(c)?.label ?? c}</a>
                </span>
              ))}{' '}
              ({node.leafCount} benchmarks)
            </dd>
          </>
        ) : null}
        {isRobustness && Object.keys(benchParams).length ? (
          <>
            <dt>Parameters</dt>
            <dd>
              {Object.entries(benchParams)
                .map(([k, v]) => `${k} = ${String(v)}`)
                .join(', ')}
            </dd>
          </>
        ) : null}
      </dl>

      {ranked.length === 0 ? (
        <div className="empty" data-testid="no-scores">
          <h2>No scores yet</h2>
          <p>
            No model has a score on this benchmark. Evaluate a model with <code>alignscope evaluate</code>,
            import results with <code>alignscope import</code>, or <a href="/submit">submit results</a>.
          </p>
        </div>
      ) : (
        <div className="grid2">
          <ChartFrame
            title="Distribution of scores"
            file={`${identifier.replaceAll('/', '_')}-distribution`}
            description={`${scoredValues.length} models with a score.`}
            table={
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">Bin from</th>
                    <th scope="col" className="num">
                      Models
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {histogram(scoredValues).map((b) => (
                    <tr key={b.label}>
                      <td>{b.label}</td>
                      <td className="num">{b.count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            }
          >
            <Histogram bins={histogram(scoredValues)} />
          </ChartFrame>
          <section>
            <h2>Ranked models</h2>
            <div className="table-scroll" style={{ maxHeight: '24rem', overflowY: 'auto' }}>
              <table className="data" data-testid="ranked-models">
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      Rank
                    </th>
                    <th scope="col">Model</th>
                    <th scope="col" className="num">
                      Score
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {ranked.map((r, i) => (
                    <tr key={r.model.identifier} data-model={r.model.identifier}>
                      <td className="num">{ranks[i] ?? '–'}</td>
                      <td>
                        <a href={modelHref(r.model.identifier)}>{r.model.displayName}</a>
                      </td>
                      <td className="num">{r.value === null ? r.status : fmt(r.value)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </div>
      )}

      {isRobustness ? (
        <p>
          This is a robustness benchmark: see which alignment benchmarks predict it in the{' '}
          <a href={`/correlations?target=${encodeURIComponent(identifier)}`}>correlation explorer</a>.
        </p>
      ) : (
        <section>
          <h2>Correlation with robustness</h2>
          <p className="muted small">
            Spearman ρ against each robustness benchmark over the models with both scores, 95 % percentile
            bootstrap interval (1,000 resamples, seed 0; computed after the coefficients, it appears when
            ready), two-sided p, Benjamini–Hochberg q across all benchmarks for that target (rows with n &lt;
            8 get none).
          </p>
          {withData.length === 0 ? (
            <p className="muted" data-testid="no-correlation">
              No model has both this benchmark and a robustness result yet.
            </p>
          ) : (
            <>
              <Suspense fallback={<TargetTable {...tableProps} />}>
                <TargetTableWithIntervals {...tableProps} intervals={vsTargets?.intervals} />
              </Suspense>
              {selected?.row ? (
                <ChartFrame
                  title={`${node.label} against ${selected.target.label}`}
                  file={`${identifier.replaceAll('/', '_')}-vs-${selected.target.identifier.replaceAll('/', '_')}`}
                  description={`ρ = ${fmt(selected.row.coefficient)}, OLS y = ${fmt(selected.row.intercept)} + ${fmt(selected.row.slope)}·x, R² = ${fmt(selected.row.r2)}, n = ${selected.row.n}`}
                  table={
                    <table className="data">
                      <thead>
                        <tr>
                          <th scope="col">Model</th>
                          <th scope="col" className="num">
                            {node.label}
                          </th>
                          <th scope="col" className="num">
                            {selected.target.label}
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {pairs(board, corrMissing, identifier, selected.target.identifier).map((p) => (
                          <tr key={p.model}>
                            <td>{p.model}</td>
                            <td className="num">{fmt(p.x)}</td>
                            <td className="num">{fmt(p.y)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  }
                >
                  <ScatterFit
                    points={pairs(board, corrMissing, identifier, selected.target.identifier)}
                    slope={selected.row.slope}
                    intercept={selected.row.intercept}
                    xLabel={node.label}
                    yLabel={selected.target.label}
                  />
                </ChartFrame>
              ) : null}
            </>
          )}
        </section>
      )}
    </article>
  );
}

type TargetTableProps = {
  rows: TargetRow[];
  /** The target whose scatter is shown. */
  selected: string | undefined;
  missingParam: string | undefined;
  missing: string;
  /** The pair intervals by target; undefined: still being computed (the first paint). */
  intervals?: TargetIntervals;
};

/** The benchmark against each robustness target: n, ρ, the 95 % interval (when in), p, q. */
function TargetTable({ rows, selected, missingParam, missing, intervals }: TargetTableProps) {
  return (
    <table className="data" data-testid="robustness-correlations">
      <thead>
        <tr>
          <th scope="col">Robustness benchmark</th>
          <th scope="col" className="num">
            n
          </th>
          <th scope="col" className="num">
            ρ
          </th>
          <th scope="col">95 % CI</th>
          <th scope="col" className="num">
            p
          </th>
          <th scope="col" className="num">
            q
          </th>
          <th scope="col">Scatter</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ target, row }) => {
          const ci = row?.coefficient === null ? undefined : intervals?.get(target.identifier);
          return (
            <tr key={target.identifier} data-target={target.identifier}>
              <th scope="row">
                <a href={benchmarkHref(target.identifier)}>{target.label}</a>
              </th>
              <td className="num">{row?.n}</td>
              <td className="num" data-testid="rho">
                {fmt(row?.coefficient)}
              </td>
              {intervals ? (
                <td data-testid="ci">
                  [{fmt(ci?.low)}, {fmt(ci?.high)}]
                </td>
              ) : (
                <td className="muted" data-testid="ci-pending">
                  computing…
                </td>
              )}
              <td className="num">{fmtP(row?.pValue)}</td>
              <td className="num">{fmtP(row?.qValue)}</td>
              <td>
                <a
                  href={`?target=${encodeURIComponent(target.identifier)}${missingParam ? `&missing=${missing}` : ''}`}
                  aria-current={selected === target.identifier ? 'true' : undefined}
                >
                  {selected === target.identifier ? 'shown' : 'show'}
                </a>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The same once the board's intervals worker has the pair intervals (streamed in). */
async function TargetTableWithIntervals(
  props: Omit<TargetTableProps, 'intervals'> & { intervals: Promise<TargetIntervals> | undefined },
) {
  return <TargetTable {...props} intervals={props.intervals ? await props.intervals : new Map()} />;
}
