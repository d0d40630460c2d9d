/**
 * Issue 17 item 7: the import's aggregate check has one rule, @alignscope/analysis `aggregate`.
 * It used to switch to a second, local mean-of-children rule when an error's message matched
 * /not implemented/; an error of the analysis package must surface instead.
 */
import { describe, expect, it, vi } from 'vitest';

vi.mock('@alignscope/analysis', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@alignscope/analysis')>()),
  aggregate: () => {
    throw new Error('aggregate: not implemented');
  },
}));

const { AggregateComparison } = await import('../src/importers/aggregates.ts');

const tree = [
  { identifier: 'behavior_vision', parent: null, domain: 'aggregate' },
  { identifier: 'a', parent: 'behavior_vision', domain: 'behavioral' },
  { identifier: 'b', parent: 'behavior_vision', domain: 'behavioral' },
];

describe('aggregate comparison', () => {
  it('has no fallback rule: an error of the analysis package reaches the caller', () => {
    const cmp = new AggregateComparison();
    expect(() =>
      cmp.add(
        'm',
        2,
        tree,
        new Map([
          ['a', 0.2],
          ['b', 0.4],
        ]),
        new Map([['behavior_vision', 0.3]]),
      ),
    ).toThrow('aggregate: not implemented');
    expect(cmp.compared).toBe(0);
  });
});
