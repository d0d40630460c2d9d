/**
 * Model identity across sources: an alias links a name used by one source to a model created by
 * another, so imports from both land on the same model (and correlations can join them).
 */
import path from 'node:path';
import { requireDataDir } from '@alignscope/config';
import { addModelAlias, getModel, listScores } from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runImport } from '../src/importers/index.ts';
import { robustbench } from '../src/importers/robustbench.ts';
import { table } from '../src/importers/table.ts';

const pub = path.join(requireDataDir(), 'public-results');
let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.close();
});

it('a table row named by an alias lands on the aliased model, merged without overwriting', async () => {
  const rb = await runImport(
    t.db,
    robustbench,
    path.join(pub, 'robustbench/model_info/imagenet/Linf/Standard_R50.json'),
  );
  expect(rb.models_created).toBe(1);
  const id = 'robustbench.imagenet.Linf.Standard_R50';
  // Gavrikov & Keuper's tv_resnet50 is torchvision's ResNet-50, RobustBench's Standard_R50.
  await addModelAlias(t.db, { model: id, alias: 'tv_resnet50', source: 'test' });

  const s = await runImport(t.db, table, path.join(pub, 'biases-vs-generalization/benchmark.csv'), {
    mapping: 'gavrikov2024',
  });
  expect(s.files[0]?.status).toBe('imported');
  // 69 new models; tv_resnet50 merged into the RobustBench model (its metadata gains the study's key).
  expect(s.models_created).toBe(69);
  expect(s.models_updated).toBe(1);
  expect(await getModel(t.db, 'tv_resnet50')).toBeUndefined();
  const shape = await listScores(t.db, { model: id, benchmark: 'Hermann2020cueconflict-shape_bias' });
  expect(shape[0]?.rawValue).toBe(0.21464646464646464);
  // Both sources measured ImageNet top-1 (RobustBench "clean_acc": "76.52" on its 5,000 images; the
  // study 76.14599997314453 %): one score per model and benchmark, so the later import updates it,
  // and the score links to the run that wrote it.
  expect(s.scores_updated).toBe(1);
  const top1 = await listScores(t.db, { model: id, benchmark: 'ImageNet-top1' });
  expect(top1[0]?.rawValue).toBeCloseTo(76.14599997314453 / 100, 14);
  expect(top1[0]?.runId).toBe(s.files[0]?.run);
  expect(s.notes).toContainEqual({
    file: 'benchmark.csv',
    line: null,
    message:
      "1 score written earlier by alignscope-import/robustbench kept as earlier versions beside this file's values (the current value follows the rule)",
  });
  const model = await getModel(t.db, id);
  // Filled fields are kept (RobustBench's "ImageNet", not the table's "ImageNet-1k").
  expect(model?.trainingData).toBe('ImageNet');
  expect(Object.keys(model?.metadata as object).sort()).toEqual(['gavrikov2024', 'robustbench']);
});
