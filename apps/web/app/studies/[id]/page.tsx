import { STUDY_TABLE_TEXT, STUDY_TABLES, studyPoints, whiskerSentences } from '@alignscope/analysis';
import { failedTasks, studyPlan, studyTaskProgress } from '@alignscope/db/queries';
import type { Metadata } from 'next';
import Form from 'next/form';
import { notFound } from 'next/navigation';
import { getBoard } from '../../../src/board.ts';
import { AutoRefresh } from '../../../src/components/AutoRefresh.tsx';
import { ChartFrame } from '../../../src/components/ChartFrame.tsx';
import { ScatterFit } from '../../../src/components/charts.tsx';
import type { HeatmapRow } from '../../../src/components/Heatmap.tsx';
import {
  PointsTable,
  PredictorSection,
  StudyCorrelationTable,
  StudyHeatmap,
} from '../../../src/components/StudyParts.tsx';
import { METHOD_SYMBOL } from '../../../src/correlations.ts';
import { getDb } from '../../../src/db.ts';
import { fmt, fmtP } from '../../../src/format.ts';
import { firstParam } from '../../../src/params.ts';
import { ACTIVE_STATES, cohortCiWidths, loadStudy, studyTag } from '../../../src/studies.ts';
import { ciSpansZero, type Spread, type StudyResultView, spreadOf } from '../../../src/study-result.ts';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[]>> };

/** The parts of a stored definition the page summarises (validated by the CLI when it was stored). */
type DefinitionView = {
  title?: string;
  description?: string;
  reference?: string;
  cohort?: { models?: string[]; bundleModels?: string[]; filters?: string[] };
  benchmarks?: string[];
  robustness?: {
    dataset: string;
    norm: string;
    eps: string[];
    profile?: string;
    version?: string;
    images?: { set: string; size?: number };
    seed?: number;
  }[];
  analysis?: {
    method?: 'spearman' | 'pearson' | 'kendall';
    covariate?: string;
    minN?: number;
    aggregates?: string[];
    missing?: string;
    predictor?: { features?: string | string[]; folds?: string | number; lambda?: number };
  };
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const found = await loadStudy((await params).id);
  return { title: `${found ? studyTag(found.study) : 'Study'} · AlignScope` };
}

const date = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const pct = (done: number, total: number) => (total === 0 ? '–' : `${((100 * done) / total).toFixed(0)} %`);

function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return 'unknown (some benchmark was never measured here)';
  const s = ms / 1000;
  if (s < 90) return `${s.toFixed(0)} s`;
  if (s < 5400) return `${(s / 60).toFixed(0)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export default async function StudyPage({ params, searchParams }: Props) {
  const found = await loadStudy((await params).id);
  if (!found) notFound();
  const sp = await searchParams;
  const { study, result } = found;
  const def = (study.definition ?? {}) as DefinitionView;
  const plan = studyPlan(study);
  const { db } = await getDb();
  const progress = await studyTaskProgress(db, study);
  const board = await getBoard();
  const label = (id: string) => board.node.get(id)?.label ?? id;
  const domainOf = (id: string) => board.node.get(id)?.domain ?? 'aggregate';
  const method = def.analysis?.method ?? 'spearman';
  const symbol = METHOD_SYMBOL[method];
  const covariate = def.analysis?.covariate;
  const active = ACTIVE_STATES.has(study.status) || progress.overall.running > 0;
  const tag = studyTag(study);
  const base = `/studies/${study.id}`;

  return (
    <section>
      <p className="muted small">
        <a href="/studies">Studies</a> / {tag}
      </p>
      <h1>{def.title ?? study.name}</h1>
      <p>
        <span className="badge" data-testid="study-state">
          {study.status}
        </span>{' '}
        <span className="muted small">
          {tag} · created {date(study.createdAt)} · updated {date(study.updatedAt)} · definition sha256{' '}
          {study.definitionSha256.slice(0, 12)}
        </span>
      </p>
      {study.status === 'done_with_failures' ? (
        <p className="notice" role="status" data-testid="study-failures-notice">
          Done with failures: the result covers the scores that succeeded; {failedTasks(progress).length}{' '}
          planned scores failed and are left out (listed under Progress). Running the study again (
          <code>alignscope study run {study.name}</code>) retries only those.
        </p>
      ) : study.error ? (
        <p className="notice error" role="alert" data-testid="study-error">
          The study failed: {study.error}
        </p>
      ) : null}
      <AutoRefresh active={active} />

      <h2>Definition</h2>
      {def.description ? <p>{def.description}</p> : null}
      {def.reference ? <p className="muted small">Reference: {def.reference}</p> : null}
      <table className="data" data-testid="definition">
        <tbody>
          <tr>
            <th scope="row">Cohort</th>
            <td>
              {plan ? `${plan.cohort.length} models` : 'not planned yet'}
              {def.cohort?.filters?.length ? ` · filters: ${def.cohort.filters.join(', ')}` : ''}
              {plan ? (
                <details>
                  <summary>Models</summary>
                  {plan.cohort.map((m) => (
                    <span key={m}>
                      <a href={`/models/${encodeURIComponent(m)}`}>{m}</a>{' '}
                    </span>
                  ))}
                </details>
              ) : null}
            </td>
          </tr>
          <tr>
            <th scope="row">Benchmarks</th>
            <td>
              {(def.benchmarks ?? []).map((b) => label(b)).join(', ')}
              {plan ? ` (${plan.benchmarks.length} leaves)` : ''}
            </td>
          </tr>
          <tr>
            <th scope="row">Robustness</th>
            <td>
              {(def.robustness ?? []).map((r) => (
                <div key={`${r.dataset}-${r.norm}-${r.profile}-${r.eps.join(',')}`}>
                  AutoAttack {r.norm} on {r.dataset}, ε {r.eps.join(', ')}, profile {r.profile ?? 'reference'}
                  {r.version && r.version !== 'standard' ? ` (${r.version})` : ''}, images{' '}
                  {r.images?.size
                    ? `first ${r.images.size} of the ${r.images.set} set`
                    : `the whole ${r.images?.set ?? 'default'} set`}
                  , seed {r.seed ?? 0}
                </div>
              ))}
            </td>
          </tr>
          <tr>
            <th scope="row">Analysis</th>
            <td>
              {symbol} per robustness target, minimum n {def.analysis?.minN ?? 8}, missing children{' '}
              {def.analysis?.missing === 'skip' ? 'skipped' : 'counted as 0'}
              {covariate ? `; partial correlation given ${label(covariate)}` : ''}
              {def.analysis?.aggregates?.length
                ? `; OLS R² and F for ${def.analysis.aggregates.map(label).join(', ')}`
                : ''}
              ; predictor: ridge (λ {def.analysis?.predictor?.lambda ?? 0.1}) on{' '}
              {Array.isArray(def.analysis?.predictor?.features)
                ? def.analysis.predictor.features.map(label).join(', ')
                : 'the study benchmarks'}
              ,{' '}
              {def.analysis?.predictor?.folds === 'loo' || !def.analysis?.predictor?.folds
                ? 'leave-one-out'
                : `${def.analysis.predictor.folds}-fold`}{' '}
              cross-validation
            </td>
          </tr>
          {plan ? (
            <tr>
              <th scope="row">Plan</th>
              <td>
                {progress.overall.total} scores needed (
                {progress.tasks.filter((t) => t.state === 'reused').length} already current and reused),{' '}
                {progress.overall.unavailable} unavailable here; estimated time of the missing ones:{' '}
                {duration(plan.estimateMs)}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>

      {plan ? <ProgressSection progress={progress} label={label} /> : null}

      {result ? (
        <ResultSection
          studyId={study.id}
          base={base}
          sp={sp}
          result={result}
          label={label}
          domainOf={domainOf}
          symbol={symbol}
          covariate={covariate}
          widths={await cohortCiWidths(result.models, Object.keys(result.values ?? {}))}
        />
      ) : (
        <p className="notice" data-testid="no-result">
          No result yet: it is computed and stored when every planned score is done (state{' '}
          <strong>{study.status}</strong>).
        </p>
      )}
    </section>
  );
}

type StudyProgressView = Awaited<ReturnType<typeof studyTaskProgress>>;

function ProgressSection({
  progress,
  label,
}: {
  progress: StudyProgressView;
  label: (id: string) => string;
}) {
  const o = progress.overall;
  const running = progress.tasks.filter((t) => t.state === 'running');
  const failed = progress.tasks.filter((t) => t.state === 'failed' || t.state === 'cancelled');
  const unavailable = progress.tasks.filter((t) => t.state === 'unavailable');
  return (
    <>
      <h2>Progress</h2>
      <p data-testid="overall-progress">
        <progress
          value={o.done}
          max={Math.max(1, o.total)}
          aria-label="Scores done of those the study needs"
        />{' '}
        <strong>
          {o.done} of {o.total}
        </strong>{' '}
        scores done ({pct(o.done, o.total)}), {o.running} running, {o.failed} failed
        {o.unavailable ? `, ${o.unavailable} unavailable here` : ''}.
      </p>
      <table className="data" data-testid="progress-stages">
        <caption className="muted small">Per stage</caption>
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col" className="num">
              Done
            </th>
            <th scope="col" className="num">
              Needed
            </th>
            <th scope="col" className="num">
              Running
            </th>
            <th scope="col" className="num">
              Failed
            </th>
            <th scope="col" className="num">
              Unavailable
            </th>
          </tr>
        </thead>
        <tbody>
          {progress.byStage.map((s) => (
            <tr key={s.stage} data-stage={s.stage}>
              <th scope="row">{s.stage}</th>
              <td className="num">{s.done}</td>
              <td className="num">{s.total}</td>
              <td className="num">{s.running}</td>
              <td className="num">{s.failed}</td>
              <td className="num">{s.unavailable}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details open={progress.byModel.length <= 20}>
        <summary>Per model</summary>
        <div className="table-scroll">
          <table className="data" data-testid="progress-models">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Progress</th>
                <th scope="col" className="num">
                  Running
                </th>
                <th scope="col" className="num">
                  Failed
                </th>
              </tr>
            </thead>
            <tbody>
              {progress.byModel.map((m) => (
                <tr key={m.model} data-model={m.model}>
                  <th scope="row">{m.model}</th>
                  <td>
                    <progress
                      value={m.done}
                      max={Math.max(1, m.total)}
                      aria-label={`${m.model}: ${m.done} of ${m.total} scores done`}
                    />{' '}
                    {m.done} / {m.total}
                  </td>
                  <td className="num">{m.running}</td>
                  <td className="num">{m.failed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
      {running.length ? (
        <>
          <h3>Running now</h3>
          <ul data-testid="running">
            {running.map((t) => (
              <li key={`${t.model}-${t.benchmark}`}>
                {t.model} · {label(t.benchmark)}
                {t.stage ? ` · ${t.stage}` : ''}
                {t.fraction !== null ? ` · ${(100 * t.fraction).toFixed(0)} %` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {failed.length ? (
        <details data-testid="failed-tasks" open>
          <summary>{failed.length} failed</summary>
          <ul>
            {failed.map((t) => (
              <li key={`${t.model}-${t.benchmark}`} data-model={t.model} data-benchmark={t.benchmark}>
                {t.model} · {label(t.benchmark)} ({t.state}){t.error ? `: ${t.error}` : ''}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {unavailable.length ? (
        <details>
          <summary>{unavailable.length} scores unavailable here</summary>
          <ul>
            {unavailable.map((t) => (
              <li key={`${t.model}-${t.benchmark}`}>
                {t.model} · {label(t.benchmark)}: {t.reason ?? 'no reason recorded'}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}

type ResultProps = {
  studyId: number;
  base: string;
  sp: Record<string, string | string[]>;
  result: StudyResultView;
  label: (id: string) => string;
  domainOf: (id: string) => string;
  symbol: string;
  covariate: string | undefined;
  widths: Map<string, number[]>;
};

const GROUP_ORDER = ['engineering', 'behavioral', 'neural', 'aggregate'];

function ResultSection({
  studyId,
  base,
  sp,
  result,
  label,
  domainOf,
  symbol,
  covariate,
  widths,
}: ResultProps) {
  const targets = result.correlations.map((c) => c.target);
  const targetParam = firstParam(sp.target);
  const target = targetParam && targets.includes(targetParam) ? targetParam : (targets[0] ?? '');
  const rows = result.correlations.find((c) => c.target === target)?.rows ?? [];
  const sorted = [...rows].sort((a, b) => (b.coefficient ?? -2) - (a.coefficient ?? -2));
  const values = result.values;
  const spread = new Map<string, Spread>(
    rows.map((r) => [
      r.benchmark,
      spreadOf(r.benchmark, values?.[r.benchmark] ?? [], widths.get(r.benchmark)),
    ]),
  );
  const targetSpread = spreadOf(target, values?.[target] ?? [], widths.get(target));
  const spansZero = rows.filter((r) => r.coefficient !== null && ciSpansZero(r));
  const defined = rows.filter((r) => r.coefficient !== null);
  const strongest = [...defined].sort(
    (a, b) => Math.abs(b.coefficient ?? 0) - Math.abs(a.coefficient ?? 0),
  )[0];
  const xParam = firstParam(sp.x);
  const x = xParam && rows.some((r) => r.benchmark === xParam) ? xParam : (strongest?.benchmark ?? '');
  const xRow = rows.find((r) => r.benchmark === x);
  const points = (a: string, b: string) => studyPoints(result, a, b);
  // What the whiskers are, in the words of the exported figures' captions.
  const whiskers = (a: string, b: string) =>
    whiskerSentences(result, points(a, b), {
      x: { id: a, label: label(a) },
      y: { id: b, label: label(b) },
    }).join(' ');
  const aggregates = result.aggregates.filter((a) => a.target === target);
  const heatRows: HeatmapRow[] = [
    ...new Set(result.correlations.flatMap((c) => c.rows.map((r) => r.benchmark))),
  ]
    .map((b) => ({
      id: b,
      label: label(b),
      group: domainOf(b),
      cells: result.correlations.map((c) => c.rows.find((r) => r.benchmark === b)?.coefficient ?? null),
      significant: result.correlations.map(
        (c) => c.rows.find((r) => r.benchmark === b)?.significant ?? false,
      ),
    }))
    .sort((a, b) => GROUP_ORDER.indexOf(a.group) - GROUP_ORDER.indexOf(b.group));
  const predictor = result.predictor.find((p) => p.target === target);
  const file = (s: string) => s.replaceAll('/', '_');
  return (
    <>
      <h2>Result</h2>
      <p className="muted small" data-testid="result-provenance">
        Computed {result.computedAt.slice(0, 16).replace('T', ' ')} UTC over {result.models.length} models;{' '}
        {symbol}, 95 % bootstrap intervals (1,000 resamples, seed 0), q: Benjamini–Hochberg per target.{' '}
        <a href={`/correlations?study=${studyId}&target=${encodeURIComponent(target)}`}>
          Open in the correlation explorer
        </a>
      </p>
      <div className="notice" data-testid="downloads">
        <strong>Downloads.</strong> CSV tables:{' '}
        {STUDY_TABLES.map((t, i) => (
          <span key={t}>
            {i ? ' · ' : ''}
            <a href={`${base}/csv/${t}.csv`} download title={STUDY_TABLE_TEXT[t]} data-table={t}>
              {t}.csv
            </a>
          </span>
        ))}
        . Every chart below has SVG and PNG buttons.
      </div>

      <Form action={base} className="controls" aria-label="Result view">
        <div className="field">
          <label htmlFor="target">Robustness target</label>
          <select id="target" name="target" defaultValue={target} data-testid="study-target">
            {targets.map((t) => (
              <option key={t} value={t}>
                {label(t)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="x">Scatter x</label>
          <select id="x" name="x" defaultValue={x}>
            {rows.map((r) => (
              <option key={r.benchmark} value={r.benchmark}>
                {label(r.benchmark)}
              </option>
            ))}
          </select>
        </div>
        <div className="field actions">
          <button type="submit">Show</button>
        </div>
      </Form>

      <StudyHeatmap
        symbol={symbol}
        file={`${file(result.study)}-heatmap`}
        description={`${symbol} of each benchmark (rows) with robust accuracy at each ε (columns), over the study's cohort. Colour: ColorBrewer RdBu, red negative, blue positive; * significant (Benjamini–Hochberg q ≤ 0.05 per target); – where undefined (fewer than the minimum n, or a constant column). "alignscope study export" writes this figure and the aggregates' scatter plots as SVG and PNG files.`}
        rows={heatRows}
        targets={targets}
        label={label}
      />

      <h2 id="correlations">
        {symbol} with {label(target)}
      </h2>
      {spansZero.length ? (
        <p className="notice" data-testid="uncertainty-note">
          {spansZero.length} of {defined.length} benchmarks have a 95 % interval that includes 0 (marked{' '}
          <span className="badge">CI spans 0</span>): at n = {Math.max(...defined.map((r) => r.n))} their sign
          is not established, so do not rank on them. Compare each benchmark's spread over the cohort with its
          interval below.
        </p>
      ) : null}
      <StudyCorrelationTable
        rows={sorted}
        spread={spread}
        covariate={covariate}
        label={label}
        symbol={symbol}
      />
      <p className="muted small">
        Target {label(target)}: spread over the cohort {fmt(targetSpread.range)} (SD {fmt(targetSpread.sd)}, n
        = {targetSpread.n}). A benchmark whose spread is no wider than a model's own interval is marked
        “spread within noise”: its ranking of the models is not measured.
      </p>

      {values ? (
        <ChartFrame
          title={`Scatter: ${label(x)} against ${label(target)}`}
          file={`${file(result.study)}-scatter-${file(x)}-${file(target)}`}
          description={
            <span data-testid="scatter-stats">
              {points(x, target).length} models. {symbol} = {fmt(xRow?.coefficient)} [{fmt(xRow?.ciLow)},{' '}
              {fmt(xRow?.ciHigh)}]; OLS y = {fmt(xRow?.intercept)} + {fmt(xRow?.slope)}·x, R² ={' '}
              {fmt(xRow?.r2)}, F = {fmt(xRow?.fStatistic, 2)}, p(F) = {fmtP(xRow?.fPValue)}.{' '}
              {whiskers(x, target)}
            </span>
          }
          table={<PointsTable points={points(x, target)} x={label(x)} y={label(target)} />}
        >
          <ScatterFit
            points={points(x, target)}
            slope={xRow?.slope ?? null}
            intercept={xRow?.intercept ?? null}
            xLabel={label(x)}
            yLabel={label(target)}
          />
        </ChartFrame>
      ) : (
        <p className="notice">
          This result was stored without the per-model values, so it has no scatter plots; run the study again
          to store them.
        </p>
      )}

      {aggregates.length ? (
        <>
          <h2>Aggregates: OLS R² and F-test</h2>
          <table className="data" data-testid="study-aggregates">
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
              </tr>
            </thead>
            <tbody>
              {aggregates.map((a) => (
                <tr key={a.benchmark} data-benchmark={a.benchmark}>
                  <th scope="row">{label(a.benchmark)}</th>
                  <td className="num">{a.n}</td>
                  <td className="num">{fmt(a.r2)}</td>
                  <td className="num">{fmt(a.f, 2)}</td>
                  <td className="num">{fmtP(a.fP)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {values
            ? aggregates.map((a) => {
                const row = rows.find((r) => r.benchmark === a.benchmark);
                return (
                  <ChartFrame
                    key={a.benchmark}
                    level={3}
                    title={`${label(a.benchmark)} against ${label(target)}`}
                    file={`${file(result.study)}-scatter-${file(a.benchmark)}-${file(target)}`}
                    description={`OLS y = ${fmt(row?.intercept)} + ${fmt(row?.slope)}·x, R² = ${fmt(a.r2)}, F = ${fmt(a.f, 2)} (p = ${fmtP(a.fP)}), n = ${a.n}. ${whiskers(a.benchmark, target)}`.trim()}
                    table={
                      <PointsTable
                        points={points(a.benchmark, target)}
                        x={label(a.benchmark)}
                        y={label(target)}
                      />
                    }
                  >
                    <ScatterFit
                      points={points(a.benchmark, target)}
                      slope={row?.slope ?? null}
                      intercept={row?.intercept ?? null}
                      xLabel={label(a.benchmark)}
                      yLabel={label(target)}
                    />
                  </ChartFrame>
                );
              })
            : null}
        </>
      ) : null}

      {covariate ? (
        <>
          <h2>Partial correlations given {label(covariate)}</h2>
          <p className="muted small">
            Partial Spearman of each benchmark with each target, controlling for {label(covariate)} (does a
            benchmark predict robustness beyond clean accuracy?).
          </p>
          <div className="table-scroll">
            <table className="data" data-testid="study-partial">
              <thead>
                <tr>
                  <th scope="col">Benchmark</th>
                  {targets.map((t) => (
                    <th key={t} scope="col" className="num">
                      {label(t)} (p)
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {heatRows
                  .filter((r) => r.id !== covariate)
                  .map((r) => (
                    <tr key={r.id} data-benchmark={r.id}>
                      <th scope="row">{r.label}</th>
                      {result.correlations.map((c) => {
                        const row = c.rows.find((x) => x.benchmark === r.id);
                        return (
                          <td key={c.target} className="num">
                            {fmt(row?.partialCoefficient)} ({fmtP(row?.partialPValue)})
                          </td>
                        );
                      })}
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}

      <PredictorSection result={result} target={target} label={label} predictor={predictor} />
    </>
  );
}
