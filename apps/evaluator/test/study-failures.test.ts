/**
 * A study whose jobs end with some failures (issue 12): it finishes with a result over the scores that
 * succeeded, state `done_with_failures`, and the failed (model, benchmark, error) listed with the
 * result, by `study status` and by `study show --json`; running it again retries only the failed jobs
 * (the same jobs, requeued) and recomputes; once the model is mended the study is `computed`.
 *
 * The failure is deterministic: a model registered with a corrupt ONNX file (bytes that are not the
 * network its card names by sha256), so every attempt of its jobs stops at the file check.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { requireDataDir } from '@alignscope/config';
import { getStudy, listStudyJobs, studyProgress, studyRuns, upsertModel } from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCard } from '../src/models/card.ts';
import { fileDigest, modelRow } from '../src/models/store.ts';
import { studySchema } from '../src/studies/definition.ts';
import { queueExecutor, runStudy, type StudyResult } from '../src/studies/run.ts';
import { bundle, tmpDir } from './helpers.ts';

const dataDir = requireDataDir();
const bin = path.resolve(import.meta.dirname, '../bin/alignscope.mjs');
const exec = promisify(execFile);
const AA = 'cifar10.AutoAttack-Linf-1/255';
const CP95 = 'clopper-pearson 95%';
let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.close();
});

const definition = studySchema.parse({
  name: 'with-failures',
  title: 'A study with a broken model',
  cohort: { bundleModels: ['cifar10_resnet20'], models: ['broken_resnet20'] },
  benchmarks: ['CIFAR10-top1'],
  // AutoAttack at 1/255 on one image: ResNet-20's image is broken within APGD-CE (seconds).
  robustness: [{ dataset: 'cifar10', norm: 'Linf', eps: ['1/255'], images: { set: 'default', size: 1 } }],
  analysis: { minN: 3 },
});

/** Registers `broken_resnet20`: ResNet-20's card (sha256 included) over `file`. */
async function register(file: string) {
  const card = { ...loadCard(bundle('models/cifar10_resnet20.json')), name: 'broken_resnet20' };
  const d = await fileDigest(file);
  await upsertModel(t.db, modelRow(card, { sha256: d.sha256, bytes: d.bytes, path: file }));
}

async function cli(...args: string[]) {
  try {
    const r = await exec(process.execPath, [bin, ...args], {
      env: { ...process.env, DATABASE_URL: t.url },
      timeout: 60_000,
    });
    return { code: 0, ...r };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('a study with failed jobs', () => {
  it('finishes over the scores that succeeded, lists the failures, and a re-run retries only them', async () => {
    const corrupt = path.join(tmpDir(), 'broken.onnx');
    writeFileSync(corrupt, 'not an ONNX model\n');
    await register(corrupt);
    const executor = queueExecutor({ dataDir, embeddedWorker: { connectionString: t.url }, pollMs: 200 });

    // 1. ResNet-20's two scores succeed; the broken model's two jobs fail (three attempts each).
    const first = await runStudy(t.db, definition, { dataDir, executor, limit: 4 });
    const failedWith = (b: string, limit: number) => ({
      model: 'broken_resnet20',
      benchmark: b,
      limit,
      state: 'failed',
      error: expect.stringContaining(
        'the card disagrees with the model: card broken_resnet20 names sha256 8b2491c9913cf561',
      ),
    });
    const failures = [failedWith('CIFAR10-top1', 4), failedWith(AA, 1)];
    expect(first.failures).toEqual(failures);
    const study = await getStudy(t.db, 'with-failures');
    expect(study?.status).toBe('done_with_failures');
    expect(study?.error).toMatch(
      /^2 planned score\(s\) failed and are left out of the result: broken_resnet20/,
    );
    // The result covers the scores that succeeded, and names the ones that did not.
    const result = study?.result as StudyResult;
    expect(result.models).toEqual(['cifar10_resnet20', 'broken_resnet20']);
    expect(result.values['CIFAR10-top1']?.[0]).toEqual(expect.any(Number));
    expect(result.values[AA]?.[0]).toEqual(expect.any(Number));
    expect(result.values['CIFAR10-top1']?.[1]).toBeNull();
    expect(result.values[AA]?.[1]).toBeNull();
    // Each value keeps the Clopper-Pearson 95 % interval its --limit run stored. On AutoAttack's one
    // image it has a closed form: 0 of 1 is [0, 1 - 0.025] and 1 of 1 is [0.025, 1].
    const [aaLow, aaHigh] = result.intervals[AA]?.[0] ?? [Number.NaN, Number.NaN];
    expect(aaLow).toBeCloseTo(result.values[AA]?.[0] === 0 ? 0 : 0.025, 12);
    expect(aaHigh).toBeCloseTo(result.values[AA]?.[0] === 0 ? 0.975 : 1, 12);
    const top1 = result.values['CIFAR10-top1']?.[0] as number;
    const [low, high] = result.intervals['CIFAR10-top1']?.[0] ?? [Number.NaN, Number.NaN];
    expect(low <= top1 && top1 <= high && high - low > 0.3).toBe(true); // 4 images: a wide interval
    expect(result.intervals[AA]?.[1]).toBeNull();
    expect(result.intervalMethods).toEqual({ 'CIFAR10-top1': [CP95], [AA]: [CP95] });
    expect(result.failures).toEqual(failures);
    expect(result.provenance.scoresFailed).toBe(2);
    const jobs = await listStudyJobs(t.db, study?.id as number);
    expect(jobs.map((j) => [j.model, j.benchmark, j.state, j.attempts])).toEqual([
      ['cifar10_resnet20', 'CIFAR10-top1', 'succeeded', 1],
      ['cifar10_resnet20', AA, 'succeeded', 1],
      ['broken_resnet20', 'CIFAR10-top1', 'failed', 3],
      ['broken_resnet20', AA, 'failed', 3],
    ]);

    // The command line lists them too.
    const [status, show] = await Promise.all([
      cli('study', 'status', 'with-failures'),
      cli('study', 'show', 'with-failures', '--json'),
    ]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('with-failures@1: done_with_failures, 100% of 4 jobs');
    expect(status.stdout).toContain(
      '  failed: broken_resnet20 CIFAR10-top1 (4 images): failed: the card disagrees with the model',
    );
    expect(status.stdout).toContain(`  failed: broken_resnet20 ${AA} (1 images): failed: the card disagrees`);
    expect(show.code, show.stderr).toBe(0);
    const shown = JSON.parse(show.stdout) as { status: string; failures: unknown[]; result: StudyResult };
    expect(shown.status).toBe('done_with_failures');
    expect(shown.failures).toEqual(failures);
    expect(shown.result.failures).toEqual(failures);

    // 2. Run again, the model still broken: ResNet-20's scores are reused; the failed jobs (the same
    //    jobs, requeued with fresh attempts) are retried, and fail again.
    const succeededRuns = async () =>
      (await studyRuns(t.db, 'with-failures@1')).filter((r) => r.status === 'succeeded').map((r) => r.id);
    const runsBefore = await succeededRuns();
    expect(runsBefore).toHaveLength(2);
    const second = await runStudy(t.db, definition, { dataDir, executor, limit: 4 });
    expect(second.plan.counts).toEqual({ current: 2, missing: 2, unavailable: 0 });
    expect(second.failures).toEqual(failures);
    const again = await listStudyJobs(t.db, study?.id as number);
    expect(again.map((j) => j.id)).toEqual(jobs.map((j) => j.id));
    expect(again.map((j) => j.runId)).toEqual(jobs.map((j) => j.runId));
    expect(again.map((j) => j.attempts)).toEqual([1, 1, 3, 3]);
    expect(await succeededRuns()).toEqual(runsBefore);
    expect((await getStudy(t.db, 'with-failures'))?.status).toBe('done_with_failures');

    // 3. Mended (the model registered again with its real file): only its two scores run, and the
    //    study is computed over all four.
    await register(bundle('models/cifar10_resnet20.onnx'));
    const third = await runStudy(t.db, definition, { dataDir, executor, limit: 4 });
    expect(third.plan.counts).toEqual({ current: 2, missing: 2, unavailable: 0 });
    expect(third.failures).toEqual([]);
    const done = await getStudy(t.db, 'with-failures');
    expect(done?.status).toBe('computed');
    expect(done?.error).toBeNull();
    const r3 = done?.result as StudyResult;
    expect(r3.failures).toEqual([]);
    expect(r3.values['CIFAR10-top1']?.[1]).toEqual(expect.any(Number));
    // The same network: the same top-1 on the same 4 images.
    expect(r3.values['CIFAR10-top1']?.[1]).toBe(r3.values['CIFAR10-top1']?.[0]);
    const runsAfter = await succeededRuns();
    expect(runsAfter.slice(0, 2)).toEqual(runsBefore);
    expect(runsAfter).toHaveLength(4);
    // The new file is new work (new jobs); the superseded failed jobs no longer count in the progress.
    const progress = await studyProgress(t.db, study?.id as number);
    expect(progress.jobs).toBe(4);
    expect(progress.states).toMatchObject({ succeeded: 4, failed: 0 });
  }, 180_000);
});
