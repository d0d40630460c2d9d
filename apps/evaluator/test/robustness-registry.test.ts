import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { needsDataBundle } from '@alignscope/config/testing';
import { listScores } from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchmarkPlugins } from '../src/benchmarks/registry.ts';
import { evaluate } from '../src/evaluate/evaluate.ts';
import { AUTOATTACK_BENCHMARKS } from './autoattack-catalog.ts';

const bundle = needsDataBundle(
  ['models/cifar10_resnet20.onnx', 'models/cifar10_resnet20.json', 'cifar10/test'],
  'evaluate with a robustness benchmark',
);
const modelDir = bundle.path('models');

describe('robustness benchmarks in the registry', () => {
  it('registers a plugin for every ImageNet and CIFAR-10 AutoAttack benchmark of the catalog', async () => {
    const plugins = await benchmarkPlugins();
    const expected = AUTOATTACK_BENCHMARKS;
    for (const id of expected) expect(plugins.get(id)?.identifier, id).toBe(id);
    expect([...plugins.keys()].filter((id) => id.includes('AutoAttack')).sort()).toEqual(
      [...expected].sort(),
    );
    // The behavioral and engineering plugins are still there beside them.
    expect(plugins.has('ImageNet-top1')).toBe(true);
  });
});

// `alignscope evaluate --benchmark cifar10.AutoAttack-Linf-8/255` end to end: a standard ResNet-20 has
// essentially no robustness at 8/255 (RobustBench's Standard CIFAR-10 model: 0 % AutoAttack accuracy),
// so every clean-correct image of the subset is fooled and the score is 0 with its run recorded.
describe.skipIf(bundle.missing)('evaluate with a robustness benchmark', () => {
  let t: TestDb;
  const home = mkdtempSync(path.join(os.tmpdir(), 'alignscope-robust-'));
  const saved = process.env.ALIGNSCOPE_HOME;
  beforeAll(async () => {
    process.env.ALIGNSCOPE_HOME = home;
    t = await createTestDb();
  });
  afterAll(async () => {
    await t.close();
    rmSync(home, { recursive: true, force: true });
    if (saved === undefined) delete process.env.ALIGNSCOPE_HOME;
    else process.env.ALIGNSCOPE_HOME = saved;
  });

  it('scores robust accuracy and records the attack configuration with the run', async () => {
    const [record] = await evaluate(
      {
        model: path.join(modelDir, 'cifar10_resnet20.onnx'),
        card: path.join(modelDir, 'cifar10_resnet20.json'),
        benchmarks: ['cifar10.AutoAttack-Linf-8/255'],
        limit: 20,
      },
      t.db,
    );
    expect(record?.status).toBe('scored');
    expect(record?.raw).toBe(0);
    expect(record?.imageCount).toBe(20);
    expect(record?.configuration).toMatchObject({
      norm: 'Linf',
      eps: 8 / 255,
      profile: 'reference',
      seed: 0,
      limit: 20,
      limitSeed: 0,
      partial: true,
    });
    // 20 of the 1000 evaluation images: a partial run, recorded with its value but not on the board.
    expect(record?.stored).toBe('partial');
    expect(await listScores(t.db, { benchmark: 'cifar10.AutoAttack-Linf-8/255' })).toEqual([]);
  });
});
