/**
 * The model page's score history (server components): every version of each of the model's cells
 * (value, interval, source, run, time, benchmark version), and the sources side by side (per
 * benchmark, our evaluation next to the newest submitted and imported values, with their differences).
 */
import type { ModelScoreVersion, ScoreSource } from '@alignscope/db/queries';
import { beyondUncertainty, chooseCurrentVersion } from '@alignscope/db/queries';
import { benchmarkHref, fmt } from '../format.ts';

const SOURCES: ScoreSource[] = ['evaluation', 'submission', 'import'];
const SOURCE_TEXT: Record<ScoreSource, string> = {
  evaluation: 'our evaluation',
  submission: 'submission',
  import: 'import',
};

const when = (d: Date) => `${d.toISOString().replace('T', ' ').slice(0, 19)} UTC`;
const shownValue = (v: ModelScoreVersion) => (v.status === 'scored' ? (v.ceiledValue ?? v.rawValue) : null);
const interval = (v: ModelScoreVersion) =>
  v.ciLow !== null && v.ciHigh !== null ? `[${fmt(v.ciLow)}, ${fmt(v.ciHigh)}]` : '–';

/** The versions grouped by benchmark (catalog order kept). */
export function byBenchmark(versions: readonly ModelScoreVersion[]): Map<string, ModelScoreVersion[]> {
  const out = new Map<string, ModelScoreVersion[]>();
  for (const v of versions) {
    const list = out.get(v.benchmark) ?? [];
    list.push(v);
    out.set(v.benchmark, list);
  }
  return out;
}

/** Whether two scored versions disagree beyond their uncertainty (the import report's rule). */
function disagrees(a: ModelScoreVersion, b: ModelScoreVersion): boolean | null {
  const av = shownValue(a);
  const bv = shownValue(b);
  if (av === null || bv === null) return null;
  return beyondUncertainty(
    { value: av, ciLow: a.ciLow, ciHigh: a.ciHigh },
    { value: bv, ciLow: b.ciLow, ciHigh: b.ciHigh },
  );
}

/** Per benchmark (at its current version), the newest value of each source and its difference to ours. */
export function SourcesSideBySide({
  versions,
  label,
}: {
  versions: Map<string, ModelScoreVersion[]>;
  label: (benchmark: string) => string;
}) {
  const rows = [...versions].flatMap(([benchmark, list]) => {
    const current = list.filter((v) => v.benchmarkVersion === v.currentBenchmarkVersion);
    const newest = new Map<ScoreSource, ModelScoreVersion>();
    for (const v of current) if (v.source) newest.set(v.source, v); // oldest first: the last wins
    return newest.size === 0 ? [] : [{ benchmark, newest }];
  });
  if (rows.length === 0) return <p className="muted">No score of this model records its source.</p>;
  const multi = rows.filter((r) => r.newest.size > 1).length;
  return (
    <>
      <p className="muted small">
        The newest value of each source at the benchmark's current version; Δ is that value minus our own
        evaluation's. {multi} benchmark{multi === 1 ? ' has' : 's have'} values from more than one source;
        "beyond uncertainty" marks a value that disagrees with ours beyond the uncertainty: the intervals do
        not overlap, or one value lies outside the other's interval when only that one has an interval (the
        import report's rule).
      </p>
      <div className="table-scroll">
        <table className="data" data-testid="score-sources">
          <thead>
            <tr>
              <th scope="col">Benchmark</th>
              {SOURCES.map((s) => (
                <th key={s} scope="col" colSpan={s === 'evaluation' ? 1 : 2}>
                  {SOURCE_TEXT[s]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map(({ benchmark, newest }) => {
              const ours = newest.get('evaluation');
              const oursValue = ours ? shownValue(ours) : null;
              return (
                <tr key={benchmark} data-benchmark={benchmark}>
                  <th scope="row">
                    <a href={benchmarkHref(benchmark)}>{label(benchmark)}</a>
                  </th>
                  {SOURCES.map((s) => {
                    const v = newest.get(s);
                    const value = v ? shownValue(v) : null;
                    const cell = (
                      <td key={s} className="num" data-source={s}>
                        {v ? (v.status === 'scored' ? fmt(value) : v.status) : '–'}
                        {v && v.ciLow !== null ? <div className="small muted">{interval(v)}</div> : null}
                      </td>
                    );
                    if (s === 'evaluation') return cell;
                    const delta = value !== null && oursValue !== null ? value - oursValue : null;
                    const beyond = v && ours ? disagrees(v, ours) : null;
                    return [
                      cell,
                      <td key={`${s}-delta`} className="num small" data-delta={s}>
                        {delta === null ? '' : `Δ ${delta >= 0 ? '+' : ''}${fmt(delta)}`}
                        {beyond ? <div className="error">beyond uncertainty</div> : null}
                      </td>,
                    ];
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

/**
 * Every version of each of the model's cells, oldest first, the current one marked; `open` names a
 * benchmark whose panel starts open (the `cell` parameter, from the leaderboard and the scores table).
 */
export function HistoryPanels({
  versions,
  label,
  open,
}: {
  versions: Map<string, ModelScoreVersion[]>;
  label: (benchmark: string) => string;
  open: string | undefined;
}) {
  if (versions.size === 0) return <p className="muted">No score has been written for this model.</p>;
  return (
    <div data-testid="model-history">
      {[...versions].map(([benchmark, list]) => {
        const currentVersion = list[0]?.currentBenchmarkVersion;
        const current = chooseCurrentVersion(list.filter((v) => v.benchmarkVersion === currentVersion));
        return (
          <details
            key={benchmark}
            id={`history-${benchmark}`}
            open={open === benchmark}
            data-testid={`history-${benchmark}`}
          >
            <summary>
              {label(benchmark)}: {list.length} version{list.length === 1 ? '' : 's'}
            </summary>
            <div className="table-scroll">
              <table className="data small">
                <caption className="sr-only">
                  Every value written for {label(benchmark)}, oldest first
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Recorded</th>
                    <th scope="col">Benchmark version</th>
                    <th scope="col">Source</th>
                    <th scope="col">Status</th>
                    <th scope="col" className="num">
                      Value
                    </th>
                    <th scope="col">Interval</th>
                    <th scope="col">Run</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((v) => (
                    <tr
                      key={v.id}
                      data-testid="history-version"
                      data-current={v === current ? 'true' : undefined}
                    >
                      <td>
                        {when(v.recordedAt)}
                        {v === current ? <strong> (current)</strong> : null}
                      </td>
                      <td>
                        v{v.benchmarkVersion}
                        {v.benchmarkVersion !== v.currentBenchmarkVersion ? ' (not current)' : ''}
                        {v.sourceBenchmarkVersion ? ` · source's v${v.sourceBenchmarkVersion}` : ''}
                      </td>
                      <td>{v.source ? SOURCE_TEXT[v.source] : 'not recorded'}</td>
                      <td>{v.status}</td>
                      <td className="num" data-testid="history-value">
                        {fmt(shownValue(v))}
                      </td>
                      <td title={v.ciMethod ?? undefined}>
                        {interval(v)}
                        {v.ciMethod ? <div className="muted">{v.ciMethod}</div> : null}
                      </td>
                      <td>
                        {v.run
                          ? `#${v.run.id} ${v.run.kind} · ${v.run.producer}${v.run.producerVersion ? ` ${v.run.producerVersion}` : ''}`
                          : 'no run recorded'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        );
      })}
    </div>
  );
}
