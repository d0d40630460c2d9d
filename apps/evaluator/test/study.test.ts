/**
 * Studies (issue 12): bad definitions fail with one clear error before anything is written; a small
 * study derived from cifar10-zoo runs to completion, and after an interruption a second run continues
 * and reuses every finished score.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { requireDataDir } from '@alignscope/config';
import { importTableCounts, listStudies, studyRuns } from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStudy, type StudyDefinition, studySchema } from '../src/studies/definition.ts';
import { inProcessExecutor, runStudy, type StudyExecutor } from '../src/studies/run.ts';
import { tmpDir } from './helpers.ts';

const dataDir = requireDataDir();
let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.close();
});

/** cifar10-zoo with a smaller cohort, fewer benchmarks and images (the shipped file is the whole). */
function smallZoo(): StudyDefinition {
  const zoo = loadStudy('cifar10-zoo').definition;
  return studySchema.parse({
    ...zoo,
    name: 'cifar10-zoo-small',
    cohort: { bundleModels: ['cifar10_resnet20', 'cifar10_resnet32', 'cifar10_resnet20_gauss20'] },
    benchmarks: ['CIFAR10-top1'],
    robustness: [{ ...zoo.robustness[0], eps: ['0.5/255'], images: { set: 'default', size: 2 } }],
    analysis: { ...zoo.analysis, minN: 3 },
  });
}

describe('study definitions', () => {
  it('ships the three named studies, valid', () => {
    for (const name of ['hoak2025', 'robustbench-linf', 'cifar10-zoo']) {
      expect(loadStudy(name).definition.name).toBe(name);
    }
    expect(loadStudy('cifar10-zoo').definition.cohort.bundleModels).toHaveLength(15);
  });

  it('rejects bad input with one clear error and writes nothing', async () => {
    const before = await importTableCounts(t.db);
    const base = smallZoo();
    const run = (d: unknown) => runStudy(t.db, studySchema.parse(d), { dataDir });
    await expect(run({ ...base, benchmarks: ['NoSuch-benchmark'] })).rejects.toThrow(
      'study cifar10-zoo-small: unknown benchmark "NoSuch-benchmark"',
    );
    await expect(run({ ...base, cohort: { filters: ['family:nosuchfamily'] } })).rejects.toThrow(
      'study cifar10-zoo-small: the cohort is empty (no model matches)',
    );
    await expect(
      run({ ...base, cohort: { bundleModels: ['cifar10_resnet20', 'mobilenet_v1_025_imagenet1k'] } }),
    ).rejects.toThrow(
      'study cifar10-zoo-small: model mobilenet_v1_025_imagenet1k (imagenet-1k) does not fit benchmark CIFAR10-top1: needs a cifar-10 model (this one is imagenet-1k)',
    );
    const bad = path.join(tmpDir(), 'bad.json');
    writeFileSync(bad, '{"name": "x",');
    expect(() => loadStudy(bad)).toThrow(`${bad}: malformed JSON:`);
    writeFileSync(bad, JSON.stringify({ ...base, robustness: [] }));
    expect(() => loadStudy(bad)).toThrow(`${bad}: robustness: `);
    expect(await importTableCounts(t.db)).toEqual(before);
    expect(await listStudies(t.db)).toEqual([]);
  });
});

describe('study run', () => {
  it('a dry run plans and stores nothing', async () => {
    const r = await runStudy(t.db, smallZoo(), { dataDir, dryRun: true });
    // 3 models x (CIFAR10-top1 + AutoAttack 0.5/255): nothing scored yet.
    expect(r.plan.counts).toEqual({ current: 0, missing: 6, unavailable: 0 });
    expect(r.result).toBeNull();
    expect(await listStudies(t.db)).toEqual([]);
  });

  it('runs to completion; interrupted, it continues and reuses every finished score', async () => {
    const real = inProcessExecutor({ dataDir });
    let calls = 0;
    // Stops (as Ctrl-C would) after the first model's scores are written (two tasks: CIFAR10-top1 on
    // every image, AutoAttack on 2).
    const interrupted: StudyExecutor = {
      async run(db, task, progress) {
        if (calls++ >= 2) throw new Error('interrupted');
        await real.run(db, task, progress);
      },
    };
    await expect(runStudy(t.db, smallZoo(), { dataDir, executor: interrupted })).rejects.toThrow(
      'interrupted',
    );
    const [failed] = await listStudies(t.db);
    expect(failed?.status).toBe('failed');

    const ran: string[] = [];
    const counting: StudyExecutor = {
      async run(db, task, progress) {
        ran.push(task.model);
        await real.run(db, task, progress);
      },
    };
    const r = await runStudy(t.db, smallZoo(), { dataDir, executor: counting });
    // The first model's two scores are current and not run again.
    expect(r.plan.counts).toEqual({ current: 2, missing: 4, unavailable: 0 });
    expect(ran).toEqual([
      'cifar10_resnet32',
      'cifar10_resnet32',
      'cifar10_resnet20_gauss20',
      'cifar10_resnet20_gauss20',
    ]);
    // Same definition: the same stored study (version 1), now computed, its runs tagged with it.
    expect(r.study?.version).toBe(1);
    const [done] = await listStudies(t.db);
    expect(done?.status).toBe('computed');
    expect((await studyRuns(t.db, 'cifar10-zoo-small@1')).length).toBe(6);
    const target = 'cifar10.AutoAttack-Linf-0.5/255';
    const table = r.result?.correlations.find((c) => c.target === target);
    const top1 = table?.rows.find((x) => x.benchmark === 'CIFAR10-top1');
    expect(top1?.n).toBe(3);
    // A third run has nothing left to do.
    const again = await runStudy(t.db, smallZoo(), { dataDir, executor: counting, dryRun: true });
    expect(again.plan.counts).toEqual({ current: 6, missing: 0, unavailable: 0 });
  }, 600_000);
});
