/**
 * The evaluation queue: requests recorded by the API become jobs of the Postgres-backed queue
 * (graphile-worker's `add_job` SQL function, so no queue client is needed here).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { evaluationRequests, models } from '../tables/index.ts';

export type RequestStatus = 'pending' | 'queued' | 'running' | 'done' | 'failed';

/** Whether the queue's schema exists (a worker installs it when it first starts). */
export async function queueInstalled(db: Database): Promise<boolean> {
  const r = await db.execute<{ f: string | null }>(
    sql`select to_regproc('graphile_worker.add_job')::text as f`,
  );
  return Boolean(r.rows[0]?.f);
}

/**
 * Enqueues an `evaluate` job for a pending request and marks it queued. A request stays pending
 * (and is swept up when a worker starts) while no worker has installed the queue yet. Idempotent:
 * the job key is the request id.
 */
export async function enqueueEvaluationRequest(db: Database, requestId: number): Promise<boolean> {
  if (!(await queueInstalled(db))) return false;
  return db.transaction(async (tx) => {
    const [req] = await tx
      .select({ id: evaluationRequests.id })
      .from(evaluationRequests)
      .where(and(eq(evaluationRequests.id, requestId), eq(evaluationRequests.status, 'pending')))
      .for('update');
    if (!req) return false;
    const job = await tx.execute<{ id: string }>(
      sql`select (graphile_worker.add_job('evaluate', json_build_object('requestId', ${requestId}::int),
            job_key => ${`evaluation-request-${requestId}`}, max_attempts => 1)).id::text as id`,
    );
    await tx
      .update(evaluationRequests)
      .set({ status: 'queued', jobId: job.rows[0]?.id ?? null, updatedAt: new Date() })
      .where(eq(evaluationRequests.id, requestId));
    return true;
  });
}

/** Enqueues every pending request; returns how many. */
export async function enqueuePendingRequests(db: Database): Promise<number> {
  const pending = await db
    .select({ id: evaluationRequests.id })
    .from(evaluationRequests)
    .where(eq(evaluationRequests.status, 'pending'));
  let n = 0;
  for (const r of pending) if (await enqueueEvaluationRequest(db, r.id)) n++;
  return n;
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

export async function setEvaluationRequestStatus(
  db: Database,
  id: number,
  status: RequestStatus,
  from?: readonly RequestStatus[],
): Promise<boolean> {
  const rows = await db
    .update(evaluationRequests)
    .set({ status, updatedAt: new Date() })
    .where(
      from
        ? and(eq(evaluationRequests.id, id), inArray(evaluationRequests.status, [...from]))
        : eq(evaluationRequests.id, id),
    )
    .returning({ id: evaluationRequests.id });
  return rows.length > 0;
}
