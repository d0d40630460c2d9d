/**
 * The browser tests' fixture: ten models with hand-chosen leaf scores on the catalog's benchmarks, a
 * failed and a not-run score, and runs for provenance. Values are chosen so aggregates and some
 * correlations can be worked out by hand (see web.test.ts).
 */
import type { Database } from '@alignscope/db';
import { createRun, finishRun, getBenchmark, upsertModel, upsertScore } from '@alignscope/db/queries';

export const LEAVES = [
  'FreemanZiemba2013.V1-pls',
  'FreemanZiemba2013.V2-pls',
  'MajajHong2015.V4-pls',
  'MajajHong2015.IT-pls',
  'Kar2019-ost',
  'Rajalingham2018-i2n',
  'Geirhos2021cueconflict-error_consistency',
  'Geirhos2021edge-error_consistency',
  'Geirhos2021silhouette-error_consistency',
  'ImageNet-top1',
  'Hermann2020cueconflict-shape_bias',
  'Hermann2020cueconflict-shape_match',
  'AutoAttack-Linf-1/255',
  'AutoAttack-Linf-0.5/255',
  'AutoAttack-Linf-1/255-torchattacks',
] as const;

export type SeedModel = {
  identifier: string;
  displayName: string;
  family: string;
  regime: string;
  parameters: number;
  architecture: string;
  /** One value per LEAVES entry: a number (scored), null (no record), 'failed' or 'not-run'. */
  scores: (number | null | 'failed' | 'not-run')[];
};

// Alignment leaves are given as ceiled values (already in [0, 1]); engineering and robustness as raw.
// Shape bias (column 11) increases strictly with AutoAttack-Linf-1/255 (column 13) and shape match
// (column 12) decreases strictly with it, so their Spearman rho with that target is exactly +1 / -1.
//                                   V1    V2    V4    IT    Kar   i2n   ecC   ecE   ecS   top1  sb    sm    aa1   aa.5  aa1t
// biome-ignore format: a table
export const MODELS: SeedModel[] = [
  m('resnet50', 'ResNet-50', 'resnet', 'standard', 25_557_032, 'ResNet',                [0.5,  0.3,  0.4,  0.6,  null, 0.2,  0.4,  0.3,  0.2,  0.76,     0.21, 0.8,  0.0,   0.02,  0.01]),
  m('resnet18', 'ResNet-18', 'resnet', 'standard', 11_689_512, 'ResNet',                [0.42, 0.28, 0.35, 0.5,  0.4,  0.18, 0.3,  0.25, 0.2,  0.7,      0.23, 0.78, 0.01,  0.03,  0.02]),
  m('resnet50-at', 'ResNet-50 AT', 'resnet', 'adversarial', 25_557_032, 'ResNet',       [0.55, 0.4,  0.45, 0.52, 0.5,  0.22, 0.35, 0.3,  0.25, 0.64,     0.6,  0.5,  0.45,  0.55,  0.4]),
  m('vit-b16', 'ViT-B/16', 'vit', 'standard', 86_567_656, 'ViT',                        [0.38, 0.32, 0.41, 0.55, 0.45, 0.3,  0.45, 0.4,  0.3,  0.81,     0.4,  0.7,  0.05,  0.1,   0.04]),
  m('vit-s16-at', 'ViT-S/16 AT', 'vit', 'adversarial', 22_050_664, 'ViT',               [0.5,  0.36, 0.44, 0.5,  0.42, 0.25, 0.38, 0.33, 0.28, 0.66,     0.65, 0.45, 0.5,   0.6,   0.45]),
  m('convnext-t', 'ConvNeXt-T', 'convnext', 'standard', 28_589_128, 'ConvNeXt',         [0.46, 0.33, 0.43, 0.58, 0.47, 0.27, 0.42, 0.37, 0.31, 'failed', 0.3,  0.75, 0.02,  0.06,  0.03]),
  m('convnext-t-at', 'ConvNeXt-T AT', 'convnext', 'adversarial', 28_589_128, 'ConvNeXt', [0.52, 0.37, 0.47, 0.56, 0.48, 0.26, 0.4,  0.35, 0.3,  0.68,     0.7,  0.4,  0.55,  0.65,  0.5]),
  m('alexnet', 'AlexNet', 'alexnet', 'standard', 61_100_840, 'AlexNet',                 ['not-run', 0.25, 0.3, 0.4, 0.3, 0.1, 0.2, 0.15, 0.1, 0.57,     0.27, 0.76, 0.015, 0.025, 0.012]),
  m('vgg16', 'VGG-16', 'vgg', 'standard', 138_357_544, 'VGG',                           [0.48, 0.31, 0.39, 0.45, 0.35, 0.15, 0.28, 0.22, 0.18, 0.72,     0.22, 0.79, 0.008, 0.022, 0.009]),
  m('swin-t', 'Swin-T', 'swin', 'self-supervised', 28_288_354, 'Swin',                  [0.44, 0.34, 0.42, 0.57, 0.46, 0.28, 0.43, 0.38, 0.32, 0.81,     0.35, 0.72, 0.03,  0.08,  null]),
];

function m(
  identifier: string,
  displayName: string,
  family: string,
  regime: string,
  parameters: number,
  architecture: string,
  scores: SeedModel['scores'],
): SeedModel {
  if (scores.length !== LEAVES.length) throw new Error(`${identifier}: ${scores.length} scores`);
  return { identifier, displayName, family, regime, parameters, architecture, scores };
}

/** Writes the fixture: models, one import run per model, and the scores. */
export async function seed(db: Database): Promise<void> {
  const benchmarks = new Map<string, { id: number; version: number; domain: string }>();
  for (const id of LEAVES) {
    const b = await getBenchmark(db, id);
    if (!b) throw new Error(`catalog has no ${id}`);
    benchmarks.set(id, b);
  }
  for (const s of MODELS) {
    const { model } = await upsertModel(db, {
      identifier: s.identifier,
      displayName: s.displayName,
      family: s.family,
      trainingRegime: s.regime,
      parameters: s.parameters,
      architecture: s.architecture,
      trainingData: 'ImageNet-1k',
      source: 'e2e fixture',
      license: 'MIT',
      card:
        s.identifier === 'resnet50'
          ? { inputShape: [1, 3, 224, 224], inputRange: [0, 1], labels: 'imagenet1k' }
          : null,
    });
    const run = await createRun(db, {
      kind: 'import',
      modelId: model.id,
      producer: 'e2e-seed',
      producerVersion: '1.0.0',
      configuration: { seed: 7, source: 'fixture' },
    });
    await finishRun(db, run.id, { status: 'succeeded' });
    for (const [i, id] of LEAVES.entries()) {
      const v = s.scores[i];
      if (v === null || v === undefined) continue;
      const b = benchmarks.get(id) as { id: number; version: number; domain: string };
      const alignment = b.domain === 'neural' || b.domain === 'behavioral';
      await upsertScore(db, {
        modelId: model.id,
        benchmarkId: b.id,
        benchmarkVersion: b.version,
        status: typeof v === 'number' ? 'scored' : v,
        rawValue: typeof v === 'number' ? v : null,
        ceiledValue: typeof v === 'number' && alignment ? v : null,
        runId: run.id,
      });
    }
  }
}
