import { describe, expect, it } from 'vitest';
import { defaultState, hrefFor, parseState, serializeState, sortPatch, togglePatch } from './view-state.ts';

describe('leaderboard URL state', () => {
  it('defaults to average_vision, descending, average_vision open, missing as zero', () => {
    expect(parseState({})).toEqual(defaultState);
    expect(serializeState(defaultState)).toBe('');
    expect(hrefFor(defaultState)).toBe('/');
  });

  it('round-trips every field through the query string', () => {
    const s = {
      ...defaultState,
      q: 'family:vit params>20M',
      family: 'vit',
      regime: 'adversarial',
      pmin: 10,
      pmax: 100,
      robust: true,
      missing: 'skip' as const,
      sort: 'behavior_vision',
      dir: 'asc' as const,
      open: ['engineering_vision', 'robustness'],
      asOf: '2026-11-30',
      ci: true,
    };
    const qs = serializeState(s);
    expect(parseState(Object.fromEntries(new URLSearchParams(qs)))).toEqual(s);
  });

  it('keeps an explicitly empty open list (everything collapsed)', () => {
    const s = { ...defaultState, open: [] };
    expect(serializeState(s)).toBe('open=');
    expect(parseState({ open: '' }).open).toEqual([]);
  });

  it('ignores malformed values', () => {
    const s = parseState({ pmin: '-3', pmax: 'abc', dir: 'sideways', missing: 'maybe', robust: 'yes' });
    expect(s.pmin).toBeNull();
    expect(s.pmax).toBeNull();
    expect(s.dir).toBe('desc');
    expect(s.missing).toBe('zero');
    expect(s.robust).toBe(false);
  });

  it('flips the direction on the same column and starts a new column at its natural order', () => {
    expect(sortPatch(defaultState, 'average_vision')).toEqual({ dir: 'asc' });
    expect(sortPatch(defaultState, 'model')).toEqual({ sort: 'model', dir: 'asc' });
    expect(sortPatch({ ...defaultState, sort: 'model', dir: 'asc' }, 'V1')).toEqual({
      sort: 'V1',
      dir: 'desc',
    });
    expect(togglePatch(defaultState, 'average_vision')).toEqual({ open: [] });
    expect(togglePatch(defaultState, 'V1')).toEqual({ open: ['average_vision', 'V1'] });
  });
});
