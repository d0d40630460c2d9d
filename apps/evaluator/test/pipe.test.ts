/**
 * Issue 17 item 1: `alignscope … --json` through a real pipe. The CLI used to exit right after
 * writing, which cut pipe output at 64-80 KiB. The reader here is slow on purpose (`sleep` before
 * `cat`) so that the pipe is full when the command finishes: without the drain the JSON breaks.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tmpDir } from './helpers.ts';

const bin = path.resolve(import.meta.dirname, '../bin/alignscope.mjs');
const exec = promisify(execFile);

/** A wide score table: 12 models, `columns` benchmarks, deterministic distinct values. */
function wideTable(columns: number): string {
  const head = ['model', 'target', ...Array.from({ length: columns }, (_, j) => `benchmark_${j}`)];
  const rows = Array.from({ length: 12 }, (_, i) => [
    `model_${i}`,
    String(i / 12),
    ...Array.from({ length: columns }, (_, j) => String(((i * 7 + j * 3) % 13) / 13)),
  ]);
  return [head, ...rows].map((r) => r.join(',')).join('\n');
}

describe('alignscope --json through a pipe', () => {
  it('delivers a JSON document larger than 1 MiB whole to a slow reader', async () => {
    const dir = tmpDir();
    const csv = path.join(dir, 'wide.csv');
    const out = path.join(dir, 'out.json');
    writeFileSync(csv, wideTable(3000));
    // `sh -c 'A | B'`: the command's stdout is a kernel pipe, as in `alignscope … | jq`.
    await exec(
      'sh',
      [
        '-c',
        `"${process.execPath}" "${bin}" analyze --scores "${csv}" --target target --json | (sleep 2; cat > "${out}")`,
      ],
      { timeout: 120_000, maxBuffer: 1 << 20 },
    );
    const text = readFileSync(out, 'utf8');
    expect(text.length).toBeGreaterThan(1 << 20);
    const rows = JSON.parse(text) as { benchmark: string }[];
    // One row per benchmark column besides the target, the last one included.
    expect(rows).toHaveLength(3000);
    expect(new Set(rows.map((r) => r.benchmark))).toContain('benchmark_2999');
  }, 180_000);
});

describe('npx alignscope', () => {
  // Issue 17 item 1: an `onnxruntime-node-install` key in .npmrc made npm print "Unknown project
  // config" before every command; package.json's allowScripts skips the install script instead.
  it('runs without npm warnings about the project configuration', async () => {
    const root = path.resolve(import.meta.dirname, '../../..');
    const env = { ...process.env };
    delete env.ONNXRUNTIME_NODE_INSTALL;
    const { stdout, stderr } = await exec('npx', ['alignscope', '--version'], {
      cwd: root,
      env,
      timeout: 60_000,
    });
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(stderr).toBe('');
  }, 90_000);
});
