/**
 * Robustness benchmarks: AutoAttack robust accuracy (packages/attacks) for the catalog's identifiers
 * (`AutoAttack-Linf-1/255`, `AutoAttack-Linf-1/255-torchattacks`, `cifar10.AutoAttack-Linf-8/255`,
 * ...; parsed by parseRobustnessIdentifier). `autoAttackBenchmark(identifier)` builds the plugin of
 * one definition of the AutoAttack family (packages/benchmarks/src/definitions/AutoAttack.ts),
 * `autoAttackBenchmarks()` those of every definition of the family.
 *
 * Default image sets (ctx.images / ctx.limit override them): ImageNet, the data bundle's 1000 sample
 * photos (one per class); CIFAR-10, the bundle's evaluation subset (first 100 test files per class,
 * sorted names: 1000 images, as the model cards' measured accuracy). Attacks run on [0,1] pixels after
 * the card's resize/crop; the card's input range and outside normalisation are applied after.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { clopperPearson, clopperPearsonMethod } from '@alignscope/analysis';
import {
  AttackConfigError,
  type AutoAttackCheckpoint,
  type AutoAttackResult,
  affineInput,
  type Classifier,
  runAutoAttack,
} from '@alignscope/attacks';
import { type GradientLevel, OnnxClassifier } from '@alignscope/attacks/onnx';
import { parseRobustnessIdentifier, type RobustnessParameters } from '@alignscope/benchmarks';
import family from '@alignscope/benchmarks/definitions/AutoAttack';
import { InputError } from '../errors.ts';
import { ImageError, loadImageTensor } from '../images/pipeline.ts';
import { imageSet, type LabelledImage } from '../images/sets.ts';
import { labelSpaceName, type ModelCard } from '../models/card.ts';
import {
  cifar10Classes,
  imagenetClasses,
  labelResolver,
  labelSpace as labelSpaceOfList,
} from '../models/labels.ts';
import { imagenetSamples } from './kinds/top1.ts';
import { stratifiedSubset } from './subset.ts';
import {
  type BenchmarkContext,
  type BenchmarkPlugin,
  classifierLabelSpace,
  type EvalModel,
  fromDefinition,
} from './types.ts';

/** The seed every platform robustness score is computed with (recorded in the configuration). */
export const ROBUSTNESS_SEED = 0;

/** Per-channel transform from [0,1] pixels to the model's input (input range and outside normalisation). */
export function inputTransform(card: ModelCard): { scale: number[]; shift: number[] } | null {
  const range = card.inputRange[1];
  const { mean, std } = card.preprocessing;
  if (range === 1 && (card.normalizationInside || !mean || !std)) return null;
  const scale: number[] = [];
  const shift: number[] = [];
  for (let c = 0; c < 3; c++) {
    let a: number = range;
    let b = 0;
    if (!card.normalizationInside && mean && std) {
      // the pipeline's (v - mean) / std on the card's input range
      a = range / (std[c] as number);
      b = -(mean[c] as number) / (std[c] as number);
    }
    scale.push(a);
    shift.push(b);
  }
  return { scale, shift };
}

/** The classifier over an ONNX file as the attacks see it: [0,1] pixels in, logits out. */
export async function attackClassifier(
  file: string,
  card: ModelCard,
  numClasses: number,
  opts: {
    batchSize: number;
    threads?: number;
    executionProvider?: string;
    /** The gradient graphs' level (default 'auto'); a resumed run passes its checkpoint's. */
    gradientOptimization?: 'auto' | GradientLevel;
  },
): Promise<{ classifier: Classifier; onnx: OnnxClassifier }> {
  let onnx: OnnxClassifier;
  try {
    onnx = await OnnxClassifier.open(readFileSync(file), {
      inputShape: card.inputShape,
      numClasses,
      batchSize: opts.batchSize,
      ...(opts.threads === undefined ? {} : { intraOpNumThreads: opts.threads }),
      ...(opts.executionProvider === undefined ? {} : { executionProvider: opts.executionProvider }),
      ...(opts.gradientOptimization === undefined ? {} : { gradientOptimization: opts.gradientOptimization }),
    });
  } catch (e) {
    throw new InputError(`${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  const tf = inputTransform(card);
  return { classifier: tf ? affineInput(onnx, tf.scale, tf.shift) : onnx, onnx };
}

/** Decodes images to [0,1] pixels after the card's resize/crop; InputError naming the bad file. */
export async function loadPixels(
  files: readonly string[],
  card: ModelCard,
  where: (i: number) => string = () => '',
): Promise<Float32Array> {
  const [C, H, W] = card.inputShape;
  const d = C * H * W;
  const pixelCard: ModelCard = { ...card, inputRange: [0, 1], normalizationInside: true };
  const x = new Float32Array(files.length * d);
  for (let i = 0; i < files.length; i++) {
    try {
      x.set(await loadImageTensor(files[i] as string, pixelCard), i * d);
    } catch (e) {
      if (e instanceof ImageError) throw new InputError(`${where(i)}${e.message}`);
      throw e;
    }
  }
  return x;
}

function cifarEvaluationSet(dataDir: string): { name: string; images: LabelledImage[] } {
  const root = path.join(dataDir, 'cifar10', 'test');
  const images: LabelledImage[] = [];
  for (const c of cifar10Classes(dataDir)) {
    for (const f of readdirSync(path.join(root, c)).sort().slice(0, 100))
      images.push({ file: path.join(root, c, f), label: c });
  }
  return { name: 'cifar10/test, first 100 files per class (1000 images)', images };
}

function describe(p: RobustnessParameters): string {
  return `AutoAttack ${p.version} (${p.profile === 'reference' ? 'fra31/auto-attack' : 'torchattacks configuration'}), ${p.norm}, eps = ${p.epsLabel} on [0,1] pixels, ${p.dataset === 'imagenet' ? 'ImageNet' : 'CIFAR-10'} images; score = robust accuracy.`;
}

/** The benchmark plugin of one AutoAttack identifier. */
export function autoAttackBenchmark(identifier: string): BenchmarkPlugin {
  const p = parseRobustnessIdentifier(identifier);
  if (!p) throw new Error(`${identifier} is not an AutoAttack benchmark identifier`);
  if (p.dataset !== 'imagenet' && p.dataset !== 'cifar10') {
    throw new Error(`${identifier}: no image set for data set ${p.dataset}`);
  }
  const definition = family.find((d) => d.identifier === identifier);
  if (!definition) throw new Error(`${identifier} is not a definition of the AutoAttack family`);
  const labelSpace = classifierLabelSpace(definition);
  return {
    ...fromDefinition(definition),
    description: describe(p),
    reference: 'Croce & Hein, ICML 2020, arXiv:2003.01690',
    labelSpace,
    unsupported(model: EvalModel) {
      if (!model.onnx || !model.card) return 'needs an ONNX model';
      const ls = labelSpaceName(model.card);
      return ls === labelSpace ? null : `needs a ${labelSpace} model (this one is ${ls})`;
    },
    async run(model: EvalModel, ctx: BenchmarkContext) {
      const onnx = model.onnx;
      const card = model.card;
      if (!onnx || !card) throw new InputError('needs an ONNX model');
      const set = ctx.images
        ? { name: ctx.images, images: imageSet(ctx.images) }
        : p.dataset === 'imagenet'
          ? imagenetSamples(ctx.dataDir)
          : cifarEvaluationSet(ctx.dataDir);
      const images =
        ctx.limit !== undefined
          ? stratifiedSubset(set.images, ctx.limit, ctx.limitSeed ?? 0, (im) => im.label)
          : set.images;
      if (images.length === 0) throw new InputError(`no images in ${set.name}`);
      const classes = p.dataset === 'imagenet' ? imagenetClasses(ctx.dataDir) : cifar10Classes(ctx.dataDir);
      const resolve = labelResolver(labelSpaceOfList(labelSpace, classes));
      const y = Int32Array.from(images, (im) => resolve(im.label, im.file));
      const t0 = performance.now();
      const x = await loadPixels(
        images.map((im) => im.file),
        card,
      );
      const decodeMs = performance.now() - t0;
      const resumeFrom = (ctx.checkpoint?.saved as AutoAttackCheckpoint | null | undefined) ?? null;
      // a resumed run's gradients must come from graphs at the level its checkpoint recorded
      const savedLevel = resumeFrom?.gradientOptimization;
      if (savedLevel !== undefined && savedLevel !== 'extended' && savedLevel !== 'all') {
        throw new InputError(`the checkpoint records an unknown gradient optimisation level '${savedLevel}'`);
      }
      const { classifier, onnx: session } = await attackClassifier(onnx.file, card, onnx.numClasses, {
        batchSize: ctx.batchSize,
        ...(onnx.threads ? { threads: onnx.threads } : {}),
        // the provider the model's session runs on, for the attack's forward and gradient sessions too
        executionProvider: onnx.executionProvider,
        ...(savedLevel ? { gradientOptimization: savedLevel } : {}),
      });
      let r: AutoAttackResult;
      try {
        r = await runAutoAttack(classifier, x, y, {
          norm: p.norm,
          eps: p.eps,
          version: p.version,
          profile: p.profile,
          seed: ROBUSTNESS_SEED,
          batchSize: ctx.batchSize,
          keepAdversarial: false,
          gradientOptimization: session.gradientOptimization.level,
          onProgress: (e) =>
            ctx.progress({
              phase: e.attack,
              done: Math.round(e.fraction * e.pointsTotal),
              total: e.pointsTotal,
              fraction: (e.stageIndex + 1 + e.fraction) / (e.stageCount + 1),
            }),
          // A job saves its state after every batch and stage and, inside APGD-T's and FAB-T's
          // batches, at target-group boundaries at most every 10 s, or at the next one once a stop is
          // asked (the worker waits only STOP_GRACE_MS for it); it stops there.
          ...(resumeFrom ? { resume: resumeFrom } : {}),
          ...(ctx.signal ? { checkpointNow: () => ctx.signal?.aborted === true } : {}),
          ...(ctx.checkpoint || ctx.signal
            ? {
                onCheckpoint: async (c: AutoAttackCheckpoint) => {
                  await ctx.checkpoint?.save(c);
                  ctx.signal?.throwIfAborted();
                },
              }
            : {}),
        });
      } catch (e) {
        if (e instanceof AttackConfigError) throw new InputError(e.message);
        throw e;
      } finally {
        await session.release();
      }
      const n = r.n;
      const acc = r.robustAccuracy;
      const robust = r.robustFlags.filter(Boolean).length;
      return {
        raw: acc,
        ceiled: acc,
        ceiling: null,
        error: Math.sqrt((acc * (1 - acc)) / n),
        interval: { ...clopperPearson(robust, n), method: clopperPearsonMethod() },
        imageCount: n,
        configuration: {
          attack: 'AutoAttack',
          norm: p.norm,
          eps: p.eps,
          epsLabel: p.epsLabel,
          profile: p.profile,
          version: p.version,
          seed: r.seed,
          batchSize: r.batchSize,
          imageSet: set.name,
          images: n,
          ...(ctx.limit !== undefined ? { limit: ctx.limit } : {}),
          attacks: r.plan.attacks,
          parameters: { apgd: r.plan.apgd, apgdT: r.plan.apgdT, fabT: r.plan.fabT, square: r.plan.square },
          earlyStop: r.plan.earlyStop,
        },
        artifacts: {
          cleanAccuracy: r.cleanAccuracy,
          robustAccuracy: acc,
          stages: r.stages,
          maxPerturbation: r.maxPerturbation,
          warnings: r.warnings,
          // the provider the attack's forward and gradient sessions ran on
          executionProvider: session.executionProvider,
          // onnxruntime optimisation level of the gradient graphs, and why ('all' only after its check)
          gradientOptimization: session.gradientOptimization,
          // the NCHWc rewrite of each gradient graph (bit-identical outputs; nodes moved, reorders)
          gradientLayouts: await session.gradientLayouts(),
          // worker threads that shared each batch (one onnxruntime thread each; results unchanged)
          sharding: session.sharding,
          // whether a sample's results were checked not to depend on its batch (shares and graphs of
          // the exact batch size rely on it), and how
          batchInvariance: session.batchInvariance,
          // provenance of a job resumed after an interruption: where it continued from
          resumedFrom: resumeFrom
            ? {
                stage: resumeFrom.stageIndex,
                batchesDone: resumeFrom.batchesDone,
                seconds: resumeFrom.seconds,
                // inside an APGD-T / FAB-T batch: the target runs it had done
                ...(resumeFrom.inBatch
                  ? { inBatch: { attack: resumeFrom.inBatch.attack, runsDone: resumeFrom.inBatch.runsDone } }
                  : {}),
              }
            : null,
          perImage: {
            files: images.map((im) =>
              path.relative(ctx.images ? path.dirname(ctx.images) : ctx.dataDir, im.file),
            ),
            labels: Array.from(y),
            clean: r.cleanFlags,
            robust: r.robustFlags,
            perturbation: r.perturbationNorms,
          },
        },
        timings: {
          decodeMs,
          inferenceMs: session.timings.forwardMs + session.timings.gradientMs,
          wallMs: performance.now() - t0,
        },
        inputs: { images },
      };
    },
  };
}

/** Plugins for every definition of the AutoAttack family (ImageNet and CIFAR-10). */
export function autoAttackBenchmarks(): BenchmarkPlugin[] {
  return family.map((d) => autoAttackBenchmark(d.identifier));
}
