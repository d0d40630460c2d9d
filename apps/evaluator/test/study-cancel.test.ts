/**
 * A study's job cancelled through the API while it is still queued (issue 12): the `study run` that
 * waits for it sees the cancellation as a failure of that score (state `cancelled`, the reason naming
 * who cancelled it and when), ends `done_with_failures` once the other score has ended, and a re-run
 * retries the cancelled job (the same job, queued again) and ends `computed`.
 *
 * The real queue and worker: the study enqueues with no worker of its own (`embeddedWorker: null`), so
 * both jobs stay queued until the test cancels one through the GraphQL `cancelJob` mutation and then
 * starts a worker, which runs the other.
 */
import { requireDataDir } from '@alignscope/config';
import { createApiKey, getStudy, type JobRow, listStudyJobs, upsertModel } from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { type ApiServer, startApiServer } from '@alignscope/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCard } from '../src/models/card.ts';
import { fileDigest, modelRow } from '../src/models/store.ts';
import { studySchema } from '../src/studies/definition.ts';
import { queueExecutor, runStudy, type StudyResult } from '../src/studies/run.ts';
import { startWorker } from '../src/worker/index.ts';
import { bundle } from './helpers.ts';

const dataDir = requireDataDir();
const AA = 'cifar10.AutoAttack-Linf-1/255';
let t: TestDb;
let api: ApiServer;
let key: string;
beforeAll(async () => {
  t = await createTestDb();
  api = await startApiServer({ db: t.db, cacheTtlMs: 0, rateLimits: { perAddress: 0, perKey: 0 } });
  key = (await createApiKey(t.db, { name: 'the lead', isAdmin: true })).key;
});
afterAll(async () => {
  await api?.close();
  await t?.close();
});

const study = (name: string, cohort: object) =>
  studySchema.parse({
    name,
    title: 'A study with a cancelled job',
    cohort,
    benchmarks: ['CIFAR10-top1'],
    // AutoAttack at 1/255 on one image: ResNet-20's image is broken within APGD-CE (seconds).
    robustness: [{ dataset: 'cifar10', norm: 'Linf', eps: ['1/255'], images: { set: 'default', size: 1 } }],
    analysis: { minN: 3 },
  });
const definition = study('with-cancel', { bundleModels: ['cifar10_resnet20'] });
const cancelledBy = /^cancelled by API key "the lead" at \d{4}-\d\d-\d\dT[\d:.]+Z$/;

/** Polls `read` until `ok` holds of its value (30 s at most). */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function cancelThroughApi(jobId: number) {
  const res = await fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({
      query: 'mutation ($id: ID!) { cancelJob(id: $id) { ok job { id state } errors { code message } } }',
      variables: { id: String(jobId) },
    }),
  });
  const body = (await res.json()) as {
    data?: { cancelJob: { ok: boolean; job: { id: string; state: string } | null; errors: unknown[] } };
    errors?: unknown;
  };
  if (!body.data) throw new Error(`cancelJob: ${res.status} ${JSON.stringify(body)}`);
  return body.data.cancelJob;
}

describe('a study whose queued job is cancelled through the API', () => {
  it('ends done_with_failures with the cancellation, and a re-run retries the job', async () => {
    // 1. Enqueue and wait, with no worker: both jobs stay queued.
    const waiting = runStudy(t.db, definition, {
      dataDir,
      limit: 4,
      executor: queueExecutor({ dataDir, embeddedWorker: null, pollMs: 200 }),
    });
    // Settled here too, so a failure before the test awaits it is not an unhandled rejection.
    waiting.catch(() => {});
    let jobs: JobRow[] = [];
    const deadline = Date.now() + 30_000;
    while (jobs.length < 2) {
      if (Date.now() > deadline) throw new Error('the study never enqueued its two jobs');
      await new Promise((r) => setTimeout(r, 100));
      const s = await getStudy(t.db, 'with-cancel');
      jobs = s ? await listStudyJobs(t.db, s.id) : [];
    }
    expect(jobs.map((j) => [j.benchmark, j.state])).toEqual([
      ['CIFAR10-top1', 'queued'],
      [AA, 'queued'],
    ]);
    const aa = jobs[1] as JobRow;

    // 2. Cancel the AutoAttack job through the API, then let a worker run the other job.
    const before = Date.now();
    expect(await cancelThroughApi(aa.id)).toEqual({
      ok: true,
      job: { id: String(aa.id), state: 'cancelled' },
      errors: [],
    });
    const worker = await startWorker({
      connectionString: t.url,
      pollIntervalMs: 200,
      quietQueue: true,
      log: () => {},
    });
    let first: Awaited<typeof waiting>;
    try {
      first = await waiting;
    } finally {
      await worker.stop();
    }
    expect(first.failures).toEqual([
      {
        model: 'cifar10_resnet20',
        benchmark: AA,
        limit: 1,
        state: 'cancelled',
        error: expect.stringMatching(cancelledBy),
      },
    ]);
    const when = Date.parse((first.failures[0]?.error ?? '').replace(/^.* at /, ''));
    expect(when).toBeGreaterThanOrEqual(before - 1000);
    expect(when).toBeLessThanOrEqual(Date.now());
    const study = await getStudy(t.db, 'with-cancel');
    expect(study?.status).toBe('done_with_failures');
    const result = study?.result as StudyResult;
    expect(result.values['CIFAR10-top1']?.[0]).toEqual(expect.any(Number));
    expect(result.values[AA]?.[0]).toBeNull();
    expect(result.failures).toEqual(first.failures);

    // 3. Run again (with a worker): the top-1 score is reused, the cancelled job is queued again and runs.
    const second = await runStudy(t.db, definition, {
      dataDir,
      limit: 4,
      executor: queueExecutor({ dataDir, embeddedWorker: { connectionString: t.url }, pollMs: 200 }),
    });
    expect(second.plan.counts).toEqual({ current: 1, missing: 1, unavailable: 0 });
    expect(second.failures).toEqual([]);
    const after = await listStudyJobs(t.db, study?.id as number);
    expect(after.map((j) => [j.id, j.state])).toEqual([
      [jobs[0]?.id, 'succeeded'],
      [aa.id, 'succeeded'],
    ]);
    const done = await getStudy(t.db, 'with-cancel');
    expect(done?.status).toBe('computed');
    expect((done?.result as StudyResult | undefined)?.values[AA]?.[0]).toEqual(expect.any(Number));
  }, 120_000);

  it('completes a detached study (the API runStudy) whose last pending job is cancelled', async () => {
    // ResNet-20 under another identifier: its own jobs, not the first test's finished ones.
    const card = { ...loadCard(bundle('models/cifar10_resnet20.json')), name: 'resnet20_detached' };
    const onnx = bundle('models/cifar10_resnet20.onnx');
    const d = await fileDigest(onnx);
    await upsertModel(t.db, modelRow(card, { sha256: d.sha256, bytes: d.bytes, path: onnx }));
    // As the worker's study:run task does: enqueue and return; the worker that ends a job completes it.
    const r = await runStudy(t.db, study('detached-cancel', { models: ['resnet20_detached'] }), {
      dataDir,
      limit: 4,
      executor: queueExecutor({ dataDir, embeddedWorker: null, wait: false }),
      detach: true,
    });
    const id = r.study?.id as number;
    expect((await getStudy(t.db, id))?.status).toBe('running');
    // A worker that takes only top-1 jobs: the AutoAttack job stays queued.
    const worker = await startWorker({
      connectionString: t.url,
      pollIntervalMs: 200,
      quietQueue: true,
      log: () => {},
      benchmarks: ['CIFAR10-top1'],
    });
    try {
      const jobs = await until(
        () => listStudyJobs(t.db, id),
        (js) => js.some((j) => j.benchmark === 'CIFAR10-top1' && j.state === 'succeeded'),
        'the top-1 job',
      );
      const aa = jobs.find((j) => j.benchmark === AA) as JobRow;
      expect(aa.state).toBe('queued');
      expect((await getStudy(t.db, id))?.status).toBe('running');
      // No worker will end the cancelled job: the cancellation itself has the study completed.
      expect((await cancelThroughApi(aa.id)).ok).toBe(true);
      const done = await until(
        () => getStudy(t.db, id),
        (s) => s?.status !== 'running',
        'the study to be completed',
      );
      expect(done?.status).toBe('done_with_failures');
      expect((done?.result as StudyResult | undefined)?.failures).toEqual([
        {
          model: 'resnet20_detached',
          benchmark: AA,
          limit: 1,
          state: 'cancelled',
          error: expect.stringMatching(cancelledBy),
        },
      ]);
      expect((done?.result as StudyResult | undefined)?.values['CIFAR10-top1']?.[0]).toEqual(
        expect.any(Number),
      );
    } finally {
      await worker.stop();
    }
  }, 120_000);
});
