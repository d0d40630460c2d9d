import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import {
  folderImageSet,
  ImageError,
  imageBatches,
  imageSet,
  loadImageTensor,
  manifestImageSet,
  planResize,
} from '../src/images/index.ts';
import { closeModels, loadCard, openModel, parseCard } from '../src/models/index.ts';
import { bundle, tinyCard, tmpDir } from './helpers.ts';

afterAll(closeModels);

const imagenetCard = () => loadCard(bundle('models', 'mobilenet_v1_025_imagenet1k.json'));

describe('planResize', () => {
  it('resizes the shorter side (long side rounded) and centre-crops with floor offsets', () => {
    // 500x375 -> shorter 256: 500*256/375 = 341.33 -> 341; crop 224: left floor(117/2)=58, top floor(32/2)=16
    expect(planResize(500, 375, imagenetCard())).toEqual({
      resized: { width: 341, height: 256 },
      crop: { left: 58, top: 16, width: 224, height: 224 },
    });
    // portrait 300x451 -> 256x385 (451*256/300 = 384.85 -> 385); top floor(161/2) = 80
    expect(planResize(300, 451, imagenetCard())).toEqual({
      resized: { width: 256, height: 385 },
      crop: { left: 16, top: 80, width: 224, height: 224 },
    });
    // already shorter side 256: no resize, only the crop (odd margin: floor)
    expect(planResize(257, 256, imagenetCard())).toEqual({
      resized: null,
      crop: { left: 16, top: 16, width: 224, height: 224 },
    });
    // input-size images fed as they are when asked (the cue-conflict protocol)
    expect(planResize(224, 224, imagenetCard(), { asIsAtInputSize: true })).toEqual({
      resized: null,
      crop: null,
    });
    expect(planResize(224, 224, imagenetCard()).resized).toEqual({ width: 256, height: 256 });
    // no resize rule and no crop: scaled to the input size
    expect(planResize(224, 224, parseCard(tinyCard({ inputShape: [3, 32, 32] })))).toEqual({
      resized: { width: 32, height: 32 },
      crop: null,
    });
  });
});

describe('pipeline against the bundle fixtures', () => {
  it('reproduces every fixture: input mean and the first 10 logits within 1e-4', async () => {
    const fixtures = readdirSync(bundle('models', 'fixtures')).filter((f) => f.endsWith('.json'));
    expect(fixtures.length).toBeGreaterThanOrEqual(6);
    for (const f of fixtures) {
      const fx = JSON.parse(readFileSync(bundle('models', 'fixtures', f), 'utf8')) as {
        model: string;
        onnx: string;
        images: {
          file: string;
          inputMean: number;
          first10Logits: number[];
          argmax: number;
          inputShape: number[];
        }[];
      };
      const card = loadCard(bundle('models', `${fx.model}.json`));
      const model = await openModel(bundle(fx.onnx), card, { threads: 1 });
      for (const im of fx.images) {
        const t = await loadImageTensor(bundle(im.file), card);
        expect(t.length).toBe(im.inputShape.reduce((a, b) => a * b, 1));
        const mean = t.reduce((s, v) => s + v, 0) / t.length;
        expect(Math.abs(mean - im.inputMean)).toBeLessThan(1e-5);
        const out = await model.run(t, 1);
        for (let i = 0; i < 10; i++)
          expect(Math.abs((out[i] as number) - (im.first10Logits[i] as number))).toBeLessThan(1e-4);
        let arg = 0;
        for (let i = 1; i < out.length; i++) if ((out[i] as number) > (out[arg] as number)) arg = i;
        expect(arg).toBe(im.argmax);
      }
    }
  });
});

describe('decoding', () => {
  it('turns greyscale and RGBA images into 3 channels in [0,1], NCHW', async () => {
    const dir = tmpDir();
    const grey = path.join(dir, 'grey.png');
    await sharp(Buffer.alloc(8 * 8, 51), { raw: { width: 8, height: 8, channels: 1 } })
      .png()
      .toFile(grey);
    const rgba = path.join(dir, 'rgba.png');
    const px = Buffer.alloc(8 * 8 * 4);
    for (let i = 0; i < 64; i++) px.set([255, 0, 102, 10], i * 4);
    await sharp(px, { raw: { width: 8, height: 8, channels: 4 } })
      .png()
      .toFile(rgba);
    const card = parseCard(tinyCard());
    const g = await loadImageTensor(grey, card);
    expect(g.length).toBe(3 * 64);
    expect(new Set(g)).toEqual(new Set([Math.fround(51 / 255)]));
    const c = await loadImageTensor(rgba, card);
    // Channel planes: R then G then B (alpha dropped, not blended).
    expect(c[0]).toBeCloseTo(1, 7);
    expect(c[64]).toBe(0);
    expect(c[128]).toBeCloseTo(0.4, 7);
    // [0,255] input range and outside normalisation
    const c255 = await loadImageTensor(rgba, parseCard(tinyCard({ inputRange: [0, 255] })));
    expect(c255[0]).toBe(255);
    const normed = await loadImageTensor(
      rgba,
      parseCard(
        tinyCard({
          normalizationInside: false,
          preprocessing: { resize: null, crop: null, mean: [0.5, 0.5, 0.5], std: [0.5, 0.25, 0.5] },
        }),
      ),
    );
    expect(normed[0]).toBeCloseTo(1, 6);
    expect(normed[64]).toBeCloseTo(-2, 6);
  });

  it('reports an image that fails to decode, or skips it with a count', async () => {
    const dir = tmpDir();
    const good = path.join(dir, 'good.png');
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
      .png()
      .toFile(good);
    const bad = path.join(dir, 'bad.jpg');
    writeFileSync(bad, readFileSync(bundle('imagenet', 'samples', 'n01440764_tench.jpg')).subarray(0, 300));
    const card = parseCard(tinyCard());
    await expect(loadImageTensor(bad, card)).rejects.toThrow(ImageError);
    await expect(loadImageTensor(bad, card)).rejects.toThrow(/bad\.jpg: cannot decode/);
    await expect(loadImageTensor(path.join(dir, 'gone.png'), card)).rejects.toThrow(
      /gone\.png: cannot read \(ENOENT\)/,
    );

    const items = [good, bad, good].map((file) => ({ file }));
    const failing = async () => {
      for await (const _ of imageBatches(items, card, 2)) {
        // consume
      }
    };
    await expect(failing()).rejects.toThrow(/bad\.jpg: cannot decode/);

    const batches = [];
    for await (const b of imageBatches(items, card, 2, { onError: 'skip' })) batches.push(b);
    expect(batches.map((b) => b.items.length)).toEqual([1, 1]);
    expect(batches[0]?.skipped.map((s) => path.basename(s.item.file))).toEqual(['bad.jpg']);
    expect(batches[0]?.data.length).toBe(3 * 64);
    expect(batches[0]?.data[0]).toBeCloseTo(128 / 255, 6);
  });

  it('streams batches in input order with decode ahead of the consumer', async () => {
    const files = readdirSync(bundle('cifar10', 'test', 'cat'))
      .slice(0, 10)
      .map((f) => ({ file: bundle('cifar10', 'test', 'cat', f) }));
    const card = loadCard(bundle('models', 'cifar10_resnet20.json'));
    const seen: string[] = [];
    const sizes: number[] = [];
    for await (const b of imageBatches(files, card, 4, { prefetch: 2 })) {
      sizes.push(b.items.length);
      seen.push(...b.items.map((i) => i.file));
      // Each batch equals decoding its images one by one.
      const first = await loadImageTensor(b.items[0]?.file as string, card);
      expect(Array.from(b.data.subarray(0, first.length))).toEqual(Array.from(first));
    }
    expect(sizes).toEqual([4, 4, 2]);
    expect(seen).toEqual(files.map((f) => f.file));
  });
});

describe('image sets', () => {
  it('reads a folder tree (class = folder) and a manifest CSV', () => {
    const cifar = folderImageSet(bundle('cifar10', 'test'));
    expect(cifar).toHaveLength(10000);
    expect(cifar[0]).toEqual({ file: bundle('cifar10', 'test', 'airplane', '0000.jpg'), label: 'airplane' });
    const samples = manifestImageSet(bundle('imagenet', 'samples.csv'), {
      labelColumn: 'class_index',
      baseDir: bundle('imagenet', 'samples'),
    });
    expect(samples).toHaveLength(1000);
    expect(samples[999]?.label).toBe('999');
    // Labels with apostrophes and quoted fields.
    expect(samples.some((s) => s.file.includes("jack-o'-lantern"))).toBe(true);

    const dir = tmpDir();
    writeFileSync(path.join(dir, 'm.csv'), 'file,label\r\n"a,b.png",cat\r\nsub/c.png,dog\r\n');
    expect(imageSet(path.join(dir, 'm.csv'))).toEqual([
      { file: path.join(dir, 'a,b.png'), label: 'cat' },
      { file: path.join(dir, 'sub/c.png'), label: 'dog' },
    ]);
    writeFileSync(path.join(dir, 'bad.csv'), 'path,class\nx.png,1\n');
    expect(() => imageSet(path.join(dir, 'bad.csv'))).toThrow(
      /header must name a "file" and a "label" column/,
    );
    expect(() => imageSet(path.join(dir, 'nothing'))).toThrow(/image set not found/);
    // Issue 17 item 5: one CSV parser (csv-parse): an unclosed quote is malformed, not a file name.
    writeFileSync(path.join(dir, 'open.csv'), 'file,label\n"a.png,cat\n');
    expect(() => imageSet(path.join(dir, 'open.csv'))).toThrow(
      `manifest ${path.join(dir, 'open.csv')}: malformed CSV: Quote Not Closed`,
    );
    writeFileSync(path.join(dir, 'gap.csv'), 'file,label\n\na.png,cat\nb.png,\n');
    expect(() => imageSet(path.join(dir, 'gap.csv'))).toThrow(
      `manifest ${path.join(dir, 'gap.csv')}:4: missing file or label`,
    );
  });
});
