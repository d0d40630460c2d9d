/** Reading small JSON files with errors that name a line. */
import { readFile, stat } from 'node:fs/promises';
import { RowError } from './common.ts';

/** JSON files are read whole; anything larger than this is refused rather than loaded. */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;

/** 1-based line of character offset `pos`. */
export function lineAt(text: string, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The line where `"key":` first occurs at or after `from` (1 when absent). */
export function lineOfKey(text: string, key: string, from = 0): number {
  const i = text.indexOf(`"${key}"`, from);
  return i < 0 ? 1 : lineAt(text, i);
}

/**
 * Parses a JSON file. `NaN` (as Python's json module writes it, e.g. in Django fixtures) is accepted
 * and becomes NaN.
 */
export async function readJson(
  file: string,
  opts: { allowNaN?: boolean } = {},
): Promise<{ text: string; value: unknown }> {
  const st = await stat(file);
  if (st.size > MAX_JSON_BYTES) {
    throw new RowError(null, `JSON file of ${st.size} bytes is larger than the ${MAX_JSON_BYTES}-byte limit`);
  }
  const text = await readFile(file, 'utf8');
  if (text.trim() === '') throw new RowError(null, 'empty file');
  const NAN = '"__alignscope_NaN__"';
  const source = opts.allowNaN ? text.replace(/(:\s*|\[\s*|,\s*)NaN(?=\s*[,}\]])/g, `$1${NAN}`) : text;
  try {
    const value = JSON.parse(source, (_k, v) => (v === '__alignscope_NaN__' ? Number.NaN : v));
    return { text, value };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(msg);
    const lc = /line (\d+)/.exec(msg);
    const line = lc ? Number(lc[1]) : pos ? lineAt(source, Number(pos[1])) : null;
    throw new RowError(line, `invalid JSON: ${msg.replace(/ in JSON at position \d+.*$/, '')}`);
  }
}

/** 1-based start line of each element of the top-level JSON array in `text` (strings are skipped). */
export function arrayElementLines(text: string): number[] {
  const lines: number[] = [];
  let depth = 0;
  let line = 1;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (depth === 1 && expectElement && c !== undefined && !/[\s,]/.test(c) && c !== ']') {
      lines.push(line);
      expectElement = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1) expectElement = true;
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expectElement = true;
  }
  return lines;
}
