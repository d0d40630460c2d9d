import type { BoardCorrelationRow } from '@alignscope/board';
import { cellIntervals, type StudySummary } from '@alignscope/db/queries';
import type { Metadata } from 'next';
import Form from 'next/form';
import { Suspense } from 'react';
import { asOfDate, asOfLabel, parseAsOf } from '../../src/as-of.ts';
import { type Board, getBoardAt, type TreeNode } from '../../src/board.ts';
import { ChartFrame } from '../../src/components/ChartFrame.tsx';
import { type CoefficientBar, CoefficientChart, ScatterFit } from '../../src/components/charts.tsx';
import { Heatmap, type HeatmapRow } from '../../src/components/Heatmap.tsx';
import {
  PointsTable,
  PredictorSection,
  StudyCorrelationTable,
  StudyHeatmap,
} from '../../src/components/StudyParts.tsx';
import {
  boardPredictor,
  correlationsFor,
  type ExplorerState,
  METHOD_SYMBOL,
  noisyPair,
  PREDICTOR_AUTO_MAX,
  pairStats,
  pairs,
  parseExplorerState,
  predictorNodes,
  robustnessTargets,
} from '../../src/correlations.ts';
import { getDb } from '../../src/db.ts';
import { benchmarkHref, DOMAIN_COLOR, fmt, fmtP } from '../../src/format.ts';
import { intervalsByCell } from '../../src/intervals.ts';
import { firstParam } from '../../src/params.ts';
import { cohortCiWidths, computedStudies, loadStudy, studyTag } from '../../src/studies.ts';
import { ciSpansZero, spreadOf } from '../../src/study-result.ts';
import type { Params } from '../../src/view-state.ts';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Correlation explorer · AlignScope' };

const AGGREGATES = ['average_vision', 'neural_vision', 'behavior_vision', 'engineering_vision'];
const GROUP_ORDER = ['neural', 'behavioral', 'engineering', 'aggregate'];
const RELATION_TEXT = { ancestor: 'contains the target', sibling: 'robustness beside the target' } as const;

export default async function CorrelationsPage({ searchParams }: { searchParams: Promise<Params> }) {
  const sp = await searchParams;
  const asOf = parseAsOf(firstParam(sp.asOf));
  const at = asOfDate(asOf);
  const board = await getBoardAt(at);
  const asOfText = asOf?.text ?? '';
  const asOfNotice = at ? (
    <p className="notice" data-testid="as-of-notice">
      Correlations on the board as of <strong>{asOfLabel(at, asOfText)}</strong>: each cell's value chosen
      among the versions recorded by then. <a href="/correlations">Show the board now</a>.
    </p>
  ) : null;
  const studies = await computedStudies();
  const studyParam = firstParam(sp.study);
  if (studyParam) return <StudyExplorer board={board} sp={sp} studies={studies} studyParam={studyParam} />;
  const targets = robustnessTargets(board);
  const s = parseExplorerState(sp, board);
  const predictors = predictorNodes(board, s.target);

  if (targets.length === 0 || board.models.length === 0 || !s.target) {
    return (
      <section>
        <h1>Correlation explorer</h1>
        {asOfNotice}
        <StudySelector studies={studies} current="" />
        <div className="empty" data-testid="empty-correlations">
          <h2>Nothing to correlate yet</h2>
          <p>
            The explorer needs models with both alignment scores and a robustness result. Import results with{' '}
            <code>alignscope import</code>, run <code>alignscope attack</code> on a registered model, or{' '}
            <a href="/submit">submit results</a>.
          </p>
        </div>
      </section>
    );
  }

  // First paint: coefficients, p, q and n (the board's workers computed the default tables ahead);
  // the bootstrap intervals stream in after, from the intervals worker (<Suspense> below).
  const rows = await correlationsFor(board, s, { bootstrap: false });
  const withIntervals = correlationsFor(board, s);
  withIntervals.catch(() => {}); // its failure is shown where it is awaited (the <Suspense> below)
  const targetNode = board.node.get(s.target);
  const targetLabel = targetNode?.label ?? s.target;
  const label = (id: string) => board.node.get(id)?.label ?? id;
  const symbol = METHOD_SYMBOL[s.method];

  const ranked = rows
    .filter((r) => r.coefficient !== null)
    .sort((a, b) => (b.coefficient as number) - (a.coefficient as number));
  const section = {
    s,
    symbol,
    targetLabel,
    labels: Object.fromEntries(board.nodes.map((n) => [n.identifier, n.label])),
    domains: Object.fromEntries(board.nodes.map((n) => [n.identifier, n.domain])),
  };

  // Heatmap: every predictor against every robustness target (coefficient only, no bootstrap).
  const heatTargets = targets.filter((t) => board.column(t.identifier, s.missing).some((v) => v !== null));

  // Scatter of any pair (default: the strongest predictor against the target).
  const strongest = [...ranked].sort(
    (a, b) => Math.abs(b.coefficient ?? 0) - Math.abs(a.coefficient ?? 0),
  )[0];
  const xParam = firstParam(sp.x);
  const yParam = firstParam(sp.y);
  const x =
    xParam && board.node.has(xParam) ? xParam : (strongest?.benchmark ?? predictors[0]?.identifier ?? '');
  const y = yParam && board.node.has(yParam) ? yParam : s.target;
  const aggregateRows = AGGREGATES.map((a) => rows.find((r) => r.benchmark === a && !r.relation)).filter(
    (r) => r !== undefined,
  );

  return (
    <section data-board-version={board.version}>
      <h1>Correlation explorer</h1>
      <p className="lead">
        Which alignment benchmarks predict adversarial robustness? Every benchmark against a robustness
        benchmark, over the models that have both (aggregated with missing children{' '}
        {s.missing === 'zero' ? 'counted as 0' : 'skipped'}).
      </p>
      {asOfNotice}
      <StudySelector studies={studies} current="" />
      <Form action="/correlations" className="controls" aria-label="Correlation options">
        <div className="field">
          <label htmlFor="target">Robustness target</label>
          <select id="target" name="target" defaultValue={s.target} data-testid="target">
            {targets.map((t) => (
              <option key={t.identifier} value={t.identifier}>
                {t.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="method">Method</label>
          <select id="method" name="method" defaultValue={s.method} data-testid="method">
            <option value="spearman">Spearman ρ</option>
            <option value="pearson">Pearson r</option>
            <option value="kendall">Kendall τ-b</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="covariate">Control for (partial Spearman)</label>
          <select id="covariate" name="covariate" defaultValue={s.covariate}>
            <option value="">nothing</option>
            {predictors.map((p) => (
              <option key={p.identifier} value={p.identifier}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="minN">Minimum n</label>
          <input
            id="minN"
            name="minN"
            type="number"
            min={3}
            defaultValue={s.minN}
            style={{ width: '5rem' }}
          />
        </div>
        <div className="field">
          <label htmlFor="missing">Missing children</label>
          <select id="missing" name="missing" defaultValue={s.missing}>
            <option value="skip">skip</option>
            <option value="zero">count as 0</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="related">
            <input
              id="related"
              name="related"
              type="checkbox"
              value="1"
              defaultChecked={s.related}
              data-testid="show-related"
            />{' '}
            Show the target's ancestors and sibling robustness benchmarks
          </label>
        </div>
        <div className="field">
          <label htmlFor="asOf">Board as of (UTC)</label>
          <input
            id="asOf"
            name="asOf"
            // A date-time in the URL stays editable as text; a day (or nothing) gets the date picker.
            type={asOfText === '' || /^\d{4}-\d{2}-\d{2}$/.test(asOfText) ? 'date' : 'text'}
            defaultValue={asOfText}
            aria-describedby="asOf-help"
            aria-invalid={asOf && 'error' in asOf ? true : undefined}
            data-testid="as-of"
          />
          <small id="asOf-help" className={asOf && 'error' in asOf ? 'error' : 'muted'}>
            {asOf && 'error' in asOf ? asOf.error : 'Empty: now.'}
          </small>
        </div>
        {hiddenInputs({ x, y })}
        <div className="field actions">
          <button type="submit">Update</button>
        </div>
      </Form>

      <Suspense fallback={<Coefficients {...section} rows={rows} pending />}>
        <CoefficientsWithIntervals {...section} rows={withIntervals} />
      </Suspense>

      <h2>The four aggregates</h2>
      <p className="muted small">
        OLS of {targetLabel} on each aggregate score: R² and the F-test of the slope (as in Hoak, Li &amp;
        McDaniel 2025).
      </p>
      <table className="data" data-testid="aggregate-ols">
        <thead>
          <tr>
            <th scope="col">Aggregate</th>
            <th scope="col" className="num">
              n
            </th>
            <th scope="col" className="num">
              R²
            </th>
            <th scope="col" className="num">
              F
            </th>
            <th scope="col" className="num">
              p (F)
            </th>
            <th scope="col" className="num">
              Slope
            </th>
            <th scope="col" className="num">
              {symbol}
            </th>
          </tr>
        </thead>
        <tbody>
          {aggregateRows.map((r) => (
            <tr key={r.benchmark} data-benchmark={r.benchmark}>
              <th scope="row">{label(r.benchmark)}</th>
              <td className="num">{r.n}</td>
              <td className="num" data-testid="r2">
                {fmt(r.r2)}
              </td>
              <td className="num">{fmt(r.fStatistic, 2)}</td>
              <td className="num">{fmtP(r.fPValue)}</td>
              <td className="num">{fmt(r.slope)}</td>
              <td className="num">{fmt(r.coefficient)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <Suspense fallback={<p className="muted">The robustness predictor is being prepared…</p>}>
        <BoardPredictorSection board={board} sp={sp} s={s} label={label} />
      </Suspense>

      <Suspense
        fallback={
          <p className="muted" data-testid="heatmap-pending">
            The heatmap of benchmarks × robustness targets is being computed; it appears when ready.
          </p>
        }
      >
        <HeatmapSection
          board={board}
          s={s}
          predictors={predictors}
          heatTargets={heatTargets}
          symbol={symbol}
        />
      </Suspense>

      <Suspense
        fallback={
          <p className="muted" data-testid="scatter-pending">
            The scatter of {label(x)} against {label(y)} is being drawn; it appears when ready.
          </p>
        }
      >
        <ScatterSection board={board} s={s} x={x} y={y} at={at} asOfText={asOfText} symbol={symbol} />
      </Suspense>
    </section>
  );
}

type SectionProps = {
  s: ExplorerState;
  symbol: string;
  targetLabel: string;
  labels: Record<string, string>;
  domains: Record<string, string>;
};

/** The ranked coefficients (chart and table); `pending`: the bootstrap intervals are not in yet. */
function Coefficients({
  rows,
  pending = false,
  s,
  symbol,
  targetLabel,
  labels,
  domains,
}: SectionProps & { rows: BoardCorrelationRow[]; pending?: boolean }) {
  const label = (id: string) => labels[id] ?? id;
  const domainOf = (id: string) => domains[id] ?? 'aggregate';
  const relationOf = new Map(rows.map((r) => [r.benchmark, r.relation]));
  /** The label, marked when the node is not a candidate predictor (shown with related=1). */
  const rowLabel = (id: string) => {
    const relation = relationOf.get(id);
    return relation ? `${label(id)} (${RELATION_TEXT[relation]})` : label(id);
  };
  const bars: CoefficientBar[] = rows
    .filter((r) => r.coefficient !== null)
    .sort((a, b) => (b.coefficient as number) - (a.coefficient as number))
    .map((r) => ({
      benchmark: r.benchmark,
      label: rowLabel(r.benchmark),
      domain: domainOf(r.benchmark),
      coefficient: r.coefficient as number,
      ciLow: r.ciLow,
      ciHigh: r.ciHigh,
    }));
  return (
    <ChartFrame
      title={`${symbol} with ${targetLabel}`}
      file={`correlations-${s.target.replaceAll('/', '_')}-${s.method}`}
      description={`Ranked coefficients with 95 % bootstrap intervals (1,000 resamples, seed 0${pending ? '; being computed, they appear when ready' : ''}); q: Benjamini–Hochberg over the predictors with n ≥ ${s.minN}. The target's ancestors (which contain it) and its sibling robustness benchmarks are not predictors: ${s.related ? 'shown marked, without q' : 'left out (tick the box above to show them)'}.`}
      table={
        <table className="data" data-testid="correlation-table">
          <thead>
            <tr>
              <th scope="col">Benchmark</th>
              <th scope="col">Domain</th>
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
              {s.covariate ? (
                <th scope="col" className="num">
                  Partial ρ | {label(s.covariate)}
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {[...rows]
              .sort((a, b) => (b.coefficient ?? -2) - (a.coefficient ?? -2))
              .map((r) => (
                <tr
                  key={r.benchmark}
                  data-benchmark={r.benchmark}
                  data-relation={r.relation ?? undefined}
                  className={r.relation ? 'related' : undefined}
                >
                  <th scope="row">
                    <a href={benchmarkHref(r.benchmark)}>{label(r.benchmark)}</a>
                    {r.relation ? (
                      <span className="muted small"> ({RELATION_TEXT[r.relation]}: not a predictor)</span>
                    ) : null}
                  </th>
                  <td>
                    <span
                      className="swatch"
                      style={{ background: DOMAIN_COLOR[domainOf(r.benchmark)] }}
                      aria-hidden="true"
                    />{' '}
                    {domainOf(r.benchmark)}
                  </td>
                  <td className="num">{r.n}</td>
                  <td className="num" data-testid="coef">
                    {fmt(r.coefficient)}
                  </td>
                  {pending ? (
                    <td className="muted" data-testid="ci-pending">
                      computing…
                    </td>
                  ) : (
                    <td data-testid="ci">
                      [{fmt(r.ciLow)}, {fmt(r.ciHigh)}]
                    </td>
                  )}
                  <td className="num">{fmtP(r.pValue)}</td>
                  <td className="num">{fmtP(r.qValue)}</td>
                  <td className="num">{fmt(r.rankingAccuracy)}</td>
                  {s.covariate ? <td className="num">{fmt(r.partialCoefficient)}</td> : null}
                </tr>
              ))}
          </tbody>
        </table>
      }
    >
      {bars.length ? (
        <CoefficientChart bars={bars} method={symbol} />
      ) : (
        <p className="muted">
          No benchmark has a defined coefficient with this target yet (too few models with both).
        </p>
      )}
    </ChartFrame>
  );
}

/** The same, once the intervals worker has computed the table with its bootstrap (streamed in). */
async function CoefficientsWithIntervals(props: SectionProps & { rows: Promise<BoardCorrelationRow[]> }) {
  return <Coefficients {...props} rows={await props.rows} />;
}

/** Opens the stored result of a computed study instead of the board's live scores (`study=<id>`). */
function StudySelector({ studies, current }: { studies: StudySummary[]; current: string }) {
  if (studies.length === 0) return null;
  return (
    <Form action="/correlations" className="form-row" aria-label="Data source">
      <label>
        Data{' '}
        <select name="study" defaultValue={current} data-testid="study-select">
          <option value="">every model's current scores (live)</option>
          {studies.map((x) => (
            <option key={x.id} value={String(x.id)}>
              study {x.name}@{x.version}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Open</button>
    </Form>
  );
}

type ExplorerProps = {
  board: Board;
  sp: Params;
  studies: StudySummary[];
  studyParam: string;
};

/** The explorer over a study's stored result: its targets, correlation table, heatmap and predictor. */
async function StudyExplorer({ board, sp, studies, studyParam }: ExplorerProps) {
  const found = await loadStudy(studyParam);
  const label = (id: string) => board.node.get(id)?.label ?? id;
  if (!found?.result) {
    return (
      <section>
        <h1>Correlation explorer</h1>
        <StudySelector studies={studies} current="" />
        <p className="notice" data-testid="study-missing">
          {found
            ? `Study ${studyTag(found.study)} has no result yet (${found.study.status}).`
            : `There is no study ${studyParam}.`}{' '}
          <a href="/studies">All studies</a>
        </p>
      </section>
    );
  }
  const { study, result } = found;
  const def = study.definition as {
    analysis?: { method?: 'spearman' | 'pearson' | 'kendall'; covariate?: string };
  };
  const symbol = METHOD_SYMBOL[def.analysis?.method ?? 'spearman'];
  const targets = result.correlations.map((c) => c.target);
  const tp = firstParam(sp.target);
  const target = tp && targets.includes(tp) ? tp : (targets[0] ?? '');
  const rows = [...(result.correlations.find((c) => c.target === target)?.rows ?? [])].sort(
    (a, b) => (b.coefficient ?? -2) - (a.coefficient ?? -2),
  );
  const widths = await cohortCiWidths(result.models, Object.keys(result.values ?? {}));
  const spread = new Map(
    rows.map((r) => [
      r.benchmark,
      spreadOf(r.benchmark, result.values?.[r.benchmark] ?? [], widths.get(r.benchmark)),
    ]),
  );
  const spans = rows.filter((r) => r.coefficient !== null && ciSpansZero(r)).length;
  const heatRows: HeatmapRow[] = rows.map((r) => ({
    id: r.benchmark,
    label: label(r.benchmark),
    group: board.node.get(r.benchmark)?.domain ?? 'aggregate',
    cells: result.correlations.map(
      (c) => c.rows.find((x) => x.benchmark === r.benchmark)?.coefficient ?? null,
    ),
    significant: result.correlations.map(
      (c) => c.rows.find((x) => x.benchmark === r.benchmark)?.significant ?? false,
    ),
  }));
  return (
    <section>
      <h1>Correlation explorer</h1>
      <StudySelector studies={studies} current={String(study.id)} />
      <p className="lead" data-testid="study-source">
        The stored result of study <a href={`/studies/${study.id}`}>{studyTag(study)}</a> over{' '}
        {result.models.length} models (computed {result.computedAt.slice(0, 16).replace('T', ' ')} UTC).
      </p>
      <Form action="/correlations" className="controls" aria-label="Study target">
        <input type="hidden" name="study" value={String(study.id)} />
        <div className="field">
          <label htmlFor="target">Robustness target</label>
          <select id="target" name="target" defaultValue={target} data-testid="target">
            {targets.map((t) => (
              <option key={t} value={t}>
                {label(t)}
              </option>
            ))}
          </select>
        </div>
        <div className="field actions">
          <button type="submit">Update</button>
        </div>
      </Form>
      <h2>
        {symbol} with {label(target)}
      </h2>
      {spans ? (
        <p className="notice" data-testid="uncertainty-note">
          {spans} of {rows.filter((r) => r.coefficient !== null).length} benchmarks have a 95 % interval that
          includes 0 (marked <span className="badge">CI spans 0</span>).
        </p>
      ) : null}
      <StudyCorrelationTable
        rows={rows}
        spread={spread}
        covariate={def.analysis?.covariate}
        label={label}
        symbol={symbol}
      />
      <StudyHeatmap
        symbol={symbol}
        file={`${study.name}-heatmap`}
        description="Colour: ColorBrewer RdBu, red negative, blue positive; * significant (Benjamini–Hochberg q ≤ 0.05 per target); – where undefined."
        rows={heatRows}
        targets={targets}
        label={label}
      />
      <PredictorSection
        result={result}
        target={target}
        label={label}
        predictor={result.predictor.find((p) => p.target === target)}
      />
    </section>
  );
}

/** The cross-validated predictor of the target over the board's models, computed on request of the page. */
async function BoardPredictorSection({
  board,
  sp,
  s,
  label,
}: {
  board: Board;
  sp: Params;
  s: ReturnType<typeof parseExplorerState>;
  label: (id: string) => string;
}) {
  await afterFirstPaint();
  const raw = sp.feature;
  const chosen = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const withTarget = board.column(s.target, s.missing).filter((v) => v !== null).length;
  const auto = withTarget <= PREDICTOR_AUTO_MAX;
  const p = boardPredictor(board, s, chosen, { run: auto || firstParam(sp.predict) === '1' });
  const hidden = {
    predict: '1',
    target: s.target,
    method: s.method,
    covariate: s.covariate,
    minN: String(s.minN),
    missing: s.missing,
    ...(s.related ? { related: '1' } : {}),
  };
  const result = {
    study: 'board',
    computedAt: '',
    models: p.models,
    correlations: [],
    aggregates: [],
    predictor: p.result ? [{ target: s.target, features: p.choice.selected, result: p.result }] : [],
    values: { [s.target]: board.column(s.target, s.missing) },
    provenance: {},
  };
  return (
    <>
      {p.result || auto ? (
        <PredictorSection result={result} target={s.target} label={label} predictor={result.predictor[0]} />
      ) : (
        <>
          <h2>Robustness predictor</h2>
          <p className="muted" data-testid="predictor-on-request">
            {withTarget} models have a value of the target: the cross-validated predictor (10 folds) is
            computed on request, with the button below.
          </p>
        </>
      )}
      {p.choice.dropped.length ? (
        <details data-testid="predictor-dropped">
          <summary>{p.choice.dropped.length} benchmarks left out of the predictor</summary>
          <ul>
            {p.choice.dropped.map((d) => (
              <li key={d.benchmark}>
                {label(d.benchmark)}: {d.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {p.candidates.length ? (
        <Form action="/correlations" className="form-row" aria-label="Predictor features">
          {Object.entries(hidden).map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
          <label>
            Predictor features (none chosen: every leaf with at least {s.minN} varying values){' '}
            <select
              name="feature"
              multiple
              defaultValue={chosen}
              size={Math.min(8, p.candidates.length)}
              data-testid="features"
            >
              {p.candidates.map((c) => (
                <option key={c.identifier} value={c.identifier}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">Predict</button>
        </Form>
      ) : null}
    </>
  );
}

/**
 * How long the sections below the coefficient table (predictor, heatmap, scatter: most of the page's
 * 1.9 MB on a 1,000 x 150 board) wait before they render, so that the first paint (the coefficients,
 * p, q and n) is sent first even when all their data is already on the board; they stream into the
 * same response after. Measured on the 1,000 x 150 board at load 9 on 2 cores: rendered at once (or
 * after one setImmediate, which ends before Next's stream has sent the shell), the first byte came
 * after 230-370 ms, with the whole page; after 100 ms, the coefficients came at 92-100 ms and the rest
 * by 310-390 ms.
 */
const FIRST_PAINT_HEAD_START_MS = 100;
const afterFirstPaint = () => new Promise<void>((resolve) => setTimeout(resolve, FIRST_PAINT_HEAD_START_MS));

/** Hidden inputs carrying the rest of the view state through a form. */
function hiddenInputs(keep: Record<string, string>) {
  return Object.entries(keep).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />);
}

/**
 * The heatmap of every predictor against every robustness target (coefficients only, from the board's
 * tables worker): after the first paint, in its own <Suspense>, so the target's table never waits for
 * the other targets' tables.
 */
async function HeatmapSection({
  board,
  s,
  predictors,
  heatTargets,
  symbol,
}: {
  board: Board;
  s: ExplorerState;
  predictors: TreeNode[];
  heatTargets: TreeNode[];
  symbol: string;
}) {
  await afterFirstPaint();
  const byTarget = (
    await Promise.all(
      heatTargets.map((t) =>
        correlationsFor(board, { ...s, target: t.identifier, covariate: '' }, { bootstrap: false }),
      ),
    )
  ).map((table) => new Map(table.map((r) => [r.benchmark, r.coefficient])));
  const heatRows: HeatmapRow[] = [...predictors]
    .sort((a, b) => GROUP_ORDER.indexOf(a.domain) - GROUP_ORDER.indexOf(b.domain))
    .map((p) => ({
      id: p.identifier,
      label: p.label,
      group: p.domain,
      cells: byTarget.map((m) => m.get(p.identifier) ?? null),
    }))
    .filter((r) => r.cells.some((c) => c !== null));

  return (
    <ChartFrame
      title="Benchmarks × robustness targets"
      file={`correlation-heatmap-${s.method}`}
      description={`${symbol} of each benchmark (rows, grouped by domain) with each robustness benchmark (columns). Colour: ColorBrewer RdBu, red negative, blue positive; – where undefined.`}
      table={
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Benchmark</th>
              {heatTargets.map((t) => (
                <th key={t.identifier} scope="col" className="num">
                  {t.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {heatRows.map((r) => (
              <tr key={r.id}>
                <th scope="row">
                  {r.label} <span className="muted small">({r.group})</span>
                </th>
                {r.cells.map((c, j) => (
                  <td key={heatTargets[j]?.identifier ?? j} className="num">
                    {fmt(c)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <Heatmap
        rows={heatRows}
        columns={heatTargets.map((t) => ({ id: t.identifier, label: t.label }))}
        title="Heatmap of coefficients"
      />
    </ChartFrame>
  );
}

/**
 * The scatter of any pair with its OLS line and the noisy-input bootstrap: it reads the pair's score
 * intervals from the database, so it follows the first paint in its own <Suspense>.
 */
async function ScatterSection({
  board,
  s,
  x,
  y,
  at,
  asOfText,
  symbol,
}: {
  board: Board;
  s: ExplorerState;
  x: string;
  y: string;
  at: Date | undefined;
  asOfText: string;
  symbol: string;
}) {
  await afterFirstPaint();
  const label = (id: string) => board.node.get(id)?.label ?? id;
  const pairRow = pairStats(board, s, x, y);
  // The pair's leaf scores' intervals (as of the same time): whiskers and the noisy-input bootstrap.
  const leafIds = [x, y].flatMap((id) => {
    const n = board.node.get(id);
    return n && n.children.length === 0 ? [n.id] : [];
  });
  const { db } = await getDb();
  const pairIntervals = intervalsByCell(await cellIntervals(db, { benchmarkIds: leafIds, asOf: at }));
  const points = pairs(board, s.missing, x, y, pairIntervals);
  const noisy = noisyPair(board, s, x, y, pairIntervals);
  return (
    <ChartFrame
      title={`Scatter: ${label(x)} against ${label(y)}`}
      file={`scatter-${x.replaceAll('/', '_')}-${y.replaceAll('/', '_')}`}
      description={
        <>
          {points.length} models. {symbol} = {fmt(pairRow?.coefficient)}, OLS y = {fmt(pairRow?.intercept)} +{' '}
          {fmt(pairRow?.slope)}·x, R² = {fmt(pairRow?.r2)}.{' '}
          {noisy ? (
            <span data-testid="noisy-bootstrap">
              Noisy-input bootstrap (models resampled and each score with an interval redrawn uniformly within
              it, {noisy.withIntervals} of the models with intervals; 1,000 resamples, seed 0): {symbol} 95 %
              interval [{fmt(noisy.low)}, {fmt(noisy.high)}];{' '}
              {noisy.signStable === null ? (
                'undefined'
              ) : noisy.signStable ? (
                <>the sign is stable ({fmt((noisy.sameSign ?? 0) * 100, 1)} % of resamples share it).</>
              ) : (
                <strong className="error">
                  the sign is not stable under the scores' uncertainty ({fmt((noisy.sameSign ?? 0) * 100, 1)}{' '}
                  % of resamples share it).
                </strong>
              )}
            </span>
          ) : (
            <span className="muted" data-testid="noisy-bootstrap-none">
              No score of this pair has an uncertainty interval (aggregates have none), so the noisy-input
              bootstrap equals the bootstrap over models.
            </span>
          )}
          <Form action="/correlations" className="form-row">
            {hiddenInputs({
              target: s.target,
              method: s.method,
              covariate: s.covariate,
              minN: String(s.minN),
              missing: s.missing,
              ...(s.related ? { related: '1' } : {}),
              ...(asOfText ? { asOf: asOfText } : {}),
            })}
            <label>
              x{' '}
              <select name="x" defaultValue={x}>
                {board.nodes.map((n) => (
                  <option key={n.identifier} value={n.identifier}>
                    {n.label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              y{' '}
              <select name="y" defaultValue={y}>
                {board.nodes.map((n) => (
                  <option key={n.identifier} value={n.identifier}>
                    {n.label}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit">Plot</button>
          </Form>
        </>
      }
      table={<PointsTable points={points} x={label(x)} y={label(y)} />}
    >
      <ScatterFit
        points={points}
        slope={pairRow?.slope ?? null}
        intercept={pairRow?.intercept ?? null}
        xLabel={label(x)}
        yLabel={label(y)}
      />
    </ChartFrame>
  );
}
