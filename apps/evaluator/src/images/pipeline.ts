/**
 * The image pipeline: decode (sharp / libvips, libjpeg-turbo), RGB, resize the shorter side with the
 * card's interpolation, centre crop with top = floor((H - crop) / 2), float32 NCHW in the card's input
 * range. Batches stream: at most `prefetch` batches are decoded ahead of the consumer, and the next
 * batch decodes (on libuv's thread pool) while the current one runs through the model.
 */
import { readFile } from 'node:fs/promises';
import sharp, { type KernelEnum, type OutputInfo } from 'sharp';
import type { Interpolation, ModelCard } from '../models/card.ts';

// Decoded images are used once: no libvips operation cache.
sharp.cache(false);

const KERNELS: Record<Interpolation, keyof KernelEnum> = {
  nearest: 'nearest',
  bilinear: 'linear',
  bicubic: 'cubic',
  lanczos: 'lanczos3',
};

/** An image that failed to decode or to preprocess. */
export class ImageError extends Error {
  override name = 'ImageError';
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

export type PipelineOptions = {
  /**
   * Feed an image that already has the model's input size as it is (no resize or crop), as the
   * cue-conflict protocol does for 224x224 stimuli. Default false: always apply the card.
   */
  asIsAtInputSize?: boolean;
};

export type ResizePlan = {
  /** Size after the resize step (equal to the source when no resize is needed). */
  resized: { width: number; height: number } | null;
  crop: { left: number; top: number; width: number; height: number } | null;
};

/**
 * What the card's preprocessing does to an image of the given size. The resized long side is
 * round(long * resize / short); a resize to the size the image already has is skipped.
 */
export function planResize(
  width: number,
  height: number,
  card: ModelCard,
  opts: PipelineOptions = {},
): ResizePlan {
  const [, H, W] = card.inputShape;
  if (opts.asIsAtInputSize && width === W && height === H) return { resized: null, crop: null };
  const { resize, crop } = card.preprocessing;
  let w = width;
  let h = height;
  let resized: ResizePlan['resized'] = null;
  if (resize !== null) {
    const short = Math.min(width, height);
    const nw = width <= height ? resize : Math.round((width * resize) / short);
    const nh = width <= height ? Math.round((height * resize) / short) : resize;
    if (nw !== width || nh !== height) resized = { width: nw, height: nh };
    w = nw;
    h = nh;
  } else if (crop === null && (width !== W || height !== H)) {
    // No resize rule and no crop: the image is scaled to the model's input size.
    return { resized: { width: W, height: H }, crop: null };
  }
  if (crop === null) return { resized, crop: null };
  if (w < crop || h < crop) throw new Error(`image ${w}x${h} is smaller than the crop ${crop}`);
  return {
    resized,
    crop: { left: Math.floor((w - crop) / 2), top: Math.floor((h - crop) / 2), width: crop, height: crop },
  };
}

/** Decodes and preprocesses one image into `out` (3*H*W floats, CHW) at `offset`. */
async function decodeInto(
  file: string,
  card: ModelCard,
  opts: PipelineOptions,
  out: Float32Array,
  offset: number,
): Promise<void> {
  const [, H, W] = card.inputShape;
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (e) {
    throw new ImageError(file, `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let data: Buffer;
  let info: OutputInfo;
  try {
    // ignoreIcc and no EXIF rotation: pixels as decoded, as in PIL/torchvision pipelines.
    const meta = await sharp(buf, { failOn: 'error', ignoreIcc: true }).metadata();
    if (!meta.width || !meta.height) throw new Error('no image size');
    const plan = planResize(meta.width, meta.height, card, opts);
    let img = sharp(buf, { failOn: 'error', ignoreIcc: true }).removeAlpha().toColourspace('srgb');
    if (plan.resized) {
      img = img.resize(plan.resized.width, plan.resized.height, {
        fit: 'fill',
        kernel: KERNELS[card.preprocessing.interpolation],
      });
    }
    if (plan.crop) img = img.extract(plan.crop);
    ({ data, info } = await img.raw().toBuffer({ resolveWithObject: true }));
  } catch (e) {
    throw new ImageError(file, `cannot decode: ${(e as Error).message.split('\n')[0]}`);
  }
  if (info.width !== W || info.height !== H || info.channels !== 3) {
    throw new ImageError(
      file,
      `preprocessing gave ${info.width}x${info.height}x${info.channels}, the model needs ${W}x${H}x3`,
    );
  }
  const hw = H * W;
  const scale = card.inputRange[1] === 1 ? 1 / 255 : 1;
  const { mean, std } = card.preprocessing;
  const norm = !card.normalizationInside && mean && std;
  for (let c = 0; c < 3; c++) {
    const base = offset + c * hw;
    const m = norm ? mean[c] : 0;
    const s = norm ? std[c] : 1;
    for (let i = 0; i < hw; i++) {
      const v = (data[i * 3 + c] as number) * scale;
      out[base + i] = norm ? (v - (m as number)) / (s as number) : v;
    }
  }
}

/** One image as a float32 CHW tensor of the card's input shape. */
export async function loadImageTensor(
  file: string,
  card: ModelCard,
  opts: PipelineOptions = {},
): Promise<Float32Array> {
  const [C, H, W] = card.inputShape;
  const out = new Float32Array(C * H * W);
  await decodeInto(file, card, opts, out, 0);
  return out;
}

export type ImageItem = { file: string; label?: string | number };

export type Batch<T extends ImageItem> = {
  /** The images in this batch, in input order (skipped ones left out). */
  items: T[];
  /** items.length * 3 * H * W floats, NCHW. */
  data: Float32Array;
  /** Images that failed to decode (only with onError 'skip'). */
  skipped: { item: T; error: string }[];
  /** Wall time spent decoding this batch (ms). */
  decodeMs: number;
};

export type BatchOptions = PipelineOptions & {
  /** 'fail' (default): the first bad image throws ImageError; 'skip': it is left out and reported. */
  onError?: 'fail' | 'skip';
  /** Batches decoded ahead of the consumer (default 1: decode the next batch during inference). */
  prefetch?: number;
};

async function decodeBatch<T extends ImageItem>(
  items: T[],
  card: ModelCard,
  opts: BatchOptions,
): Promise<Batch<T>> {
  const t0 = performance.now();
  const size = card.inputShape[0] * card.inputShape[1] * card.inputShape[2];
  const data = new Float32Array(items.length * size);
  const results = await Promise.allSettled(
    items.map((it, i) => decodeInto(it.file, card, opts, data, i * size)),
  );
  const ok: T[] = [];
  const skipped: Batch<T>['skipped'] = [];
  let packed = data;
  const failed = results.some((r) => r.status === 'rejected');
  if (failed) {
    const first = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    if (opts.onError !== 'skip') throw first.reason;
    packed = new Float32Array(results.filter((r) => r.status === 'fulfilled').length * size);
  }
  results.forEach((r, i) => {
    const item = items[i] as T;
    if (r.status === 'rejected') {
      skipped.push({ item, error: (r.reason as Error).message });
      return;
    }
    if (failed) packed.set(data.subarray(i * size, (i + 1) * size), ok.length * size);
    ok.push(item);
  });
  return { items: ok, data: packed, skipped, decodeMs: performance.now() - t0 };
}

/**
 * Streams batches of preprocessed images. Never holds more than (prefetch + 1) batches; the decode
 * of the following batches starts before the current one is handed out.
 */
export async function* imageBatches<T extends ImageItem>(
  items: Iterable<T> | AsyncIterable<T>,
  card: ModelCard,
  batchSize: number,
  opts: BatchOptions = {},
): AsyncGenerator<Batch<T>> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`invalid batch size ${batchSize}`);
  const prefetch = Math.max(0, opts.prefetch ?? 1);
  const pending: Promise<Batch<T>>[] = [];
  let chunk: T[] = [];
  const start = (c: T[]) => {
    const p = decodeBatch(c, card, opts);
    // Avoid an unhandled rejection while the promise waits in the queue; it is awaited below.
    p.catch(() => {});
    pending.push(p);
  };
  for await (const it of items as AsyncIterable<T>) {
    chunk.push(it);
    if (chunk.length === batchSize) {
      start(chunk);
      chunk = [];
      if (pending.length > prefetch) yield await (pending.shift() as Promise<Batch<T>>);
    }
  }
  if (chunk.length > 0) start(chunk);
  while (pending.length > 0) yield await (pending.shift() as Promise<Batch<T>>);
}
