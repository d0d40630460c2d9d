/**
 * Importers on the real public files of the data bundle: RobustBench model_info and the Brain-Score
 * website fixtures. Expected counts and values are read off the files themselves (quoted in comments).
 */
import path from 'node:path';
import { parseRobustnessIdentifier } from '@alignscope/benchmarks';
import { requireDataDir } from '@alignscope/config';
import {
  getBenchmark,
  getModel,
  importTableCounts,
  listRunsForModel,
  listScores,
} from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brainscoreFixtures } from '../src/importers/brainscore-fixtures.ts';
import { runImport } from '../src/importers/index.ts';
import { robustbench } from '../src/importers/robustbench.ts';
import { table } from '../src/importers/table.ts';

const data = requireDataDir();
const rb = path.join(data, 'public-results/robustbench/model_info');
const fixtures = path.join(data, 'public-results/brainscore-web');

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.close();
});

const score = async (model: string, benchmark: string) => (await listScores(t.db, { model, benchmark }))[0];

describe('robustbench', () => {
  it('imports one ImageNet Linf file with clean and AutoAttack accuracy', async () => {
    const s = await runImport(t.db, robustbench, path.join(rb, 'imagenet/Linf/Salman2020Do_R50.json'), {
      now: new Date('2026-01-01T00:00:00Z'),
    });
    expect(s.files).toHaveLength(1);
    expect(s.files[0]?.status).toBe('imported');
    expect(s.models_created).toBe(1);
    expect(s.scores_created).toBe(2);
    const id = 'robustbench.imagenet.Linf.Salman2020Do_R50';
    // Salman2020Do_R50.json: "clean_acc": "64.02", "autoattack_acc": "34.96", "eps": "4/255".
    const clean = await score(id, 'ImageNet-top1');
    expect(clean?.rawValue).toBeCloseTo(0.6402, 12);
    const robust = await score(id, 'AutoAttack-Linf-4/255');
    expect(robust?.rawValue).toBeCloseTo(0.3496, 12);
    // RobustBench publishes no uncertainty: no interval, and the method says so.
    expect(robust).toMatchObject({
      ciLow: null,
      ciHigh: null,
      ciMethod: 'none: robustbench gives no uncertainty',
    });
    const model = await getModel(t.db, id);
    expect(model?.architecture).toBe('ResNet-50');
    expect(model?.trainingRegime).toBe('adversarial');
    // The run record: kind import, producer, sha256 of the file, importer version, date.
    const runId = robust?.runId;
    expect(runId).toBeTypeOf('number');
    const rows = await t.pool.query('select kind, producer, configuration, status from runs where id = $1', [
      runId,
    ]);
    const run = rows.rows[0];
    expect(run.kind).toBe('import');
    expect(run.producer).toBe('alignscope-import/robustbench');
    expect(run.status).toBe('succeeded');
    expect(run.configuration).toMatchObject({
      source: 'Salman2020Do_R50.json',
      importerVersion: '1.0.0',
      importedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(run.configuration.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await listRunsForModel(t.db, model?.id ?? 0)).toEqual([]);
  });

  it('imports the whole model_info tree; every file a model; re-import changes nothing', async () => {
    const before = await importTableCounts(t.db);
    const s = await runImport(t.db, robustbench, rb);
    // 236 JSON files under model_info: CIFAR-10 99 Linf + 21 L2 + 23 corruptions, CIFAR-100 38 + 13,
    // ImageNet 30 + 12 (the corruptions folders' CSV files are not model_info files).
    expect(s.files).toHaveLength(236);
    expect(s.files.filter((f) => f.status !== 'imported').map((f) => f.problems)).toEqual([]);
    expect(s.problems).toEqual([]);
    // Salman2020Do_R50 came in before.
    expect(s.models_created).toBe(235);
    const after = await importTableCounts(t.db);
    expect(after.models - before.models).toBe(235);
    // CIFAR-100 Linf at 8/255 is a new benchmark with the dataset prefix.
    const c100 = await listScores(t.db, { benchmark: 'cifar100.AutoAttack-Linf-8/255' });
    expect(c100).toHaveLength(38);
    expect(parseRobustnessIdentifier('cifar100.AutoAttack-Linf-8/255')).toMatchObject({
      dataset: 'cifar100',
      norm: 'Linf',
      eps: 8 / 255,
    });
    // Five CIFAR-100 files say "dataset": "cifar10" (copied from CIFAR-10 files); the folder decides.
    expect(s.notes.filter((n) => /taken as cifar100/.test(n.message))).toHaveLength(5);
    // Issue 17 item 9: the six CIFAR-10 Linf files with eps "0.031" (≈ 7.9/255) are on RobustBench's
    // 8/255 leaderboard, so they go to its benchmark (99 files = 93 + 6), the stated eps reported
    // and kept in the provenance; no separate 0.031 benchmark.
    expect(await getBenchmark(t.db, 'cifar10.AutoAttack-Linf-0.031')).toBeUndefined();
    expect(await listScores(t.db, { benchmark: 'cifar10.AutoAttack-Linf-8/255' })).toHaveLength(99);
    const stated = s.notes.filter((n) => /states eps 0\.031/.test(n.message)).map((n) => n.file);
    expect(stated.sort()).toEqual([
      'Atzmon2019Controlling.json',
      'Cui2020Learnable_34_10.json',
      'Cui2020Learnable_34_20.json',
      'Huang2020Self.json',
      'Xiao2020Enhancing.json',
      'Zhang2019Theoretically.json',
    ]);
    const trades = await getModel(t.db, 'robustbench.cifar10.Linf.Zhang2019Theoretically');
    expect(trades?.metadata).toMatchObject({ robustbench: { eps: '8/255', statedEps: '0.031' } });
    // "autoattack_acc": "53.08" in Zhang2019Theoretically.json.
    expect(
      (await score('robustbench.cifar10.Linf.Zhang2019Theoretically', 'cifar10.AutoAttack-Linf-8/255'))
        ?.rawValue,
    ).toBeCloseTo(0.5308, 12);
    // Kang2021Stable.json and Xiao2020Enhancing.json: "unreliable": true.
    const flagged = s.notes.filter((n) => /unreliable/.test(n.message)).map((n) => n.file);
    expect(flagged.sort()).toEqual(['Kang2021Stable.json', 'Xiao2020Enhancing.json']);
    // Corruptions: Standard_R50 on ImageNet-C, "corruptions_acc": "39.48" in the file.
    const c = await score(
      'robustbench.imagenet.corruptions.Standard_R50',
      'RobustBench.imagenet-corruptions',
    );
    expect(c?.rawValue).toBeCloseTo(0.3948, 12);

    const again = await runImport(t.db, robustbench, rb);
    expect(again.scores_created + again.scores_updated).toBe(0);
    expect(again.models_created + again.models_updated).toBe(0);
    expect(again.scores_unchanged).toBe(s.scores_created + s.scores_unchanged);
    expect(again.files.every((f) => f.runReused)).toBe(true);
    expect(await importTableCounts(t.db)).toEqual(after);
  });
});

describe('brainscore-fixtures', () => {
  it('imports models and scores, and checks the ceiling formula per benchmark', async () => {
    const s = await runImport(t.db, brainscoreFixtures, fixtures);
    expect(s.files[0]?.status).toBe('imported');
    // fixture-models.json: 88 models; fixture-scores.json: 544 score records.
    expect(s.models_created).toBe(88);
    expect(s.scores_created).toBe(544);
    const details = s.files[0]?.details as {
      ceilingChecks: {
        benchmark: string;
        form: string | null;
        squared: number;
        none: number;
        scores: number;
      }[];
    };
    const form = Object.fromEntries(details.ceilingChecks.map((c) => [c.benchmark, c]));
    // The four PLS benchmarks: ceiled = (raw/ceiling)^2 for every score (79+79+79+77 records).
    for (const b of [
      'FreemanZiemba2013.V1-pls',
      'FreemanZiemba2013.V2-pls',
      'MajajHong2015.V4-pls',
      'MajajHong2015.IT-pls',
    ]) {
      expect(form[b]?.form).toBe('squared');
      expect(form[b]?.squared).toBe(form[b]?.scores);
    }
    expect(form['MajajHong2015.IT-pls']?.squared).toBe(77);
    // Deng2009-top1 (ceiling 1): ceiled = raw. Kar2019-ost: one value, raw/0.79 (76 NaN records).
    expect(form['ImageNet-top1']?.form).toBe('linear');
    expect(form['Kar2019-ost']?.form).toBe('linear');
    // Rajalingham2018-i2n is ceiled per split (score/sqrt(ceiling) averaged over splits), so no
    // closed form of the stored raw and ceiling matches exactly: checked, not assumed.
    expect(form['Rajalingham2018-i2n']?.form).toBeNull();
    expect(form['Rajalingham2018-i2n']?.none).toBe(77);

    // First record of fixture-scores.json: mobilenet_v1_0.25_128 on movshon.FreemanZiemba2013.V1-pls v2,
    // raw 0.4044116865674089, ceiled 0.21427214480430248; instance ceiling 0.8736567542821909.
    const first = await score('mobilenet_v1_0.25_128', 'FreemanZiemba2013.V1-pls');
    expect(first).toMatchObject({
      status: 'scored',
      rawValue: 0.4044116865674089,
      ceiledValue: 0.21427214480430248,
      error: 0.003358969344494153,
      ceiling: 0.8736567542821909,
      // The source's error kept as a ±1 error band around the (ceiled) value, named as such.
      ciLow: 0.21427214480430248 - 0.003358969344494153,
      ciHigh: 0.21427214480430248 + 0.003358969344494153,
      ciMethod: 'source error: value ± 1 error as given by brainscore-fixtures',
    });
    expect(((0.4044116865674089 / 0.8736567542821909) ** 2 - 0.21427214480430248) / 0.2142).toBeLessThan(
      1e-12,
    );
    // NaN scores are kept as failed, not dropped and not zero.
    const kar = await listScores(t.db, { benchmark: 'Kar2019-ost' });
    expect(kar.filter((k) => k.status === 'failed')).toHaveLength(76);
    expect(kar.filter((k) => k.status === 'scored')).toHaveLength(1);
    // "public": "False" in fixture-models.json (alexnet2).
    expect((await getModel(t.db, 'alexnet2'))?.visibility).toBe('private');

    const again = await runImport(t.db, brainscoreFixtures, fixtures);
    expect(again.scores_unchanged).toBe(544);
    expect(again.scores_created + again.scores_updated + again.models_created + again.models_updated).toBe(0);
  });
});

describe('table (Gavrikov & Keuper 2024 with the shipped mapping)', () => {
  const csv = path.join(data, 'public-results/biases-vs-generalization/benchmark.csv');
  it('imports the 70 models with shape bias, ImageNet, OOD and PGD accuracies', async () => {
    const s = await runImport(t.db, table, csv, { mapping: 'gavrikov2024' });
    expect(s.files[0]?.status).toBe('imported');
    expect(s.problems).toEqual([]);
    // 70 data rows; 1,915 non-empty cells in the 28 mapped columns (counted with Python's csv module).
    expect(s.models_created).toBe(70);
    expect(s.scores_created).toBe(1915);
    // tv_resnet50 row: top1_acc/imagenet 76.14599997314453 (percent), shape-bias 0.21464646464646464,
    // top1_acc/PGD-40/low 18.390345268542198, top1_acc/PGD-40/high 0.09790601023017542.
    expect((await score('tv_resnet50', 'ImageNet-top1'))?.rawValue).toBeCloseTo(76.14599997314453 / 100, 14);
    expect((await score('tv_resnet50', 'Hermann2020cueconflict-shape_bias'))?.rawValue).toBe(
      0.21464646464646464,
    );
    expect((await score('tv_resnet50', 'Gavrikov2024.PGD40-Linf-low'))?.rawValue).toBeCloseTo(
      18.390345268542198 / 100,
      14,
    );
    expect((await score('tv_resnet50', 'Gavrikov2024.PGD40-Linf-high'))?.rawValue).toBeCloseTo(
      0.09790601023017542 / 100,
      16,
    );
    // 33 models have a PGD-40/high value, 37 cells are empty (not measured, not zero).
    expect(await listScores(t.db, { benchmark: 'Gavrikov2024.PGD40-Linf-high' })).toHaveLength(33);
    // Model-vs-human OOD accuracies land on Brain-Score's identifiers.
    expect(await listScores(t.db, { benchmark: 'Geirhos2021cueconflict-top1' })).toHaveLength(70);
    const m = await getModel(t.db, 'robust_resnet50_linf_eps4.0');
    expect(m).toMatchObject({
      architecture: 'ResNet-50',
      trainingRegime: 'adversarial',
      trainingData: 'ImageNet-1k',
    });
    expect((await getModel(t.db, 'resnet50_trained_on_SIN'))?.trainingRegime).toBe('shape-biased');
    const runs = await t.pool.query(
      "select configuration from runs where producer = 'alignscope-import/table'",
    );
    expect(runs.rows[0].configuration).toMatchObject({
      source: 'benchmark.csv',
      mapping: 'gavrikov2024.json',
    });

    const again = await runImport(t.db, table, csv, { mapping: 'gavrikov2024' });
    expect(again).toMatchObject({
      models_created: 0,
      models_updated: 0,
      scores_created: 0,
      scores_updated: 0,
    });
    expect(again.scores_unchanged).toBe(1915);
  });
});
