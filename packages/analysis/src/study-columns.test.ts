import { describe, expect, it } from 'vitest';
import { undefinedCorrelationRow } from './correlate.ts';
import { studyColumns } from './study-columns.ts';
import type { CorrelationRow, StoredStudyResult } from './types.ts';

// Hand-made: the cifar10-zoo pattern, where the covariate (top1) is also a benchmark and the shape
// bias is also an aggregate; two targets; a column (extra) that no role names.
const row = (benchmark: string): CorrelationRow => undefinedCorrelationRow(benchmark, 0, 'n < 3');
const old: StoredStudyResult = {
  study: 's@1',
  computedAt: '2026-12-06T00:00:00.000Z',
  models: ['a', 'b', 'c'],
  correlations: [
    { target: 'AA-2', rows: [row('top1')] },
    { target: 'AA-1', rows: [row('top1')] },
  ],
  aggregates: [{ target: 'AA-2', benchmark: 'shape', n: 3, r2: null, f: null, fP: null }],
  predictor: [],
  provenance: { covariate: 'top1' },
};
// jsonb keeps object keys in its own order: the input order here is deliberately not the output's.
const result: StoredStudyResult = {
  ...old,
  values: {
    extra: [1, 2, 3],
    top1: [0.9, 0.8, 0.7],
    shape: [0.3, null, 0.5],
    'AA-1': [0.25, 0.5, null],
    'AA-2': [0, 0.125, 0.375],
    ec: [0.1, 0.2, 0.3],
  },
  intervals: { 'AA-1': [[0.1, 0.4], [0.3, 0.7], null], shape: [[0.2, 0.4], null, [0.4, 0.6]] },
  intervalMethods: { 'AA-1': ['clopper-pearson 95%'], shape: ['trial bootstrap 95%'] },
};

describe('studyColumns', () => {
  it('lists every column once with its roles, values and intervals, targets first', () => {
    const cols = studyColumns(result, { benchmarks: ['top1', 'shape', 'ec'] });
    expect(cols?.map((c) => [c.benchmark, c.roles])).toEqual([
      ['AA-2', ['target']],
      ['AA-1', ['target']],
      ['top1', ['benchmark', 'covariate']],
      ['shape', ['benchmark', 'aggregate']],
      ['ec', ['benchmark']],
      // Named by no role and not planned: a benchmark, after the planned ones.
      ['extra', ['benchmark']],
    ]);
    expect(cols?.find((c) => c.benchmark === 'AA-1')).toEqual({
      benchmark: 'AA-1',
      roles: ['target'],
      values: [0.25, 0.5, null],
      intervals: [[0.1, 0.4], [0.3, 0.7], null],
      intervalMethods: ['clopper-pearson 95%'],
    });
    expect(cols?.find((c) => c.benchmark === 'AA-2')).toMatchObject({
      values: [0, 0.125, 0.375],
      intervals: [null, null, null],
      intervalMethods: [],
    });
  });

  it('without the plan: the covariate and the aggregate are not called benchmarks', () => {
    const cols = studyColumns(result);
    expect(cols?.map((c) => [c.benchmark, c.roles])).toEqual([
      ['AA-2', ['target']],
      ['AA-1', ['target']],
      ['ec', ['benchmark']],
      ['extra', ['benchmark']],
      ['shape', ['aggregate']],
      ['top1', ['covariate']],
    ]);
  });

  it('reads old results: no values is null, values without intervals have null intervals', () => {
    expect(studyColumns(old)).toBeNull();
    const { intervals: _, intervalMethods: __, ...noIntervals } = result;
    const cols = studyColumns(noIntervals) ?? [];
    expect(cols).toHaveLength(6);
    for (const c of cols) {
      expect(c.intervals).toEqual([null, null, null]);
      expect(c.intervalMethods).toEqual([]);
    }
  });

  it('aligns short or malformed stored arrays with the models', () => {
    const odd = {
      ...result,
      values: { 'AA-1': [0.5] },
      intervals: {
        'AA-1': [
          [0.4, 'x'],
          [0.1, 0.2],
        ],
      },
    } as unknown as StoredStudyResult;
    expect(studyColumns(odd)?.[0]).toMatchObject({
      values: [0.5, null, null],
      intervals: [null, [0.1, 0.2], null],
    });
  });
});
