/**
 * Acceptance on the real models of the data bundle (no database): ImageNet top-1 on the 1,000 sample
 * images and cue-conflict shape bias against the figures in the model cards (`measured`, computed by
 * the bundle's builder with Pillow + onnxruntime 1.30 in Python: an independent pipeline), and CIFAR-10
 * top-1 on the cards' 1,000-image subset. About 90 s of CPU (minutes on a loaded 2-core machine),
 * so it runs only with ALIGNSCOPE_SLOW_TESTS=1. The default run checks a seeded, stratified subset of
 * 300 images against the same cards (tolerance below), and does the quick checks at the end (batched =
 * one-by-one inference, stable decisions on a subset). The fixture logits are checked by
 * images.test.ts on every run.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate } from '../src/evaluate/evaluate.ts';
import { loadImageTensor } from '../src/images/index.ts';
import { closeModels, loadCard, openModel } from '../src/models/index.ts';
import { bundle, tmpDir } from './helpers.ts';

afterAll(closeModels);

const slow = process.env.ALIGNSCOPE_SLOW_TESTS === '1';
/** Minutes on a busy 2-core machine. */
const SLOW_TIMEOUT = 600_000;

type Measured = {
  cleanAccuracy: { top1: number; top5?: number; n: number };
  cueConflict?: { shapeDecisions: number; textureDecisions: number; shapeBias: number };
};
const measured = (name: string) =>
  (JSON.parse(readFileSync(bundle('models', `${name}.json`), 'utf8')) as { measured: Measured }).measured;

const run = (name: string, benchmarks: string[], extra: Record<string, unknown> = {}) =>
  evaluate(
    {
      model: bundle('models', `${name}.onnx`),
      card: bundle('models', `${name}.json`),
      benchmarks,
      threads: 2,
      batchSize: 32,
      ...extra,
    },
    null,
  );

describe.runIf(slow).each(['mobilenet_v1_025_imagenet1k', 'tiny_darknet_imagenet1k'])(
  '%s (slow)',
  { timeout: SLOW_TIMEOUT },
  (name) => {
    it('ImageNet top-1 on the 1,000 sample images is within 0.5 points of the card', async () => {
      const [r] = await run(name, ['ImageNet-top1']);
      const m = measured(name);
      expect(r?.status).toBe('scored');
      expect(r?.imageCount).toBe(1000);
      expect(Math.abs((r?.raw as number) - m.cleanAccuracy.top1)).toBeLessThanOrEqual(0.005);
      expect(Math.abs((r?.artifacts.top5 as number) - (m.cleanAccuracy.top5 as number))).toBeLessThanOrEqual(
        0.005,
      );
    });

    it('cue-conflict shape bias matches the card and is the same across runs', async () => {
      const m = measured(name).cueConflict as NonNullable<Measured['cueConflict']>;
      const values: number[] = [];
      for (let i = 0; i < 2; i++) {
        const [r] = await run(name, ['Hermann2020cueconflict-shape_bias']);
        const counts = r?.artifacts.counts as { nShape: number; nTexture: number; nConflict: number };
        expect(counts.nConflict).toBe(1200);
        // Same decision counts as the card (decisions agree image by image up to rare float ties).
        expect(Math.abs(counts.nShape - m.shapeDecisions)).toBeLessThanOrEqual(2);
        expect(Math.abs(counts.nTexture - m.textureDecisions)).toBeLessThanOrEqual(2);
        values.push(r?.raw as number);
      }
      expect(values[1]).toBe(values[0]);
      expect(Math.abs((values[0] as number) - m.shapeBias)).toBeLessThan(0.002);
    });
  },
);

describe.runIf(slow)('cifar10_resnet20 (slow)', { timeout: SLOW_TIMEOUT }, () => {
  it("CIFAR-10 top-1 on the card's 1,000-image subset (first 100 files per class) is within 0.5 points", async () => {
    const dir = tmpDir();
    const classes = readFileSync(bundle('cifar10', 'classes.txt'), 'utf8').trim().split(/\s+/);
    const lines = ['file,label'];
    for (const c of classes) {
      for (const f of readdirSync(bundle('cifar10', 'test', c))
        .sort()
        .slice(0, 100)) {
        lines.push(`${path.join(bundle('cifar10', 'test', c), f)},${c}`);
      }
    }
    writeFileSync(path.join(dir, 'subset.csv'), `${lines.join('\n')}\n`);
    const [r] = await run('cifar10_resnet20', ['CIFAR10-top1'], { images: path.join(dir, 'subset.csv') });
    expect(r?.imageCount).toBe(1000);
    expect(
      Math.abs((r?.raw as number) - measured('cifar10_resnet20').cleanAccuracy.top1),
    ).toBeLessThanOrEqual(0.005);
  });
});

/**
 * A subset of n of the card's N images (seed 0, `--limit`): its accuracy (or shape bias) is a sample
 * proportion drawn without replacement from the card's population, so it lies within three standard
 * errors, 3 sqrt(p (1 - p) / n) sqrt((N - n) / (N - 1)), of the card's p unless the pipeline is wrong
 * (a wrong resize, crop, normalisation or category mapping moves it by far more). Deterministic: the
 * subset is fixed by the seed.
 */
const within3se = (value: number, p: number, n: number, N: number) => {
  const se = Math.sqrt((p * (1 - p)) / n) * Math.sqrt((N - n) / (N - 1));
  expect(Math.abs(value - p), `${value} vs ${p} (3 se = ${3 * se})`).toBeLessThanOrEqual(3 * se);
};

describe('model cards on a 300-image subset (default run)', () => {
  const name = 'mobilenet_v1_025_imagenet1k';

  it('ImageNet top-1 of 300 of the 1,000 sample images agrees with the card', async () => {
    const [r] = await run(name, ['ImageNet-top1'], { limit: 300 });
    expect(r?.imageCount).toBe(300);
    within3se(r?.raw as number, measured(name).cleanAccuracy.top1, 300, 1000);
  });

  it('cue-conflict shape bias of 300 of the 1,280 stimuli agrees with the card', async () => {
    const m = measured(name).cueConflict as NonNullable<Measured['cueConflict']>;
    const [r] = await run(name, ['Hermann2020cueconflict-shape_bias'], { limit: 300 });
    const counts = r?.artifacts.counts as { nShape: number; nTexture: number };
    // The population: the card's shape + texture decisions; the sample: this subset's.
    within3se(
      r?.raw as number,
      m.shapeBias,
      counts.nShape + counts.nTexture,
      m.shapeDecisions + m.textureDecisions,
    );
  });
});

describe('quick checks (default run)', () => {
  const name = 'mobilenet_v1_025_imagenet1k';

  it('batched streaming inference gives the same predictions as one image at a time', async () => {
    const [r] = await run(name, ['ImageNet-top1'], { limit: 24, batchSize: 7 });
    const { files, predictions } = (r as NonNullable<typeof r>).artifacts.perImage as {
      files: string[];
      predictions: number[];
    };
    const card = loadCard(bundle('models', `${name}.json`));
    const model = await openModel(bundle('models', `${name}.onnx`), card, { threads: 2 });
    const single: number[] = [];
    for (const f of files) {
      const out = await model.run(await loadImageTensor(bundle(f), card), 1);
      let arg = 0;
      for (let i = 1; i < out.length; i++) if ((out[i] as number) > (out[arg] as number)) arg = i;
      single.push(arg);
    }
    expect(predictions).toEqual(single);
  });

  it('cue-conflict decisions on a subset are identical across runs', async () => {
    const a = await run(name, ['Hermann2020cueconflict-shape_bias', 'Hermann2020cueconflict-shape_match'], {
      limit: 48,
    });
    const b = await run(name, ['Hermann2020cueconflict-shape_bias'], { limit: 48, batchSize: 5 });
    expect(b[0]?.artifacts.decisions).toEqual(a[0]?.artifacts.decisions);
    expect(Object.keys(a[0]?.artifacts.decisions as object)).toHaveLength(48);
    const counts = a[0]?.artifacts.counts as { nShape: number; nTexture: number; nConflict: number };
    expect(a[0]?.raw).toBeCloseTo(counts.nShape / (counts.nShape + counts.nTexture), 12);
    expect(a[1]?.raw).toBeCloseTo(counts.nShape / counts.nConflict, 12);
    // shape_match reused shape_bias's inference (one pass over the stimuli per evaluation).
    expect(a[0]?.timings).toHaveProperty('inferenceMs');
    expect(a[1]?.configuration.inferenceShared).toBe(true);
    expect(a[1]?.timings).not.toHaveProperty('inferenceMs');
  });
});
