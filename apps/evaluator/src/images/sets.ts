/**
 * Labelled image sets: a folder tree (one sub-folder per class, the folder name is the label) or a
 * manifest CSV with columns `file,label` (file relative to the manifest's folder; extra columns are
 * ignored). Listing is cheap; images are decoded later, batch by batch.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';

export type LabelledImage = { file: string; label: string };

const IMAGE_EXT = /\.(jpe?g|png|webp|tiff?|gif|bmp)$/i;

/** Images under `dir`, label = the first-level sub-folder, sorted by label then file name. */
export function folderImageSet(dir: string): LabelledImage[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`image folder not found: ${dir}`);
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
  if (out.length === 0) throw new UserError(`no images in ${dir} (expected <class>/<image> sub-folders)`);
  return out;
}

/** Splits one CSV line (RFC 4180 quotes; no embedded newlines). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
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
    throw new UserError(`cannot read manifest ${csvFile}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.trim().toLowerCase());
  const fileCol = header.indexOf('file');
  const wanted = opts.labelColumn ? [opts.labelColumn] : ['label', 'class_index', 'class'];
  const labelCol = wanted.map((w) => header.indexOf(w)).find((i) => i >= 0) ?? -1;
  if (fileCol < 0 || labelCol < 0) {
    throw new UserError(`manifest ${csvFile}: header must name a "file" and a "${wanted[0]}" column`);
  }
  const base = opts.baseDir ?? path.dirname(csvFile);
  return lines.slice(1).map((l, i) => {
    const f = splitCsvLine(l);
    const file = f[fileCol]?.trim();
    const label = f[labelCol]?.trim();
    if (!file || label === undefined || label === '') {
      throw new UserError(`manifest ${csvFile}:${i + 2}: missing file or label`);
    }
    return { file: path.isAbsolute(file) ? file : path.join(base, file), label };
  });
}

/** A folder tree or a manifest CSV, whichever `p` is. */
export function imageSet(p: string, opts: { labelColumn?: string } = {}): LabelledImage[] {
  if (!existsSync(p)) throw new UserError(`image set not found: ${p}`);
  return statSync(p).isDirectory() ? folderImageSet(p) : manifestImageSet(p, opts);
}
