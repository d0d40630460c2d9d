import type { TaskFactory } from '../index.ts';

/**
 * `study:complete` {jobId}: a job that studies wait for ended without a worker (cancelled while queued,
 * cancelJob adds this task): completes each of those studies whose planned scores have all ended, as
 * the worker that ends a job does (completeStudiesOfJob).
 */
const studyComplete: TaskFactory =
  ({ db }) =>
  async (payload) => {
    const jobId = (payload as { jobId?: unknown } | null)?.jobId;
    if (typeof jobId !== 'number' || !Number.isInteger(jobId)) {
      throw new Error(`study:complete: invalid payload ${JSON.stringify(payload)}`);
    }
    // Loaded here: the study runner starts workers itself (an import cycle at module load otherwise).
    const { completeStudiesOfJob } = await import('../../studies/run.ts');
    await completeStudiesOfJob(db, jobId);
  };

export default studyComplete;
