/**
 * `alignscope analyze`, run as a user runs it: `node bin/alignscope.mjs analyze ...` on temporary CSVs.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { correlate } from '@alignscope/analysis';
import { afterAll, describe, expect, it } from 'vitest';
import { type AnalyzeOptions, analyze, parseScoresCsv } from '../src/commands/analyze.ts';
import { InputError } from '../src/errors.ts';

const bin = path.resolve(import.meta.dirname, '../bin/alignscope.mjs');
const exec = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'alignscope-analyze-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
}

async function cli(args: string[]) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, 'analyze', ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

// 12 models; robust accuracy, clean accuracy, two benchmarks, one constant column, a missing cell.
const rows = [
  ['m0', 0.05, 0.8, 0.2, 0.31, 0.5],
  ['m1', 0.1, 0.78, 0.25, 0.12, 0.5],
  ['m2', 0.12, 0.76, 0.3, '', 0.5],
  ['m3', 0.2, 0.74, 0.28, 0.4, 0.5],
  ['m4', 0.22, 0.7, 0.45, 0.22, 0.5],
  ['m5', 0.3, 0.69, 0.5, 0.35, 0.5],
  ['m6', 0.33, 0.65, 0.48, 0.1, 0.5],
  ['m7', 0.4, 0.64, 0.6, 0.28, 0.5],
  ['m8', 0.41, 0.6, 0.62, 0.5, 0.5],
  ['m9', 0.5, 0.58, 0.7, 0.15, 0.5],
  ['m10', 0.55, 0.55, 0.66, 0.33, 0.5],
  ['m11', 0.6, 0.5, 0.8, 0.2, 0.5],
];
const header =
  'model,AutoAttack-Linf-1/255,ImageNet-top1,Hermann2020cueconflict-shape_bias,MajajHong2015.IT-pls,flat';
const good = file('good.csv', `${header}\n${rows.map((r) => r.join(',')).join('\n')}\n`);

describe('alignscope analyze', () => {
  it('prints a table sorted by |coefficient|, undefined rows last with their reason', async () => {
    const r = await cli(['--scores', good, '--target', 'AutoAttack-Linf-1/255']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /spearman correlation of 4 benchmarks with "AutoAttack-Linf-1\/255" over 12 models/,
    );
    expect(lines[1]).toMatch(/^benchmark\s+n\s+rho\s+p\s+q/);
    const order = lines.slice(3).map((l) => l.split(/\s+/)[0]);
    // |rho|: shape bias 0.979, ImageNet-top1 1 (perfectly decreasing), IT 0.0x; flat is constant.
    expect(order).toEqual([
      'ImageNet-top1',
      'Hermann2020cueconflict-shape_bias',
      'MajajHong2015.IT-pls',
      'flat',
    ]);
    expect(lines.at(-1)).toMatch(/constant column$/);
  });

  it('--json has the documented fields and the numbers of @alignscope/analysis', async () => {
    const r = await cli([
      '--scores',
      good,
      '--target',
      'AutoAttack-Linf-1/255',
      '--covariate',
      'ImageNet-top1',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(Object.keys(out[0] ?? {})).toEqual([
      'benchmark',
      'n',
      'coefficient',
      'p_value',
      'q_value',
      'ci_low',
      'ci_high',
      'ranking_accuracy',
      'r2',
      'f_stat',
      'f_p_value',
      'slope',
      'intercept',
      'partial_coefficient',
      'partial_p_value',
      'significant',
      'reason',
    ]);
    const expected = correlate(
      parseScoresCsv(`${header}\n${rows.map((x) => x.join(',')).join('\n')}\n`, 'x'),
      {
        target: 'AutoAttack-Linf-1/255',
        method: 'spearman',
        covariate: 'ImageNet-top1',
      },
    );
    const it = expected.find((e) => e.benchmark === 'MajajHong2015.IT-pls');
    const got = out.find((o) => o.benchmark === 'MajajHong2015.IT-pls');
    expect(got).toMatchObject({
      n: 11,
      coefficient: it?.coefficient,
      p_value: it?.pValue,
      ci_low: it?.ciLow,
    });
    expect(got?.partial_coefficient).toBe(it?.partialCoefficient);
    const noCov = JSON.parse(
      (await cli(['--scores', good, '--target', 'flat', '--json', '--method', 'kendall'])).stdout,
    );
    expect(noCov[0]).not.toHaveProperty('partial_coefficient');
    expect(noCov.every((o: { reason: string }) => o.reason === 'constant target column')).toBe(true);
  });

  it.each([
    [
      'a non-numeric cell',
      'model,a,b\nm1,0.5,0.2\nm2,abc,0.3\n',
      /line 3, column 2 \("a"\): "abc" is not a number/,
    ],
    [
      'a duplicate model',
      'model,a,b\nm1,0.5,0.2\nm2,0.1,0.3\nm1,0.2,0.3\n',
      /line 4: duplicate model identifier "m1" \(first on line 2\)/,
    ],
    ['an empty file', '', /empty file/],
  ])('%s: one clear error line naming the place, exit code 2', async (_what, text, message) => {
    const f = file(`bad-${Math.random().toString(36).slice(2)}.csv`, text);
    const r = await cli(['--scores', f, '--target', 'a']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('an unknown target column', async () => {
    const t = await cli(['--scores', good, '--target', 'robust']);
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(
      /target column "robust" is not in .*good\.csv \(columns: AutoAttack-Linf-1\/255, ImageNet-top1/,
    );
  });
});

// The remaining error paths in-process (spawning costs seconds each); the exit code 2 of an InputError is
// covered by the spawned cases above.
describe('analyze errors (in-process)', () => {
  const run =
    (text: string | null, extra: Partial<AnalyzeOptions> = {}) =>
    () =>
      analyze({
        scores:
          text === null
            ? path.join(dir, 'nope.csv')
            : file(`e-${Math.random().toString(36).slice(2)}.csv`, text),
        target: 'a',
        method: 'spearman',
        minN: 8,
        resamples: 10,
        seed: 0,
        ...extra,
      });
  it.each([
    ['a header only', 'model,a,b\n', /no model rows/],
    ['a ragged row', 'model,a,b\nm1,1,2\nm2,3\n', /malformed CSV: .*line 3/],
    ['a duplicate column', 'model,a,a\nm1,1,2\n', /line 1: column "a" appears twice \(columns 2 and 3\)/],
    ['an empty column name', 'model,a,\nm1,1,2\n', /line 1, column 3: empty column name/],
    ['an empty model identifier', 'model,a,b\nm1,1,2\n,3,4\n', /line 3, column 1: empty model identifier/],
    [
      'an infinite value',
      'model,a,b\nm1,Infinity,2\n',
      /line 2, column 2 \("a"\): "Infinity" is not a number/,
    ],
  ])('%s', (_what, text, message) => {
    expect(run(text)).toThrow(InputError);
    expect(run(text)).toThrow(message);
  });
  it('an unknown covariate, covariate = target, a missing file', () => {
    const ok = 'model,a,b\nm1,1,2\nm2,2,3\nm3,3,1\n';
    expect(run(ok, { covariate: 'clean' })).toThrow(
      /covariate column "clean" is not in .* \(columns: a, b\)/,
    );
    expect(run(ok, { covariate: 'a' })).toThrow(/--covariate must differ from --target/);
    expect(run(null)).toThrow(/cannot read .*nope\.csv: no such file/);
  });
});

describe('parseScoresCsv', () => {
  it('reads empty, NA and NaN cells as missing and keeps the model order', () => {
    const input = parseScoresCsv('model,a,b\nx, 1 ,NA\ny,,2.5e-1\nz,NaN,-3\n', 'f.csv');
    expect(input).toEqual({ models: ['x', 'y', 'z'], columns: { a: [1, null, null], b: [null, 0.25, -3] } });
  });
});
