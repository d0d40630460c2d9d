import os from 'node:os';
import path from 'node:path';
import { MAX_AUTO_SHARDS } from '@alignscope/attacks/onnx';
import { needsDataBundle } from '@alignscope/config/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { autoAttackBenchmark, autoAttackBenchmarks } from '../src/benchmarks/autoattack.ts';
import { loadCard } from '../src/models/card.ts';
import { closeModels, openModel } from '../src/models/session.ts';
import { AUTOATTACK_BENCHMARKS } from './autoattack-catalog.ts';

const bundle = needsDataBundle(
  ['models/cifar10_resnet20.onnx', 'models/cifar10_resnet20.json', 'cifar10/test'],
  'AutoAttack benchmark plugins on the CIFAR ResNet-20',
);
const data = bundle.dir;
const modelFile = bundle.path('models/cifar10_resnet20.onnx');

describe('AutoAttack benchmark plugins', () => {
  it('cover every ImageNet and CIFAR-10 robustness benchmark of the catalog', () => {
    const ids = autoAttackBenchmarks().map((p) => p.identifier);
    expect(ids).toEqual(AUTOATTACK_BENCHMARKS);
    expect(() => autoAttackBenchmark('ImageNet-top1')).toThrow(/not an AutoAttack/);
  });

  describe.skipIf(bundle.missing)('on the CIFAR ResNet-20', () => {
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
      // A standard (not adversarially trained) ResNet-20 at 8/255: RobustBench's Standard CIFAR-10
      // model has 0 % AutoAttack accuracy, and APGD-CE alone fools every image here.
      expect(r.raw).toBe(0);
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
      // --limit 4 of the 1000 evaluation images (100 per class): four classes, one image each,
      // drawn with seed 0 (benchmarks/subset.ts), each file in its label's folder.
      expect(new Set(per.labels).size).toBe(4);
      const classes = [
        'airplane',
        'automobile',
        'bird',
        'cat',
        'deer',
        'dog',
        'frog',
        'horse',
        'ship',
        'truck',
      ];
      per.files.forEach((f, i) => {
        expect(f).toMatch(new RegExp(`^cifar10/test/${classes[per.labels[i] as number]}/\\d{4}\\.jpg$`));
      });
      expect(per.robust.filter(Boolean).length / 4).toBe(r.raw);
      expect(phases.has('apgd-ce')).toBe(true);
      // provenance of how the attack ran: the gradient graphs' level and the batches' shares
      // (two worker threads of one onnxruntime thread on this 2-core machine; one where pinned)
      expect(r.artifacts.gradientOptimization).toMatchObject({ level: 'all' });
      expect(r.artifacts.sharding).toMatchObject({
        shards: Math.min(os.availableParallelism(), MAX_AUTO_SHARDS),
      });
      // the shares rest on the check at open that a sample's bits do not depend on its batch
      expect(r.artifacts.batchInvariance).toMatchObject({ invariant: true, checked: true });
      expect((r.artifacts.batchInvariance as { reason: string }).reason).toMatch(
        /^checked: 11 probe samples/,
      );
    });
  });
});
