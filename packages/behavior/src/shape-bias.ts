/**
 * Shape bias (Geirhos et al., ICLR 2019) and shape/texture match (Hermann et al., NeurIPS 2020) from
 * decisions on cue-conflict images. Follows model-vs-human `modelvshuman/plotting/analyses.py`
 * `ShapeBias` and Brain-Score `benchmarks/hermann2020`: images whose shape and texture category are the
 * same are excluded; shape bias = shape hits / (shape hits + texture hits).
 */
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
