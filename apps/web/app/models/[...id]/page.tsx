import {
  chooseCurrentVersion,
  getModel,
  listEvaluationRequestsForModel,
  listJobs,
  listModelAliases,
  modelScoreVersions,
  scoresWithProvenance,
} from '@alignscope/db/queries';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { columnValues, getBoard, median } from '../../../src/board.ts';
import { ChartFrame } from '../../../src/components/ChartFrame.tsx';
import { type Curve, RobustnessCurves } from '../../../src/components/charts.tsx';
import { JobsTable } from '../../../src/components/JobsTable.tsx';
import { byBenchmark, HistoryPanels, SourcesSideBySide } from '../../../src/components/ScoreHistory.tsx';
import { getDb } from '../../../src/db.ts';
import { benchmarkHref, fmt, fmtParams } from '../../../src/format.ts';
import { jobView } from '../../../src/jobs.ts';
import { firstParam, identifierFromSegments } from '../../../src/params.ts';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string[] }>; searchParams: Promise<Record<string, string | string[]>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `${identifierFromSegments((await params).id)} · AlignScope` };
}

function seedOf(config: unknown): string {
  if (config && typeof config === 'object' && 'seed' in config)
    return String((config as { seed: unknown }).seed);
  return '–';
}

function sourceOf(config: unknown): string | null {
  if (config && typeof config === 'object' && 'source' in config)
    return String((config as { source: unknown }).source);
  return null;
}

type Provenance = {
  evaluator?: { version?: string; sourceCommit?: string; dirty?: boolean };
  dataBundle?: { version?: string };
  imageSet?: { count?: number; sha256?: string } | null;
  humanTrials?: { file: string; sha256: string }[];
  decisions?: { file: string; sha256: string }[];
};

/** The reproducibility record an evaluation run keeps in its configuration, as short lines. */
function provenanceLines(config: unknown): string[] {
  const p = (config as { provenance?: Provenance } | null)?.provenance;
  if (!p || typeof p !== 'object') return [];
  const short = (h: string | undefined) =>
    h && /^[0-9a-f]{12,}$/.test(h) ? h.slice(0, 12) : (h ?? 'unknown');
  const lines = [
    `evaluator ${p.evaluator?.version ?? 'unknown'}, source commit ${short(p.evaluator?.sourceCommit)}${p.evaluator?.dirty ? ' (with local changes)' : ''}`,
    `data bundle ${short(p.dataBundle?.version)} (sha256 of its README)`,
  ];
  if (p.imageSet) lines.push(`image set: ${p.imageSet.count} images, sha256 ${short(p.imageSet.sha256)}`);
  for (const f of p.humanTrials ?? []) lines.push(`human trials ${f.file}: sha256 ${short(f.sha256)}`);
  for (const f of p.decisions ?? []) lines.push(`decisions ${f.file}: sha256 ${short(f.sha256)}`);
  return lines;
}

const date = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : '–');

export default async function ModelPage({ params, searchParams }: Props) {
  const identifier = identifierFromSegments((await params).id);
  const sp = await searchParams;
  const missing = firstParam(sp.missing) === 'skip' ? 'skip' : 'zero';
  const openCell = firstParam(sp.cell);
  const { db } = await getDb();
  const model = await getModel(db, identifier);
  if (model?.visibility !== 'public') notFound();
  const [board, provenance, aliases, requests, versions, jobs] = await Promise.all([
    getBoard(),
    scoresWithProvenance(db, model.id),
    listModelAliases(db, model.id),
    listEvaluationRequestsForModel(db, model.id),
    modelScoreVersions(db, model.id),
    listJobs(db, { modelId: model.id, limit: 20 }),
  ]);
  const history = byBenchmark(versions);
  const nodeLabel = (id: string) => board.node.get(id)?.label ?? id;
  // Each benchmark's current version (for intervals), by the rule.
  const current = new Map(
    [...history].flatMap(([benchmark, list]) => {
      const v = chooseCurrentVersion(list.filter((x) => x.benchmarkVersion === x.currentBenchmarkVersion));
      return v ? [[benchmark, v] as const] : [];
    }),
  );
  const values = board.values(missing).get(model.identifier) ?? {};
  const prov = new Map(provenance.map((p) => [p.benchmark, p]));

  const curvesByName = new Map<string, Curve>();
  for (const n of board.nodes) {
    if (n.domain !== 'robustness' || n.children.length > 0) continue;
    const v = values[n.identifier];
    const p = n.parameters as {
      eps?: number;
      epsLabel?: string;
      profile?: string;
      norm?: string;
      dataset?: string;
    };
    if (!v || v.value === null || typeof p.eps !== 'number') continue;
    const name = `${p.dataset ?? 'imagenet'} ${p.norm ?? ''} ${p.profile ?? 'reference'}`.trim();
    const c = curvesByName.get(name) ?? { name, points: [] };
    const iv = current.get(n.identifier);
    c.points.push({
      eps: p.eps,
      epsLabel: p.epsLabel ?? String(p.eps),
      value: v.value,
      interval: iv && iv.ciLow !== null && iv.ciHigh !== null ? [iv.ciLow, iv.ciHigh] : null,
    });
    curvesByName.set(name, c);
  }
  const curves = [...curvesByName.values()].map((c) => ({
    ...c,
    points: c.points.sort((a, b) => a.eps - b.eps),
  }));
  const scoredCount = provenance.filter((p) => p.status === 'scored').length;

  return (
    <article>
      <p className="muted small">
        <a href="/">Leaderboard</a> / model
      </p>
      <h1 data-testid="model-title">{model.displayName}</h1>
      <p className="muted">
        <code>{model.identifier}</code>
        {aliases.length ? <> · also known as {aliases.join(', ')}</> : null}
      </p>
      <dl className="meta">
        <dt>Architecture</dt>
        <dd>{model.architecture ?? '–'}</dd>
        <dt>Family</dt>
        <dd>{model.family ?? '–'}</dd>
        <dt>Training regime</dt>
        <dd>{model.trainingRegime ?? '–'}</dd>
        <dt>Training data</dt>
        <dd>{model.trainingData ?? '–'}</dd>
        <dt>Parameters</dt>
        <dd>{fmtParams(model.parameters)}</dd>
        <dt>Source</dt>
        <dd>{model.source ?? '–'}</dd>
        <dt>Licence</dt>
        <dd>{model.license ?? '–'}</dd>
        <dt>ONNX file</dt>
        <dd>{model.onnxSha256 ? <code>sha256 {model.onnxSha256.slice(0, 16)}…</code> : 'not registered'}</dd>
      </dl>
      <h2>Model card</h2>
      {model.card ? (
        <pre className="json" data-testid="model-card">
          {JSON.stringify(model.card, null, 2)}
        </pre>
      ) : (
        <p className="muted">
          No model card: the platform cannot evaluate this model itself. Register its ONNX file with a card to
          request evaluations.
        </p>
      )}

      <h2>Scores</h2>
      <p className="muted small">
        {scoredCount} scored benchmark{scoredCount === 1 ? '' : 's'}. Median and best are over all public
        models; groups are means of their children with missing ones{' '}
        {missing === 'zero' ? 'counted as 0' : 'skipped'} (
        <a href={`?missing=${missing === 'zero' ? 'skip' : 'zero'}`}>
          {missing === 'zero' ? 'skip them instead' : 'count them as 0 instead'}
        </a>
        ).
      </p>
      <div className="table-scroll">
        <table className="data" data-testid="model-scores">
          <thead>
            <tr>
              <th scope="col">Benchmark</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Score
              </th>
              <th scope="col">Interval</th>
              <th scope="col" className="num">
                Raw
              </th>
              <th scope="col" className="num">
                Ceiling
              </th>
              <th scope="col" className="num">
                Median
              </th>
              <th scope="col" className="num">
                Best
              </th>
              <th scope="col">Provenance</th>
              <th scope="col">History</th>
            </tr>
          </thead>
          <tbody>
            {board.nodes.map((n) => {
              const v = values[n.identifier];
              const p = prov.get(n.identifier);
              const all = columnValues(board, missing, n.identifier);
              const status = p?.status ?? v?.status ?? 'missing';
              return (
                <tr key={n.identifier} data-benchmark={n.identifier}>
                  <th
                    scope="row"
                    style={{
                      paddingLeft: `${0.6 + n.depth * 1.1}rem`,
                      fontWeight: n.children.length ? 600 : 400,
                    }}
                  >
                    <a href={benchmarkHref(n.identifier)}>{n.label}</a>
                  </th>
                  <td>{status}</td>
                  <td className="num" data-testid="score">
                    {fmt(v?.value)}
                  </td>
                  <td
                    className="small"
                    data-testid="score-interval"
                    title={current.get(n.identifier)?.ciMethod ?? undefined}
                  >
                    {(() => {
                      const c = current.get(n.identifier);
                      return c && c.ciLow !== null && c.ciHigh !== null
                        ? `[${fmt(c.ciLow)}, ${fmt(c.ciHigh)}]`
                        : '';
                    })()}
                  </td>
                  <td className="num">{fmt(p?.rawValue)}</td>
                  <td className="num">{fmt(p?.ceiling ?? n.ceiling)}</td>
                  <td className="num">{fmt(median(all))}</td>
                  <td className="num">{all.length ? fmt(Math.max(...all)) : '–'}</td>
                  <td className="small">
                    {p?.run ? (
                      <details>
                        <summary>
                          {p.run.kind} · {p.run.producer}
                          {p.run.producerVersion ? ` ${p.run.producerVersion}` : ''} · seed{' '}
                          {seedOf(p.run.configuration)} · {date(p.run.finishedAt ?? p.run.startedAt)}
                          {sourceOf(p.run.configuration) ? ` · ${sourceOf(p.run.configuration)}` : ''}
                        </summary>
                        {provenanceLines(p.run.configuration).length ? (
                          <ul className="provenance" data-testid="provenance">
                            {provenanceLines(p.run.configuration).map((l) => (
                              <li key={l}>{l}</li>
                            ))}
                          </ul>
                        ) : null}
                        <pre className="json">
                          {JSON.stringify(
                            {
                              run: p.run.id,
                              status: p.run.status,
                              submission: p.run.submissionId,
                              submittedAt: p.run.submittedAt,
                              configuration: p.run.configuration,
                              environment: p.run.environment,
                              error: p.run.error,
                            },
                            null,
                            2,
                          )}
                        </pre>
                      </details>
                    ) : p ? (
                      'no run recorded'
                    ) : null}
                  </td>
                  <td className="small">
                    {history.has(n.identifier) ? (
                      <a
                        href={`?cell=${encodeURIComponent(n.identifier)}#history-${n.identifier}`}
                        data-testid={`history-link-${n.identifier}`}
                      >
                        {history.get(n.identifier)?.length} version
                        {history.get(n.identifier)?.length === 1 ? '' : 's'}
                      </a>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <section id="sources">
        <h2>Sources side by side</h2>
        <SourcesSideBySide versions={history} label={nodeLabel} />
      </section>

      <section id="history">
        <h2>Score history</h2>
        <p className="muted small">
          Every value written for this model, oldest first: evaluations, submissions and imports each keep
          theirs. The current value is a scored one before a failed or not-run one, then our evaluation before
          a submission before an import, then the newest.
        </p>
        <HistoryPanels versions={history} label={nodeLabel} open={openCell} />
      </section>

      {requests.length || jobs.length ? (
        <section id="evaluations">
          <h2>Evaluation requests</h2>
          {requests.length ? (
            <table className="data" data-testid="evaluation-requests">
              <thead>
                <tr>
                  <th scope="col">Request</th>
                  <th scope="col">Status</th>
                  <th scope="col">Benchmarks</th>
                  <th scope="col">Requested</th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {requests.map((r) => (
                  <tr key={r.id}>
                    <td>{r.id}</td>
                    <td>
                      <span className="badge">{r.status}</span>
                    </td>
                    <td className="small">{r.benchmarks.join(', ')}</td>
                    <td>{r.createdAt.toISOString().replace('T', ' ').slice(0, 16)} UTC</td>
                    <td>{r.updatedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <h3>Jobs</h3>
          <JobsTable initial={jobs.map(jobView)} model={model.identifier} first={20} showModel={false} />
        </section>
      ) : null}

      <h2>Robustness</h2>
      {curves.length === 0 ? (
        <p className="muted" data-testid="no-robustness">
          No robustness result yet. Request an AutoAttack evaluation on the <a href="/submit">submit page</a>{' '}
          or with <code>alignscope attack</code>.
        </p>
      ) : (
        <ChartFrame
          title="Robust accuracy against ε"
          file={`${model.identifier}-robustness`}
          description="AutoAttack robust accuracy, one line per data set, threat model and attack profile."
          table={
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Profile</th>
                  <th scope="col">ε</th>
                  <th scope="col" className="num">
                    Robust accuracy
                  </th>
                  <th scope="col">Interval</th>
                </tr>
              </thead>
              <tbody>
                {curves.flatMap((c) =>
                  c.points.map((pt) => (
                    <tr key={`${c.name}-${pt.eps}`}>
                      <td>{c.name}</td>
                      <td>{pt.epsLabel}</td>
                      <td className="num">{fmt(pt.value)}</td>
                      <td>{pt.interval ? `[${fmt(pt.interval[0])}, ${fmt(pt.interval[1])}]` : '–'}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          }
        >
          <RobustnessCurves curves={curves} />
        </ChartFrame>
      )}
    </article>
  );
}
