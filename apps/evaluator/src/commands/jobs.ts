import {
  cancelJob,
  checkEvaluable,
  createEvaluationRequestWithJobs,
  getJob,
  JOB_STATES,
  type JobRow,
  type JobState,
  listJobs,
  resolveModel,
  retryJob,
} from '@alignscope/db/queries';
import type { Command } from 'commander';
import { withDb } from '../db.ts';
import { InputError } from '../errors.ts';

function jobId(s: string): number {
  if (!/^\d{1,9}$/.test(s)) throw new InputError(`invalid job id "${s}"`);
  return Number(s);
}

/** JSON on stdout, written before the process may exit (a pipe of any size gets all of it). */
async function printJson(v: unknown): Promise<void> {
  const text = `${JSON.stringify(v, null, 2)}\n`;
  await new Promise<void>((resolve, reject) =>
    process.stdout.write(text, (e) => (e ? reject(e) : resolve())),
  );
}

function progressText(j: JobRow): string {
  const p = j.progress;
  if (!p || j.state !== 'running') return '-';
  const eta = p.etaSeconds === null ? '' : `, ~${p.etaSeconds} s left`;
  return `${(p.fraction * 100).toFixed(0)} % ${p.stage}${eta}`;
}

function line(j: JobRow): string {
  return [
    j.id,
    j.state,
    j.model,
    j.benchmark,
    `${j.attempts}/${j.maxAttempts}`,
    progressText(j),
    j.error ?? '',
  ].join('\t');
}

export default function register(program: Command): void {
  const jobs = program
    .command('jobs')
    .description('evaluation jobs on the queue: one (model, benchmark, configuration) each');
  jobs
    .command('add')
    .description(
      'queue jobs for a registered model (a benchmark already scored for its file is kept unless --force)',
    )
    .requiredOption('--model <identifier>', 'a registered model with an ONNX file')
    .requiredOption('--benchmarks <list>', 'comma-separated benchmark identifiers')
    .option('--limit <n>', 'only the first n images (part of the job configuration)')
    .option('--priority <n>', 'higher runs first', '0')
    .option('--max-attempts <n>', 'attempts before a job fails', '3')
    .option('--force', 'run again even benchmarks already scored')
    .option('--json', 'print JSON')
    .action(
      async (o: {
        model: string;
        benchmarks: string;
        limit?: string;
        priority: string;
        maxAttempts: string;
        force?: boolean;
        json?: boolean;
      }) => {
        const benchmarks = [
          ...new Set(
            o.benchmarks
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
          ),
        ];
        if (benchmarks.length === 0) throw new InputError('--benchmarks needs at least one identifier');
        const limit = o.limit === undefined ? undefined : Number(o.limit);
        if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1))
          throw new InputError(`--limit must be a positive integer, got "${o.limit}"`);
        const priority = Number(o.priority);
        const maxAttempts = Number(o.maxAttempts);
        if (!Number.isInteger(priority))
          throw new InputError(`--priority must be an integer, got "${o.priority}"`);
        if (!(Number.isInteger(maxAttempts) && maxAttempts >= 1 && maxAttempts <= 25))
          throw new InputError(`--max-attempts must be an integer from 1 to 25, got "${o.maxAttempts}"`);
        await withDb(async ({ db }) => {
          const model = await resolveModel(db, o.model);
          if (!model) throw new InputError(`unknown model "${o.model}"`);
          if (!model.onnxSha256)
            throw new InputError(`model ${model.identifier} has no ONNX file registered`);
          const refused = await checkEvaluable(db, model, benchmarks);
          if (refused.length > 0) throw new InputError(refused.map((r) => r.message).join('; '));
          const { request, jobs: queued } = await createEvaluationRequestWithJobs(db, {
            modelId: model.id,
            apiKeyId: null,
            benchmarks,
            priority,
            maxAttempts,
            force: o.force === true,
            ...(limit !== undefined ? { configuration: { limit } } : {}),
          });
          if (o.json)
            return printJson({
              request: request.id,
              jobs: queued.map((q) => ({ id: q.job.id, benchmark: q.job.benchmark, outcome: q.outcome })),
            });
          for (const q of queued) console.log(`job ${q.job.id}\t${q.job.benchmark}\t${q.outcome}`);
        });
      },
    );
  jobs
    .command('list')
    .description('list jobs, newest first')
    .option('--state <state>', `only ${JOB_STATES.join(', ')}`)
    .option('--model <identifier>', 'only jobs of this model')
    .option('--limit <n>', 'at most n jobs', '100')
    .option('--json', 'print JSON')
    .action(async (o: { state?: string; model?: string; limit: string; json?: boolean }) => {
      if (o.state !== undefined && !JOB_STATES.includes(o.state as JobState))
        throw new InputError(`--state must be one of ${JOB_STATES.join(', ')}, got "${o.state}"`);
      const limit = Number(o.limit);
      if (!(Number.isInteger(limit) && limit >= 1 && limit <= 1000))
        throw new InputError(`--limit must be an integer from 1 to 1000, got "${o.limit}"`);
      await withDb(async ({ db }) => {
        let modelId: number | undefined;
        if (o.model !== undefined) {
          const m = await resolveModel(db, o.model);
          if (!m) throw new InputError(`unknown model "${o.model}"`);
          modelId = m.id;
        }
        const rows = await listJobs(db, {
          ...(o.state ? { state: o.state as JobState } : {}),
          ...(modelId !== undefined ? { modelId } : {}),
          limit,
        });
        if (o.json)
          return printJson(
            rows.map(({ checkpoint, ...j }) => ({ ...j, hasCheckpoint: checkpoint !== null })),
          );
        if (rows.length === 0) return console.log('no jobs');
        console.log(['id', 'state', 'model', 'benchmark', 'attempts', 'progress', 'error'].join('\t'));
        for (const j of rows) console.log(line(j));
      });
    });
  jobs
    .command('show <id>')
    .description('one job: state, attempts, progress, error, run')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      await withDb(async ({ db }) => {
        const j = await getJob(db, jobId(id));
        if (!j) throw new InputError(`unknown job ${id}`);
        const { checkpoint, ...rest } = j;
        if (o.json) return printJson({ ...rest, hasCheckpoint: checkpoint !== null });
        const rows: [string, unknown][] = [
          ['job', j.id],
          ['model', j.model],
          ['benchmark', `${j.benchmark} (version ${j.benchmarkVersion})`],
          ['configuration', JSON.stringify(j.configuration)],
          ['state', j.state],
          ['attempts', `${j.attempts} of ${j.maxAttempts}`],
          ['progress', progressText(j)],
          ['checkpoint', checkpoint === null ? 'none' : `saved ${j.checkpointAt?.toISOString() ?? ''}`],
          ['error', j.error ?? '-'],
          ['run', j.runId ?? '-'],
          ['compute', `${j.computeSeconds.toFixed(1)} s`],
          ['created', j.createdAt.toISOString()],
          ['finished', j.finishedAt?.toISOString() ?? '-'],
        ];
        for (const [k, v] of rows) console.log(`${k.padEnd(14)}${String(v)}`);
      });
    });
  jobs
    .command('cancel <id>')
    .description('cancel a queued or running job')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      await withDb(async ({ db }) => {
        const before = await getJob(db, jobId(id));
        if (!before) throw new InputError(`unknown job ${id}`);
        const j = await cancelJob(db, before.id, { by: 'alignscope jobs cancel' });
        if (!j)
          throw new InputError(`job ${id} is ${before.state}; only queued or running jobs can be cancelled`);
        if (o.json) return printJson({ id: j.id, state: j.state });
        console.log(`job ${j.id} cancelled`);
      });
    });
  jobs
    .command('retry <id>')
    .description('queue a failed or cancelled job again (fresh attempts; it resumes from its checkpoint)')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      await withDb(async ({ db }) => {
        const before = await getJob(db, jobId(id));
        if (!before) throw new InputError(`unknown job ${id}`);
        const j = await retryJob(db, before.id);
        if (!j)
          throw new InputError(`job ${id} is ${before.state}; only failed or cancelled jobs can be retried`);
        if (o.json) return printJson({ id: j.id, state: j.state });
        console.log(`job ${j.id} queued again`);
      });
    });
}
