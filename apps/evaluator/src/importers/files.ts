/** Finding the files an import reads: a file as given, or the matching files under a folder. */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Source } from './common.ts';

/** Thrown when the path given to an import is unusable (reported as a one-line user error). */
export class SourceError extends Error {
  override name = 'SourceError';
}

async function statOrThrow(target: string) {
  try {
    return await stat(target);
  } catch {
    throw new SourceError(`no such file or folder: ${target}`);
  }
}

/** Files under `dir` (recursively) whose name matches, sorted by path. */
export async function findFiles(dir: string, match: (name: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    const entries = await readdir(d, { withFileTypes: true });
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && match(e.name)) out.push(p);
    }
  };
  await walk(dir);
  return out.sort();
}

/** One source per file: `target` itself, or every file under it with one of `extensions`. */
export async function fileSources(target: string, extensions: string[]): Promise<Source[]> {
  const st = await statOrThrow(target);
  if (st.isFile()) return [{ path: target, files: [target] }];
  const files = await findFiles(target, (n) => extensions.some((x) => n.toLowerCase().endsWith(x)));
  if (files.length === 0) throw new SourceError(`no ${extensions.join(' or ')} files under ${target}`);
  return files.map((f) => ({ path: f, files: [f] }));
}

export const csvSources = (target: string) => fileSources(target, ['.csv']);
