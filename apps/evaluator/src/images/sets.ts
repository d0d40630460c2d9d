/**
 * Labelled image sets: a folder tree (one sub-folder per class, the folder name is the label) or a
 * manifest CSV with columns `file,label` (file relative to the manifest's folder; extra columns are
 * ignored). Listing is cheap; images are decoded later, batch by batch.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { CsvError, type CsvRecord, csvRecords } from '@alignscope/behavior';
import { InputError } from '../errors.ts';

export type LabelledImage = { file: string; label: string };

const IMAGE_EXT = /\.(jpe?g|png|webp|tiff?|gif|bmp)$/i;

/** Images under `dir`, label = the first-level sub-folder, sorted by label then file name. */
export function folderImageSet(dir: string): LabelledImage[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new InputError(`image folder not found: ${dir}`);
  const out: LabelledImage[] = [];
  const classes = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  for (const label of classes) {
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (IMAGE_EXT.test(e.name)) out.push({ file: p, label });
      }
    };
    walk(path.join(dir, label));
  }
  if (out.length === 0) throw new InputError(`no images in ${dir} (expected <class>/<image> sub-folders)`);
  return out;
}

/**
 * A manifest CSV with a header naming `file` and `label` columns (the label column may also be called
 * `class_index` or `class`). Files are relative to the manifest's folder (or `baseDir`) unless absolute.
 */
export function manifestImageSet(
  csvFile: string,
  opts: { labelColumn?: string; baseDir?: string } = {},
): LabelledImage[] {
  let text: string;
  try {
    text = readFileSync(csvFile, 'utf8');
  } catch (e) {
    throw new InputError(
      `cannot read manifest ${csvFile}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
    );
  }
  let records: CsvRecord[];
  try {
    records = csvRecords(text);
  } catch (e) {
    if (e instanceof CsvError) throw new InputError(`manifest ${csvFile}: malformed CSV: ${e.message}`);
    throw e;
  }
  const header = (records[0]?.record ?? []).map((h) => h.toLowerCase());
  const fileCol = header.indexOf('file');
  const wanted = opts.labelColumn ? [opts.labelColumn] : ['label', 'class_index', 'class'];
  const labelCol = wanted.map((w) => header.indexOf(w)).find((i) => i >= 0) ?? -1;
  if (fileCol < 0 || labelCol < 0) {
    throw new InputError(`manifest ${csvFile}: header must name a "file" and a "${wanted[0]}" column`);
  }
  const base = opts.baseDir ?? path.dirname(csvFile);
  return records.slice(1).map(({ record: f, info }) => {
    const file = f[fileCol];
    const label = f[labelCol];
    if (!file || label === undefined || label === '') {
      throw new InputError(`manifest ${csvFile}:${info.lines}: missing file or label`);
    }
    return { file: path.isAbsolute(file) ? file : path.join(base, file), label };
  });
}

/** A folder tree or a manifest CSV, whichever `p` is. */
export function imageSet(p: string, opts: { labelColumn?: string } = {}): LabelledImage[] {
  if (!existsSync(p)) throw new InputError(`image set not found: ${p}`);
  return statSync(p).isDirectory() ? folderImageSet(p) : manifestImageSet(p, opts);
}
