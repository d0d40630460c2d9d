/**
 * Model identity across sources (issue 12): the shipped identity map joins the networks that
 * Brain-Score, RobustBench and Gavrikov & Keuper all evaluated, so alignment from one source meets
 * robustness from another. Each asserted link says why it holds (from the sources' own numbers).
 */
import path from 'node:path';
import { requireDataDir } from '@alignscope/config';
import { getModel, listAliasesWithEvidence, listScores, resolveModel } from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreTable } from '../src/analysis/score-table.ts';
import { brainscoreFixtures } from '../src/importers/brainscore-fixtures.ts';
import { runImport } from '../src/importers/index.ts';
import { robustbench } from '../src/importers/robustbench.ts';
import { table } from '../src/importers/table.ts';
import { applyIdentityMap, loadIdentityMap, suggestLinks } from '../src/models/identity.ts';

const pub = path.join(requireDataDir(), 'public-results');
let t: TestDb;

/** Models with both a Brain-Score average_vision value and a Gavrikov & Keuper PGD-40 (low) value. */
async function joinedWithPgdLow(): Promise<string[]> {
  const { models, columns } = await scoreTable(t.db);
  const avg = columns.average_vision ?? [];
  const pgd = columns['Gavrikov2024.PGD40-Linf-low'] ?? [];
  return models.filter((_, i) => avg[i] != null && pgd[i] != null).sort();
}

beforeAll(async () => {
  t = await createTestDb();
  await runImport(t.db, robustbench, path.join(pub, 'robustbench/model_info/imagenet'));
  await runImport(t.db, brainscoreFixtures, path.join(pub, 'brainscore-web'));
  await runImport(t.db, table, path.join(pub, 'biases-vs-generalization/benchmark.csv'), {
    mapping: 'gavrikov2024',
  });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('the shipped identity map', () => {
  it('is valid and never links two names of one source', () => {
    const map = loadIdentityMap();
    expect(map.links.length).toBeGreaterThanOrEqual(6);
    for (const l of map.links) {
      const sources = l.names.map((n) => n.source).filter((s) => s !== 'robustbench');
      expect(new Set(sources).size).toBe(sources.length);
    }
  });

  it('joins Brain-Score alignment with Gavrikov & Keuper robustness only through the map', async () => {
    // Before: no Brain-Score model has a PGD-40 score (the two sources name every network differently).
    expect(await joinedWithPgdLow()).toEqual([]);
    const out = await applyIdentityMap(t.db, loadIdentityMap());
    expect(out.flatMap((r) => r.conflicts)).toEqual([]);
    // After: the three Stylized-ImageNet ResNet-50s of Geirhos et al. (ICLR 2019), which both sources
    // evaluated. Why each link holds (fixture-scores.json Deng2009-top1 vs benchmark.csv top1_acc/imagenet):
    // - resnet50-SIN = resnet50_trained_on_SIN: ImageNet top-1 0.6018 vs 60.18000000366 %;
    // - resnet50-SIN_IN = resnet50_trained_on_SIN_and_IN: 0.7459 vs 74.58799999 %;
    // - resnet50-SIN_IN_IN = resnet50_trained_on_SIN_and_IN_then_finetuned_on_IN: 0.7672 vs 76.722 %;
    // and all three cite the same paper (Brain-Score reference openreview Bygh9j09KX; RobustBench's
    // Geirhos2018_SIN* entries, footnotes "Model A/B/C").
    expect(await joinedWithPgdLow()).toEqual(['resnet50-SIN', 'resnet50-SIN_IN', 'resnet50-SIN_IN_IN']);

    const sin = await resolveModel(t.db, 'resnet50_trained_on_SIN');
    expect(sin?.identifier).toBe('resnet50-SIN');
    expect((await resolveModel(t.db, 'robustbench.imagenet.corruptions.Geirhos2018_SIN'))?.identifier).toBe(
      'resnet50-SIN',
    );
    const benches = (await listScores(t.db, { model: 'resnet50-SIN' })).map((s) => s.benchmark);
    // Brain-Score's neural score, Gavrikov & Keuper's shape bias and PGD-40, RobustBench's corruptions.
    expect(benches).toEqual(
      expect.arrayContaining([
        'MajajHong2015.IT-pls',
        'Hermann2020cueconflict-shape_bias',
        'Gavrikov2024.PGD40-Linf-low',
        'RobustBench.imagenet-corruptions',
      ]),
    );
    // ImageNet top-1 was measured by all three: the canonical (Brain-Score) value stays, and the others
    // are kept with the alias, with the run that wrote them.
    const top1 = await listScores(t.db, { model: 'resnet50-SIN', benchmark: 'ImageNet-top1' });
    expect(top1[0]?.rawValue).toBe(0.6018);
    const aliases = await listAliasesWithEvidence(t.db, sin?.id);
    const gk = aliases.find((a) => a.alias === 'resnet50_trained_on_SIN');
    const ev = gk?.evidence as { evidence: { evidence: string[] }; droppedScores: { rawValue: number }[] };
    expect(ev.evidence.evidence[0]).toContain('Brain-Score 0.6018, Gavrikov & Keuper 60.18000000366 %');
    expect(ev.droppedScores.map((d) => d.rawValue)).toEqual([0.6018000000366212]);

    // torchvision's ResNet-50: RobustBench's Standard_R50 (authors "Torchvision") is tv_resnet50.
    expect((await resolveModel(t.db, 'robustbench.imagenet.Linf.Standard_R50'))?.identifier).toBe(
      'tv_resnet50',
    );
    // model-vs-human's resnet50 (its decisions give exactly tv_resnet50's OOD accuracies) becomes an
    // alias, so importing its trials lands on the same model.
    expect((await resolveModel(t.db, 'resnet50'))?.identifier).toBe('tv_resnet50');
  });

  it('keeps same-sounding names that are different networks apart', async () => {
    // resnet-18 (Brain-Score, top-1 0.6976: torchvision) and resnet18 (Gavrikov & Keuper, 71.462 %: timm).
    expect((await getModel(t.db, 'resnet-18'))?.id).not.toBe((await getModel(t.db, 'resnet18'))?.id);
    expect((await getModel(t.db, 'resnet18'))?.identifier).toBe('resnet18');
    const suggestions = await suggestLinks(t.db, loadIdentityMap());
    expect(suggestions.some((s) => [s.a, s.b].includes('resnet-18') && [s.a, s.b].includes('resnet18'))).toBe(
      false,
    );
  });

  it('is idempotent: a second application changes nothing', async () => {
    const again = await applyIdentityMap(t.db, loadIdentityMap());
    expect(again.flatMap((r) => [...r.merged, ...r.aliased])).toEqual([]);
  });
});
