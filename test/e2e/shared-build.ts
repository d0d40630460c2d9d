/**
 * One production build of the web app per test run, shared by every browser-test file (each runs in a
 * Vitest worker of its own): whichever file asks first builds, the others wait for it.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { buildWeb, webDir } from './server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** One id per test run (provided by run-id.ts). */
    e2eRunId: string;
  }
}

/** The build shared by every browser-test file of one run (relative to apps/web). */
export const SHARED_DIST = 'test-results/e2e-build/.next';

/**
 * Builds the production app once per test run, whichever browser-test file asks first; the others
 * (in other Vitest workers) wait for it. A build left by an earlier run is rebuilt, so a run always
 * tests the current sources. A failed build is reported to every waiting file.
 */
export async function sharedWebBuild(): Promise<string> {
  const runId = inject('e2eRunId');
  const root = path.join(webDir, 'test-results/e2e-build');
  mkdirSync(root, { recursive: true });
  const lock = path.join(root, 'build.lock');
  const done = path.join(root, 'build.done');
  const failed = path.join(root, 'build.failed');
  const readIf = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
  for (;;) {
    if (readIf(done) === runId) return SHARED_DIST;
    const failure = readIf(failed);
    if (failure.startsWith(`${runId}\n`)) throw new Error(failure.slice(runId.length + 1));
    let owner = false;
    try {
      mkdirSync(lock);
      owner = true;
    } catch {
      // Another file is building. A lock older than the build's own time limit is stale (a killed run).
      try {
        const age = Date.now() - statSync(lock).mtimeMs;
        if (age > 600_000) rmSync(lock, { recursive: true, force: true });
      } catch {}
    }
    if (owner) {
      try {
        if (readIf(done) !== runId) {
          rmSync(done, { force: true });
          try {
            await buildWeb(SHARED_DIST);
            writeFileSync(done, runId);
          } catch (e) {
            writeFileSync(failed, `${runId}\n${(e as Error).message}`);
            throw e;
          }
        }
        return SHARED_DIST;
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}
