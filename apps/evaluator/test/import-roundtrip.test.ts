/**
 * Round trip (export CSV, import it again: identical scores), streaming of large CSVs, and the
 * `alignscope import` / `alignscope export` commands run as real processes on the test database.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { requireDataDir } from '@alignscope/config';
import { importTableCounts, listScores, type ScoreRow } from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBrainScoreCsv, exportScoresCsv } from '../src/commands/export.ts';
import { brainscoreCsv } from '../src/importers/brainscore-csv.ts';
import { brainscoreFixtures } from '../src/importers/brainscore-fixtures.ts';
import { openCsv } from '../src/importers/csv.ts';
import { runImport } from '../src/importers/index.ts';
import { robustbench } from '../src/importers/robustbench.ts';
import { scoresCsv } from '../src/importers/scores-csv.ts';
import { table } from '../src/importers/table.ts';

const data = requireDataDir();
const pub = path.join(data, 'public-results');
let a: TestDb;
let b: TestDb;
let dir: string;

beforeAll(async () => {
  [a, b] = await Promise.all([createTestDb(), createTestDb()]);
  dir = mkdtempSync(path.join(tmpdir(), 'alignscope-rt-'));
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

async function exportTo(t: TestDb, name: string, format: 'csv' | 'brainscore-csv' = 'csv'): Promise<string> {
  const file = path.join(dir, name);
  const out = createWriteStream(file);
  await (format === 'csv' ? exportScoresCsv(t.db, out) : exportBrainScoreCsv(t.db, out));
  out.end();
  await once(out, 'finish');
  return file;
}

const withoutRun = (rows: ScoreRow[]) => rows.map(({ runId: _r, ...rest }) => rest);

describe('round trip', () => {
  it('export then import gives identical scores (same database: nothing changes; new database: the same scores)', async () => {
    await runImport(a.db, brainscoreFixtures, path.join(pub, 'brainscore-web'));
    await runImport(a.db, robustbench, path.join(pub, 'robustbench/model_info/imagenet/Linf'));
    const file = await exportTo(a, 'scores.csv');
    const original = await listScores(a.db);
    // 544 fixture scores + 30 ImageNet Linf models x (clean, AutoAttack 4/255).
    expect(original).toHaveLength(544 + 60);

    const before = await importTableCounts(a.db);
    const same = await runImport(a.db, scoresCsv, file);
    expect(same.files[0]?.status).toBe('imported');
    expect(same).toMatchObject({
      models_created: 0,
      models_updated: 0,
      scores_created: 0,
      scores_updated: 0,
    });
    expect(same.scores_unchanged).toBe(original.length);
    // Only the run record of the import itself is new.
    expect(await importTableCounts(a.db)).toEqual({ ...before, runs: before.runs + 1 });
    expect(await listScores(a.db)).toEqual(original);

    const fresh = await runImport(b.db, scoresCsv, file);
    expect(fresh.files[0]?.status).toBe('imported');
    expect(fresh.scores_created).toBe(original.length);
    expect(withoutRun(await listScores(b.db))).toEqual(withoutRun(original));
    // Failed scores (NaN in the fixtures) stay failed, with no value.
    expect(
      (await listScores(b.db, { benchmark: 'Kar2019-ost' })).filter((s) => s.status === 'failed'),
    ).toHaveLength(76);
  });

  it('the Brain-Score layout round-trips the ceiled scores through brainscore-csv', async () => {
    const c = await createTestDb();
    try {
      await runImport(c.db, brainscoreFixtures, path.join(pub, 'brainscore-web'));
      const original = await listScores(c.db);
      const file = await exportTo(c, 'bs.csv', 'brainscore-csv');
      const d = await createTestDb();
      try {
        const s = await runImport(d.db, brainscoreCsv, file);
        expect(s.files[0]?.status).toBe('imported');
        expect(s.problems).toEqual([]);
        // 79 models with scores x their scored/failed benchmarks: the same 544 (model, benchmark) cells.
        expect(s.scores_created).toBe(544);
        const back = await listScores(d.db);
        const key = (r: ScoreRow) => `${r.model} ${r.benchmark}`;
        const ceiled = (rows: ScoreRow[]) =>
          Object.fromEntries(rows.map((r) => [key(r), [r.status, r.ceiledValue ?? r.rawValue]]));
        // The layout carries one (ceiled) value per cell: those come back identical.
        expect(ceiled(back)).toEqual(ceiled(original));
      } finally {
        await d.close();
      }
    } finally {
      await c.close();
    }
  });

  it('the table import round-trips in its own database', async () => {
    await runImport(a.db, table, path.join(pub, 'biases-vs-generalization/benchmark.csv'), {
      mapping: 'gavrikov2024',
    });
    const file = await exportTo(a, 'scores2.csv');
    const original = await listScores(a.db);
    const again = await runImport(a.db, scoresCsv, file);
    expect(again).toMatchObject({ scores_created: 0, scores_updated: 0, scores_unchanged: original.length });
    expect(await listScores(a.db)).toEqual(original);
  });
});

describe('large files', () => {
  it('streams: a ~3.3 MB Brain-Score CSV imports, and reading starts before the file is read', async () => {
    const file = path.join(dir, 'large.csv');
    const out = createWriteStream(file);
    const cols = [
      'movshon.FreemanZiemba2013.V1-pls',
      'movshon.FreemanZiemba2013.V2-pls',
      'dicarlo.MajajHong2015.V4-pls',
      'dicarlo.MajajHong2015.IT-pls',
      'dicarlo.Rajalingham2018-i2n',
      'fei-fei.Deng2009-top1',
    ];
    // A notes column (unknown to the catalog: skipped and reported once) pads each row to ~550 bytes,
    // so the file is a few MB while the database work stays small.
    out.write(`model_name,${cols.join(',')},Notes2099-free_text\n`);
    // More rows than the importer caches models for (5,000), so eviction is exercised too.
    const rows = 6_000;
    const pad = 'x'.repeat(400);
    // Deterministic values with 17 significant digits.
    for (let i = 0; i < rows; i++) {
      const vals = cols.map((_, j) => (((i * 7919 + j * 104729) % 1_000_003) / 1_000_003).toPrecision(17));
      const line = `generated-model-${i.toString().padStart(6, '0')},${vals.join(',')},${pad}\n`;
      if (!out.write(line)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(3_000_000);

    // The reader hands out the first row after reading one 16 KiB chunk, not the whole file.
    const csv = openCsv(file, { highWaterMark: 16 * 1024 });
    await csv.header();
    const first = await csv.rows().next();
    expect(first.value?.fields[0]).toBe('generated-model-000000');
    expect(csv.bytesRead).toBeLessThanOrEqual(32 * 1024);
    expect(csv.bytesRead).toBeLessThan(size / 50);

    const s = await runImport(b.db, brainscoreCsv, file);
    expect(s.files[0]?.status).toBe('imported');
    expect(s.models_created).toBe(rows);
    expect(s.scores_created).toBe(rows * cols.length);
    expect(s.problems).toHaveLength(1);
    expect(s.problems[0]?.message).toMatch(/unknown benchmark "Notes2099-free_text"/);
    const last = await listScores(b.db, { model: 'generated-model-005999', benchmark: 'ImageNet-top1' });
    const expected = Number((((5_999 * 7919 + 5 * 104729) % 1_000_003) / 1_000_003).toPrecision(17));
    expect(last[0]?.rawValue).toBe(expected);
  });
});

describe('CLI', () => {
  const bin = path.resolve(import.meta.dirname, '../bin/alignscope.mjs');
  const exec = promisify(execFile);
  async function cli(args: string[], env: Record<string, string>) {
    try {
      const r = await exec(process.execPath, [bin, ...args], {
        env: { ...process.env, ...env },
        timeout: 120_000,
      });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  }

  it('alignscope import --json prints one summary object; a failed file exits 2; export writes CSV', async () => {
    const t = await createTestDb();
    try {
      const env = { DATABASE_URL: t.url };
      const file = path.join(pub, 'robustbench/model_info/cifar10/Linf/Standard.json');
      const r = await cli(['import', 'robustbench', file, '--json'], env);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const s = JSON.parse(r.stdout);
      expect(Object.keys(s)).toEqual(
        expect.arrayContaining([
          'files',
          'models_created',
          'models_updated',
          'scores_created',
          'scores_updated',
          'scores_unchanged',
          'problems',
        ]),
      );
      expect(s).toMatchObject({ models_created: 1, scores_created: 2, problems: [] });

      const dry = await cli(['import', 'robustbench', file, '--dry-run'], env);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toMatch(/dry run: nothing was written/);
      expect(dry.stdout).toMatch(/scores: 0 created, 0 updated, 2 unchanged/);

      const bad = path.join(dir, 'bad.csv');
      writeFileSync(bad, 'model_name,dicarlo.MajajHong2015.IT-pls\nx,abc\n');
      const f = await cli(['import', 'brainscore-csv', bad, '--json'], env);
      expect(f.code).toBe(2);
      expect(JSON.parse(f.stdout).problems).toEqual([
        {
          file: 'bad.csv',
          line: 2,
          message:
            'non-numeric score "abc" in column "dicarlo.MajajHong2015.IT-pls"; nothing was imported from this file',
        },
      ]);

      const unknown = await cli(['import', 'nope', file], env);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/unknown import kind "nope"/);

      const exp = await cli(['export', 'scores', '--format', 'csv'], env);
      expect(exp.code).toBe(0);
      const lines = exp.stdout.trim().split('\n');
      expect(lines[0]).toBe(
        'model,benchmark,benchmark_version,status,raw_value,ceiled_value,error,ceiling,ci_low,ci_high,ci_method',
      );
      // Standard.json: "clean_acc": "94.78", "autoattack_acc": "0.0".
      expect(lines).toContain(
        'robustbench.cifar10.Linf.Standard,CIFAR10-top1,1,scored,0.9478,0.9478,,,,,none: robustbench gives no uncertainty',
      );
      expect(lines).toContain(
        'robustbench.cifar10.Linf.Standard,cifar10.AutoAttack-Linf-8/255,1,scored,0,,,,,,none: robustbench gives no uncertainty',
      );
    } finally {
      await t.close();
    }
  });
});
