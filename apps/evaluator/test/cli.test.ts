import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { migrationsFolder } from '@alignscope/db';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli.ts';

const bin = path.resolve(import.meta.dirname, '../bin/alignscope.mjs');
const exec = promisify(execFile);
/** The number of committed migrations, from drizzle-kit's journal. */
const migrationCount = (
  JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
    entries: unknown[];
  }
).entries.length;

/** Runs the real `alignscope` executable; resolves with its output and exit code. */
async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, ...args], {
      env: { ...process.env, ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

function allCommands(c: Command, prefix: string[] = []): string[][] {
  return c.commands.flatMap((sub) => [[...prefix, sub.name()], ...allCommands(sub, [...prefix, sub.name()])]);
}

describe('alignscope CLI', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb({ setup: false });
  });
  afterAll(() => t.close());

  it('has --help on every command', async () => {
    const program = await buildProgram();
    const commands = allCommands(program);
    expect(commands.map((c) => c.join(' '))).toEqual(
      expect.arrayContaining(['db migrate', 'db status', 'keys create', 'keys list', 'start']),
    );
    for (const c of commands) {
      const out: string[] = [];
      const p = await buildProgram();
      p.configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => out.push(s) });
      const walk = (cmd: Command) => {
        cmd.configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => out.push(s) });
        for (const s of cmd.commands) walk(s);
      };
      walk(p);
      await expect(p.parseAsync(['node', 'alignscope', ...c, '--help'])).rejects.toMatchObject({
        exitCode: 0,
      });
      expect(out.join(''), c.join(' ')).toMatch(/^Usage: alignscope /);
    }
  });

  it('migrates, reports status, and creates a key that is printed once and stored only as a hash', async () => {
    const env = { DATABASE_URL: t.url };
    const migrate = await cli(['db', 'migrate'], env);
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toMatch(
      new RegExp(`migrations applied: ${migrationCount}; catalog: \\d+ benchmarks`),
    );
    const status = await cli(['db', 'status', '--json'], env);
    expect(JSON.parse(status.stdout)).toMatchObject({
      migrationsApplied: migrationCount,
      source: 'DATABASE_URL',
    });
    const created = await cli(['keys', 'create', '--name', 'ci-lab', '--admin'], env);
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^as_/);
    const listed = await cli(['keys', 'list'], env);
    expect(listed.stdout).toContain('ci-lab');
    expect(listed.stdout).not.toContain(key);
    const stored = await t.pool.query('select key_hash from api_keys');
    expect(JSON.stringify(stored.rows)).not.toContain(key);
  });

  it('reports an unreachable database in one line with a non-zero exit', async () => {
    const r = await cli(['db', 'status'], { DATABASE_URL: 'postgres://x:pw@127.0.0.1:1/none' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^alignscope: error: cannot reach the database at postgres:\/\/x:\*\*\*@127\.0\.0\.1:1\/none/,
    );
  });

  it('reports a port in use as such', async () => {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as net.AddressInfo).port;
    try {
      const r = await cli(['start'], { DATABASE_URL: t.url, PORT: String(port) });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`port ${port} is already in use`);
    } finally {
      srv.close();
    }
  });

  it('rejects an unknown command with usage help and a non-zero exit', async () => {
    const r = await cli(['frobnicate']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});
