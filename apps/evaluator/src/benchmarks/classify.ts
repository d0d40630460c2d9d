/** Runs a model over an image list, streaming: decode of batch i+1 overlaps inference of batch i. */
import { type ImageItem, imageBatches } from '../images/pipeline.ts';
import type { LoadedModel } from '../models/session.ts';
import type { BenchmarkContext, Timings } from './types.ts';

export type ClassifyOutcome<T> = {
  timings: Timings;
  /** Images that failed to decode and were skipped (onImageError 'skip'). */
  skipped: { item: T; error: string }[];
  classified: number;
};

/**
 * Calls `onLogits(item, logits)` for every image, in order. Decode time is the summed wall time of
 * the batch decodes, inference time the summed wall time of session.run; they overlap, so their sum
 * can exceed the wall time.
 */
export async function classify<T extends ImageItem>(
  model: LoadedModel,
  items: readonly T[],
  ctx: BenchmarkContext,
  opts: { phase: string; asIsAtInputSize?: boolean },
  onLogits: (item: T, logits: Float32Array) => void,
): Promise<ClassifyOutcome<T>> {
  const t0 = performance.now();
  const batchSize = model.fixedBatch ?? ctx.batchSize;
  const K = model.numClasses;
  let decodeMs = 0;
  let inferenceMs = 0;
  let done = 0;
  let classified = 0;
  const skipped: ClassifyOutcome<T>['skipped'] = [];
  ctx.progress({ phase: opts.phase, done: 0, total: items.length });
  for await (const batch of imageBatches(items, model.card, batchSize, {
    onError: ctx.onImageError,
    asIsAtInputSize: opts.asIsAtInputSize,
  })) {
    decodeMs += batch.decodeMs;
    skipped.push(...batch.skipped);
    let n = batch.items.length;
    if (n > 0) {
      let data = batch.data;
      // A graph with a fixed batch size gets a zero-padded last batch.
      if (model.fixedBatch !== null && n < model.fixedBatch) {
        data = new Float32Array((data.length / n) * model.fixedBatch);
        data.set(batch.data);
        n = model.fixedBatch;
      }
      const t1 = performance.now();
      const out = await model.run(data, n);
      inferenceMs += performance.now() - t1;
      batch.items.forEach((item, i) => {
        onLogits(item, out.subarray(i * K, (i + 1) * K));
      });
      classified += batch.items.length;
    }
    done += batch.items.length + batch.skipped.length;
    ctx.progress({ phase: opts.phase, done, total: items.length });
  }
  return { timings: { decodeMs, inferenceMs, wallMs: performance.now() - t0 }, skipped, classified };
}

/** Indices of the k largest values, largest first (first index wins ties). */
export function topK(values: ArrayLike<number>, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    let pos = best.length;
    while (pos > 0 && v > (values[best[pos - 1] as number] as number)) pos--;
    if (pos < k) {
      best.splice(pos, 0, i);
      if (best.length > k) best.pop();
    }
  }
  return best;
}
