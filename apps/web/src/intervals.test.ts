import { describe, expect, it } from 'vitest';
import { parseAsOf } from './as-of.ts';
import { intervalsByCell, overlappingRanks } from './intervals.ts';

describe('overlapping ranks', () => {
  it('gives each model the first and last rank whose interval touches its own (worked by hand)', () => {
    // a [0.66, 0.74] and b [0.64, 0.72] overlap; c [0.50, 0.65] touches b (0.64 ≤ 0.65) but not a
    // (0.66 > 0.65); d [0.10, 0.20] touches nobody.
    const out = overlappingRanks([
      { key: 'a', rank: 1, interval: [0.66, 0.74] },
      { key: 'b', rank: 2, interval: [0.64, 0.72] },
      { key: 'c', rank: 3, interval: [0.5, 0.65] },
      { key: 'd', rank: 4, interval: [0.1, 0.2] },
    ]);
    expect(Object.fromEntries(out)).toEqual({ a: [1, 2], b: [1, 3], c: [2, 3] });
  });

  it('keeps cells with both bounds only', () => {
    const m = intervalsByCell([
      { modelId: 1, benchmarkId: 7, ciLow: 0.1, ciHigh: 0.2 },
      { modelId: 1, benchmarkId: 8, ciLow: null, ciHigh: 0.2 },
    ]);
    expect(m.get(1)?.get(7)).toEqual([0.1, 0.2]);
    expect(m.get(1)?.has(8)).toBe(false);
  });
});

describe('asOf parameter', () => {
  it('reads a day as the end of that day (UTC) and a date-time as UTC', () => {
    expect(parseAsOf('2026-02-28')).toEqual({
      text: '2026-02-28',
      at: new Date('2026-02-28T23:59:59.999Z'),
    });
    expect(parseAsOf('2026-02-28T12:30')).toEqual({
      text: '2026-02-28T12:30',
      at: new Date('2026-02-28T12:30:00Z'),
    });
    expect(parseAsOf('2026-02-28T12:30+02:00')).toMatchObject({ at: new Date('2026-02-28T10:30:00Z') });
    expect(parseAsOf('')).toBeNull();
    expect(parseAsOf(undefined)).toBeNull();
  });

  it('names a malformed or impossible date instead of reading it', () => {
    expect(parseAsOf('yesterday')).toEqual({
      text: 'yesterday',
      error: 'asOf "yesterday" is not a date: write YYYY-MM-DD or YYYY-MM-DDTHH:MMZ (UTC)',
    });
    expect(parseAsOf('2026-02-30')).toMatchObject({ error: expect.stringContaining('2026-02-30') });
  });
});
