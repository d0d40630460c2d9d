/**
 * Top-1 accuracy of an ONNX classifier on a labelled image set (folder tree or manifest CSV). Labels
 * are class indices, or names in the label space's class list (ImageNet WNIDs, CIFAR-10 names). Top-5
 * is recorded in the artifacts when the label space has more than 5 classes.
 */
import path from 'node:path';
import { clopperPearson, clopperPearsonMethod } from '@alignscope/analysis';
import type { BenchmarkDefinition } from '@alignscope/benchmarks';
import { InputError } from '../../errors.ts';
import { folderImageSet, imageSet, type LabelledImage, manifestImageSet } from '../../images/sets.ts';
import { labelSpaceName } from '../../models/card.ts';
import { labelResolver, labelSpace } from '../../models/labels.ts';
import { classify, topK } from '../classify.ts';
import { stratifiedSubset } from '../subset.ts';
import {
  type BenchmarkContext,
  type BenchmarkPlugin,
  classifierLabelSpace,
  fromDefinition,
} from '../types.ts';

type Top1Options = {
  definition: BenchmarkDefinition;
  description: string;
  reference: string;
  /** The default image set inside the data bundle. */
  defaultSet(dataDir: string): { name: string; images: LabelledImage[] };
  /** Class names in index order (for name labels), from the data bundle. */
  classNames(dataDir: string): string[];
};

export { cifar10Classes, imagenetClasses } from '../../models/labels.ts';

export const imagenetSamples = (dataDir: string) => ({
  name: 'imagenet/samples (1000 images, one per class)',
  images: manifestImageSet(path.join(dataDir, 'imagenet', 'samples.csv'), {
    labelColumn: 'class_index',
    baseDir: path.join(dataDir, 'imagenet', 'samples'),
  }),
});

export const cifar10Test = (dataDir: string) => ({
  name: 'cifar10/test (10,000 images)',
  images: folderImageSet(path.join(dataDir, 'cifar10', 'test')),
});

export function top1Benchmark(options: Top1Options): BenchmarkPlugin {
  const o = { ...options, labelSpace: classifierLabelSpace(options.definition) };
  return {
    ...fromDefinition(o.definition),
    description: o.description,
    reference: o.reference,
    unsupported(model) {
      if (!model.onnx || !model.card) return 'needs an ONNX model';
      const ls = labelSpaceName(model.card);
      return ls === o.labelSpace ? null : `needs a ${o.labelSpace} model (this one is ${ls})`;
    },
    async run(model, ctx: BenchmarkContext) {
      const onnx = model.onnx;
      if (!onnx) throw new InputError('needs an ONNX model');
      const set = ctx.images ? { name: ctx.images, images: imageSet(ctx.images) } : o.defaultSet(ctx.dataDir);
      const images =
        ctx.limit !== undefined
          ? stratifiedSubset(set.images, ctx.limit, ctx.limitSeed ?? 0, (im) => im.label)
          : set.images;
      const classes = o.classNames(ctx.dataDir);
      if (classes.length !== onnx.numClasses) {
        throw new InputError(`the class list has ${classes.length} classes, the model ${onnx.numClasses}`);
      }
      const resolve = labelResolver(labelSpace(o.labelSpace, classes));
      const items = images.map((im) => ({ ...im, index: resolve(im.label, im.file) }));
      const files: string[] = [];
      const labels: number[] = [];
      const predictions: number[] = [];
      let top1 = 0;
      let top5 = 0;
      const outcome = await classify(onnx, items, ctx, { phase: 'images' }, (item, logits) => {
        const best = topK(logits, 5);
        files.push(path.relative(ctx.images ? path.dirname(ctx.images) : ctx.dataDir, item.file));
        labels.push(item.index);
        predictions.push(best[0] as number);
        if (best[0] === item.index) top1++;
        if (best.includes(item.index)) top5++;
      });
      const n = outcome.classified;
      if (n === 0) throw new InputError(`no image of ${set.name} could be classified`);
      const acc = top1 / n;
      return {
        raw: acc,
        ceiled: acc,
        ceiling: 1,
        error: Math.sqrt((acc * (1 - acc)) / n),
        interval: { ...clopperPearson(top1, n), method: clopperPearsonMethod() },
        imageCount: n,
        configuration: {
          imageSet: set.name,
          labelSpace: o.labelSpace,
          images: n,
          skippedImages: outcome.skipped.length,
          ...(ctx.limit !== undefined ? { limit: ctx.limit } : {}),
        },
        artifacts: {
          top1: acc,
          ...(onnx.numClasses > 5 ? { top5: top5 / n } : {}),
          n,
          skipped: outcome.skipped.map((s) => ({ file: s.item.file, error: s.error })),
          perImage: { files, labels, predictions },
        },
        timings: outcome.timings,
        inputs: { images },
      };
    },
  };
}
