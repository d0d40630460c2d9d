import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { needsDataBundle } from '@alignscope/config/testing';
import {
  cancelJob,
  checkEvaluable,
  createEvaluationRequestWithJobs,
  getEvaluationRequest,
  getJob,
  upsertModel,
} from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCard } from '../src/models/card.ts';
import { checkModelFile, modelRow, storeModelFile } from '../src/models/store.ts';
import { startWorker, type Worker } from '../src/worker/index.ts';

const bundle = needsDataBundle(
  ['models/cifar10_resnet20.onnx', 'models/cifar10_resnet20.json', 'cifar10/test'],
  'evaluator worker',
);
const dataDir = bundle.dir;
const modelFile = bundle.path('models/cifar10_resnet20.onnx');

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

const ended = (s: string | undefined) => s === 'succeeded' || s === 'failed' || s === 'cancelled';

// The queue end to end on a real Postgres, with a real model of the data bundle.
describe.skipIf(bundle.missing)('evaluator worker and evaluation jobs (needs ALIGNSCOPE_DATA_DIR)', () => {
  let t: TestDb;
  let worker: Worker | undefined;
  let modelId = 0;
  const home = mkdtempSync(path.join(os.tmpdir(), 'alignscope-worker-'));
  const savedHome = process.env.ALIGNSCOPE_HOME;
  beforeAll(async () => {
    process.env.ALIGNSCOPE_HOME = home; // the model store
    t = await createTestDb();
    const card = loadCard(path.join(dataDir, 'models/cifar10_resnet20.json'));
    const checked = await checkModelFile(modelFile, card, {});
    const stored = await storeModelFile(modelFile, checked.sha256);
    const { model } = await upsertModel(
      t.db,
      modelRow(card, { sha256: checked.sha256, bytes: checked.bytes, path: stored }),
    );
    modelId = model.id;
  });
  afterAll(async () => {
    await worker?.stop();
    await t.close();
    rmSync(home, { recursive: true, force: true });
    if (savedHome === undefined) delete process.env.ALIGNSCOPE_HOME;
    else process.env.ALIGNSCOPE_HOME = savedHome;
  });

  it('refuses benchmarks before any worker registered, then those of another label space, naming them', async () => {
    const model = {
      identifier: 'cifar10_resnet20',
      card: loadCard(path.join(dataDir, 'models/cifar10_resnet20.json')),
    };
    expect(await checkEvaluable(t.db, model, ['CIFAR10-top1'])).toEqual([
      {
        index: 0,
        benchmark: 'CIFAR10-top1',
        message:
          'no evaluator worker has registered yet, so CIFAR10-top1 cannot be queued (start `alignscope worker`)',
      },
    ]);
    worker = await startWorker({
      connectionString: t.url,
      concurrency: 2,
      staleSeconds: 5,
      pollIntervalMs: 500,
    });
    const refused = await checkEvaluable(t.db, model, [
      'CIFAR10-top1',
      'ImageNet-top1',
      'MajajHong2015.IT-pls',
    ]);
    expect(refused.map((r) => r.benchmark)).toEqual(['ImageNet-top1', 'MajajHong2015.IT-pls']);
    expect(refused[0]?.message).toBe('ImageNet-top1 needs a imagenet-1k model; cifar10_resnet20 is cifar-10');
    expect(refused[1]?.message).toMatch(
      /^the evaluator does not run MajajHong2015\.IT-pls \(it runs .*CIFAR10-top1/,
    );
  });

  it('runs a request as one job per benchmark, writes the score with the job in one go, and does not redo it', async () => {
    const { request, jobs } = await createEvaluationRequestWithJobs(t.db, {
      modelId,
      apiKeyId: null,
      benchmarks: ['CIFAR10-top1'],
      configuration: { limit: 8 },
    });
    expect(jobs.map((j) => j.outcome)).toEqual(['created']);
    const jobId = jobs[0]?.job.id as number;
    const job = await waitFor(
      () => getJob(t.db, jobId),
      (j) => ended(j?.state),
      90_000,
    );
    expect(job?.state).toBe('succeeded');
    expect(job?.attempts).toBe(1);
    expect(job?.progress?.fraction).toBe(1);
    expect((await getEvaluationRequest(t.db, request.id))?.status).toBe('done');
    const scores = await t.pool.query(
      `select s.status, s.run_id from scores s join benchmarks b on b.id = s.benchmark_id
       where s.model_id = $1 and b.identifier = 'CIFAR10-top1'`,
      [modelId],
    );
    // a --limit subset is a partial run: its value stays with the run and writes no board score
    expect(scores.rows).toEqual([]);
    const run = await t.pool.query('select status, kind from runs where id = $1', [job?.runId]);
    expect(run.rows).toEqual([{ status: 'succeeded', kind: 'evaluation' }]);

    // the same work again: joined as current, nothing queued; --force runs it again
    const again = await createEvaluationRequestWithJobs(t.db, {
      modelId,
      apiKeyId: null,
      benchmarks: ['CIFAR10-top1'],
      configuration: { limit: 8 },
    });
    expect(again.jobs.map((j) => [j.job.id, j.outcome])).toEqual([[jobId, 'current']]);
    expect(again.request.status).toBe('done');
    const forced = await createEvaluationRequestWithJobs(t.db, {
      modelId,
      apiKeyId: null,
      benchmarks: ['CIFAR10-top1'],
      configuration: { limit: 8 },
      force: true,
    });
    expect(forced.jobs.map((j) => [j.job.id, j.outcome])).toEqual([[jobId, 'requeued']]);
    const rerun = await waitFor(
      () => getJob(t.db, jobId),
      (j) => ended(j?.state),
      90_000,
    );
    expect(rerun?.state).toBe('succeeded');
    expect(rerun?.runId).not.toBe(job?.runId);
  });

  it('a job whose model file disappeared fails with a clear error after its attempts, without blocking others', async () => {
    const card = loadCard(path.join(dataDir, 'models/cifar10_resnet20.json'));
    const gone = path.join(home, 'models', 'gone.onnx');
    const { model: lost } = await upsertModel(t.db, {
      ...modelRow({ ...card, name: 'lost-model' }, { sha256: 'f'.repeat(64), bytes: 1, path: gone }),
    });
    const bad = await createEvaluationRequestWithJobs(t.db, {
      modelId: lost.id,
      apiKeyId: null,
      benchmarks: ['CIFAR10-top1'],
      maxAttempts: 2,
      configuration: { limit: 4 },
    });
    const good = await createEvaluationRequestWithJobs(t.db, {
      modelId,
      apiKeyId: null,
      benchmarks: ['CIFAR10-top1'],
      configuration: { limit: 4 },
    });
    const goodJob = await waitFor(
      () => getJob(t.db, good.jobs[0]?.job.id as number),
      (j) => ended(j?.state),
      90_000,
    );
    expect(goodJob?.state).toBe('succeeded');
    const badJob = await waitFor(
      () => getJob(t.db, bad.jobs[0]?.job.id as number),
      (j) => ended(j?.state),
      90_000,
    );
    expect(badJob?.state).toBe('failed');
    expect(badJob?.attempts).toBe(2);
    expect(badJob?.error).toBe(
      `the stored ONNX file of lost-model is missing: ${gone} (and the database holds no copy of sha256 ${'f'.repeat(64)}; add the model again with \`alignscope models add\`)`,
    );
    expect((await getEvaluationRequest(t.db, bad.request.id))?.status).toBe('failed');
  });

  it('cancels a queued job: it never runs', async () => {
    await worker?.stop();
    worker = undefined;
    const { request, jobs } = await createEvaluationRequestWithJobs(t.db, {
      modelId,
      apiKeyId: null,
      benchmarks: ['CIFAR10-top1'],
      configuration: { limit: 3 },
    });
    const id = jobs[0]?.job.id as number;
    expect((await cancelJob(t.db, id))?.state).toBe('cancelled');
    expect(await cancelJob(t.db, id)).toBeNull(); // already ended
    worker = await startWorker({ connectionString: t.url, pollIntervalMs: 500 });
    await new Promise((r) => setTimeout(r, 2000));
    const j = await getJob(t.db, id);
    expect(j?.state).toBe('cancelled');
    expect(j?.attempts).toBe(0);
    expect((await getEvaluationRequest(t.db, request.id))?.status).toBe('cancelled');
  });

  it('gives requests of the old single-job queue their jobs on worker start, once, and drops their old queue job', async () => {
    await worker?.stop();
    worker = undefined;
    // a request as the old queue left it: one `evaluate` queue job keyed by the request, no jobs
    const [old] = (
      await t.pool.query(
        `insert into evaluation_requests (model_id, benchmarks, status, job_id)
         values ($1, '["CIFAR10-top1", "ImageNet-top1", "NoSuchBenchmark", "CIFAR10-top1"]', 'queued', '1') returning id`,
        [modelId],
      )
    ).rows;
    await t.pool.query(
      `select graphile_worker.add_job('evaluate', json_build_object('requestId', $1::int),
         job_key => 'evaluation-request-' || $1, max_attempts => 1, run_at => now() + interval '1 hour')`,
      [old.id],
    );
    const log: string[] = [];
    // run nothing: this worker only takes a benchmark of no job here
    worker = await startWorker({
      connectionString: t.url,
      benchmarks: ['Hermann2020cueconflict-shape_bias'],
      pollIntervalMs: 500,
      log: (m) => log.push(m),
    });
    expect(log).toContain('1 request(s) of the old single-job queue now have their jobs');
    const jobs = await t.pool.query(
      `select j.benchmark, j.state, j.error, j.configuration from evaluation_jobs j
       join evaluation_request_jobs rj on rj.job_id = j.id where rj.request_id = $1 order by j.benchmark`,
      [old.id],
    );
    expect(jobs.rows).toEqual([
      { benchmark: 'CIFAR10-top1', state: 'queued', error: null, configuration: {} },
      {
        benchmark: 'ImageNet-top1',
        state: 'failed',
        error: 'ImageNet-top1 needs a imagenet-1k model; cifar10_resnet20 is cifar-10',
        configuration: {},
      },
      {
        benchmark: 'NoSuchBenchmark',
        state: 'failed',
        error: `no evaluator worker runs NoSuchBenchmark (request ${old.id} was made under the old queue)`,
        configuration: {},
      },
    ]);
    expect((await getEvaluationRequest(t.db, old.id))?.status).toBe('queued');
    const oldQueueJob = await t.pool.query(
      `select count(*)::int as n from graphile_worker._private_jobs where key = $1`,
      [`evaluation-request-${old.id}`],
    );
    expect(oldQueueJob.rows[0].n).toBe(0);
    // a second worker start adopts nothing more
    await worker.stop();
    log.length = 0;
    worker = await startWorker({
      connectionString: t.url,
      benchmarks: ['Hermann2020cueconflict-shape_bias'],
      log: (m) => log.push(m),
    });
    expect(log.filter((m) => m.includes('old single-job queue'))).toEqual([]);
    const count = await t.pool.query(
      'select count(*)::int as n from evaluation_request_jobs where request_id = $1',
      [old.id],
    );
    expect(count.rows[0].n).toBe(3);
  });
});
