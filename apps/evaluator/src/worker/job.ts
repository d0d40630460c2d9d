/**
 * The task that runs one evaluation job (one model, one benchmark, one configuration) of
 * `evaluation_jobs`: claim it, keep a heartbeat with its progress, run the benchmark with a checkpoint
 * store, and end it in the transaction that writes its score. Stops early, without writing a result,
 * when the job is cancelled, times out, loses its claim or the worker shuts down (the job is then
 * released with its checkpoint, without using an attempt).
 */
import type { Database } from '@alignscope/db';
import {
  assertClaim,
  ClaimLostError,
  claimJob,
  failAttempt,
  finishJob,
  getJob,
  heartbeatJob,
  type JobProgress,
  releaseJob,
  saveCheckpoint,
  studyOfJob,
} from '@alignscope/db/queries';
import type { Task } from 'graphile-worker';
import type { Progress } from '../benchmarks/types.ts';
import { evaluate } from '../evaluate/evaluate.ts';
import type { ExecutionProvider } from '../models/session.ts';

export type JobTaskOptions = {
  db: Database;
  executionProvider?: ExecutionProvider;
  /** ALIGNSCOPE_HOME of this worker's local model store (default: the configuration's). */
  home?: string;
  /** A running job whose heartbeat is older than this is taken over by another worker. */
  staleSeconds: number;
  /** How often a running job writes its heartbeat and progress. */
  heartbeatMs: number;
  /** Aborted when the worker shuts down: jobs are released at once (their checkpoint kept). */
  shutdown: AbortSignal;
  log: (message: string) => void;
};

/** Why a job stopped before its end. */
type Stop = { kind: 'shutdown' | 'cancelled' | 'claim-lost' } | { kind: 'timeout'; seconds: number };

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** How long a stopped job's work may take to reach its next checkpoint before the task returns. */
const STOP_GRACE_MS = 3000;

export function evaluationJobTask(o: JobTaskOptions): Task {
  return async (payload, helpers) => {
    const raw = (payload as { jobId?: unknown } | null)?.jobId;
    if (typeof raw !== 'number' || !Number.isInteger(raw)) {
      throw new Error(`evaluation job: invalid payload ${JSON.stringify(payload)}`);
    }
    const jobId: number = raw;
    const claimed = await claimJob(o.db, {
      jobId,
      worker: helpers.job.locked_by,
      staleSeconds: o.staleSeconds,
    });
    if (!claimed) {
      helpers.logger.debug(`job ${jobId}: nothing to do (ended, cancelled or running elsewhere)`);
      return;
    }
    const { claim } = claimed;
    const job = await getJob(o.db, jobId);
    if (!job) return;
    // A job a study enqueued records the study (`name@version`) in its run's configuration.
    const study = await studyOfJob(o.db, jobId);
    const t0 = performance.now();
    const seconds = () => (performance.now() - t0) / 1000;
    const f0 = job.progress?.fraction ?? 0;
    let progress: JobProgress = {
      fraction: f0,
      stage: job.checkpoint ? 'resuming' : 'starting',
      etaSeconds: null,
      updatedAt: new Date().toISOString(),
    };
    const onProgress = (p: Progress) => {
      const f = Math.min(1, Math.max(0, p.fraction ?? (p.total > 0 ? p.done / p.total : 0)));
      const rate = (f - f0) / Math.max(seconds(), 1e-3);
      progress = {
        fraction: f,
        stage: p.phase,
        etaSeconds: rate > 0 && f > f0 ? Math.round((1 - f) / rate) : null,
        updatedAt: new Date().toISOString(),
      };
    };

    const controller = new AbortController();
    let stop: Stop | undefined;
    const halt = (s: Stop) => {
      if (stop) return;
      stop = s;
      controller.abort(new Error(`job ${jobId} stopped: ${s.kind}`));
    };
    const onShutdown = () => halt({ kind: 'shutdown' });
    o.shutdown.addEventListener('abort', onShutdown);
    if (o.shutdown.aborted) onShutdown();
    const timer = setTimeout(
      () => halt({ kind: 'timeout', seconds: job.timeoutSeconds }),
      job.timeoutSeconds * 1000,
    );
    const beat = setInterval(() => {
      heartbeatJob(o.db, { jobId, claim, progress })
        .then((state) => {
          if (state === 'cancelled') halt({ kind: 'cancelled' });
          else if (state === null) halt({ kind: 'claim-lost' });
        })
        .catch((e) => o.log(`job ${jobId}: heartbeat failed (${message(e)}); retrying`));
    }, o.heartbeatMs);
    const stopped = new Promise<'stopped'>((resolve) =>
      controller.signal.addEventListener('abort', () => resolve('stopped')),
    );

    const work = evaluate(
      {
        model: job.model,
        benchmarks: [job.benchmark],
        ...(typeof job.configuration.limit === 'number' ? { limit: job.configuration.limit } : {}),
        ...(o.executionProvider ? { executionProvider: o.executionProvider } : {}),
        ...(o.home ? { home: o.home } : {}),
        log: o.log,
        ...(study ? { study } : {}),
        signal: controller.signal,
        progress: (_b, p) => onProgress(p),
        checkpoint: {
          saved: job.checkpoint,
          async save(state) {
            try {
              await saveCheckpoint(o.db, { jobId, claim, checkpoint: state, progress });
            } catch (e) {
              if (e instanceof ClaimLostError) throw e;
              // a database blip must not end hours of work; the next batch saves again
              o.log(`job ${jobId}: checkpoint not saved (${message(e)})`);
            }
          },
        },
        commitGuard: (tx, outcome) =>
          outcome.status === 'succeeded'
            ? finishJob(tx, {
                jobId,
                claim,
                state: 'succeeded',
                runId: outcome.runId,
                computeSeconds: seconds(),
              })
            : assertClaim(tx, { jobId, claim }),
      },
      o.db,
    );
    // the work may go on for a moment after a stop; its writes then fail on the lost claim
    work.catch(() => {});

    try {
      const outcome = await Promise.race([work, stopped]);
      if (outcome === 'stopped' || stop) return await stopped_(stop as Stop);
      const record = outcome[0];
      if (record?.status === 'scored') {
        o.log(`job ${jobId}: ${job.benchmark} on ${job.model} scored ${record.raw}`);
        await completeStudies();
        return;
      }
      await failed(record?.message ?? 'the benchmark produced no result');
    } catch (e) {
      if (e instanceof ClaimLostError || stop) return await stopped_(stop ?? { kind: 'claim-lost' });
      await failed(message(e));
    } finally {
      clearInterval(beat);
      clearTimeout(timer);
      o.shutdown.removeEventListener('abort', onShutdown);
    }

    async function stopped_(s: Stop): Promise<void> {
      if (s.kind === 'shutdown') {
        // give the work a moment to reach its next checkpoint, then hand the job back
        await Promise.race([work.catch(() => {}), new Promise((r) => setTimeout(r, STOP_GRACE_MS))]);
        if (await releaseJob(o.db, { jobId, claim, computeSeconds: seconds() }))
          o.log(`job ${jobId}: released (worker shutting down); it resumes from its checkpoint`);
        return;
      }
      if (s.kind === 'timeout') return failed(`timed out after ${s.seconds} s`);
      o.log(`job ${jobId}: stopped (${s.kind})`);
      // A cancelled job has ended: a study waiting for it completes without it (done_with_failures).
      if (s.kind === 'cancelled') await completeStudies();
    }

    /** The studies waiting for this job compute their result when it was their last (studies/run.ts). */
    async function completeStudies(): Promise<void> {
      try {
        const { completeStudiesOfJob } = await import('../studies/run.ts');
        await completeStudiesOfJob(o.db, jobId);
      } catch (e) {
        o.log(`job ${jobId}: its study's result was not computed (${message(e)})`);
      }
    }

    async function failed(error: string): Promise<void> {
      const state = await failAttempt(o.db, { jobId, claim, error, computeSeconds: seconds() });
      if (state === 'failed') await completeStudies();
      o.log(
        `job ${jobId}: ${job?.benchmark} on ${job?.model} failed${state === 'queued' ? ' (will retry)' : ''}: ${error}`,
      );
      // throwing makes the queue retry with its exponential backoff; a final failure ends the queue job
      if (state === 'queued') throw new Error(error);
    }
  };
}
