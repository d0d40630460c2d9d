import type { CorrelationRow } from '@alignscope/analysis';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ciSpansZero, parseStudyResult, type StudyResultView, spreadOf, studyCsv } from './study-result.ts';

const row = (benchmark: string, over: Partial<CorrelationRow> = {}): CorrelationRow => ({
  benchmark,
  n: 3,
  coefficient: 0.5,
  pValue: 0.2,
  qValue: 0.4,
  ciLow: -0.25,
  ciHigh: 0.75,
  rankingAccuracy: 0.667,
  r2: 0.3,
  fStatistic: 1.5,
  fPValue: 0.3,
  slope: 2,
  intercept: -1,
  significant: false,
  reason: null,
  ...over,
});

describe('study result views', () => {
  it('spread: range and sample SD over the cohort beside the median own interval (hand-worked)', () => {
    // Values 0.5, 0.502, 0.498 (null left out): mean 0.5, squared deviations 0 + 4e-6 + 4e-6 over
    // n - 1 = 2 gives variance 4e-6, SD 0.002; range 0.004. Interval widths 0.04, 0.02, 0.03: median 0.03.
    const s = spreadOf('sb', [0.5, 0.502, null, 0.498], [0.04, 0.02, 0.03]);
    expect(s.n).toBe(3);
    expect(s.range).toBeCloseTo(0.004, 12);
    expect(s.sd).toBeCloseTo(0.002, 12);
    expect(s.medianCiWidth).toBeCloseTo(0.03, 12);
    expect(s.withinNoise).toBe(true);
    // Even count: the median is the mean of the middle two; a range wider than it is not noise.
    const t = spreadOf('top1', [0.1, 0.9], [0.02, 0.04]);
    expect(t.medianCiWidth).toBeCloseTo(0.03, 12);
    expect(t.withinNoise).toBe(false);
    // Without stored intervals nothing is claimed.
    expect(spreadOf('x', [1, 2]).withinNoise).toBe(false);
    expect(spreadOf('x', [null]).range).toBeNull();
  });

  it('an interval spans 0 when it contains 0, bounds included', () => {
    expect(ciSpansZero({ ciLow: -0.1, ciHigh: 0.2 })).toBe(true);
    expect(ciSpansZero({ ciLow: 0, ciHigh: 0.2 })).toBe(true);
    expect(ciSpansZero({ ciLow: 0.01, ciHigh: 0.2 })).toBe(false);
    expect(ciSpansZero({ ciLow: null, ciHigh: 0.2 })).toBe(false);
  });

  it('reads only results in the stored shape', () => {
    expect(parseStudyResult(null)).toBeNull();
    expect(parseStudyResult({ models: 'a' })).toBeNull();
    expect(parseStudyResult({ models: [], correlations: [] })?.aggregates).toEqual([]);
  });

  it('writes CSV that a parser reads back: quoted fields, empty cells for undefined values', () => {
    const result: StudyResultView = {
      study: 's@1',
      computedAt: '2026-12-01T00:00:00Z',
      models: ['m1', 'm,2', 'm"3'],
      correlations: [
        {
          target: 't',
          rows: [row('a,b'), row('c', { coefficient: null, ciLow: null, ciHigh: null, reason: 'n < 3' })],
        },
      ],
      aggregates: [],
      predictor: [
        {
          target: 't',
          features: ['a,b'],
          result: {
            n: 2,
            folds: 2,
            predictions: [0.25, null, 0.75],
            heldOutSpearman: 1,
            heldOutRankingAccuracy: 1,
            weights: { 'a,b': 0.5 },
            intercept: 0.1,
            reason: null,
          },
        },
      ],
      values: { t: [0.1, 0.2, 0.3], 'a,b': [1, null, 3] },
      provenance: {},
    };
    const corr = parse(studyCsv(result, 'correlations'), { columns: true }) as Record<string, string>[];
    expect(corr.map((r) => [r.benchmark, r.coefficient, r.ci_spans_zero, r.reason])).toEqual([
      ['a,b', '0.5', 'true', ''],
      ['c', '', '', 'n < 3'],
    ]);
    const values = parse(studyCsv(result, 'values'), { columns: true }) as Record<string, string>[];
    expect(values).toEqual([
      { model: 'm1', t: '0.1', 'a,b': '1' },
      { model: 'm,2', t: '0.2', 'a,b': '' },
      { model: 'm"3', t: '0.3', 'a,b': '3' },
    ]);
    // Held-out predictions only for the models that have one, beside the measured target.
    const pred = parse(studyCsv(result, 'predictions'), { columns: true }) as Record<string, string>[];
    expect(pred).toEqual([
      { target: 't', model: 'm1', target_value: '0.1', held_out_prediction: '0.25' },
      { target: 't', model: 'm"3', target_value: '0.3', held_out_prediction: '0.75' },
    ]);
  });
});
