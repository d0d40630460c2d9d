import { describe, expect, it } from 'vitest';
import { studyPoints, whiskerSentences } from './study-points.ts';
import type { StoredStudyResult } from './types.ts';

const base: StoredStudyResult = {
  study: 's@1',
  computedAt: '2026-12-06T00:00:00.000Z',
  models: ['a', 'b', 'c', 'd'],
  correlations: [],
  aggregates: [],
  predictor: [],
  provenance: {},
};
const result: StoredStudyResult = {
  ...base,
  values: { x: [0.1, 0.2, null, 0.4], y: [0.5, 0.25, 0.75, 1] },
  intervals: { y: [[0.2, 0.8], null, [0.5, 0.9], [0.6, 1]] },
  intervalMethods: { y: ['clopper-pearson 95%'] },
};

describe('studyPoints', () => {
  it('pairs the models with both values, each with its stored interval', () => {
    // c has no x value: left out; b's y was stored without an interval; x has none at all.
    expect(studyPoints(result, 'x', 'y')).toEqual([
      { model: 'a', x: 0.1, y: 0.5, xCi: null, yCi: [0.2, 0.8] },
      { model: 'b', x: 0.2, y: 0.25, xCi: null, yCi: null },
      { model: 'd', x: 0.4, y: 1, xCi: null, yCi: [0.6, 1] },
    ]);
    // A result stored before values (or intervals) existed.
    expect(studyPoints(base, 'x', 'y')).toEqual([]);
    const { intervals: _, ...noIntervals } = result;
    expect(studyPoints(noIntervals, 'x', 'y').every((p) => p.xCi === null && p.yCi === null)).toBe(true);
  });
});

describe('whiskerSentences', () => {
  const axes = { x: { id: 'x', label: 'X' }, y: { id: 'y', label: 'Robust accuracy' } };
  it('says per axis with whiskers what they are and on how many points', () => {
    expect(whiskerSentences(result, studyPoints(result, 'x', 'y'), axes)).toEqual([
      "Vertical whiskers: the interval stored with each model's Robust accuracy (clopper-pearson 95%), on 2 of 3 models; the others have none stored.",
    ]);
    const both: StoredStudyResult = {
      ...result,
      intervals: { ...result.intervals, x: [[0, 0.2], [0.1, 0.3], null, [0.3, 0.5]] },
      intervalMethods: { ...result.intervalMethods, x: ['bootstrap 95%', 'clopper-pearson 95%'] },
    };
    expect(whiskerSentences(both, studyPoints(both, 'x', 'y'), axes)).toEqual([
      "Horizontal whiskers: the interval stored with each model's X (bootstrap 95%; clopper-pearson 95%), on 3 of 3 models.",
      "Vertical whiskers: the interval stored with each model's Robust accuracy (clopper-pearson 95%), on 2 of 3 models; the others have none stored.",
    ]);
    expect(whiskerSentences(base, [], axes)).toEqual([]);
  });
});
