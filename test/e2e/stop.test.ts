/**
 * Issue 17 item 11: SIGTERM to `npm start` (what a process manager or a container runtime sends to
 * the command the README gives) stops the whole tree: `alignscope start`, the web app (next-server)
 * and the embedded PostgreSQL. npm forwards the signal to its script's shell; the script `exec`s
 * `alignscope start`, so the signal reaches the process that owns the shutdown. Before, the shell died
 * and left the rest running as orphans.
 *
 * A real process tree: `npm start` with an embedded database in a fresh ALIGNSCOPE_HOME (the
 * database URL is removed from the environment) and the web app on a free port; the first run builds
 * the web app (turbo), which takes a few minutes on a cold checkout.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '@alignscope/config';
import { afterAll, describe, expect, it } from 'vitest';

/** Every process whose parent chain leads to `root` (from /proc), with its command line. */
function descendants(root: number): { pid: number; cmd: string }[] {
  const parent = new Map<number, number>();
  const cmd = new Map<number, string>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(e), ppid);
      cmd.set(Number(e), readFileSync(`/proc/${e}/cmdline`, 'utf8').replaceAll('\0', ' ').trim());
    } catch {
      // the process ended while we looked
    }
  }
  const out: { pid: number; cmd: string }[] = [];
  const walk = (p: number) => {
    for (const [c, pp] of parent) {
      if (pp === p) {
        out.push({ pid: c, cmd: cmd.get(c) ?? '' });
        walk(c);
      }
    }
  };
  walk(root);
  return out;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
};

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe('npm start', () => {
  const home = mkdtempSync(path.join(tmpdir(), 'alignscope-start-'));
  // As root the embedded PostgreSQL runs as the `postgres` user, which must reach its data folder.
  chmodSync(home, 0o755);
  let npm: ChildProcess | undefined;
  afterAll(() => {
    if (npm?.pid && alive(npm.pid)) npm.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
  });

  it('stops alignscope start, next-server and the embedded PostgreSQL on SIGTERM', async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, ALIGNSCOPE_HOME: home, PORT: String(port) };
    delete env.DATABASE_URL;
    delete (env as Record<string, string | undefined>).NODE_ENV; // vitest's NODE_ENV=test would make `next build` refuse a production build
    npm = spawn('npm', ['start', '--', '--no-worker'], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const child = npm;
    let out = '';
    child.stdout?.on('data', (d) => {
      out += String(d);
    });
    child.stderr?.on('data', (d) => {
      out += String(d);
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // Up: the web app answers.
    const deadline = Date.now() + 540_000;
    while (!out.includes(`web app on http://127.0.0.1:${port}`)) {
      if (child.exitCode !== null) throw new Error(`npm start exited early:\n${out.slice(-3000)}`);
      if (Date.now() > deadline) throw new Error(`npm start did not come up:\n${out.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    expect((await fetch(`http://127.0.0.1:${port}/api/health`)).ok).toBe(true);
    const tree = descendants(child.pid as number);
    const names = tree.map((p) => p.cmd).join('\n');
    expect(names).toMatch(/alignscope(\.mjs)? start/);
    expect(names).toMatch(/next(-server| start)/);
    expect(names).toMatch(/postgres/);

    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 60_000))]);
    expect(code, out.slice(-3000)).not.toBe('timeout');
    // Give the last children a moment to be reaped, then nothing of the tree may remain.
    const until = Date.now() + 15_000;
    while (tree.some((p) => alive(p.pid)) && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
    expect(tree.filter((p) => alive(p.pid))).toEqual([]);
    expect(out).toContain('alignscope: SIGTERM received, shutting down');
    expect(out).toContain('alignscope: stopped');
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow('fetch failed');
  }, 600_000);
});
