import { existsSync } from 'node:fs';
import path from 'node:path';
import { catalog, parseRobustnessIdentifier } from '@alignscope/db/catalog';
import { afterAll, describe, expect, it } from 'vitest';
import { autoAttackBenchmark, autoAttackBenchmarks } from '../src/benchmarks/autoattack.ts';
import { loadCard } from '../src/models/card.ts';
import { closeModels, openModel } from '../src/models/session.ts';

const data = process.env.ALIGNSCOPE_DATA_DIR ?? path.resolve(import.meta.dirname, '../../../../shared/data');
const modelFile = path.join(data, 'models/cifar10_resnet20.onnx');

describe('AutoAttack benchmark plugins', () => {
  it('cover every ImageNet and CIFAR-10 robustness benchmark of the catalog', () => {
    const ids = autoAttackBenchmarks().map((p) => p.identifier);
    const want = catalog
      .map((e) => e.identifier)
      .filter((id) => ['imagenet', 'cifar10'].includes(parseRobustnessIdentifier(id)?.dataset ?? ''));
    expect(ids).toEqual(want);
    expect(ids).toContain('cifar10.AutoAttack-Linf-8/255');
    expect(ids).toContain('AutoAttack-Linf-1/255-torchattacks');
    expect(() => autoAttackBenchmark('ImageNet-top1')).toThrow(/not an AutoAttack/);
  });

  describe.skipIf(!existsSync(modelFile))('on the CIFAR ResNet-20', () => {
    afterAll(() => closeModels());

    it('needs a model of the benchmark label space', async () => {
      const card = loadCard(path.join(data, 'models/cifar10_resnet20.json'));
      const onnx = await openModel(modelFile, card);
      const model = { identifier: 'cifar10_resnet20', card, onnx };
      expect(autoAttackBenchmark('cifar10.AutoAttack-Linf-8/255').unsupported(model)).toBeNull();
      expect(autoAttackBenchmark('AutoAttack-Linf-1/255').unsupported(model)).toMatch(/imagenet-1k/);
    });

    it('scores robust accuracy with its configuration and per-image flags', async () => {
      const card = loadCard(path.join(data, 'models/cifar10_resnet20.json'));
      const onnx = await openModel(modelFile, card);
      const plugin = autoAttackBenchmark('cifar10.AutoAttack-Linf-8/255');
      const phases = new Set<string>();
      const r = await plugin.run(
        { identifier: 'cifar10_resnet20', card, onnx },
        {
          dataDir: data,
          batchSize: 32,
          onImageError: 'fail',
          limit: 4,
          progress: (p) => phases.add(p.phase),
          cache: new Map(),
        },
      );
      expect(r.imageCount).toBe(4);
      expect(r.raw).toBeGreaterThanOrEqual(0);
      expect(r.raw).toBeLessThanOrEqual(0.25); // a standard ResNet-20 at 8/255: APGD-CE fools nearly all
      expect(r.configuration).toMatchObject({
        attack: 'AutoAttack',
        norm: 'Linf',
        epsLabel: '8/255',
        profile: 'reference',
        version: 'standard',
        seed: 0,
        images: 4,
        attacks: ['apgd-ce', 'apgd-t', 'fab-t', 'square'],
      });
      const per = r.artifacts.perImage as { files: string[]; robust: boolean[]; labels: number[] };
      expect(per.files[0]).toBe('cifar10/test/airplane/0000.jpg');
      expect(per.labels).toEqual([0, 0, 0, 0]);
      expect(per.robust.filter(Boolean).length / 4).toBe(r.raw);
      expect(phases.has('apgd-ce')).toBe(true);
    });
  });
});
