/**
 * A study run by the workers alone (the API's runStudy, issue 12): `requestStudyRun` adds a
 * `study:run` queue task; a worker plans the stored definition, registers its bundle model, enqueues
 * the missing scores as jobs linked to the study and returns; the worker that ends the study's last job
 * computes and stores the result (completeStudy). Nothing waits in a study process.
 */
import { requireDataDir } from '@alignscope/config';
import {
  getStudy,
  listStudyJobs,
  requestStudyRun,
  saveStudyDefinition,
  studyRuns,
} from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { studySchema } from '../src/studies/definition.ts';
import { type StudyResult, studyJobPriority } from '../src/studies/run.ts';
import { startWorker, type Worker } from '../src/worker/index.ts';

requireDataDir();
let t: TestDb;
let worker: Worker | undefined;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await worker?.stop();
  await t?.close();
});

describe("the order of a study's jobs", () => {
  it('runs alignment scores first, then AutoAttack from the largest eps down', () => {
    // round(eps * 2550): 8/255 -> 80, 1/255 -> 10, 0.5/255 -> 5, 0.001 -> round(2.55) = 3
    expect(studyJobPriority('Hermann2020cueconflict-shape_bias')).toBe(100);
    expect(studyJobPriority('ImageNet-top1')).toBe(100);
    expect(studyJobPriority('cifar10.AutoAttack-Linf-8/255')).toBe(80);
    expect(studyJobPriority('AutoAttack-Linf-1/255-torchattacks')).toBe(10);
    expect(studyJobPriority('AutoAttack-Linf-0.5/255-torchattacks')).toBe(5);
    expect(studyJobPriority('AutoAttack-Linf-0.001-torchattacks')).toBe(3);
  });
});

describe('a study run by the workers', () => {
  // AutoAttack at 1/255 on one image: ResNet-20's image is broken within APGD-CE (seconds).
  it('is planned by a study:run task, its jobs run, and the last job computes the result', async () => {
    const def = studySchema.parse({
      name: 'by-workers',
      title: 'A study the API asked to run',
      cohort: { bundleModels: ['cifar10_resnet20'] },
      benchmarks: ['Hermann2020cueconflict-shape_bias-cifar10'],
      robustness: [{ dataset: 'cifar10', norm: 'Linf', eps: ['1/255'], images: { set: 'default', size: 1 } }],
      analysis: { minN: 3 },
    });
    const { study } = await saveStudyDefinition(t.db, def.name, def);
    // No worker has installed the queue yet: the API would answer NOT_EVALUABLE.
    expect(await requestStudyRun(t.db, study.id)).toBe(false);
    worker = await startWorker({
      connectionString: t.url,
      pollIntervalMs: 200,
      quietQueue: true,
      log: () => {},
    });
    expect(await requestStudyRun(t.db, study.id)).toBe(true);
    expect((await getStudy(t.db, study.id))?.status).toBe('requested');
    const deadline = Date.now() + 240_000;
    let now = await getStudy(t.db, study.id);
    while (now && !['computed', 'failed'].includes(now.status) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      now = await getStudy(t.db, study.id);
    }
    expect(now?.error ?? null).toBeNull();
    expect(now?.status).toBe('computed');
    const jobs = await listStudyJobs(t.db, study.id);
    expect(jobs.map((j) => [j.model, j.benchmark, j.state, j.configuration])).toEqual([
      ['cifar10_resnet20', 'Hermann2020cueconflict-shape_bias-cifar10', 'succeeded', {}],
      ['cifar10_resnet20', 'cifar10.AutoAttack-Linf-1/255', 'succeeded', { limit: 1 }],
    ]);
    // Cheapest first (studyJobPriority): the alignment score outranks the attack; round(2550/255) = 10.
    expect(Object.fromEntries(jobs.map((j) => [j.benchmark, j.priority]))).toEqual({
      'Hermann2020cueconflict-shape_bias-cifar10': 100,
      'cifar10.AutoAttack-Linf-1/255': 10,
    });
    // Each job's run records the study.
    const runs = await studyRuns(t.db, 'by-workers@1');
    expect(runs.map((r) => r.id).sort()).toEqual(jobs.map((j) => j.runId).sort());
    const result = now?.result as StudyResult;
    expect(result.study).toBe('by-workers@1');
    expect(result.models).toEqual(['cifar10_resnet20']);
    // One model: the correlation row exists with n = 1 and no statistics (below the minimum n).
    const row = result.correlations[0]?.rows.find(
      (r) => r.benchmark === 'Hermann2020cueconflict-shape_bias-cifar10',
    );
    expect(result.correlations[0]?.target).toBe('cifar10.AutoAttack-Linf-1/255');
    expect(row?.n).toBe(1);
    expect(row?.coefficient).toBeNull();
  }, 300_000);
});
