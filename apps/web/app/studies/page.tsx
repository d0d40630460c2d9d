import { listStudySummaries } from '@alignscope/db/queries';
import type { Metadata } from 'next';
import { AutoRefresh } from '../../src/components/AutoRefresh.tsx';
import { getDb } from '../../src/db.ts';
import { ACTIVE_STATES } from '../../src/studies.ts';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Studies · AlignScope' };

const date = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

export default async function StudiesPage() {
  const { db } = await getDb();
  const studies = await listStudySummaries(db);
  return (
    <section>
      <h1>Studies</h1>
      <p className="lead">
        A study is a stored definition (cohort, benchmarks, robustness settings, analysis), the evaluations it
        needs, and its computed result. Run one with <code>alignscope study run &lt;file|name&gt;</code>.
      </p>
      <AutoRefresh active={studies.some((s) => ACTIVE_STATES.has(s.status))} />
      {studies.length === 0 ? (
        <div className="empty" data-testid="empty-studies">
          <h2>No studies yet</h2>
          <p>
            Run a shipped study, e.g. <code>alignscope study run cifar10-zoo</code>, or your own definition
            file.
          </p>
        </div>
      ) : (
        <div className="table-scroll">
          <table className="data" data-testid="studies-table">
            <thead>
              <tr>
                <th scope="col">Study</th>
                <th scope="col" className="num">
                  Version
                </th>
                <th scope="col">State</th>
                <th scope="col">Progress (scores done of needed)</th>
                <th scope="col">Created (UTC)</th>
                <th scope="col" className="num">
                  Cohort
                </th>
              </tr>
            </thead>
            <tbody>
              {studies.map((s) => (
                <tr key={s.id} data-study={`${s.name}@${s.version}`}>
                  <th scope="row">
                    <a href={`/studies/${s.id}`}>{s.name}</a>
                    {s.title ? <div className="muted small">{s.title}</div> : null}
                  </th>
                  <td className="num">{s.version}</td>
                  <td>
                    <span className="badge" data-testid="state">
                      {s.status}
                    </span>
                  </td>
                  <td data-testid="progress">
                    {s.progress ? (
                      <>
                        <progress
                          value={s.progress.done}
                          max={Math.max(1, s.progress.total)}
                          aria-label={`${s.name}: ${s.progress.done} of ${s.progress.total} scores done`}
                        />{' '}
                        {s.progress.done} / {s.progress.total}
                      </>
                    ) : (
                      <span className="muted">not planned</span>
                    )}
                  </td>
                  <td>{date(s.createdAt)}</td>
                  <td className="num" data-testid="cohort">
                    {s.cohortSize ?? '–'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
