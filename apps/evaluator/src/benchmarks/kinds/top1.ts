/**
 * Top-1 accuracy of an ONNX classifier on a labelled image set (folder tree or manifest CSV). Labels
 * are class indices, or names in the label space's class list (ImageNet WNIDs, CIFAR-10 names). Top-5
 * is recorded in the artifacts when the label space has more than 5 classes.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CatalogEntry } from '@alignscope/db/catalog';
import { UserError } from '../../errors.ts';
import { folderImageSet, imageSet, type LabelledImage, manifestImageSet } from '../../images/sets.ts';
import { labelSpaceName } from '../../models/card.ts';
import { classify, topK } from '../classify.ts';
import type { BenchmarkContext, BenchmarkPlugin } from '../types.ts';

type Top1Options = {
  identifier: string;
  version?: number;
  labelSpace: 'imagenet-1k' | 'cifar-10';
  description: string;
  reference: string;
  /** The default image set inside the data bundle. */
  defaultSet(dataDir: string): { name: string; images: LabelledImage[] };
  /** Class names in index order (for name labels), from the data bundle. */
  classNames(dataDir: string): string[];
  catalogEntry?: CatalogEntry;
};

function readLines(file: string): string[] {
  if (!existsSync(file))
    throw new UserError(`not found: ${file} (is the data directory the AlignScope data bundle?)`);
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** ImageNet: WNIDs in class-index order (imagenet/categories.txt, `WNID name` lines). */
export const imagenetClasses = (dataDir: string) =>
  readLines(path.join(dataDir, 'imagenet', 'categories.txt')).map((l) => l.split(/\s+/)[0] as string);

export const cifar10Classes = (dataDir: string) => readLines(path.join(dataDir, 'cifar10', 'classes.txt'));

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

function labelIndex(label: string, classes: readonly string[], lookup: Map<string, number>): number {
  if (/^\d+$/.test(label)) {
    const i = Number(label);
    if (i < classes.length) return i;
  }
  const i = lookup.get(label) ?? lookup.get(label.toLowerCase());
  if (i === undefined) {
    throw new UserError(
      `label "${label}" is neither a class index (0-${classes.length - 1}) nor a class name of the label space`,
    );
  }
  return i;
}

export function top1Benchmark(o: Top1Options): BenchmarkPlugin {
  return {
    identifier: o.identifier,
    version: o.version ?? 1,
    description: o.description,
    reference: o.reference,
    catalogEntry: o.catalogEntry,
    labelSpace: o.labelSpace,
    unsupported(model) {
      if (!model.onnx || !model.card) return 'needs an ONNX model';
      const ls = labelSpaceName(model.card);
      return ls === o.labelSpace ? null : `needs a ${o.labelSpace} model (this one is ${ls})`;
    },
    async run(model, ctx: BenchmarkContext) {
      const onnx = model.onnx;
      if (!onnx) throw new UserError('needs an ONNX model');
      const set = ctx.images ? { name: ctx.images, images: imageSet(ctx.images) } : o.defaultSet(ctx.dataDir);
      const images = ctx.limit !== undefined ? set.images.slice(0, ctx.limit) : set.images;
      const classes = o.classNames(ctx.dataDir);
      if (classes.length !== onnx.numClasses) {
        throw new UserError(`the class list has ${classes.length} classes, the model ${onnx.numClasses}`);
      }
      const lookup = new Map(classes.flatMap((c, i) => [[c, i] as const, [c.toLowerCase(), i] as const]));
      const items = images.map((im) => ({ ...im, index: labelIndex(im.label, classes, lookup) }));
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
      if (n === 0) throw new UserError(`no image of ${set.name} could be classified`);
      const acc = top1 / n;
      return {
        raw: acc,
        ceiled: acc,
        ceiling: 1,
        error: Math.sqrt((acc * (1 - acc)) / n),
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
      };
    },
  };
}
