/**
 * `alignscope metric`: the CLI on CSV files written here, against the sklearn/scipy reference numbers of
 * packages/neural (scripts/golden.py), and its one-line errors for bad input.
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runMetric } from '../src/commands/metric.ts';
import { tmpDir } from './helpers.ts';

const golden = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../../../packages/neural/test/golden.json'), 'utf8'),
) as {
  crossValidated: {
    x: number[][];
    y: number[][];
    splits: { train: number[]; test: number[] }[];
    components: number;
    perSplitTight: number[];
    meanTight: number;
  };
};

const bin = path.resolve(import.meta.dirname, '../bin/alignscope.mjs');
const exec = promisify(execFile);
const dir = tmpDir('alignscope-metric-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
}

async function cli(args: string[]) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, 'metric', ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const c = golden.crossValidated;
const id = (i: number) => `img${i}`;
const featuresCsv = file(
  'features.csv',
  ['stimulus_id,f0', ...c.x.map((r, i) => [id(i), ...r].join(','))]
    .join('\n')
    .replace('f0', c.x[0]?.map((_, j) => `f${j}`).join(',') ?? ''),
);
const responsesCsv = file(
  'responses.csv',
  [
    'stimulus,neuroid,repetition,value',
    ...c.y.flatMap((r, i) => r.map((v, j) => `${id(i)},n${j},0,${v}`)),
  ].join('\n'),
);
const splitsJson = file(
  'splits.json',
  JSON.stringify(c.splits.map((s) => ({ train: s.train.map(id), test: s.test.map(id) }))),
);

describe('alignscope metric', () => {
  it('pls on CSV files equals sklearn PLSRegression + scipy pearsonr on the same splits; no repetitions, no ceiling', async () => {
    const r = await cli([
      'pls',
      '--features',
      featuresCsv,
      '--responses',
      responsesCsv,
      '--splits',
      splitsJson,
      '--components',
      String(c.components),
      '--json',
    ]);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    // sklearn with its power iteration run to convergence (golden.py): equal to ~1e-7
    out.per_split.forEach((v: number, i: number) => {
      expect(v).toBeCloseTo(c.perSplitTight[i] as number, 6);
    });
    expect(out.raw).toBeCloseTo(c.meanTight, 6);
    expect(out.ceiling).toBeNull();
    expect(out.ceiling_reason).toBe(
      'no repetitions: the assembly has 1 per stimulus, a split-half ceiling needs 2 or more',
    );
    expect(out.ceiled_explained_variance).toBeNull();
    expect(out.splits[0].test).toEqual(c.splits[0]?.test.map(id));
  });

  it('reports the ceiling and both ceiled forms when there are repetitions', () => {
    // two repetitions: value and value + a deterministic perturbation
    const reps = file(
      'reps.csv',
      [
        'stimulus,neuroid,repetition,value',
        ...c.y.flatMap((r, i) =>
          r.flatMap((v, j) => [`${id(i)},n${j},1,${v}`, `${id(i)},n${j},2,${v + Math.sin(7 * i + 3 * j)}`]),
        ),
      ].join('\n'),
    );
    const out = runMetric('pls', { features: featuresCsv, responses: reps, components: 4, seed: 1 });
    if (out.ceiling.value === null) throw new Error(out.ceiling.reason);
    expect(out.repetitions).toBe(2);
    expect(out.ceiled?.explainedVariance).toBeCloseTo(out.raw ** 2 / out.ceiling.value, 12);
    expect(out.ceiled?.squaredRatio).toBeCloseTo((out.raw / out.ceiling.value) ** 2, 12);
    expect(out.perSplit).toHaveLength(10);
  });

  it('bad input: mismatched stimulus ids, NaN responses, unknown split ids give one-line errors', async () => {
    const extraRows = c.y[0]?.map((_, j) => `zzz,n${j},0,1.5`).join('\n');
    const extra = file('extra.csv', `${readFileSync(responsesCsv, 'utf8')}\n${extraRows}`);
    const r1 = await cli(['pls', '--features', featuresCsv, '--responses', extra]);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain(
      `alignscope: error: stimulus "zzz" has responses in ${extra} but no row in ${featuresCsv}`,
    );
    const nan = file(
      'nan.csv',
      readFileSync(responsesCsv, 'utf8').replace(/\n(img3,n1,0,)[^\n]+/, '\n$1nan'),
    );
    expect(() => runMetric('pls', { features: featuresCsv, responses: nan, components: 4, seed: 1 })).toThrow(
      `${nan}: line 27, column value: "nan" is not a finite number`, // header + 3 stimuli x 8 neuroids + img3,n0
    );
    const badSplits = file('bad-splits.json', JSON.stringify([{ train: ['img0', 'img1'], test: ['nope'] }]));
    expect(() =>
      runMetric('pls', {
        features: featuresCsv,
        responses: responsesCsv,
        splits: badSplits,
        components: 4,
        seed: 1,
      }),
    ).toThrow(`${badSplits}: split 0 test names stimulus "nope", which has no features and responses`);
  });
});
