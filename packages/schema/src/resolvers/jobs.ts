import {
  cancelJob,
  getJob,
  getModel,
  JOB_STATES,
  type JobRow,
  type JobState,
  jobRequestedBy,
  listJobs,
  retryJob,
} from '@alignscope/db/queries';
import { GraphQLError } from 'graphql';
import type { Context } from '../context.ts';
import type { Resolvers } from '../generated/resolvers.generated.ts';
import type { UserErrorParent } from '../types.ts';
import { authenticate } from './submissions.ts';

const MAX_PAGE = 100;

function parseId(id: string): number | null {
  return /^\d{1,9}$/.test(id) ? Number(id) : null;
}

/** Jobs of private models are seen only by their owner's key and admin keys. */
export async function visible(ctx: Context, jobs: JobRow[]): Promise<JobRow[]> {
  const models = await Promise.all(jobs.map((j) => ctx.loaders.modelById.load(j.modelId)));
  const hidden = models.some((m) => m?.visibility !== 'public');
  const auth = hidden ? await ctx.auth() : undefined;
  return jobs.filter((_, i) => {
    const m = models[i];
    if (!m) return false;
    if (m.visibility === 'public') return true;
    return auth?.ok === true && (auth.key.isAdmin || m.ownerKeyId === auth.key.id);
  });
}

function pageSize(first: number | null | undefined): number {
  const n = first ?? 50;
  if (!Number.isInteger(n) || n < 0 || n > MAX_PAGE) {
    throw new GraphQLError(`first must be 0..${MAX_PAGE}`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return n;
}

async function mutate(
  ctx: Context,
  id: string,
  action: (jobId: number, by: string) => Promise<unknown>,
  verb: 'cancel' | 'retry',
): Promise<{ ok: boolean; job: JobRow | null; errors: UserErrorParent[] }> {
  const no = (code: string, message: string) => ({
    ok: false,
    job: null,
    errors: [{ code, message, path: ['id'] }],
  });
  const key = await authenticate(ctx);
  if (!key.ok) return { ok: false, job: null, errors: [key.error] };
  const jobId = parseId(id);
  const job = jobId === null ? undefined : await getJob(ctx.db, jobId);
  if (jobId === null || !job) return no('UNKNOWN_JOB', `unknown job ${JSON.stringify(id)}`);
  if (!key.isAdmin && !(await jobRequestedBy(ctx.db, jobId, key.id))) {
    return no(
      'FORBIDDEN',
      `job ${jobId} was not requested with this key; only its requesters or an admin key may ${verb} it`,
    );
  }
  const done = await action(jobId, `API key ${JSON.stringify(key.name)}`);
  const now = (await getJob(ctx.db, jobId)) ?? null;
  if (!done) {
    const why =
      verb === 'cancel'
        ? `job ${jobId} is ${job.state}; only queued or running jobs can be cancelled`
        : `job ${jobId} is ${job.state}; only failed or cancelled jobs can be retried`;
    return { ok: false, job: now, errors: [{ code: 'INVALID_STATE', message: why, path: ['id'] }] };
  }
  return { ok: true, job: now, errors: [] };
}

export const jobResolvers: Resolvers = {
  Query: {
    async jobs(_, args, ctx) {
      const limit = pageSize(args.first);
      const offset = args.offset ?? 0;
      if (!Number.isInteger(offset) || offset < 0 || offset > 100_000) {
        throw new GraphQLError('offset must be 0..100000', { extensions: { code: 'BAD_USER_INPUT' } });
      }
      if (args.state != null && !JOB_STATES.includes(args.state as JobState)) {
        throw new GraphQLError(`state must be one of ${JOB_STATES.join(', ')}`, {
          extensions: { code: 'BAD_USER_INPUT' },
        });
      }
      let modelId: number | undefined;
      if (args.model != null) {
        const m = await getModel(ctx.db, args.model);
        if (!m) return [];
        modelId = m.id;
      }
      const rows = await listJobs(ctx.db, {
        ...(args.state != null ? { state: args.state as JobState } : {}),
        ...(modelId !== undefined ? { modelId } : {}),
        limit,
        offset,
      });
      return visible(ctx, rows);
    },
    async job(_, args, ctx) {
      const id = parseId(args.id);
      const row = id === null ? undefined : await getJob(ctx.db, id);
      if (!row) return null;
      return (await visible(ctx, [row]))[0] ?? null;
    },
  },
  Mutation: {
    cancelJob: (_, args, ctx) => mutate(ctx, args.id, (id, by) => cancelJob(ctx.db, id, { by }), 'cancel'),
    retryJob: (_, args, ctx) => mutate(ctx, args.id, (id) => retryJob(ctx.db, id), 'retry'),
  },
  Model: {
    async jobs(m, args, ctx) {
      return visible(ctx, await listJobs(ctx.db, { modelId: m.id, limit: pageSize(args.first) }));
    },
  },
  EvaluationRequest: {
    async jobs(r, _, ctx) {
      return visible(ctx, await listJobs(ctx.db, { requestId: r.id, limit: 1000 }));
    },
  },
  Job: {
    id: (j) => String(j.id),
    async model(j, _, ctx) {
      const m = await ctx.loaders.modelById.load(j.modelId);
      if (!m) throw new Error(`model ${j.modelId} of job ${j.id} vanished`);
      return m;
    },
    hasCheckpoint: (j) => j.checkpoint !== null,
    run: (j, _, ctx) => (j.runId === null ? null : ctx.loaders.runById.load(j.runId)),
  },
};
