/**
 * `alignscope api`: the standalone server starts on a free port against DATABASE_URL, answers
 * GraphQL, and stops cleanly on SIGINT; bad options are one-line errors.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from '../support/graphql.ts';

const bin = path.join(import.meta.dirname, '../../apps/evaluator/bin/alignscope.mjs');
let t: TestDb;

beforeAll(async () => {
  t = await createTestDb({ setup: false }); // the command migrates and seeds the catalog itself
});
afterAll(async () => {
  await t?.close();
});

describe('alignscope api', () => {
  it('serves the API until SIGINT', async () => {
    const child: ChildProcess = spawn(process.execPath, [bin, 'api', '--port', '0'], {
      env: { ...process.env, DATABASE_URL: t.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`exited early (${code})`)));
      });
      // The line commands/api.ts prints: the default --host 127.0.0.1, the free port, DATABASE_URL (set above).
      expect(line).toMatch(
        /^GraphQL API at http:\/\/127\.0\.0\.1:[1-9]\d*\/graphql \(database: DATABASE_URL\); Ctrl-C to stop$/,
      );
      const url = /(http:\/\/\S+\/graphql)/.exec(line)?.[1];
      const r = await post(url as string, {
        query: '{ apiVersion benchmark(identifier: "ImageNet-top1") { domain } }',
      });
      expect(r.json).toEqual({ data: { apiVersion: '1', benchmark: { domain: 'ENGINEERING' } } });
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });

  it('refuses a bad port with a one-line error', () => {
    const r = spawnSync(process.execPath, [bin, 'api', '--port', 'x'], {
      encoding: 'utf8',
      env: process.env,
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('alignscope: error: --port must be an integer from 0 to 65535 (got "x")');
  });
});
