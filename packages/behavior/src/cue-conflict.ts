/**
 * Cue-conflict stimuli (Geirhos et al., ICLR 2019): `<shape><i>-<texture><j>.png`, e.g.
 * `cat7-elephant1.png` has the shape of a cat and the texture of an elephant.
 */
import { stimulusName } from './trials.ts';

export type CueConflict = { shape: string; texture: string };

/** Shape and texture category of a cue-conflict image name (a bare file name or a lab image name). */
export function cueConflictCategories(imagename: string): CueConflict {
  const stem = stimulusName(imagename).replace(/\.[a-z0-9]+$/i, '');
  const m = /^([a-z]+)\d+-([a-z]+)\d+$/i.exec(stem);
  if (!m) {
    throw new Error(
      `"${imagename}" is not a cue-conflict image name (expected <shape><i>-<texture><j>.png, e.g. cat7-elephant1.png)`,
    );
  }
  return { shape: (m[1] as string).toLowerCase(), texture: (m[2] as string).toLowerCase() };
}
