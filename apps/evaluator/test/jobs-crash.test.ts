/**
 * Issue 18 acceptance: a worker killed with SIGKILL in the middle of AutoAttack (64 CIFAR-10 images,
 * Linf 1/255, ResNet-20) loses only the batch in flight: a live worker takes the job over once its
 * heartbeat is stale, resumes from the checkpoint saved in Postgres, and ends with exactly the
 * per-image flags, perturbation norms and score of an uninterrupted run of the same job (same seed).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AutoAttackCheckpoint } from '@alignscope/attacks';
import { needsDataBundle } from '@alignscope/config/testing';
import { createEvaluationRequestWithJobs, getJob, getRun, upsertModel } from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCard } from '../src/models/card.ts';
import { checkModelFile, modelRow, storeModelFile } from '../src/models/store.ts';
import { startWorker, type Worker } from '../src/worker/index.ts';

const bundle = needsDataBundle(
  ['models/cifar10_resnet20.onnx', 'models/cifar10_resnet20.json', 'cifar10/test'],
  'evaluation job crash test',
);
const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '../bin/alignscope.mjs');
const BENCHMARK = 'cifar10.AutoAttack-Linf-1/255';

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

type PerImage = { clean: boolean[]; robust: boolean[]; perturbation: number[] };

describe.skipIf(bundle.missing)('evaluation job killed mid-AutoAttack (needs ALIGNSCOPE_DATA_DIR)', () => {
  let t: TestDb;
  let worker: Worker | undefined;
  let child: ChildProcess | undefined;
  const home = mkdtempSync(path.join(os.tmpdir(), 'alignscope-crash-'));
  const ids: Record<'reference' | 'killed', number> = { reference: 0, killed: 0 };

  beforeAll(async () => {
    t = await createTestDb();
    const card = loadCard(bundle.path('models/cifar10_resnet20.json'));
    const file = bundle.path('models/cifar10_resnet20.onnx');
    const checked = await checkModelFile(file, card, {});
    const stored = await storeModelFile(file, checked.sha256, home);
    // the same network twice, so that the two jobs have different keys
    for (const name of ['reference', 'killed'] as const) {
      const { model } = await upsertModel(
        t.db,
        modelRow(
          { ...card, name: `crash-${name}` },
          { sha256: checked.sha256, bytes: checked.bytes, path: stored },
        ),
      );
      ids[name] = model.id;
    }
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await worker?.stop();
    await t.close();
    rmSync(home, { recursive: true, force: true });
  });

  async function queue(modelId: number): Promise<number> {
    const { jobs } = await createEvaluationRequestWithJobs(t.db, {
      modelId,
      apiKeyId: null,
      benchmarks: [BENCHMARK],
      configuration: { limit: 64 },
    });
    return jobs[0]?.job.id as number;
  }

  async function finished(jobId: number) {
    const job = await waitFor(
      () => getJob(t.db, jobId),
      (j) => j?.state === 'succeeded' || j?.state === 'failed',
      540_000,
    );
    expect(job?.error ?? null).toBeNull();
    expect(job?.state).toBe('succeeded');
    const run = await getRun(t.db, job?.runId as number);
    const artifacts = run?.artifacts as {
      robustAccuracy: number;
      perImage: PerImage;
      resumedFrom: { stage: number; batchesDone: number; seconds: number } | null;
    };
    return { job, artifacts };
  }

  it('resumes from its checkpoint and ends with the uninterrupted flags and score', async () => {
    // 1. the uninterrupted run
    worker = await startWorker({
      connectionString: t.url,
      staleSeconds: 3,
      heartbeatMs: 500,
      pollIntervalMs: 300,
    });
    const reference = await finished(await queue(ids.reference));
    expect(reference.job?.attempts).toBe(1);
    await worker.stop();
    worker = undefined;

    // 2. a worker process killed with SIGKILL after it checkpointed two APGD-CE batches
    let log = '';
    child = spawn(process.execPath, [bin, 'worker', '--stale-after', '3'], {
      env: { ...process.env, DATABASE_URL: t.url, ALIGNSCOPE_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d) => {
      log += String(d);
    });
    child.stderr?.on('data', (d) => {
      log += String(d);
    });
    const jobId = await queue(ids.killed);
    const atKill = await waitFor(
      () => getJob(t.db, jobId),
      (j) => {
        const c = j?.checkpoint as AutoAttackCheckpoint | null | undefined;
        return Boolean(c && (c.stageIndex > 0 || c.batchesDone >= 2));
      },
      120_000,
    );
    child.kill('SIGKILL');
    const killedAt = Date.now();
    await new Promise((r) => child?.once('exit', r));
    const saved = atKill?.checkpoint as AutoAttackCheckpoint | null;
    expect(saved, `no checkpoint before the kill; worker log:\n${log}`).not.toBeNull();
    expect(atKill?.state).toBe('running');
    const fresh = await getJob(t.db, jobId);
    expect(fresh?.state).toBe('running'); // nobody has noticed yet

    // 3. a live worker takes the job over after the stale limit and resumes it
    worker = await startWorker({
      connectionString: t.url,
      staleSeconds: 3,
      heartbeatMs: 500,
      pollIntervalMs: 300,
    });
    const resumed = await finished(jobId);
    expect(resumed.job?.attempts).toBe(2);
    const last = fresh?.checkpoint as AutoAttackCheckpoint;
    expect(reference.artifacts.resumedFrom).toBeNull();
    expect(resumed.artifacts.resumedFrom).toEqual({
      stage: last.stageIndex,
      batchesDone: last.batchesDone,
      seconds: last.seconds,
    });

    // identical per-image results and score
    expect(resumed.artifacts.perImage.clean).toEqual(reference.artifacts.perImage.clean);
    expect(resumed.artifacts.perImage.robust).toEqual(reference.artifacts.perImage.robust);
    expect(resumed.artifacts.perImage.perturbation).toEqual(reference.artifacts.perImage.perturbation);
    expect(resumed.artifacts.robustAccuracy).toBe(reference.artifacts.robustAccuracy);
    // the perturbation norms are a strong check: every image the attack fooled has a non-zero norm
    expect(resumed.artifacts.perImage.perturbation.filter((v) => v > 0).length).toBeGreaterThan(30);

    // less work redone than done: what the checkpoint had saved vs. the time from it to the kill
    const lastCheckpoint = (fresh?.checkpointAt ?? new Date(Number.NaN)).getTime();
    const done = last.seconds;
    const redone = (killedAt - lastCheckpoint) / 1000;
    expect(done).toBeGreaterThan(redone);
  }, 900_000);
});
