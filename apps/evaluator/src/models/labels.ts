/**
 * The one label rule of the evaluator (top-1 benchmarks, the AutoAttack benchmarks and
 * `alignscope attack` all resolve manifest and folder labels here):
 * - a decimal integer is a class index and must lie in 0..k-1;
 * - anything else is a class name of the label space: exact match first, then a case-insensitive
 *   match when it is unique (`Airplane` and `AIRPLANE` are CIFAR-10's `airplane`);
 * - otherwise an InputError that names the label, the label space and what would be accepted.
 * Class names come from the card for a custom label space, and from the data bundle for the
 * standard ones: ImageNet WNIDs (`imagenet/categories.txt`) and CIFAR-10 names (`cifar10/classes.txt`).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.ts';
import { labelSpaceName, type ModelCard, numClasses } from './card.ts';

/**
 * A label space: its name, its number of classes, and its class names in class-index order (read
 * only when a label is a name, so index labels need no class list).
 */
export type LabelSpace = { name: string; size: number; classNames: () => readonly string[] };

/** A label space from a class list in memory. */
export const labelSpace = (name: string, classes: readonly string[]): LabelSpace => ({
  name,
  size: classes.length,
  classNames: () => classes,
});

function readLines(file: string): string[] {
  if (!existsSync(file))
    throw new InputError(`not found: ${file} (is the data directory the AlignScope data bundle?)`);
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** ImageNet: WNIDs in class-index order (imagenet/categories.txt, `WNID name` lines). */
export const imagenetClasses = (dataDir: string): string[] =>
  readLines(path.join(dataDir, 'imagenet', 'categories.txt')).map((l) => l.split(/\s+/)[0] as string);

/** CIFAR-10: class names in index order (cifar10/classes.txt). */
export const cifar10Classes = (dataDir: string): string[] =>
  readLines(path.join(dataDir, 'cifar10', 'classes.txt'));

/**
 * The label space of a model card; the class names of the standard spaces come from the data bundle
 * at `dataDir` when a name has to be looked up.
 */
export function labelSpaceOf(card: ModelCard, dataDir: string): LabelSpace {
  const space = card.labelSpace;
  if (typeof space !== 'string') return labelSpace(space.name, space.classes);
  const read = space === 'imagenet-1k' ? imagenetClasses : cifar10Classes;
  return { name: labelSpaceName(card), size: numClasses(card), classNames: () => read(dataDir) };
}

/**
 * A resolver for one label space: `(label, where)` gives the class index or throws an InputError
 * prefixed with `where` (e.g. `manifest m.csv:3`).
 */
export function labelResolver(space: LabelSpace): (label: string, where?: string) => number {
  const k = space.size;
  let lookup: { exact: Map<string, number>; folded: Map<string, number | 'ambiguous'> } | undefined;
  const byName = () => {
    if (lookup) return lookup;
    lookup = { exact: new Map(), folded: new Map() };
    for (const [i, c] of space.classNames().entries()) {
      if (!lookup.exact.has(c)) lookup.exact.set(c, i);
      const f = c.toLowerCase();
      lookup.folded.set(f, lookup.folded.has(f) ? 'ambiguous' : i);
    }
    return lookup;
  };
  return (raw, where) => {
    const at = where ? `${where}: ` : '';
    const label = raw.trim();
    if (/^\d+$/.test(label)) {
      const v = Number(label);
      if (v < k) return v;
      throw new InputError(`${at}label ${label} is outside the label space ${space.name} (0..${k - 1})`);
    }
    const { exact, folded } = byName();
    const i = exact.get(label) ?? folded.get(label.toLowerCase());
    if (i === 'ambiguous')
      throw new InputError(
        `${at}label "${label}" matches several classes of ${space.name} when case is ignored`,
      );
    if (i === undefined)
      throw new InputError(
        `${at}label "${label}" is neither a class index (0..${k - 1}) nor a class name of the label space ${space.name}`,
      );
    return i;
  };
}
