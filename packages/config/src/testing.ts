/**
 * The one rule for tests that need the data bundle (issue 17): under CI (`CI` set to anything but
 * `false`/`0`) a missing bundle fails the suite — a skipped check must never read as a passed one;
 * on a developer machine the suite is skipped and says why on stderr.
 *
 *   const bundle = needsDataBundle('models/cifar10_resnet20.onnx', 'alignscope attack');
 *   describe.skipIf(bundle.missing)('alignscope attack', () => { ... bundle.path('models') ... });
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from './config.ts';

/** Whether this process runs under CI (the `CI` variable that CI services and `.ci/run` set). */
export function underCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.CI?.trim().toLowerCase();
  return v !== undefined && v !== '' && v !== 'false' && v !== '0';
}

export type DataBundle = {
  /** The bundle's directory (ALIGNSCOPE_DATA_DIR or ../shared/data). */
  dir: string;
  /** True when a file the suite needs is absent (only ever outside CI). */
  missing: boolean;
  /** A path inside the bundle. */
  path: (...parts: string[]) => string;
};

/**
 * Checks that the bundle holds `files` (paths relative to it; the directory itself when none).
 * Throws under CI when one is missing; otherwise prints why the suite `who` is skipped.
 */
export function needsDataBundle(
  files: string | readonly string[] = [],
  who = 'tests that read the data bundle',
  env: NodeJS.ProcessEnv = process.env,
): DataBundle {
  const dir = loadConfig(env).dataDir;
  const wanted = typeof files === 'string' ? [files] : files;
  const absent = (wanted.length === 0 ? [''] : wanted)
    .map((f) => path.join(dir, f))
    .filter((f) => !existsSync(f));
  const bundle = { dir, missing: absent.length > 0, path: (...parts: string[]) => path.join(dir, ...parts) };
  if (!bundle.missing) return bundle;
  const why = `${who}: the data bundle is missing ${absent.join(', ')} (set ALIGNSCOPE_DATA_DIR)`;
  if (underCi(env)) throw new Error(`${why}; CI is set, so this fails instead of skipping`);
  process.stderr.write(`SKIPPED ${why}\n`);
  return bundle;
}
