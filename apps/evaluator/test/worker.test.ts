import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { needsDataBundle } from '@alignscope/config/testing';
import {
  createApiKey,
  createEvaluationRequest,
  enqueueEvaluationRequest,
  getEvaluationRequest,
  listScores,
  upsertModel,
} from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { quickAddJob } from 'graphile-worker';
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

// The queue end to end on a real Postgres: a request recorded before any worker existed is swept
// up when one starts, evaluated with a real model of the data bundle, and its score written.
describe.skipIf(bundle.missing)('evaluator worker (needs ALIGNSCOPE_DATA_DIR)', () => {
  let t: TestDb;
  let worker: Worker | undefined;
  const home = mkdtempSync(path.join(os.tmpdir(), 'alignscope-worker-'));
  const savedHome = process.env.ALIGNSCOPE_HOME;
  beforeAll(async () => {
    process.env.ALIGNSCOPE_HOME = home; // the model store
    t = await createTestDb();
  });
  afterAll(async () => {
    await worker?.stop();
    await t.close();
    rmSync(home, { recursive: true, force: true });
    if (savedHome === undefined) delete process.env.ALIGNSCOPE_HOME;
    else process.env.ALIGNSCOPE_HOME = savedHome;
  });

  it('runs a pending evaluation request and records the score with its run', async () => {
    const card = loadCard(path.join(dataDir, 'models/cifar10_resnet20.json'));
    const checked = await checkModelFile(modelFile, card, {});
    const stored = await storeModelFile(modelFile, checked.sha256);
    const { model } = await upsertModel(
      t.db,
      modelRow(card, { sha256: checked.sha256, bytes: checked.bytes, path: stored }),
    );
    const { apiKey } = await createApiKey(t.db, { name: 'requester' });
    const request = await createEvaluationRequest(t.db, {
      modelId: model.id,
      apiKeyId: apiKey.id,
      benchmarks: ['Hermann2020cueconflict-shape_bias-cifar10'],
    });
    // No worker has installed the queue yet: the request stays pending.
    expect(await enqueueEvaluationRequest(t.db, request.id)).toBe(false);
    expect((await getEvaluationRequest(t.db, request.id))?.status).toBe('pending');

    worker = await startWorker({ connectionString: t.url });
    const done = await waitFor(
      () => getEvaluationRequest(t.db, request.id),
      (r) => r?.status === 'done' || r?.status === 'failed',
      90_000,
    );
    expect(done?.status).toBe('done');
    const [score] = await listScores(t.db, {
      model: model.identifier,
      benchmark: 'Hermann2020cueconflict-shape_bias-cifar10',
    });
    expect(score?.status).toBe('scored');
    expect(score?.rawValue).toBeGreaterThanOrEqual(0);
    expect(score?.rawValue).toBeLessThanOrEqual(1);
    expect(score?.runId).not.toBeNull();
  });

  it('a request for a model without an ONNX file ends failed, with the failure recorded', async () => {
    const { model } = await upsertModel(t.db, { identifier: 'results-only', displayName: 'Results only' });
    const { apiKey } = await createApiKey(t.db, { name: 'other' });
    const request = await createEvaluationRequest(t.db, {
      modelId: model.id,
      apiKeyId: apiKey.id,
      benchmarks: ['CIFAR10-top1'],
    });
    expect(await enqueueEvaluationRequest(t.db, request.id)).toBe(true); // the queue exists now
    expect(await enqueueEvaluationRequest(t.db, request.id)).toBe(false); // once only
    const end = await waitFor(
      () => getEvaluationRequest(t.db, request.id),
      (r) => r?.status === 'done' || r?.status === 'failed',
      60_000,
    );
    expect(end?.status).toBe('failed');
  });

  it('fails a job with a malformed payload, saying why', async () => {
    const job = await quickAddJob(
      { connectionString: t.url },
      'evaluate',
      { requestId: 'x' },
      { maxAttempts: 1 },
    );
    const row = await waitFor(
      async () =>
        (await t.pool.query('select last_error from graphile_worker.jobs where id = $1', [job.id])).rows[0] as
          | { last_error: string | null }
          | undefined,
      (r) => Boolean(r?.last_error),
      30_000,
    );
    expect(row?.last_error).toMatch(/invalid payload \{"requestId":"x"\}/);
  });
});
