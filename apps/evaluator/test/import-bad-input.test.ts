/**
 * Bad input: every case names the file and line, and a failed file leaves the database exactly as it
 * was (row counts and every score compared before and after).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { importTableCounts, listModels, listScores } from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brainscoreCsv } from '../src/importers/brainscore-csv.ts';
import { brainscoreFixtures } from '../src/importers/brainscore-fixtures.ts';
import { type Importer, type ImportOptions, runImport } from '../src/importers/index.ts';
import { robustbench } from '../src/importers/robustbench.ts';
import { table } from '../src/importers/table.ts';
import { trials } from '../src/importers/trials.ts';

let t: TestDb;
let dir: string;
beforeAll(async () => {
  t = await createTestDb();
  dir = mkdtempSync(path.join(tmpdir(), 'alignscope-bad-'));
  // Something in the database already, so "unchanged" is not trivially "empty".
  const ok = write('ok.csv', 'model_name,dicarlo.MajajHong2015.IT-pls\nexisting,0.3\n');
  const s = await runImport(t.db, brainscoreCsv, ok);
  expect(s.files[0]?.status).toBe('imported');
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const f = path.join(dir, name);
  mkdirSync(path.dirname(f), { recursive: true });
  writeFileSync(f, text);
  return f;
}

const snapshot = async () => ({
  counts: await importTableCounts(t.db),
  scores: await listScores(t.db),
  models: (await listModels(t.db)).map((m) => ({ ...m, updatedAt: m.updatedAt.toISOString() })),
});

/** Imports `file`, expects one failed file with `line` and a message matching `message`, and no change. */
async function expectRejected(
  importer: Importer,
  file: string,
  line: number | null,
  message: RegExp,
  options: ImportOptions = {},
) {
  const before = await snapshot();
  const s = await runImport(t.db, importer, file, options);
  expect(s.files).toHaveLength(1);
  expect(s.files[0]?.status).toBe('failed');
  const p = s.problems.at(-1);
  expect(p?.file).toBe(path.basename(file));
  expect(p?.line).toBe(line);
  expect(p?.message).toMatch(message);
  expect(p?.message).toMatch(/nothing was imported from this file/);
  expect(s).toMatchObject({ models_created: 0, scores_created: 0, scores_updated: 0 });
  expect(await snapshot()).toEqual(before);
}

const HEADER = 'model_name,dicarlo.MajajHong2015.IT-pls,fei-fei.Deng2009-top1';

describe('CSV', () => {
  it('ragged row', async () => {
    const f = write('ragged.csv', `${HEADER}\nalexnet,0.4,0.5\nvgg16,0.3\n`);
    await expectRejected(brainscoreCsv, f, 3, /^ragged row: 2 fields where the header has 3/);
  });

  it('non-numeric score', async () => {
    const f = write('nonnumeric.csv', `${HEADER}\nalexnet,0.4,0.5\nvgg16,0.3,0.6\nresnet,abc,0.1\n`);
    await expectRejected(
      brainscoreCsv,
      f,
      4,
      /non-numeric score "abc" in column "dicarlo.MajajHong2015.IT-pls"/,
    );
  });

  it('duplicate model', async () => {
    const f = write('dup.csv', `${HEADER}\nalexnet,0.4,0.5\nvgg16,0.3,0.6\nalexnet,0.2,0.1\n`);
    await expectRejected(brainscoreCsv, f, 4, /duplicate model "alexnet" \(first at line 2\)/);
  });

  it('unknown column layout', async () => {
    const f = write('layout.csv', 'name,score\nalexnet,0.4\n');
    await expectRejected(brainscoreCsv, f, 1, /unknown column layout: expected a first column "model_name"/);
  });

  it('empty file', async () => {
    const f = write('empty.csv', '');
    await expectRejected(brainscoreCsv, f, null, /^empty file/);
  });

  it('header only is not an error; blank lines only is an empty file', async () => {
    const f = write('blank.csv', '\n\n\n');
    await expectRejected(brainscoreCsv, f, null, /empty file: no header line/);
  });

  it('malformed quoting', async () => {
    const f = write('quote.csv', `${HEADER}\nalexnet,0.4,0.5\n"vgg16,0.3,0.6\n`);
    const before = await snapshot();
    const s = await runImport(t.db, brainscoreCsv, f);
    expect(s.files[0]?.status).toBe('failed');
    expect(s.problems.at(-1)?.message).toMatch(/malformed CSV/);
    expect(await snapshot()).toEqual(before);
  });

  it('a value outside the benchmark range in a table (wrong scale)', async () => {
    const mapping = write(
      'm.json',
      JSON.stringify({ name: 'm', modelColumn: 'model', columns: { acc: { benchmark: 'ImageNet-top1' } } }),
    );
    const f = write('table.csv', 'model,acc\na,0.5\nb,76.1\n');
    await expectRejected(table, f, 3, /outside \[0, 1\] of ImageNet-top1 \(check the scale\)/, { mapping });
  });

  it('--skip-bad-rows imports the good rows and reports the bad ones', async () => {
    const f = write(
      'skip.csv',
      `${HEADER}\nalexnet,0.4,0.5\nvgg16,0.3\nresnet,abc,0.1\nalexnet,0.1,0.1\nsqueezenet,0.2,X\n`,
    );
    const s = await runImport(t.db, brainscoreCsv, f, { skipBadRows: true });
    expect(s.files[0]?.status).toBe('imported');
    expect(s.models_created).toBe(2);
    expect(s.scores_created).toBe(3);
    expect(s.problems.map((p) => [p.line, p.message])).toEqual([
      [3, 'ragged row: 2 fields where the header has 3 (row skipped)'],
      [4, 'non-numeric score "abc" in column "dicarlo.MajajHong2015.IT-pls" (row skipped)'],
      [5, 'duplicate model "alexnet" (first at line 2) (row skipped)'],
    ]);
  });

  it('--dry-run reports the changes and writes nothing', async () => {
    const f = write('dry.csv', `${HEADER}\nnewmodel,0.4,0.5\n`);
    const before = await snapshot();
    const s = await runImport(t.db, brainscoreCsv, f, { dryRun: true });
    expect(s.files[0]?.status).toBe('dry-run');
    expect(s).toMatchObject({ models_created: 1, scores_created: 2 });
    expect(await snapshot()).toEqual(before);
  });
});

describe('JSON', () => {
  const rb = (name: string, body: unknown) =>
    write(`cifar10/Linf/${name}.json`, typeof body === 'string' ? body : JSON.stringify(body, null, 2));
  const good = {
    link: 'https://example.org',
    name: 'A paper',
    authors: 'A. Author',
    additional_data: false,
    number_forward_passes: 1,
    dataset: 'cifar10',
    venue: 'X 2020',
    architecture: 'WideResNet-28-10',
    eps: '8/255',
    clean_acc: '90.00',
    reported: '50.0',
    autoattack_acc: '50.00',
  };

  it('missing required field', async () => {
    const { clean_acc: _drop, ...noClean } = good;
    await expectRejected(robustbench, rb('NoClean', noClean), 1, /missing required field "clean_acc"/);
    const { autoattack_acc: _drop2, ...noAA } = good;
    await expectRejected(robustbench, rb('NoAA', noAA), 1, /missing required field "autoattack_acc"/);
  });

  it('a field of the wrong kind, at its line', async () => {
    // "clean_acc" is the 11th line of the pretty-printed object.
    await expectRejected(
      robustbench,
      rb('BadClean', { ...good, clean_acc: 'ninety' }),
      11,
      /"clean_acc" must be a percentage/,
    );
  });

  it('invalid JSON, at its line', async () => {
    await expectRejected(
      robustbench,
      rb('Broken', '{\n  "name": "x",\n  "dataset": cifar10\n}'),
      3,
      /invalid JSON/,
    );
  });

  it('empty JSON file', async () => {
    await expectRejected(robustbench, rb('Empty', ''), null, /^empty file/);
  });

  it('the good file imports', async () => {
    const s = await runImport(t.db, robustbench, rb('Good', good));
    expect(s.files[0]?.status).toBe('imported');
    expect(s.scores_created).toBe(2);
  });
});

describe('Brain-Score fixtures', () => {
  const fx = (name: string, records: unknown[]) =>
    write(`fixtures/${name}`, JSON.stringify(records, null, 2));
  const score = (model: string, raw: number) => ({
    model: 'benchmarks.Score',
    fields: {
      score_ceiled: (raw / 0.8) ** 2,
      score_raw: raw,
      error: 0.01,
      benchmark: ['dicarlo.MajajHong2015.IT-pls', 3],
      model: [model],
    },
  });

  it('a score of a model that is not in fixture-models.json: the line in fixture-scores.json', async () => {
    fx('fixture-benchmarktypes.json', [
      {
        model: 'benchmarks.BenchmarkType',
        fields: { identifier: 'dicarlo.MajajHong2015.IT-pls', parent: 'IT' },
      },
    ]);
    fx('fixture-benchmarkinstances.json', [
      {
        model: 'benchmarks.BenchmarkInstance',
        fields: {
          ceiling: 0.8,
          ceiling_error: 0.01,
          version: 3,
          benchmark_type: 'dicarlo.MajajHong2015.IT-pls',
        },
      },
    ]);
    fx('fixture-models.json', [
      { model: 'benchmarks.Model', pk: 1, fields: { name: 'fxnet', public: 'True' } },
    ]);
    const scores = fx('fixture-scores.json', [score('fxnet', 0.4), score('ghostnet', 0.5)]);
    // The second record starts at the second line that is exactly "  {".
    const lines = readFileSync(scores, 'utf8').split('\n');
    const second = lines.map((l, i) => (l === '  {' ? i + 1 : 0)).filter((n) => n > 0)[1];
    const before = await snapshot();
    const s = await runImport(t.db, brainscoreFixtures, path.join(dir, 'fixtures'));
    expect(s.files[0]?.status).toBe('failed');
    expect(s.problems.at(-1)).toEqual({
      file: 'fixture-scores.json',
      line: second,
      message: 'model "ghostnet" is not in fixture-models.json; nothing was imported from this file',
    });
    expect(await snapshot()).toEqual(before);
  });
});

describe('table mapping and trial files', () => {
  it('an invalid mapping is refused before anything is read', async () => {
    const f = write('t.csv', 'model,acc\na,0.5\n');
    const bad = write('bad-mapping.json', JSON.stringify({ name: 'x', columns: {} }));
    await expect(runImport(t.db, table, f, { mapping: bad })).rejects.toThrow(
      /bad-mapping.json: modelColumn/,
    );
    await expect(runImport(t.db, table, f, { mapping: 'no-such-mapping' })).rejects.toThrow(
      /mapping file not found: no-such-mapping/,
    );
  });

  it('a trial file with a bad row: the line, nothing imported', async () => {
    const f = write(
      'edge/edge_badnet_session-1.csv',
      'subj,session,trial,rt,object_response,category,condition,imagename\r\n' +
        'badnet,1,1,NaN,bear,bear,0,bear1.png\r\n' +
        'badnet,1,two,NaN,bear,cat,0,cat1.png\r\n',
    );
    await expectRejected(trials, f, 3, /trial "two" is not an integer/);
  });
});
