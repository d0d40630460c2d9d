/**
 * The production web app for browser tests: `next build` into a folder of its own (under the
 * git-ignored test-results/, so a developer's `.next` is never touched), then `next start` on a free
 * port against a given database.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const webDir = path.join(repoRoot, 'apps/web');
const nextBin = path.join(repoRoot, 'node_modules/next/dist/bin/next');

function run(args: string[], env: Env, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, ...args], {
      cwd: webDir,
      env: env as unknown as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`next ${args[0]} failed (exit ${code}):\n${out.slice(-4000)}`));
    });
  });
}

export type Env = Record<string, string | undefined>;

function baseEnv(distDir: string): Env {
  return { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ALIGNSCOPE_WEB_DIST_DIR: distDir };
}

/** Builds the production app into `distDir` (relative to apps/web). */
export async function buildWeb(distDir: string): Promise<void> {
  const env = baseEnv(distDir);
  delete env.DATABASE_URL;
  // vitest sets NODE_ENV=test, which `next build` refuses to combine with a production build.
  env.NODE_ENV = 'production';
  // Type checking is `tsc -p apps/web`'s job; the test build skips it to stay fast.
  env.ALIGNSCOPE_WEB_SKIP_TYPECHECK = '1';
  await run(['build'], env, 450_000);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export type WebServer = { url: string; stop(): Promise<void>; log(): string };

/** `next start` of a build on a free port with DATABASE_URL; resolves once /api/health answers ok. */
export async function startWeb(distDir: string, databaseUrl: string, extraEnv: Env = {}): Promise<WebServer> {
  const port = await freePort();
  const env = { ...baseEnv(distDir), ...extraEnv, DATABASE_URL: databaseUrl, NODE_ENV: 'production' };
  const child: ChildProcess = spawn(
    process.execPath,
    [nextBin, 'start', '-H', '127.0.0.1', '-p', String(port)],
    {
      cwd: webDir,
      env: env as unknown as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  child.stdout?.on('data', (d) => {
    log += d;
  });
  child.stderr?.on('data', (d) => {
    log += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${log}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok && ((await res.json()) as { ok: boolean }).ok) break;
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`next start did not become healthy in 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, stop, log: () => log };
}
