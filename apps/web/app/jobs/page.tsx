import { getModel, JOB_STATES, type JobState, listJobs } from '@alignscope/db/queries';
import type { Metadata } from 'next';
import { JobsTable } from '../../src/components/JobsTable.tsx';
import { getDb } from '../../src/db.ts';
import { jobView } from '../../src/jobs.ts';
import { firstParam } from '../../src/params.ts';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Evaluation jobs · AlignScope' };

type Props = { searchParams: Promise<Record<string, string | string[]>> };

/** Evaluation jobs of public models, newest first; `?state=` filters (a permalink), live progress. */
export default async function JobsPage({ searchParams }: Props) {
  const raw = firstParam((await searchParams).state);
  const state = raw && (JOB_STATES as readonly string[]).includes(raw) ? (raw as JobState) : undefined;
  const { db } = await getDb();
  const rows = await listJobs(db, { ...(state ? { state } : {}), limit: 50 });
  const models = new Map<number, boolean>();
  for (const r of rows) {
    if (!models.has(r.modelId)) models.set(r.modelId, (await getModel(db, r.model))?.visibility === 'public');
  }
  const visible = rows.filter((r) => models.get(r.modelId));
  return (
    <>
      <h1>Evaluation jobs</h1>
      <p className="muted">
        One job per model, benchmark and configuration, run by the evaluator workers on the Postgres queue.
        Progress refreshes every few seconds.
      </p>
      <nav aria-label="Filter jobs by state" className="small">
        <a href="/jobs" aria-current={state ? undefined : 'page'}>
          all
        </a>
        {JOB_STATES.map((s) => (
          <span key={s}>
            {' · '}
            <a href={`/jobs?state=${s}`} aria-current={state === s ? 'page' : undefined}>
              {s}
            </a>
          </span>
        ))}
      </nav>
      <JobsTable initial={visible.map(jobView)} {...(state ? { state } : {})} />
    </>
  );
}
