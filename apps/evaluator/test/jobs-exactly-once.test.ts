/**
 * Issue 18 acceptance: exactly once. Four worker processes share 200 short jobs (CIFAR10-top1 on 2
 * images of the small ResNet-20, one job per model row); one worker is stopped with SIGTERM while
 * they run (it releases its job and exits within seconds, without a stack trace). Every job ends
 * succeeded after one counted attempt, with exactly one run per model, and the queue is
 * left empty.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { needsDataBundle } from '@alignscope/config/testing';
import {
  createEvaluationRequestWithJobs,
  registerEvaluatorBenchmarks,
  upsertModel,
} from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { runMigrations } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCard } from '../src/models/card.ts';
import { checkModelFile, modelRow, storeModelFile } from '../src/models/store.ts';

const bundle = needsDataBundle(
  ['models/cifar10_resnet20.onnx', 'models/cifar10_resnet20.json', 'cifar10/test'],
  'exactly-once job test',
);
const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '../bin/alignscope.mjs');
const JOBS = 200;
const WORKERS = 4;

describe.skipIf(bundle.missing)('200 jobs on 4 worker processes (needs ALIGNSCOPE_DATA_DIR)', () => {
  let t: TestDb;
  const children: { proc: ChildProcess; log: string; exit: Promise<number | null> }[] = [];
  const home = mkdtempSync(path.join(os.tmpdir(), 'alignscope-once-'));

  beforeAll(async () => {
    t = await createTestDb();
    await runMigrations({ connectionString: t.url });
    // what the workers will register; the jobs are queued before any of them starts
    await registerEvaluatorBenchmarks(t.db, [
      { identifier: 'CIFAR10-top1', version: 1, labelSpace: 'cifar-10' },
    ]);
    const card = loadCard(bundle.path('models/cifar10_resnet20.json'));
    const file = bundle.path('models/cifar10_resnet20.onnx');
    const checked = await checkModelFile(file, card, {});
    const stored = await storeModelFile(file, checked.sha256, home);
    for (let i = 0; i < JOBS; i++) {
      const { model } = await upsertModel(
        t.db,
        modelRow(
          { ...card, name: `once-${i}` },
          { sha256: checked.sha256, bytes: checked.bytes, path: stored },
        ),
      );
      await createEvaluationRequestWithJobs(t.db, {
        modelId: model.id,
        apiKeyId: null,
        benchmarks: ['CIFAR10-top1'],
        configuration: { limit: 2 },
      });
    }
  }, 120_000);
  afterAll(async () => {
    for (const c of children) c.proc.kill('SIGKILL');
    await t.close();
    rmSync(home, { recursive: true, force: true });
  });

  const count = async (q: string) => Number((await t.pool.query(q)).rows[0].n);

  it('runs every job exactly once, and a SIGTERM releases a job within seconds', async () => {
    for (let w = 0; w < WORKERS; w++) {
      const proc = spawn(process.execPath, [bin, 'worker'], {
        env: { ...process.env, DATABASE_URL: t.url, ALIGNSCOPE_HOME: home },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const c = {
        proc,
        log: '',
        exit: new Promise<number | null>((r) =>
          proc.once('exit', (code, signal) => r(code ?? (signal ? -1 : null))),
        ),
      };
      proc.stdout?.on('data', (d) => {
        c.log += String(d);
      });
      proc.stderr?.on('data', (d) => {
        c.log += String(d);
      });
      children.push(c);
    }
    const deadline = Date.now() + 240_000;
    // stop one worker gracefully once it is working (it has scored a job)
    const stopped = children[0] as (typeof children)[number];
    while (!/scored/.test(stopped.log)) {
      if (Date.now() > deadline)
        throw new Error(`no progress; worker logs:\n${children.map((c) => c.log).join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const t0 = Date.now();
    stopped.proc.kill('SIGTERM');
    const code = await stopped.exit;
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(code, stopped.log).toBe(0);
    expect(stopped.log).not.toMatch(/\n\s+at /); // no stack trace
    expect(stopped.log).toMatch(/SIGTERM; releasing running jobs and stopping/);

    while (
      (await count(`select count(*)::int as n from evaluation_jobs where state in ('succeeded', 'failed')`)) <
      JOBS
    ) {
      if (Date.now() > deadline) throw new Error('jobs left behind');
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(
      await count(
        `select count(*)::int as n from evaluation_jobs where state = 'succeeded' and attempts = 1`,
      ),
    ).toBe(JOBS);
    // one run per job, one score per model, each score linked to its job's run
    expect(
      await count(`select count(*)::int as n from runs where kind = 'evaluation' and status = 'succeeded'`),
    ).toBe(JOBS);
    expect(
      await count(
        `select count(*)::int as n from (select model_id from runs where kind = 'evaluation' group by model_id having count(*) <> 1) x`,
      ),
    ).toBe(0);
    // every job links its own run (a --limit run is partial: it writes no board score)
    expect(
      await count(`select count(distinct run_id)::int as n from evaluation_jobs where run_id is not null`),
    ).toBe(JOBS);
    expect(await count(`select count(*)::int as n from scores`)).toBe(0);
    expect(await count(`select count(*)::int as n from evaluation_requests where status = 'done'`)).toBe(
      JOBS,
    );
    // the queue is empty (no job left locked or waiting)
    await new Promise((r) => setTimeout(r, 1000));
    expect(await count(`select count(*)::int as n from graphile_worker.jobs`)).toBe(0);
  }, 300_000);
});
