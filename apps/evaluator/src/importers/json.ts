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
    const offset = jsonErrorOffset(source);
    const short = msg
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/, "[\s\S]*" is not valid JSON$/, '');
    throw new RowError(offset === undefined ? null : lineAt(source, offset), `invalid JSON: ${short}`);
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

/**
 * Offset of the first syntax error in `text` (undefined when it is valid JSON). V8's JSON.parse
 * messages do not always give a position, so a small scanner finds it.
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && /[ \t\r\n]/.test(text[i] as string)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = () => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (text[i] !== '"') fail();
    i++;
  };
  const number = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += (m as RegExpExecArray)[0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail();
      }
    }
    if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else number();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return undefined;
  } catch (e) {
    if (typeof e === 'number') return e;
    throw e;
  }
}
