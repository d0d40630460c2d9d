/**
 * The `alignscope study run` process itself (issue 12), spawned as a user runs it (bin/alignscope.mjs)
 * on a private database with a tiny study (the bundled ResNet-20 under two names, CIFAR-10 top-1 on
 * 2,000 images and AutoAttack at 1/255 on one image, which ResNet-20 loses within APGD-CE; the other
 * bundled ResNets' first image survives into Square, minutes here): the plan is printed first, progress
 * lines follow on stderr; Ctrl-C (SIGINT) while the second model's first job runs stops it with the
 * finished scores kept, and a second
 * `study run` reuses every one of them, runs the rest and stores the result. `--json` goes whole
 * through a slow pipe, and a reader that closes early (`| head -c`) does not make the command fail.
 * A study whose scores fail (a model over a corrupt file) ends `done_with_failures`: the process exits
 * 3 and lists every failed score on stderr, and its `--json` output is whole JSON.
 */
import { execFile, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { requireDataDir } from '@alignscope/config';
import { getStudy, type JobRow, listStudyJobs, studyRuns, upsertModel } from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCard } from '../src/models/card.ts';
import { fileDigest, modelRow } from '../src/models/store.ts';
import type { StudyResult } from '../src/studies/run.ts';
import { bundle, tmpDir } from './helpers.ts';

requireDataDir();
const bin = path.resolve(import.meta.dirname, '../bin/alignscope.mjs');
const exec = promisify(execFile);
const AA = 'cifar10.AutoAttack-Linf-1/255';
let t: TestDb;
const dir = tmpDir();
const file = path.join(dir, 'tiny-cli.json');
beforeAll(async () => {
  t = await createTestDb();
  // ResNet-20 again under another identifier: its own jobs and scores, the same quick work.
  const card = { ...loadCard(bundle('models/cifar10_resnet20.json')), name: 'resnet20_again' };
  const onnx = bundle('models/cifar10_resnet20.onnx');
  const d = await fileDigest(onnx);
  await upsertModel(t.db, modelRow(card, { sha256: d.sha256, bytes: d.bytes, path: onnx }));
  writeFileSync(
    file,
    JSON.stringify({
      name: 'tiny-cli',
      title: 'The study command, end to end',
      cohort: { bundleModels: ['cifar10_resnet20'], models: ['resnet20_again'] },
      benchmarks: ['CIFAR10-top1'],
      robustness: [{ dataset: 'cifar10', norm: 'Linf', eps: ['1/255'], images: { set: 'default', size: 1 } }],
      analysis: { minN: 3 },
    }),
  );
});
afterAll(async () => {
  await t?.close();
});

const env = () => ({ ...process.env, DATABASE_URL: t.url });

/** `alignscope study run <file> --limit 2000`, its output as it comes, and its exit. */
function studyRun() {
  const child = spawn(process.execPath, [bin, 'study', 'run', file, '--limit', '2000'], {
    env: env(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d) => {
    out.stdout += String(d);
  });
  child.stderr.on('data', (d) => {
    out.stderr += String(d);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out, exited };
}

async function jobsOf(): Promise<JobRow[]> {
  const s = await getStudy(t.db, 'tiny-cli');
  return s ? listStudyJobs(t.db, s.id) : [];
}

const planLine = 'study tiny-cli@1: 2 models x 1 benchmarks + 1 robustness (cifar10.AutoAttack-Linf-1/255)';

describe('alignscope study run (the process)', () => {
  it('prints the plan first and progress; after Ctrl-C a second run reuses every finished score', async () => {
    // 1. Interrupted once both models' top-1 jobs have succeeded: the jobs run cheapest first
    //    (studyJobPriority), so the AutoAttack jobs are what is left.
    const first = studyRun();
    const deadline = Date.now() + 90_000;
    let jobs: JobRow[] = [];
    for (;;) {
      jobs = await jobsOf();
      const byKey = (m: string, b: string) => jobs.find((j) => j.model === m && j.benchmark === b);
      if (
        byKey('cifar10_resnet20', 'CIFAR10-top1')?.state === 'succeeded' &&
        byKey('resnet20_again', 'CIFAR10-top1')?.state === 'succeeded'
      )
        break;
      if (Date.now() > deadline || first.child.exitCode !== null)
        throw new Error(`never finished the two top-1 jobs:\n${first.out.stdout}\n${first.out.stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(130);
    // The plan is the first thing printed; progress lines (overall, then per model) on stderr.
    expect(first.out.stdout.split('\n')[0]).toBe(planLine);
    expect(first.out.stdout).toContain('  scores: 0 current (reused), 4 to run, 0 unavailable here');
    expect(first.out.stderr).toMatch(/^study: \d+% of 4 jobs \(/m);
    // Cheapest first: both top-1 scores came before either attack, although the plan lists
    // ResNet-20's attack before the second model's top-1.
    const scored = [...first.out.stderr.matchAll(/worker: job \d+: (\S+) on (\S+) scored/g)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    expect(scored.slice(0, 2).sort()).toEqual([
      'CIFAR10-top1 cifar10_resnet20',
      'CIFAR10-top1 resnet20_again',
    ]);
    expect(first.out.stderr).toContain(
      'alignscope: interrupted; finished scores are kept, run the study again to continue',
    );
    expect((await getStudy(t.db, 'tiny-cli'))?.status).toBe('interrupted');
    const stopped = await jobsOf();
    const finished = stopped.filter((j) => j.state === 'succeeded');
    // an attack job was given back (or ended in the instant before the signal); the other waits.
    expect(finished.length).toBeGreaterThanOrEqual(2);
    expect(finished.length).toBeLessThan(4);
    expect(stopped.filter((j) => j.state !== 'succeeded').every((j) => j.state === 'queued')).toBe(true);
    expect(stopped.every((j) => j.attempts <= 1)).toBe(true);

    // 2. Run again to the end: every finished score is reused (current in the plan, not run again).
    const second = studyRun();
    expect(await second.exited, second.out.stderr).toBe(0);
    const lines = second.out.stdout.split('\n');
    expect(lines[0]).toBe(planLine);
    expect(lines[1]).toBe(
      `  scores: ${finished.length} current (reused), ${4 - finished.length} to run, 0 unavailable here`,
    );
    expect(second.out.stdout).toContain('result of tiny-cli@1 over 2 models');
    const study = await getStudy(t.db, 'tiny-cli');
    expect(study?.status).toBe('computed');
    const after = await jobsOf();
    expect(after.map((j) => j.id)).toEqual(stopped.map((j) => j.id));
    expect(after.every((j) => j.state === 'succeeded')).toBe(true);
    for (const j of finished) expect(after.find((a) => a.id === j.id)?.runId).toBe(j.runId);
    // Each of the four scores was computed by exactly one succeeded run.
    const runs = (await studyRuns(t.db, 'tiny-cli@1')).filter((r) => r.status === 'succeeded');
    expect(runs.map((r) => r.id).sort()).toEqual(after.map((j) => j.runId).sort());
    const result = study?.result as StudyResult;
    expect(result.models).toEqual(['cifar10_resnet20', 'resnet20_again']);
    expect(result.values['CIFAR10-top1']?.every((v) => typeof v === 'number')).toBe(true);

    // 3. --json through pipes: whole to a reader that is slow to start; `| head -c 64` closes early
    //    and the command still ends with status 0 (pipefail reports the command's own status).
    const json = path.join(dir, 'run.json');
    const sh = (cmd: string) =>
      exec('bash', ['-c', `set -o pipefail; ${cmd}`], { env: env(), timeout: 60_000 });
    const node = `"${process.execPath}" "${bin}"`;
    await Promise.all([
      sh(`${node} study run "${file}" --limit 2000 --json | (sleep 2; cat > "${json}")`),
      sh(`${node} study show tiny-cli --json | head -c 64 > /dev/null`),
    ]);
    const doc = JSON.parse(readFileSync(json, 'utf8')) as {
      status: string;
      plan: { counts: Record<string, number> };
      result: StudyResult;
      failures: unknown[];
    };
    expect(doc.status).toBe('computed');
    expect(doc.plan.counts).toEqual({ current: 4, missing: 0, unavailable: 0 });
    expect(doc.result.values).toEqual(result.values);
    expect(doc.failures).toEqual([]);
  }, 120_000);
});

describe('alignscope study run with failed scores (the process)', () => {
  it('exits 3, prints every failed score on stderr, and its --json output parses', async () => {
    // A model registered over a corrupt file (ResNet-20's card, so its sha256, over other bytes): every
    // attempt of its two jobs stops at the file check (as in study-failures.test.ts).
    const corrupt = path.join(dir, 'broken.onnx');
    writeFileSync(corrupt, 'not an ONNX model\n');
    const card = { ...loadCard(bundle('models/cifar10_resnet20.json')), name: 'broken_cli' };
    const d = await fileDigest(corrupt);
    await upsertModel(t.db, modelRow(card, { sha256: d.sha256, bytes: d.bytes, path: corrupt }));
    const broken = path.join(dir, 'broken-cli.json');
    writeFileSync(
      broken,
      JSON.stringify({
        name: 'broken-cli',
        title: 'A study whose only model is broken',
        cohort: { models: ['broken_cli'] },
        benchmarks: ['CIFAR10-top1'],
        robustness: [
          { dataset: 'cifar10', norm: 'Linf', eps: ['1/255'], images: { set: 'default', size: 1 } },
        ],
        analysis: { minN: 3 },
      }),
    );
    const r = await exec(process.execPath, [bin, 'study', 'run', broken, '--limit', '4', '--json'], {
      env: env(),
      timeout: 100_000,
    }).then(
      (x) => ({ code: 0, ...x }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(r.code, r.stderr).toBe(3);
    const mismatch = 'the card disagrees with the model: card broken_cli names sha256';
    expect(r.stderr).toContain(
      'alignscope: study broken-cli@1 done with failures: 2 planned score(s) failed and are left out of the result:',
    );
    expect(r.stderr).toContain(`  broken_cli CIFAR10-top1 (4 images): failed: ${mismatch}`);
    expect(r.stderr).toContain(`  broken_cli ${AA} (1 images): failed: ${mismatch}`);
    expect(r.stderr).toContain('alignscope: run the study again to retry them');
    const doc = JSON.parse(r.stdout) as {
      study: string;
      status: string;
      failures: { model: string; benchmark: string; state: string }[];
      result: StudyResult;
    };
    expect(doc.study).toBe('broken-cli@1');
    expect(doc.status).toBe('done_with_failures');
    expect(doc.failures.map((f) => [f.model, f.benchmark, f.state])).toEqual([
      ['broken_cli', 'CIFAR10-top1', 'failed'],
      ['broken_cli', AA, 'failed'],
    ]);
    expect(doc.result.failures).toEqual(doc.failures);
  }, 120_000);
});
