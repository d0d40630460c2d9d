import { describe, expect, it } from 'vitest';
import { ciSpansZero, parseStudyResult, spreadOf } from './study-result.ts';

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
    // The failed scores a study finished without travel with the result.
    const failures = [{ model: 'm', benchmark: 'b', limit: 2, state: 'failed', error: 'corrupt' }];
    expect(parseStudyResult({ models: [], correlations: [], failures })?.failures).toEqual(failures);
    // ...and so do the values' stored intervals (the scatter plots' whiskers).
    const intervals = { b: [[0.1, 0.3], null] };
    const intervalMethods = { b: ['clopper-pearson 95%'] };
    const read = parseStudyResult({ models: ['m', 'n'], correlations: [], intervals, intervalMethods });
    expect(read?.intervals).toEqual(intervals);
    expect(read?.intervalMethods).toEqual(intervalMethods);
    expect(parseStudyResult({ models: [], correlations: [] })).not.toHaveProperty('intervals');
  });
});
