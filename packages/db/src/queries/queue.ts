/**
 * The evaluation queue. A request becomes one job per (model, benchmark, configuration) in
 * `evaluation_jobs` (stable key: a second request for the same work joins the job; a job already
 * scored is not run again unless forced). graphile-worker's `add_job` SQL function wakes workers
 * (task `evaluate:<benchmark>`, payload {jobId}); the job row stays the truth about the work:
 *
 * - a worker **claims** a job (`claimJob`: queued, or running with a heartbeat older than the stale
 *   limit) and gets a random claim token; every later write (heartbeat, progress, checkpoint, finish)
 *   names the token and does nothing once the claim is lost, and the score is written in the same
 *   transaction as the job's end (`finishJob` as a guard), so a job's score is written exactly once
 *   however many queue jobs wake workers for it;
 * - a dead worker stops its heartbeat; `staleWorkers` names the queue workers whose jobs went stale
 *   and the caller unlocks their queue jobs (graphile-worker's force_unlock_workers) so another
 *   worker takes the job over, resuming from its checkpoint;
 * - attempts are counted at claim; an interrupted job (worker shutdown) is released without using
 *   an attempt; failures retry with graphile-worker's exponential backoff up to max_attempts.
 */
import { createHash, randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import {
  evaluationJobs,
  evaluationRequestJobs,
  evaluationRequests,
  evaluatorBenchmarks,
  type JobProgress,
  models,
  studyJobs,
} from '../tables/index.ts';
import type { Transaction } from './evaluations.ts';

export type { JobProgress };
export type RequestStatus = 'pending' | 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export const JOB_STATES: readonly JobState[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
export type EvaluationJob = typeof evaluationJobs.$inferSelect;
/**
 * The graphile-worker task of a job of `benchmark`: one task per benchmark, so that a worker started
 * with `--benchmarks a,b` takes only those jobs (a worker only fetches tasks it knows).
 */
export const evaluationTask = (benchmark: string) => `evaluate:${benchmark}`;

type Executor = Database | Transaction;

/** Whether the queue's schema exists (a worker installs it when it first starts). */
export async function queueInstalled(db: Executor): Promise<boolean> {
  const r = await db.execute<{ f: string | null }>(
    sql`select to_regproc('graphile_worker.add_job')::text as f`,
  );
  return Boolean(r.rows[0]?.f);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The stable key of a job: the same model file, benchmark version and configuration give the same key. */
export function jobKeyOf(p: {
  modelId: number;
  modelSha256: string | null;
  benchmark: string;
  benchmarkVersion: number;
  configuration: Record<string, unknown>;
}): string {
  return createHash('sha256')
    .update(canonical([p.modelId, p.modelSha256, p.benchmark, p.benchmarkVersion, p.configuration]))
    .digest('hex');
}

/** Wakes a worker for a queued job (graphile-worker job keyed by the job id; no-op without the queue). */
async function wake(
  db: Executor,
  job: Pick<EvaluationJob, 'id' | 'benchmark' | 'priority' | 'maxAttempts' | 'attempts'>,
) {
  if (!(await queueInstalled(db))) return;
  // graphile-worker runs lower priority numbers first; ours runs higher first.
  await db.execute(sql`select graphile_worker.add_job(${evaluationTask(job.benchmark)}, json_build_object('jobId', ${job.id}::int),
      job_key => ${`evaluation-job-${job.id}`}, job_key_mode => 'preserve_run_at',
      priority => ${-job.priority}::int,
      max_attempts => ${Math.max(1, job.maxAttempts - job.attempts)}::int)`);
}

/** Recomputes the status of the requests that include `jobIds` from their jobs' states. */
export async function refreshRequests(db: Executor, jobIds: readonly number[]): Promise<void> {
  if (jobIds.length === 0) return;
  await db.execute(sql`
    with affected as (
      select distinct request_id from ${evaluationRequestJobs}
      where job_id in (${sql.join(
        jobIds.map((id) => sql`${id}`),
        sql`, `,
      )})
    ), derived as (
      select a.request_id,
        case
          when bool_or(j.state = 'running') then 'running'
          when bool_or(j.state = 'queued') then 'queued'
          when bool_and(j.state = 'succeeded') then 'done'
          when bool_or(j.state = 'failed') then 'failed'
          else 'cancelled'
        end as status
      from affected a
      join ${evaluationRequestJobs} rj on rj.request_id = a.request_id
      join ${evaluationJobs} j on j.id = rj.job_id
      group by a.request_id
    )
    update ${evaluationRequests} r set status = d.status, updated_at = now()
    from derived d where r.id = d.request_id and r.status <> d.status`);
}

export type JobSpec = {
  benchmark: string;
  benchmarkVersion: number;
  configuration?: Record<string, unknown>;
  /** This job's priority (higher runs first); default: the options' `priority`. */
  priority?: number;
};

export type EnqueueOptions = {
  modelId: number;
  jobs: readonly JobSpec[];
  /** The request the jobs belong to (a group). */
  requestId?: number;
  /** The study that enqueues the jobs (linked in the same transaction, before a worker can take them). */
  studyId?: number;
  priority?: number;
  maxAttempts?: number;
  timeoutSeconds?: number;
  /** Run again even a job that already succeeded for this model file and configuration. */
  force?: boolean;
};

export type EnqueuedJob = { job: EvaluationJob; outcome: 'created' | 'requeued' | 'joined' | 'current' };

/**
 * Creates (or joins) one job per spec and links them to the request. A job that exists is joined
 * while queued or running, re-queued when it failed or was cancelled, and kept as it is when it
 * succeeded ('current': the score is up to date) unless `force`. Wakes workers for queued jobs.
 */
export async function enqueueJobs(db: Database, o: EnqueueOptions): Promise<EnqueuedJob[]> {
  return db.transaction((tx) => enqueueIn(tx, o));
}

async function enqueueIn(tx: Transaction, o: EnqueueOptions): Promise<EnqueuedJob[]> {
  {
    const [model] = await tx.select({ sha: models.onnxSha256 }).from(models).where(eq(models.id, o.modelId));
    if (!model) throw new Error(`no model ${o.modelId}`);
    const res: EnqueuedJob[] = [];
    for (const spec of o.jobs) {
      const configuration = spec.configuration ?? {};
      const priority = spec.priority ?? o.priority ?? 0;
      const jobKey = jobKeyOf({
        modelId: o.modelId,
        modelSha256: model.sha,
        benchmark: spec.benchmark,
        benchmarkVersion: spec.benchmarkVersion,
        configuration,
      });
      const [inserted] = await tx
        .insert(evaluationJobs)
        .values({
          jobKey,
          modelId: o.modelId,
          benchmark: spec.benchmark,
          benchmarkVersion: spec.benchmarkVersion,
          modelSha256: model.sha,
          configuration,
          priority,
          maxAttempts: o.maxAttempts ?? 3,
          timeoutSeconds: o.timeoutSeconds ?? 6 * 3600,
        })
        .onConflictDoNothing({ target: evaluationJobs.jobKey })
        .returning();
      let entry: EnqueuedJob;
      if (inserted) entry = { job: inserted, outcome: 'created' };
      else {
        const [existing] = await tx
          .select()
          .from(evaluationJobs)
          .where(eq(evaluationJobs.jobKey, jobKey))
          .for('update');
        if (!existing) throw new Error(`job ${jobKey} vanished`);
        const rerun =
          existing.state === 'failed' ||
          existing.state === 'cancelled' ||
          (existing.state === 'succeeded' && o.force === true);
        if (rerun) {
          const [row] = await tx
            .update(evaluationJobs)
            .set({
              state: 'queued',
              attempts: 0,
              error: null,
              claim: null,
              // a forced re-run starts afresh; a failed job resumes from its checkpoint
              ...(existing.state === 'succeeded' ? { checkpoint: null, checkpointAt: null } : {}),
              progress: null,
              finishedAt: null,
              priority: Math.max(existing.priority, priority),
              ...(o.maxAttempts !== undefined ? { maxAttempts: o.maxAttempts } : {}),
              ...(o.timeoutSeconds !== undefined ? { timeoutSeconds: o.timeoutSeconds } : {}),
              updatedAt: new Date(),
            })
            .where(eq(evaluationJobs.id, existing.id))
            .returning();
          entry = { job: row ?? existing, outcome: 'requeued' };
        } else {
          entry = { job: existing, outcome: existing.state === 'succeeded' ? 'current' : 'joined' };
        }
      }
      if (o.requestId !== undefined) {
        await tx
          .insert(evaluationRequestJobs)
          .values({ requestId: o.requestId, jobId: entry.job.id })
          .onConflictDoNothing();
      }
      if (o.studyId !== undefined) {
        await tx.insert(studyJobs).values({ studyId: o.studyId, jobId: entry.job.id }).onConflictDoNothing();
      }
      if (entry.outcome === 'created' || entry.outcome === 'requeued') await wake(tx, entry.job);
      res.push(entry);
    }
    await refreshRequests(
      tx,
      res.map((r) => r.job.id),
    );
    return res;
  }
}

/** Why a benchmark of a request cannot be run for the model (index into the request's list). */
export type EvaluationRefusal = { index: number; benchmark: string; message: string };

function cardLabelSpace(card: unknown): string | null {
  const ls = (card as { labelSpace?: unknown } | null)?.labelSpace;
  if (typeof ls === 'string') return ls;
  const name = (ls as { name?: unknown } | null | undefined)?.name;
  return typeof name === 'string' ? name : null;
}

/**
 * The benchmarks of a request that no evaluator worker runs, or whose label space the model does not
 * have (from the benchmarks workers registered: registerEvaluatorBenchmarks).
 */
export async function checkEvaluable(
  db: Database,
  model: { identifier: string; card: unknown },
  benchmarks: readonly string[],
): Promise<EvaluationRefusal[]> {
  const known = new Map((await listEvaluatorBenchmarks(db)).map((b) => [b.identifier, b]));
  const ls = cardLabelSpace(model.card);
  const out: EvaluationRefusal[] = [];
  benchmarks.forEach((benchmark, index) => {
    const b = known.get(benchmark);
    if (!b) {
      out.push({
        index,
        benchmark,
        message:
          known.size === 0
            ? `no evaluator worker has registered yet, so ${benchmark} cannot be queued (start \`alignscope worker\`)`
            : `the evaluator does not run ${benchmark} (it runs ${[...known.keys()].sort().join(', ')})`,
      });
    } else if (b.labelSpace !== ls) {
      out.push({
        index,
        benchmark,
        message: `${benchmark} needs a ${b.labelSpace} model; ${model.identifier} is ${ls ?? 'of an unknown label space'}`,
      });
    }
  });
  return out;
}

export type NewEvaluationRequest = Omit<EnqueueOptions, 'jobs' | 'requestId'> & {
  apiKeyId: number | null;
  /**
   * The key's quota, checked in the recording transaction under a per-key lock (two concurrent
   * requests cannot both pass it); QuotaExceededError when the request would exceed it.
   */
  quota?: KeyQuota;
  benchmarks: readonly string[];
  /** The same for every benchmark of the request (e.g. {limit}). */
  configuration?: Record<string, unknown>;
};

/**
 * Records an evaluation request and its jobs in one transaction: one job per benchmark (joined,
 * re-queued or kept current as enqueueJobs says). Callers check the benchmarks with checkEvaluable.
 */
export async function createEvaluationRequestWithJobs(
  db: Database,
  r: NewEvaluationRequest,
): Promise<{ request: typeof evaluationRequests.$inferSelect; jobs: EnqueuedJob[] }> {
  const known = new Map((await listEvaluatorBenchmarks(db)).map((b) => [b.identifier, b.version]));
  return db.transaction(async (tx) => {
    if (r.quota && r.apiKeyId !== null) await checkQuota(tx, r.apiKeyId, r.quota, r.benchmarks.length);
    const [request] = await tx
      .insert(evaluationRequests)
      .values({ modelId: r.modelId, apiKeyId: r.apiKeyId, benchmarks: [...r.benchmarks], status: 'queued' })
      .returning();
    if (!request) throw new Error('evaluation request was not recorded');
    const jobs = await enqueueIn(tx, {
      ...r,
      requestId: request.id,
      jobs: r.benchmarks.map((benchmark) => ({
        benchmark,
        benchmarkVersion: known.get(benchmark) ?? 1,
        configuration: r.configuration ?? {},
      })),
    });
    const [fresh] = await tx.select().from(evaluationRequests).where(eq(evaluationRequests.id, request.id));
    return { request: fresh ?? request, jobs };
  });
}

async function checkQuota(tx: Transaction, apiKeyId: number, quota: KeyQuota, jobs: number) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('alignscope.quota'), ${apiKeyId}::int)`);
  const usage = await keyJobUsage(tx, apiKeyId);
  if (usage.jobsToday + jobs > quota.jobsPerDay) {
    throw new QuotaExceededError(
      `this key requested ${usage.jobsToday} job(s) in the last 24 hours; ${jobs} more would exceed its quota of ${quota.jobsPerDay} per day`,
      usage,
    );
  }
  if (usage.computeSecondsToday >= quota.computeSecondsPerDay) {
    throw new QuotaExceededError(
      `this key's jobs used ${Math.round(usage.computeSecondsToday)} compute seconds in the last 24 hours, its quota is ${quota.computeSecondsPerDay}; try again later`,
      usage,
    );
  }
}

/**
 * Requests recorded under the single-job queue that preceded evaluation jobs (status pending, queued
 * or running, no jobs): each becomes one job per benchmark, as a request made now would (versions
 * from the registered benchmarks), and its old queue job (`evaluate`, key `evaluation-request-<id>`,
 * a task no worker runs any more) is removed. A benchmark no worker runs, or of another label space
 * than the model's, becomes a failed job with the reason instead of waiting forever. Each request is
 * adopted in its own transaction under a row lock, so workers starting together adopt it once.
 * Workers call it when they start. Returns how many requests were adopted.
 */
export async function adoptLegacyRequests(db: Database): Promise<number> {
  const legacy = await db
    .select({ id: evaluationRequests.id })
    .from(evaluationRequests)
    .where(
      and(
        inArray(evaluationRequests.status, ['pending', 'queued', 'running']),
        sql`not exists (select 1 from ${evaluationRequestJobs} rj where rj.request_id = ${evaluationRequests.id})`,
      ),
    );
  if (legacy.length === 0) return 0;
  const known = new Map((await listEvaluatorBenchmarks(db)).map((b) => [b.identifier, b]));
  const queue = await queueInstalled(db);
  let adopted = 0;
  for (const { id } of legacy) {
    const done = await db.transaction(async (tx) => {
      const [r] = await tx
        .select({ request: evaluationRequests, card: models.card, identifier: models.identifier })
        .from(evaluationRequests)
        .innerJoin(models, eq(models.id, evaluationRequests.modelId))
        .where(
          and(
            eq(evaluationRequests.id, id),
            sql`not exists (select 1 from ${evaluationRequestJobs} rj where rj.request_id = ${evaluationRequests.id})`,
          ),
        )
        .for('update', { of: evaluationRequests, skipLocked: true });
      if (!r) return false;
      const benchmarks = [...new Set(r.request.benchmarks)];
      const jobs = await enqueueIn(tx, {
        modelId: r.request.modelId,
        requestId: id,
        jobs: benchmarks.map((benchmark) => ({
          benchmark,
          benchmarkVersion: known.get(benchmark)?.version ?? 1,
        })),
      });
      const labelSpace = cardLabelSpace(r.card);
      const failedIds: number[] = [];
      for (const { job, outcome } of jobs) {
        // only a job made now: a job another request shares is left as that request made it
        if (outcome !== 'created') continue;
        const b = known.get(job.benchmark);
        const why = !b
          ? `no evaluator worker runs ${job.benchmark} (request ${id} was made under the old queue)`
          : b.labelSpace !== labelSpace
            ? `${job.benchmark} needs a ${b.labelSpace} model; ${r.identifier} is ${labelSpace ?? 'of an unknown label space'}`
            : null;
        if (!why) continue;
        await tx
          .update(evaluationJobs)
          .set({ state: 'failed', error: why, finishedAt: new Date(), updatedAt: new Date() })
          .where(and(eq(evaluationJobs.id, job.id), eq(evaluationJobs.state, 'queued')));
        if (queue) await tx.execute(sql`select graphile_worker.remove_job(${`evaluation-job-${job.id}`})`);
        failedIds.push(job.id);
      }
      await refreshRequests(tx, failedIds);
      if (queue) await tx.execute(sql`select graphile_worker.remove_job(${`evaluation-request-${id}`})`);
      return true;
    });
    if (done) adopted += 1;
  }
  return adopted;
}

/** Wakes workers for every queued job (a worker calls it when it starts: jobs queued before the queue existed). */
export async function wakeQueuedJobs(db: Database): Promise<number> {
  if (!(await queueInstalled(db))) return 0;
  // one statement; a job claimed meanwhile only gets a queue job that finds nothing to claim
  const r = await db.execute<{ n: number }>(sql`
    select count(graphile_worker.add_job('evaluate:' || j.benchmark, json_build_object('jobId', j.id),
        job_key => 'evaluation-job-' || j.id, job_key_mode => 'preserve_run_at',
        priority => -j.priority, max_attempts => greatest(1, j.max_attempts - j.attempts)))::int as n
    from ${evaluationJobs} j where j.state = 'queued'`);
  return r.rows[0]?.n ?? 0;
}

/**
 * Hands the jobs of dead workers (running, heartbeat older than `staleSeconds`) back to the queue.
 * A dead worker's queue job may have used up graphile-worker's attempts (each fetch that found the
 * job still under a live claim counts one), so after `force_unlock_workers` the queue job is added
 * again under its key, which resets those attempts; without this such a job stays `running` forever.
 * A job that has used all its own attempts is failed instead. Returns how many were woken and failed.
 */
export async function wakeStaleJobs(
  db: Database,
  staleSeconds: number,
): Promise<{ woken: number; failed: number }> {
  const stale = await db
    .select()
    .from(evaluationJobs)
    .where(
      and(
        eq(evaluationJobs.state, 'running'),
        sql`${evaluationJobs.heartbeatAt} < now() - make_interval(secs => ${staleSeconds})`,
      ),
    );
  let woken = 0;
  const failedIds: number[] = [];
  for (const job of stale) {
    if (job.attempts >= job.maxAttempts) {
      const [row] = await db
        .update(evaluationJobs)
        .set({
          state: 'failed',
          claim: null,
          error: `its worker stopped responding during each of its ${job.attempts} attempt(s)`,
          finishedAt: new Date(),
          updatedAt: new Date(),
        })
        .where(
          and(
            eq(evaluationJobs.id, job.id),
            eq(evaluationJobs.state, 'running'),
            sql`${evaluationJobs.heartbeatAt} < now() - make_interval(secs => ${staleSeconds})`,
          ),
        )
        .returning({ id: evaluationJobs.id });
      if (row) failedIds.push(row.id);
    } else {
      await wake(db, job);
      woken += 1;
    }
  }
  await refreshRequests(db, failedIds);
  return { woken, failed: failedIds.length };
}

export type Claim = { job: EvaluationJob; claim: string };

/**
 * Claims a job for a worker: a queued job, or a running one whose heartbeat is older than
 * `staleSeconds` (its worker died). Counts an attempt. Null when the job is done, cancelled, out of
 * attempts, or running under a live claim.
 */
export async function claimJob(
  db: Database,
  p: { jobId: number; worker: string | null; staleSeconds: number },
): Promise<Claim | null> {
  const claim = randomUUID();
  const [job] = await db
    .update(evaluationJobs)
    .set({
      state: 'running',
      claim,
      worker: p.worker,
      attempts: sql`${evaluationJobs.attempts} + 1`,
      heartbeatAt: new Date(),
      startedAt: sql`coalesce(${evaluationJobs.startedAt}, now())`,
      error: null,
      updatedAt: new Date(),
    })
    .where(
      and(
        eq(evaluationJobs.id, p.jobId),
        sql`${evaluationJobs.attempts} < ${evaluationJobs.maxAttempts}`,
        sql`(${evaluationJobs.state} = 'queued' or (${evaluationJobs.state} = 'running'
          and ${evaluationJobs.heartbeatAt} < now() - make_interval(secs => ${p.staleSeconds})))`,
      ),
    )
    .returning();
  if (!job) return null;
  await refreshRequests(db, [job.id]);
  return { job, claim };
}

const owned = (jobId: number, claim: string) =>
  and(eq(evaluationJobs.id, jobId), eq(evaluationJobs.claim, claim), eq(evaluationJobs.state, 'running'));

/**
 * Records that the claimed job is alive (and its progress). Returns the job's state: 'running' while
 * the claim holds, 'cancelled' when someone cancelled it, null when the claim was lost.
 */
export async function heartbeatJob(
  db: Database,
  p: { jobId: number; claim: string; progress?: JobProgress },
): Promise<'running' | 'cancelled' | null> {
  const [row] = await db
    .update(evaluationJobs)
    .set({ heartbeatAt: new Date(), ...(p.progress ? { progress: p.progress } : {}) })
    .where(owned(p.jobId, p.claim))
    .returning({ id: evaluationJobs.id });
  if (row) return 'running';
  const [now] = await db
    .select({ state: evaluationJobs.state, claim: evaluationJobs.claim })
    .from(evaluationJobs)
    .where(eq(evaluationJobs.id, p.jobId));
  return now?.state === 'cancelled' && now.claim === p.claim ? 'cancelled' : null;
}

/** Thrown when a claimed job's claim was lost (cancelled, taken over): stop without writing. */
export class ClaimLostError extends Error {
  override name = 'ClaimLostError';
}

/** Saves the claimed job's checkpoint; throws ClaimLostError when the claim is gone. */
export async function saveCheckpoint(
  db: Database,
  p: { jobId: number; claim: string; checkpoint: unknown; progress?: JobProgress },
): Promise<void> {
  const rows = await db
    .update(evaluationJobs)
    .set({
      checkpoint: p.checkpoint,
      checkpointAt: new Date(),
      heartbeatAt: new Date(),
      ...(p.progress ? { progress: p.progress } : {}),
    })
    .where(owned(p.jobId, p.claim))
    .returning({ id: evaluationJobs.id });
  if (rows.length === 0) throw new ClaimLostError(`job ${p.jobId}: the claim was lost; checkpoint not saved`);
}

/**
 * Ends the claimed job (inside the transaction that writes its score, so both happen or neither).
 * Throws ClaimLostError when the claim is gone, which rolls the score back.
 */
export async function finishJob(
  db: Executor,
  p: {
    jobId: number;
    claim: string;
    state: 'succeeded' | 'failed';
    runId?: number | null;
    error?: string | null;
    computeSeconds: number;
  },
): Promise<void> {
  const rows = await db
    .update(evaluationJobs)
    .set({
      state: p.state,
      claim: null,
      runId: p.runId ?? null,
      error: p.error ?? null,
      finishedAt: new Date(),
      updatedAt: new Date(),
      computeSeconds: sql`${evaluationJobs.computeSeconds} + ${p.computeSeconds}`,
      ...(p.state === 'succeeded'
        ? {
            checkpoint: null,
            checkpointAt: null,
            progress: sql`jsonb_set(coalesce(${evaluationJobs.progress}, '{}'::jsonb), '{fraction}', '1')`,
          }
        : {}),
    })
    .where(owned(p.jobId, p.claim))
    .returning({ id: evaluationJobs.id });
  if (rows.length === 0) throw new ClaimLostError(`job ${p.jobId}: the claim was lost; result not written`);
  await refreshRequests(db, [p.jobId]);
}

/** Throws ClaimLostError unless the claim on the job still holds (a guard for writes of a failed attempt). */
export async function assertClaim(db: Executor, p: { jobId: number; claim: string }): Promise<void> {
  const rows = await db.select({ id: evaluationJobs.id }).from(evaluationJobs).where(owned(p.jobId, p.claim));
  if (rows.length === 0) throw new ClaimLostError(`job ${p.jobId}: the claim was lost; result not written`);
}

/**
 * A failed attempt: the job is queued again (to be retried after the queue's backoff) while it has
 * attempts left, and failed with the error otherwise. Returns the new state (null: claim lost).
 */
export async function failAttempt(
  db: Database,
  p: { jobId: number; claim: string; error: string; computeSeconds: number; final?: boolean },
): Promise<'queued' | 'failed' | null> {
  const [row] = await db
    .update(evaluationJobs)
    .set({
      state: p.final
        ? 'failed'
        : sql`case when ${evaluationJobs.attempts} >= ${evaluationJobs.maxAttempts} then 'failed' else 'queued' end`,
      claim: null,
      error: p.error,
      updatedAt: new Date(),
      computeSeconds: sql`${evaluationJobs.computeSeconds} + ${p.computeSeconds}`,
      finishedAt: sql`case when ${evaluationJobs.attempts} >= ${evaluationJobs.maxAttempts} or ${p.final === true} then now() else null end`,
    })
    .where(owned(p.jobId, p.claim))
    .returning({ state: evaluationJobs.state });
  if (!row) return null;
  await refreshRequests(db, [p.jobId]);
  return row.state as 'queued' | 'failed';
}

/**
 * Gives a claimed job back without using an attempt (graceful worker shutdown): queued again, its
 * checkpoint kept, and a queue job added so another worker resumes it at once.
 */
export async function releaseJob(
  db: Database,
  p: { jobId: number; claim: string; computeSeconds: number },
): Promise<boolean> {
  const [row] = await db
    .update(evaluationJobs)
    .set({
      state: 'queued',
      claim: null,
      attempts: sql`greatest(${evaluationJobs.attempts} - 1, 0)`,
      computeSeconds: sql`${evaluationJobs.computeSeconds} + ${p.computeSeconds}`,
      updatedAt: new Date(),
    })
    .where(owned(p.jobId, p.claim))
    .returning();
  if (!row) return false;
  await refreshRequests(db, [p.jobId]);
  await wake(db, row);
  return true;
}

/** Queue worker ids whose running jobs have not sent a heartbeat for `staleSeconds`. */
export async function staleWorkers(db: Database, staleSeconds: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ worker: evaluationJobs.worker })
    .from(evaluationJobs)
    .where(
      and(
        eq(evaluationJobs.state, 'running'),
        sql`${evaluationJobs.heartbeatAt} < now() - make_interval(secs => ${staleSeconds})`,
      ),
    );
  return rows.flatMap((r) => (r.worker ? [r.worker] : []));
}

/**
 * The queue task that completes the studies waiting for a job that ended without a worker (cancelled
 * while queued): payload {jobId}; the evaluator worker runs it (completeStudiesOfJob).
 */
export const STUDY_COMPLETE_TASK = 'study:complete';

/**
 * Cancels a job that has not ended: queued jobs leave the queue; a running job's worker sees the
 * state at its next heartbeat and stops. The job's error records it: "cancelled by <by> at <time>"
 * (`by`: who asked, e.g. an API key's name). A job that a study waits for also wakes a worker to
 * complete that study (no worker ends a job cancelled in the queue). Returns the job, or null when it
 * had already ended.
 */
export async function cancelJob(
  db: Database,
  jobId: number,
  opts: { by?: string } = {},
): Promise<EvaluationJob | null> {
  const at = new Date();
  const [row] = await db
    .update(evaluationJobs)
    .set({
      state: 'cancelled',
      error: `cancelled${opts.by ? ` by ${opts.by}` : ''} at ${at.toISOString()}`,
      finishedAt: at,
      updatedAt: at,
    })
    .where(and(eq(evaluationJobs.id, jobId), inArray(evaluationJobs.state, ['queued', 'running'])))
    .returning();
  if (!row) return null;
  if (await queueInstalled(db)) {
    await db.execute(sql`select graphile_worker.remove_job(${`evaluation-job-${jobId}`})`);
    const linked = await db
      .select({ id: studyJobs.studyId })
      .from(studyJobs)
      .where(eq(studyJobs.jobId, jobId));
    if (linked.length > 0)
      await db.execute(sql`select graphile_worker.add_job(${STUDY_COMPLETE_TASK}, json_build_object('jobId', ${jobId}::int),
        job_key => ${`study-complete-${jobId}`}, max_attempts => 3)`);
  }
  await refreshRequests(db, [jobId]);
  return row;
}

/** Queues a failed or cancelled job again with fresh attempts (resuming from its checkpoint). */
export async function retryJob(db: Database, jobId: number): Promise<EvaluationJob | null> {
  const [row] = await db
    .update(evaluationJobs)
    .set({ state: 'queued', attempts: 0, claim: null, error: null, finishedAt: null, updatedAt: new Date() })
    .where(and(eq(evaluationJobs.id, jobId), inArray(evaluationJobs.state, ['failed', 'cancelled'])))
    .returning();
  if (!row) return null;
  await wake(db, row);
  await refreshRequests(db, [jobId]);
  return row;
}

export type JobRow = EvaluationJob & { model: string };

export type JobFilter = {
  state?: JobState;
  modelId?: number;
  requestId?: number;
  /** Only jobs of requests made with this key. */
  apiKeyId?: number;
  limit?: number;
  offset?: number;
};

/** Jobs, newest first. */
export async function listJobs(db: Database, f: JobFilter = {}): Promise<JobRow[]> {
  const where: SQL[] = [];
  if (f.state) where.push(eq(evaluationJobs.state, f.state));
  if (f.modelId !== undefined) where.push(eq(evaluationJobs.modelId, f.modelId));
  if (f.requestId !== undefined) {
    where.push(
      sql`${evaluationJobs.id} in (select job_id from ${evaluationRequestJobs} where request_id = ${f.requestId})`,
    );
  }
  if (f.apiKeyId !== undefined) where.push(jobOfKey(f.apiKeyId));
  const rows = await db
    .select({ job: evaluationJobs, model: models.identifier })
    .from(evaluationJobs)
    .innerJoin(models, eq(models.id, evaluationJobs.modelId))
    .where(where.length > 0 ? and(...where) : undefined)
    .orderBy(desc(evaluationJobs.id))
    .limit(Math.min(f.limit ?? 100, 1000))
    .offset(f.offset ?? 0);
  return rows.map((r) => ({ ...r.job, model: r.model }));
}

const jobOfKey = (apiKeyId: number) =>
  sql`${evaluationJobs.id} in (select rj.job_id from ${evaluationRequestJobs} rj
    join ${evaluationRequests} r on r.id = rj.request_id where r.api_key_id = ${apiKeyId})`;

export async function getJob(db: Database, jobId: number): Promise<JobRow | undefined> {
  const [row] = await db
    .select({ job: evaluationJobs, model: models.identifier })
    .from(evaluationJobs)
    .innerJoin(models, eq(models.id, evaluationJobs.modelId))
    .where(eq(evaluationJobs.id, jobId));
  return row ? { ...row.job, model: row.model } : undefined;
}

/** Whether a request made with `apiKeyId` includes the job (who may cancel or retry it). */
export async function jobRequestedBy(db: Database, jobId: number, apiKeyId: number): Promise<boolean> {
  const r = await db
    .select({ id: evaluationJobs.id })
    .from(evaluationJobs)
    .where(and(eq(evaluationJobs.id, jobId), jobOfKey(apiKeyId)));
  return r.length > 0;
}

/**
 * Usage of a key over the last 24 hours: the jobs its evaluation requests asked for (one per
 * benchmark of each request) and the compute seconds of its requests' jobs that ran in that time.
 */
export async function keyJobUsage(
  db: Executor,
  apiKeyId: number,
): Promise<{ jobsToday: number; computeSecondsToday: number }> {
  const r = await db.execute<{ jobs: number; compute: number }>(sql`
    select
      (select coalesce(sum(jsonb_array_length(r.benchmarks)), 0)::int from ${evaluationRequests} r
        where r.api_key_id = ${apiKeyId} and r.created_at > now() - interval '1 day') as jobs,
      (select coalesce(sum(${evaluationJobs.computeSeconds}), 0)::float8 from ${evaluationJobs}
        where ${evaluationJobs.updatedAt} > now() - interval '1 day' and ${jobOfKey(apiKeyId)}) as compute`);
  return { jobsToday: r.rows[0]?.jobs ?? 0, computeSecondsToday: r.rows[0]?.compute ?? 0 };
}

/** A key's limits per 24 hours (see @alignscope/config's Quotas). */
export type KeyQuota = { jobsPerDay: number; computeSecondsPerDay: number };

/** Thrown (and nothing recorded) when a request would take its key over its quota. */
export class QuotaExceededError extends Error {
  override name = 'QuotaExceededError';
  constructor(
    message: string,
    readonly usage: { jobsToday: number; computeSecondsToday: number },
  ) {
    super(message);
  }
}

export type EvaluatorBenchmark = typeof evaluatorBenchmarks.$inferSelect;

/** Records the benchmarks a worker runs (what the API accepts requests for). */
export async function registerEvaluatorBenchmarks(
  db: Database,
  list: readonly { identifier: string; version: number; labelSpace: string }[],
): Promise<void> {
  if (list.length === 0) return;
  await db
    .insert(evaluatorBenchmarks)
    .values(list.map((b) => ({ ...b, updatedAt: new Date() })))
    .onConflictDoUpdate({
      target: evaluatorBenchmarks.identifier,
      set: {
        version: sql`excluded.version`,
        labelSpace: sql`excluded.label_space`,
        updatedAt: sql`excluded.updated_at`,
      },
    });
}

export async function listEvaluatorBenchmarks(db: Database): Promise<EvaluatorBenchmark[]> {
  return db.select().from(evaluatorBenchmarks);
}

export type QueuedRequest = { id: number; model: string; benchmarks: string[]; status: string };

export async function getEvaluationRequest(db: Database, id: number): Promise<QueuedRequest | undefined> {
  const [row] = await db
    .select({
      id: evaluationRequests.id,
      model: models.identifier,
      benchmarks: evaluationRequests.benchmarks,
      status: evaluationRequests.status,
    })
    .from(evaluationRequests)
    .innerJoin(models, eq(models.id, evaluationRequests.modelId))
    .where(eq(evaluationRequests.id, id));
  return row;
}
