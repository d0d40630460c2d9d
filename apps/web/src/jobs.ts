/**
 * Jobs as the web shows them: the fields of the GraphQL `jobs` query the jobs table polls, built on
 * the server from the queries layer for the first paint, so both renders are the same shape.
 */
import type { JobRow } from '@alignscope/db/queries';

export type JobView = {
  id: string;
  benchmark: string;
  state: string;
  attempts: number;
  maxAttempts: number;
  error: string | null;
  model: { identifier: string };
  progress: { fraction: number; stage: string; etaSeconds: number | null } | null;
  run: { id: string } | null;
};

export function jobView(j: JobRow): JobView {
  return {
    id: String(j.id),
    benchmark: j.benchmark,
    state: j.state,
    attempts: j.attempts,
    maxAttempts: j.maxAttempts,
    error: j.error,
    model: { identifier: j.model },
    progress: j.progress
      ? { fraction: j.progress.fraction, stage: j.progress.stage, etaSeconds: j.progress.etaSeconds }
      : null,
    run: j.runId === null ? null : { id: String(j.runId) },
  };
}

/** Seconds left as "1 h 05 min", "3 min 20 s", "12 s". */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600)
    return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}

export const JOB_FILTER_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
