import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.ts';
import {
  checkModelFile,
  closeModels,
  fileDigest,
  loadCard,
  numClasses,
  parseCard,
  storeModelFile,
} from '../src/models/index.ts';
import { bundle, tinyCard, tinyClassifier, tmpDir } from './helpers.ts';

afterAll(closeModels);

describe('model cards', () => {
  it("validates every card of the data bundle and keeps fields it doesn't name", () => {
    const cards = readdirSync(bundle('models')).filter((f) => f.endsWith('.json'));
    expect(cards.length).toBeGreaterThanOrEqual(6);
    for (const f of cards) {
      const card = loadCard(bundle('models', f));
      expect(card.name).toBe(f.replace(/\.json$/, ''));
      expect(numClasses(card)).toBe(card.labelSpace === 'imagenet-1k' ? 1000 : 10);
      // Every bundle card records the accuracy its maker measured on 1000 images (1000 ImageNet samples,
      // one per class, or 100 CIFAR-10 test images per class; the cards' `dataset` fields say which).
      expect((card as Record<string, unknown>).measured).toMatchObject({
        cleanAccuracy: { n: 1000, top1: expect.any(Number), dataset: expect.any(String) },
      });
    }
    const m = loadCard(bundle('models', 'mobilenet_v1_025_imagenet1k.json'));
    expect(m.preprocessing).toMatchObject({ resize: 256, crop: 224, interpolation: 'bilinear' });
  });

  it('rejects bad cards with the field that is wrong', () => {
    const bad = (over: Record<string, unknown>) => () => parseCard(tinyCard(over), 'c.json');
    expect(bad({ inputShape: [1, 8, 8] })).toThrow(/invalid model card c\.json: inputShape/);
    expect(bad({ labelSpace: 'imagenet-22k' })).toThrow(/labelSpace/);
    expect(bad({ name: 'has space' })).toThrow(/name: letters, digits/);
    expect(bad({ preprocessing: { resize: 256, crop: 224 } })).toThrow(
      /crop 224 does not give the input shape 8x8/,
    );
    expect(bad({ normalizationInside: false })).toThrow(/mean and preprocessing\.std are required/);
    expect(bad({ preprocessing: { resize: 8, crop: 8, interpolation: 'magic' } })).toThrow(/interpolation/);
    expect(
      parseCard(tinyCard({ labelSpace: { name: 'three', classes: ['a', 'b', 'c'] } })).labelSpace,
    ).toEqual({
      name: 'three',
      classes: ['a', 'b', 'c'],
    });
    const dir = tmpDir();
    writeFileSync(path.join(dir, 'broken.json'), '{"name": ');
    expect(() => loadCard(path.join(dir, 'broken.json'))).toThrow(/is not valid JSON/);
    expect(() => loadCard(path.join(dir, 'missing.json'))).toThrow(/cannot read model card .*ENOENT/);
  });
});

describe('checkModelFile (models add)', () => {
  const mobilenet = bundle('models', 'mobilenet_v1_025_imagenet1k.onnx');
  const mobilenetCard = () => loadCard(bundle('models', 'mobilenet_v1_025_imagenet1k.json'));

  it('accepts a bundle model: sha256 and size as its card says, output [N, 1000]', async () => {
    const card = mobilenetCard();
    const r = await checkModelFile(mobilenet, card, { threads: 1 });
    const raw = JSON.parse(readFileSync(bundle('models', 'mobilenet_v1_025_imagenet1k.json'), 'utf8'));
    expect(r.sha256).toBe(raw.sha256);
    expect(r.bytes).toBe(raw.onnx.bytes);
    expect(r.outputShape).toEqual([2, 1000]);
    // One session per model: the same object comes back.
    expect((await checkModelFile(mobilenet, card, { threads: 1 })).model).toBe(r.model);
  });

  it('stores a file once, under its sha256', async () => {
    const home = tmpDir();
    const { sha256 } = await fileDigest(mobilenet);
    const p = await storeModelFile(mobilenet, sha256, home);
    expect(p).toBe(path.join(home, 'models', `${sha256}.onnx`));
    expect((await fileDigest(p)).sha256).toBe(sha256);
    expect(await storeModelFile(mobilenet, sha256, home)).toBe(p);
  });

  it('rejects a truncated file, a non-ONNX file and an empty file', async () => {
    const dir = tmpDir();
    const card = { ...mobilenetCard(), sha256: undefined };
    const truncated = path.join(dir, 'truncated.onnx');
    writeFileSync(truncated, readFileSync(mobilenet).subarray(0, 5000));
    await expect(checkModelFile(truncated, card)).rejects.toThrow(
      /truncated\.onnx is not a loadable ONNX model/,
    );
    const text = path.join(dir, 'text.onnx');
    writeFileSync(text, 'this is not a model\n');
    await expect(checkModelFile(text, card)).rejects.toThrow(/text\.onnx is not a loadable ONNX model/);
    const empty = path.join(dir, 'empty.onnx');
    writeFileSync(empty, '');
    await expect(checkModelFile(empty, card)).rejects.toThrow(/empty\.onnx is empty/);
    await expect(checkModelFile(path.join(dir, 'nope.onnx'), card)).rejects.toThrow(/model file not found/);
  });

  it('rejects a card that disagrees with the model', async () => {
    const card = mobilenetCard();
    await expect(checkModelFile(mobilenet, { ...card, sha256: 'a'.repeat(64) })).rejects.toThrow(
      /the card disagrees with the model: card mobilenet_v1_025_imagenet1k names sha256 a{64}/,
    );
    const noSha = { ...card, sha256: undefined };
    await expect(checkModelFile(mobilenet, { ...noSha, labelSpace: 'cifar-10' })).rejects.toThrow(
      /output logits is \[2, 1000\] for 2 images; the card's label space cifar-10 needs \[2, 10\]/,
    );
    await expect(
      checkModelFile(mobilenet, {
        ...noSha,
        inputShape: [3, 32, 32],
        preprocessing: { ...noSha.preprocessing, resize: null, crop: null },
      }),
    ).rejects.toThrow(/the model's input is \[batch, 3, 224, 224\] but the card says \[batch, 3, 32, 32\]/);
  });

  it('rejects a dynamic or wrong input shape, and accepts a fixed batch', async () => {
    const dir = tmpDir();
    const card = parseCard(tinyCard());
    const dynamic = path.join(dir, 'dynamic.onnx');
    writeFileSync(dynamic, tinyClassifier(['N', 3, 'H', 'W'], 10));
    await expect(checkModelFile(dynamic, card)).rejects.toThrow(/has a dynamic shape \[N, 3, H, W\]/);
    const threeD = path.join(dir, 'three-d.onnx');
    writeFileSync(threeD, tinyClassifier([3, 8, 8], 10));
    await expect(checkModelFile(threeD, card)).rejects.toThrow(/expected \[batch, 3, H, W\]|not a loadable/);
    const fixed = path.join(dir, 'fixed.onnx');
    writeFileSync(fixed, tinyClassifier([4, 3, 8, 8], 10));
    const r = await checkModelFile(fixed, card);
    expect(r.model.fixedBatch).toBe(4);
    expect(r.outputShape).toEqual([4, 10]);
    // The tiny model's logits are a closed form: mean over pixels (all 0.5) times the weights.
    const out = await r.model.run(new Float32Array(4 * 3 * 64).fill(0.5), 4);
    for (let k = 0; k < 10; k++) expect(out[k]).toBeCloseTo(0.5 * (1 + 2 + 3) * ((k + 1) / 10), 6);
    const copy = path.join(dir, 'copy.onnx');
    copyFileSync(fixed, copy);
    await expect(checkModelFile(copy, parseCard(tinyCard({ labelSpace: 'imagenet-1k' })))).rejects.toThrow(
      /needs \[4, 1000\]/,
    );
  });

  it('throws InputError (one-line messages) for bad input', async () => {
    const dir = tmpDir();
    const f = path.join(dir, 'x.onnx');
    writeFileSync(f, 'garbage');
    const e = await checkModelFile(f, parseCard(tinyCard())).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).not.toMatch(/\n/);
  });
});
