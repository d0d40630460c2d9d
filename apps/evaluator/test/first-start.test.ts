/**
 * First start (issue 12): an empty database gets the bundle's public results, with progress, before
 * serving; a second start never re-imports; `--empty` skips it; without the bundle, a one-line notice.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { correlate } from '@alignscope/analysis';
import { requireDataDir } from '@alignscope/config';
import { importTableCounts, listScores } from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreTable } from '../src/analysis/score-table.ts';
import { type FirstStartResult, loadPublicResults } from '../src/first-start.ts';
import { tmpDir } from './helpers.ts';

const dataDir = requireDataDir();
const bin = path.resolve(import.meta.dirname, '../bin/alignscope.mjs');

describe('loadPublicResults', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('without the bundle: nothing written, the caller prints a notice', async () => {
    const r = await loadPublicResults(t.db, { dataDir: tmpDir() });
    expect(r.status).toBe('no-bundle');
    expect((await importTableCounts(t.db)).scores).toBe(0);
  });

  it('imports RobustBench, Brain-Score and Gavrikov & Keuper into an empty database, then links them', async () => {
    const lines: string[] = [];
    const result = await loadPublicResults(t.db, { dataDir, log: (l) => lines.push(l) });
    expect(result.status).toBe('imported');
    const r = result as Extract<FirstStartResult, { status: 'imported' }>;
    expect(r.failed).toEqual([]);
    // Progress: one line per step, and intermediate lines for RobustBench's 236 JSON files.
    expect(lines[0]).toBe('first start [1/4] RobustBench: importing public-results/robustbench/model_info');
    expect(lines.some((l) => /RobustBench: \d+\/236 files$/.test(l))).toBe(true);
    expect(lines).toContain('first start [4/4] model identity map');
    // 236 RobustBench entries (model_info/**/*.json), 88 Brain-Score models, 70 table rows, less the 10 names merged by the map.
    expect(r.models).toBe(236 + 88 + 70 - 10);
    expect(r.linked).toBe(11);
    // Issue 12 acceptance: Brain-Score aggregates now have n > 0 against the PGD-40 target.
    const { models, columns } = await scoreTable(t.db);
    const n = models.filter(
      (_, i) => columns.average_vision?.[i] != null && columns['Gavrikov2024.PGD40-Linf-low']?.[i] != null,
    ).length;
    expect(n).toBe(3);
  }, 180_000);

  it('gives the Gavrikov & Keuper shape-bias result through the explorer statistics', async () => {
    // The explorer's computation (correlate over the aggregated board) on what the first start loaded.
    // Golden values: apps/evaluator/scripts/gavrikov-reference.py (scipy, on the bundle's benchmark.csv):
    // spearman n=65 rho=0.4698863636363636 p=7.844044483587492e-05; partial given top-1
    // rho=0.5022949976422642 p=2.346056534235792e-05.
    const rows = correlate(await scoreTable(t.db), {
      target: 'Gavrikov2024.PGD40-Linf-low',
      method: 'spearman',
      covariate: 'ImageNet-top1',
      bootstrap: false,
    });
    const shape = rows.find((r) => r.benchmark === 'Hermann2020cueconflict-shape_bias');
    expect(shape?.n).toBe(65);
    expect(shape?.coefficient).toBeCloseTo(0.4698863636363636, 12);
    expect(shape?.pValue).toBeCloseTo(7.844044483587492e-5, 10);
    expect(shape?.partialCoefficient).toBeCloseTo(0.5022949976422642, 12);
    expect(shape?.partialPValue).toBeCloseTo(2.346056534235792e-5, 10);
    // The Brain-Score aggregates have n > 0 against the same target (the three linked SIN ResNet-50s).
    for (const a of ['average_vision', 'neural_vision', 'behavior_vision']) {
      expect(rows.find((r) => r.benchmark === a)?.n).toBe(3);
    }
  });

  it('a second start never re-imports', async () => {
    const before = await listScores(t.db, { model: 'resnet50-SIN' });
    const r = await loadPublicResults(t.db, { dataDir });
    expect(r).toEqual({
      status: 'skipped',
      reason: expect.stringMatching(/^the public results were loaded \(run \d+\)$/),
    });
    expect(await listScores(t.db, { model: 'resnet50-SIN' })).toEqual(before);
  });
});

describe('an interrupted first start', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => {
    await t?.close();
  });
  const importRuns = async (producer: string) =>
    (
      await t.db.execute<{ n: number; distinct: number }>(
        sql`select count(*)::int as n, count(distinct configuration->>'fingerprint')::int as distinct
          from runs where producer = ${producer} and status = 'succeeded'`,
      )
    ).rows[0];

  it('resumes on the next start: what was imported is not imported again, the rest is', async () => {
    // Interrupted (as a killed process would be) at RobustBench's first progress line, part-way
    // through its 236 files: each file is its own transaction, so some are imported, the rest not.
    await expect(
      loadPublicResults(t.db, {
        dataDir,
        log: (l) => {
          if (/RobustBench: \d+\/236 files$/.test(l)) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const done = (await importRuns('alignscope-import/robustbench'))?.n ?? 0;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(236);
    const partial = await importTableCounts(t.db);
    expect(partial.scores).toBeGreaterThan(0);

    // The next start sees the unfinished load (its marker run) and resumes it, although scores exist.
    const lines: string[] = [];
    const r = await loadPublicResults(t.db, { dataDir, log: (l) => lines.push(l) });
    expect(r.status).toBe('imported');
    const full = r as Extract<FirstStartResult, { status: 'imported' }>;
    expect(lines[0]).toMatch(/^first start: resuming the interrupted load of run \d+$/);
    // Exactly the files imported before the interruption were skipped ...
    expect(full.resumed).toBe(done);
    // The RobustBench step says how many of its files were imported before.
    const step1 = lines.filter((l) => l.startsWith('first start [1/4] RobustBench: 236 file(s)'));
    expect(step1).toHaveLength(1);
    expect(step1[0]).toMatch(
      new RegExp(
        `^first start \\[1/4\\] RobustBench: 236 file\\(s\\) \\(${done} imported before\\), \\d+ models, \\d+ scores$`,
      ),
    );
    // ... every RobustBench file is imported exactly once, and the result is that of an uninterrupted load.
    expect(await importRuns('alignscope-import/robustbench')).toEqual({ n: 236, distinct: 236 });
    expect(full.models).toBe(236 + 88 + 70 - 10);
    expect(full.linked).toBe(11);
    expect(full.failed).toEqual([]);
    // Finished: the next start leaves it alone.
    expect(await loadPublicResults(t.db, { dataDir })).toEqual({
      status: 'skipped',
      reason: expect.stringMatching(/^the public results were loaded \(run \d+\)$/),
    });
  }, 240_000);
});

describe('alignscope start', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb({ setup: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('--empty serves without importing; without the bundle it says so in one line', async () => {
    const run = (args: string[], env: Record<string, string>) =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, [bin, 'start', '--no-web', '--no-worker', ...args], {
          env: { ...process.env, DATABASE_URL: t.url, ...env },
        });
        let out = '';
        child.stdout.on('data', (d) => {
          out += String(d);
          if (out.includes('running without the web app')) child.kill('SIGTERM');
        });
        child.stderr.on('data', (d) => {
          out += String(d);
        });
        child.on('exit', () => resolve(out));
        child.on('error', reject);
      });
    const empty = await run(['--empty'], {});
    expect(empty).not.toContain('first start');
    expect((await importTableCounts(t.db)).scores).toBe(0);
    const noBundle = await run([], { ALIGNSCOPE_DATA_DIR: tmpDir() });
    expect(noBundle).toMatch(
      /alignscope: no data bundle at \S+ \(set ALIGNSCOPE_DATA_DIR\): serving an empty board\n/,
    );
    expect((await importTableCounts(t.db)).scores).toBe(0);
  }, 120_000);
});
