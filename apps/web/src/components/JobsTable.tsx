'use client';
/**
 * Evaluation jobs with live progress: the first rows come from the server; then the table polls the
 * GraphQL `jobs` query every few seconds (no reload) while the page is visible. With an API key, the
 * jobs that key requested (or any, for an admin key) can be cancelled or retried here.
 */
import { useCallback, useEffect, useState } from 'react';
import { modelHref } from '../format.ts';
import { graphql } from '../generated/gql.ts';
import type { TypedDocumentString } from '../generated/graphql.ts';
import { formatEta, type JobView } from '../jobs.ts';

const JOBS = graphql(`
  query WebJobs($model: String, $state: String, $first: Int) {
    jobs(model: $model, state: $state, first: $first) {
      id benchmark state attempts maxAttempts error
      model { identifier }
      progress { fraction stage etaSeconds }
      run { id }
    }
  }
`);

const CANCEL = graphql(`
  mutation WebCancelJob($id: ID!) {
    cancelJob(id: $id) { ok errors { code message } }
  }
`);

const RETRY = graphql(`
  mutation WebRetryJob($id: ID!) {
    retryJob(id: $id) { ok errors { code message } }
  }
`);

async function post<R, V>(document: TypedDocumentString<R, V>, variables: V, key?: string): Promise<R> {
  const res = await fetch('/api/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key.trim()}` } : {}),
    },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  const body = (await res.json().catch(() => ({}))) as { data?: R; errors?: { message: string }[] };
  if (!res.ok || body.errors?.length || !body.data) {
    throw new Error(body.errors?.[0]?.message ?? `the API answered ${res.status}`);
  }
  return body.data;
}

export function JobsTable({
  initial,
  model,
  state,
  first = 50,
  pollMs = 2000,
  showModel = true,
}: {
  initial: JobView[];
  model?: string;
  state?: string;
  first?: number;
  pollMs?: number;
  showModel?: boolean;
}) {
  const [jobs, setJobs] = useState<JobView[]>(initial);
  const [stale, setStale] = useState<string | null>(null);
  const [key, setKey] = useState('');
  const [message, setMessage] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      const data = await post(JOBS, { model: model ?? null, state: state ?? null, first });
      setJobs(data.jobs);
      setStale(null);
    } catch (e) {
      setStale(`not refreshed: ${(e as Error).message}`);
    }
  }, [model, state, first]);

  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, pollMs);
    return () => clearInterval(timer);
  }, [refresh, pollMs]);

  const act = async (verb: 'cancel' | 'retry', id: string) => {
    setMessage(null);
    try {
      if (verb === 'cancel') {
        const r = await post(CANCEL, { id }, key);
        setMessage(r.cancelJob.ok ? `job ${id} cancelled` : (r.cancelJob.errors[0]?.message ?? 'refused'));
      } else {
        const r = await post(RETRY, { id }, key);
        setMessage(r.retryJob.ok ? `job ${id} queued again` : (r.retryJob.errors[0]?.message ?? 'refused'));
      }
    } catch (e) {
      setMessage((e as Error).message);
    }
    await refresh();
  };

  return (
    <div data-testid="jobs">
      <div className="field">
        <label htmlFor="jobs-api-key">API key (to cancel or retry the jobs it requested)</label>
        <input
          id="jobs-api-key"
          type="password"
          autoComplete="off"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          data-testid="jobs-api-key"
        />
      </div>
      <p className="muted small" aria-live="polite" data-testid="jobs-message">
        {message ?? stale ?? ''}
      </p>
      {jobs.length === 0 ? (
        <p className="muted">No evaluation job yet.</p>
      ) : (
        <table className="data" data-testid="jobs-table">
          <thead>
            <tr>
              <th scope="col">Job</th>
              {showModel ? <th scope="col">Model</th> : null}
              <th scope="col">Benchmark</th>
              <th scope="col">State</th>
              <th scope="col" className="num">
                Attempts
              </th>
              <th scope="col">Progress</th>
              <th scope="col">ETA</th>
              <th scope="col">Error</th>
              <th scope="col">Run</th>
              {key.trim() ? <th scope="col">Action</th> : null}
            </tr>
          </thead>
          <tbody>
            {jobs.map((j) => {
              const f = j.state === 'succeeded' ? 1 : (j.progress?.fraction ?? 0);
              const pct = Math.round(f * 100);
              return (
                <tr key={j.id} data-job={j.id}>
                  <td>{j.id}</td>
                  {showModel ? (
                    <td>
                      <a href={modelHref(j.model.identifier)}>{j.model.identifier}</a>
                    </td>
                  ) : null}
                  <td>{j.benchmark}</td>
                  <td>
                    <span className="badge" data-testid="job-state">
                      {j.state}
                    </span>
                  </td>
                  <td className="num">
                    {j.attempts} / {j.maxAttempts}
                  </td>
                  <td>
                    <progress max={1} value={f} aria-label={`job ${j.id} progress`} />{' '}
                    <span data-testid="job-percent">{pct} %</span>
                    {j.state === 'running' && j.progress?.stage ? (
                      <span className="muted small"> {j.progress.stage}</span>
                    ) : null}
                  </td>
                  <td data-testid="job-eta">
                    {j.state === 'running' ? formatEta(j.progress?.etaSeconds) : '–'}
                  </td>
                  <td className="small" data-testid="job-error">
                    {j.error ?? ''}
                  </td>
                  <td>{j.run ? `#${j.run.id}` : '–'}</td>
                  {key.trim() ? (
                    <td>
                      {j.state === 'queued' || j.state === 'running' ? (
                        <button type="button" onClick={() => void act('cancel', j.id)}>
                          Cancel job {j.id}
                        </button>
                      ) : j.state === 'failed' || j.state === 'cancelled' ? (
                        <button type="button" onClick={() => void act('retry', j.id)}>
                          Retry job {j.id}
                        </button>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
