/**
 * Worker threads from TypeScript sources without a loader: the entry is bundled to CommonJS with
 * esbuild (once per process and entry) and started with `eval`, so it runs under plain node, tsx and
 * vitest alike. Packages named in `external` stay out of the bundle (native addons such as
 * onnxruntime-node) and are required at run time, resolved from this package as if the bundle were
 * one of its files (an eval'd worker's own `require` would resolve from the working directory).
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { buildSync } from 'esbuild';

const bundles = new Map<string, string>();

/** The code of the worker whose entry is `entry` (a URL of a .ts file), to start with `{ eval: true }`. */
export function bundledWorker(entry: URL, external: readonly string[] = []): string {
  const file = fileURLToPath(entry);
  let code = bundles.get(file);
  if (code === undefined) {
    const out = buildSync({
      entryPoints: [file],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: [...external],
      write: false,
      logLevel: 'silent',
    });
    const body = out.outputFiles[0]?.text ?? '';
    // resolve the external packages from the entry's own folder
    code = external.length
      ? `(function (require) {\n${body}\n})(require('node:module').createRequire(${JSON.stringify(file)}));\n`
      : body;
    bundles.set(file, code);
  }
  return code;
}

/**
 * A worker running bundled code. It gets the parent's node options except `--input-type`: code
 * given with `eval` follows that flag, and a parent started as `node --input-type=module -e ...`
 * would run the CommonJS bundle as a module, where `require` is not defined.
 */
export function startWorker(code: string, workerData: unknown): Worker {
  const execArgv = process.execArgv.filter(
    (a, i, all) => !a.startsWith('--input-type') && all[i - 1] !== '--input-type',
  );
  return new Worker(code, { eval: true, workerData, execArgv });
}
