/**
 * Studies (issue 12): bad definitions fail with one clear error before anything is written; a small
 * study derived from cifar10-zoo runs to completion through the durable job queue (an embedded worker),
 * and after an interruption (Ctrl-C) a second run continues the same jobs and reuses every finished score.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { requireDataDir } from '@alignscope/config';
import {
  importTableCounts,
  listJobs,
  listStudies,
  listStudyJobs,
  studyProgress,
  studyRuns,
} from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadStudy, type StudyDefinition, studySchema } from '../src/studies/definition.ts';
import { queueExecutor, runStudy } from '../src/studies/run.ts';
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
    // Errors name the line and column of the offending value (1-based), found in the text here.
    const text = JSON.stringify({ ...base, robustness: [] }, null, 2);
    writeFileSync(bad, text);
    const lines = text.split('\n');
    const row = lines.findIndex((l) => l.includes('"robustness": []'));
    const col = (lines[row] as string).indexOf('[') + 1;
    expect(() => loadStudy(bad)).toThrow(
      `${bad}:${row + 1}:${col}: robustness: Too small: expected array to have >=1 items`,
    );
    expect(await importTableCounts(t.db)).toEqual(before);
    expect(await listStudies(t.db)).toEqual([]);
    expect(await listJobs(t.db)).toEqual([]);
  });
});

describe('--limit below what a benchmark needs', () => {
  // hoak2025 --limit 2 used to fail after the other scores had run: on 2 cue-conflict images MobileNet
  // made no shape or texture decision, so its shape bias was undefined. Shape bias and shape match
  // need one image per shape category of the stratified subset: the 16 categories of Geirhos et al.
  // (2019) for ImageNet models, the 7 of them that CIFAR-10 classes map to (CIFAR10_TO_HUMAN16) for
  // CIFAR-10 models. Refused before anything is written, naming the smallest limit.
  it('is refused up front with the minimum; at the minimum the study plans', async () => {
    const hoak = loadStudy('hoak2025').definition;
    const plan = (d: StudyDefinition, limit: number) => runStudy(t.db, d, { dataDir, limit, dryRun: true });
    const need = (b: string, n: number) =>
      `${b} needs at least ${n} (one cue-conflict image per shape category (${n}) in the stratified subset)`;
    await expect(plan(hoak, 2)).rejects.toThrow(
      `study hoak2025: a limit of 2 images is too small: ${need('Hermann2020cueconflict-shape_bias', 16)}; ${need('Hermann2020cueconflict-shape_match', 16)}; the smallest limit this study accepts is 16 (--limit 16)`,
    );
    await expect(plan(hoak, 15)).rejects.toThrow('the smallest limit this study accepts is 16 (--limit 16)');
    expect((await plan(hoak, 16)).plan.counts.missing).toBe(18);
    const zoo = { ...smallZoo(), benchmarks: ['CIFAR10-top1', 'Hermann2020cueconflict-shape_bias-cifar10'] };
    await expect(plan(zoo, 6)).rejects.toThrow(
      `study cifar10-zoo-small: a limit of 6 images is too small: ${need('Hermann2020cueconflict-shape_bias-cifar10', 7)}; the smallest limit this study accepts is 7 (--limit 7)`,
    );
    expect((await plan(zoo, 7)).plan.counts.missing).toBe(9);
    // A limit above the stimulus count runs the whole set; a dry run writes nothing.
    expect((await plan(zoo, 10_000)).plan.counts.missing).toBe(9);
    expect(await listStudies(t.db)).toEqual([]);
  });
});

describe('YAML definitions', () => {
  it('read as the same definition as JSON, through the same schema', () => {
    const dir = tmpDir();
    const zoo = loadStudy('cifar10-zoo').definition;
    const file = path.join(dir, 'zoo.yaml');
    writeFileSync(file, stringify(zoo));
    expect(loadStudy(file).definition).toEqual(zoo);
  });

  it('name the line and column of an invalid value, a malformed document and a duplicate key', () => {
    const dir = tmpDir();
    const write = (name: string, text: string) => {
      const f = path.join(dir, name);
      writeFileSync(f, text);
      return f;
    };
    // The second eps (line 10, column 22) is not an eps.
    const a = write(
      'a.yaml',
      [
        'name: tiny',
        'title: Tiny',
        'cohort:',
        '  bundleModels: [cifar10_resnet20]',
        'benchmarks:',
        '  - CIFAR10-top1',
        'robustness:',
        '  - dataset: cifar10',
        '    norm: Linf',
        '    eps: ["0.5/255", "1/2x55"]',
        '    images: { set: default, size: 2 }',
        'analysis: {}',
      ].join('\n'),
    );
    expect(() => loadStudy(a)).toThrow(
      `${a}:10:22: robustness.0.eps.1: not an eps (e.g. 0.001, 1/255, 0.5/255)`,
    );
    const b = write('b.yaml', 'name: tiny\ntitle: [unclosed\n');
    expect(() => loadStudy(b)).toThrow(`${b}:3:1: malformed YAML: Flow sequence in block collection`);
    const d = write('d.yml', 'name: tiny\nname: again\n');
    expect(() => loadStudy(d)).toThrow(`${d}:2:1: malformed YAML: Map keys must be unique`);
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

  it('runs to completion through the job queue; interrupted, it continues and reuses every finished score', async () => {
    const executor = queueExecutor({ dataDir, embeddedWorker: { connectionString: t.url }, pollMs: 200 });
    // --limit 50: CIFAR10-top1 on 50 images, AutoAttack on the definition's 2. Ctrl-C (the command
    // aborts this signal) while the last job runs: AutoAttack on the Gaussian-noise model, where both
    // images survive the early attacks (about two minutes of Square here), so the worker is inside it;
    // it gives the job back with its checkpoint.
    const ctrlC = new AbortController();
    const seen: number[] = [];
    await expect(
      runStudy(t.db, smallZoo(), {
        dataDir,
        executor,
        limit: 50,
        signal: ctrlC.signal,
        events: {
          onProgress: (p) => {
            seen.push(p.fraction);
            if (
              p.running.some((j) => j.model === 'cifar10_resnet20_gauss20' && j.benchmark !== 'CIFAR10-top1')
            )
              ctrlC.abort();
          },
        },
      }),
    ).rejects.toThrow('study cifar10-zoo-small@1 interrupted');
    const [stopped] = await listStudies(t.db);
    expect(stopped?.status).toBe('interrupted');
    if (!stopped) throw new Error('no study stored');
    // Progress came from the jobs and rose from 0 to at least 5 of 6 jobs.
    expect(seen[0]).toBe(0);
    expect(Math.max(...seen)).toBeGreaterThanOrEqual(5 / 6);
    const first = await listStudyJobs(t.db, stopped.id);
    // Every missing score became one job linked to the study (the image limit is part of the job).
    expect(first.map((j) => `${j.model} ${j.benchmark} ${JSON.stringify(j.configuration)}`)).toEqual([
      'cifar10_resnet20 CIFAR10-top1 {"limit":50}',
      'cifar10_resnet20 cifar10.AutoAttack-Linf-0.5/255 {"limit":2}',
      'cifar10_resnet32 CIFAR10-top1 {"limit":50}',
      'cifar10_resnet32 cifar10.AutoAttack-Linf-0.5/255 {"limit":2}',
      'cifar10_resnet20_gauss20 CIFAR10-top1 {"limit":50}',
      'cifar10_resnet20_gauss20 cifar10.AutoAttack-Linf-0.5/255 {"limit":2}',
    ]);
    // Interrupted in the last job: given back (queued, no attempt used), nothing failed.
    expect(first.map((j) => j.state)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
      'queued',
    ]);
    expect(first[5]?.attempts).toBe(0);
    expect((await studyProgress(t.db, stopped.id)).states).toEqual({
      queued: 1,
      running: 0,
      succeeded: 5,
      failed: 0,
      cancelled: 0,
    });

    const r = await runStudy(t.db, smallZoo(), { dataDir, executor, limit: 50 });
    // The five finished scores are current and not enqueued again; the last is the same job (joined,
    // not created anew), now succeeded.
    expect(r.plan.counts).toEqual({ current: 5, missing: 1, unavailable: 0 });
    expect(r.study?.version).toBe(1);
    const [done] = await listStudies(t.db);
    expect(done?.status).toBe('computed');
    const after = await listStudyJobs(t.db, stopped.id);
    expect(after.map((j) => j.id)).toEqual(first.map((j) => j.id));
    expect(after.every((j) => j.state === 'succeeded')).toBe(true);
    // The finished jobs kept their runs: each of the six scores was computed by exactly one run.
    expect(after.slice(0, 5).map((j) => j.runId)).toEqual(first.slice(0, 5).map((j) => j.runId));
    const runs = await studyRuns(t.db, 'cifar10-zoo-small@1');
    expect(
      runs
        .filter((x) => x.status === 'succeeded')
        .map((x) => x.id)
        .sort(),
    ).toEqual(after.map((j) => j.runId).sort());
    const target = 'cifar10.AutoAttack-Linf-0.5/255';
    const table = r.result?.correlations.find((c) => c.target === target);
    const top1 = table?.rows.find((x) => x.benchmark === 'CIFAR10-top1');
    expect(top1?.n).toBe(3);
    // A third run has nothing left to do.
    const again = await runStudy(t.db, smallZoo(), { dataDir, limit: 50, dryRun: true });
    expect(again.plan.counts).toEqual({ current: 6, missing: 0, unavailable: 0 });
  }, 600_000);
});
