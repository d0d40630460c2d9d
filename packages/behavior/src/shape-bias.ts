/**
 * Shape bias (Geirhos et al., ICLR 2019) and shape/texture match (Hermann et al., NeurIPS 2020) from
 * decisions on cue-conflict images. Follows model-vs-human `modelvshuman/plotting/analyses.py`
 * `ShapeBias` and Brain-Score `benchmarks/hermann2020`: images whose shape and texture category are the
 * same are excluded; shape bias = shape hits / (shape hits + texture hits).
 */
import { bootstrapStrata, type Interval, type StrataBootstrapOptions } from '@alignscope/analysis';
import { cueConflictCategories } from './cue-conflict.ts';

export type Decision = { imagename: string; decision: string };

export type ShapeBiasResult = {
  /** nShape / (nShape + nTexture); NaN when there is neither a shape nor a texture hit. */
  shapeBias: number;
  /** Share of the true-conflict decisions that name the shape category. */
  shapeMatch: number;
  /** Share of the true-conflict decisions that name the texture category. */
  textureMatch: number;
  /** Decisions on true-conflict images (shape != texture) that were counted. */
  nConflict: number;
  nShape: number;
  nTexture: number;
  /** Decisions that name neither the shape nor the texture category. */
  nOther: number;
  /** Decisions left out: same shape and texture, or (with `categories`) a category outside the set. */
  nExcluded: number;
};

export type ShapeBiasOptions = {
  /**
   * Only images whose shape and texture categories are both in this set count (e.g. the 7 categories
   * CIFAR-10 shares with the 16). Default: every image.
   */
  categories?: readonly string[];
};

export function shapeBias(decisions: readonly Decision[], opts: ShapeBiasOptions = {}): ShapeBiasResult {
  const allowed = opts.categories ? new Set(opts.categories) : undefined;
  let nShape = 0;
  let nTexture = 0;
  let nOther = 0;
  let nExcluded = 0;
  for (const d of decisions) {
    const { shape, texture } = cueConflictCategories(d.imagename);
    if (shape === texture || (allowed && !(allowed.has(shape) && allowed.has(texture)))) {
      nExcluded++;
      continue;
    }
    if (d.decision === shape) nShape++;
    else if (d.decision === texture) nTexture++;
    else nOther++;
  }
  const nConflict = nShape + nTexture + nOther;
  return {
    shapeBias: nShape + nTexture === 0 ? Number.NaN : nShape / (nShape + nTexture),
    shapeMatch: nConflict === 0 ? Number.NaN : nShape / nConflict,
    textureMatch: nConflict === 0 ? Number.NaN : nTexture / nConflict,
    nConflict,
    nShape,
    nTexture,
    nOther,
    nExcluded,
  };
}

export type ShapeBiasIntervals = {
  /** Bootstrap interval of the shape bias; null when no resample had a shape or texture hit. */
  shapeBias: Interval | null;
  /** Bootstrap interval of the shape match. */
  shapeMatch: Interval | null;
  resamples: number;
  seed: number;
  level: number;
};

/**
 * Percentile bootstrap intervals of shape bias and shape match over the counted (true-conflict)
 * decisions: each resample draws nConflict decisions with replacement and recomputes both shares.
 * Seeded (default seed 0, 1,000 resamples, 95 %).
 */
export function shapeBiasIntervals(
  decisions: readonly Decision[],
  opts: ShapeBiasOptions & StrataBootstrapOptions = {},
): ShapeBiasIntervals {
  const allowed = opts.categories ? new Set(opts.categories) : undefined;
  // 1 = shape hit, 2 = texture hit, 0 = neither, of every counted decision.
  const kind: number[] = [];
  for (const d of decisions) {
    const { shape, texture } = cueConflictCategories(d.imagename);
    if (shape === texture || (allowed && !(allowed.has(shape) && allowed.has(texture)))) continue;
    kind.push(d.decision === shape ? 1 : d.decision === texture ? 2 : 0);
  }
  if (kind.length === 0) throw new Error('shape bias interval: no cue-conflict decisions to resample');
  const r = bootstrapStrata(
    [kind.length],
    2,
    ([c]) => {
      let s = 0;
      let t = 0;
      kind.forEach((k, i) => {
        const w = (c as Uint32Array)[i] as number;
        if (k === 1) s += w;
        else if (k === 2) t += w;
      });
      return [s + t === 0 ? Number.NaN : s / (s + t), s / kind.length];
    },
    opts,
  );
  return {
    shapeBias: r.intervals[0] ?? null,
    shapeMatch: r.intervals[1] ?? null,
    resamples: r.resamples,
    seed: r.seed,
    level: r.level,
  };
}
