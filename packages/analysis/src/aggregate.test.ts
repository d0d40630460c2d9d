import { describe, expect, it } from 'vitest';
import { aggregate, rankWithTies } from './index.ts';
import type { BenchmarkTreeNode, ModelScores } from './types.ts';

// A small Brain-Score-shaped tree: average_vision -> {neural_vision -> {V1 -> 2 leaves, IT -> 1 leaf},
// behavior_vision -> 3 leaves}; engineering_vision a separate root; a robustness root.
const tree: BenchmarkTreeNode[] = [
  { identifier: 'average_vision', parent: null, domain: 'aggregate' },
  { identifier: 'neural_vision', parent: 'average_vision', domain: 'aggregate' },
  { identifier: 'V1', parent: 'neural_vision', domain: 'aggregate' },
  { identifier: 'V1-a', parent: 'V1', domain: 'neural' },
  { identifier: 'V1-b', parent: 'V1', domain: 'neural' },
  { identifier: 'IT', parent: 'neural_vision', domain: 'aggregate' },
  { identifier: 'IT-a', parent: 'IT', domain: 'neural' },
  { identifier: 'behavior_vision', parent: 'average_vision', domain: 'aggregate' },
  { identifier: 'B1', parent: 'behavior_vision', domain: 'behavioral' },
  { identifier: 'B2', parent: 'behavior_vision', domain: 'behavioral' },
  { identifier: 'B3', parent: 'behavior_vision', domain: 'behavioral' },
  { identifier: 'engineering_vision', parent: null, domain: 'aggregate' },
  { identifier: 'ImageNet-top1', parent: 'engineering_vision', domain: 'engineering' },
  { identifier: 'Geirhos-top1', parent: 'engineering_vision', domain: 'behavioral' },
  { identifier: 'robustness', parent: null, domain: 'aggregate' },
  { identifier: 'AutoAttack-Linf-1/255', parent: 'robustness', domain: 'robustness' },
];

const s = (ceiled: number | null, raw: number | null = null) => ({ status: 'scored' as const, ceiled, raw });
const scores: ModelScores[] = [
  {
    model: 'm1',
    scores: {
      'V1-a': s(0.6, 0.3),
      'V1-b': s(1.3, 0.9), // ceiled > 1: clipped to 1
      'IT-a': s(0.4),
      B1: s(0.5),
      B2: { status: 'failed', ceiled: null, raw: null },
      // B3 absent: missing
      'ImageNet-top1': s(0.9, 0.76), // engineering: raw
      'Geirhos-top1': s(0.2, 0.5), // under engineering_vision: raw
      'AutoAttack-Linf-1/255': s(null, 0.3), // robustness without ceiled: raw
    },
  },
  {
    model: 'm2',
    scores: {
      'V1-a': s(0.5),
      'V1-b': { status: 'not-run', ceiled: null, raw: null },
      'IT-a': { status: 'not-run', ceiled: null, raw: null },
      B1: { status: 'failed', ceiled: null, raw: null },
      B2: { status: 'failed', ceiled: null, raw: null },
      B3: { status: 'failed', ceiled: null, raw: null },
      'V0-unknown': s(1),
    },
  },
  { model: 'm3', scores: {} },
];

describe('aggregate (hand-worked, Brain-Score rules)', () => {
  it("missing = 'zero' (Brain-Score: SUM(COALESCE(child, 0)) / COUNT(children))", () => {
    const [m1, m2, m3] = aggregate(tree, scores, { missing: 'zero' });
    const v = (r: typeof m1, id: string) => r?.values[id];
    // m1: V1 = (0.6 + 1)/2 = 0.8; IT = 0.4; neural = 0.6; behavior = (0.5 + 0 + 0)/3; average = (0.6 + 1/6)/2.
    expect(v(m1, 'V1-b')).toEqual({ value: 1, status: 'scored', nScored: 1, nChildren: 0 });
    expect(v(m1, 'V1')?.value).toBeCloseTo(0.8, 15);
    expect(v(m1, 'neural_vision')).toMatchObject({ status: 'scored', nScored: 2, nChildren: 2 });
    expect(v(m1, 'neural_vision')?.value).toBeCloseTo(0.6, 15);
    expect(v(m1, 'behavior_vision')).toMatchObject({ status: 'partial', nScored: 1, nChildren: 3 });
    expect(v(m1, 'behavior_vision')?.value).toBeCloseTo(1 / 6, 15);
    expect(v(m1, 'average_vision')?.value).toBeCloseTo((0.6 + 1 / 6) / 2, 15);
    expect(v(m1, 'average_vision')?.status).toBe('partial');
    expect(v(m1, 'B2')).toEqual({ value: null, status: 'failed', nScored: 0, nChildren: 0 });
    expect(v(m1, 'B3')).toEqual({ value: null, status: 'missing', nScored: 0, nChildren: 0 });
    // Engineering uses raw scores and stays out of average_vision.
    expect(v(m1, 'ImageNet-top1')?.value).toBe(0.76);
    expect(v(m1, 'Geirhos-top1')?.value).toBe(0.5);
    expect(v(m1, 'engineering_vision')?.value).toBeCloseTo(0.63, 15);
    expect(v(m1, 'AutoAttack-Linf-1/255')?.value).toBe(0.3);
    // m2: V1 = (0.5 + 0)/2; IT has no value (not-run); neural = (0.25 + 0)/2; behavior all failed: null;
    // average = (0.125 + 0)/2.
    expect(v(m2, 'V1')).toMatchObject({ value: 0.25, status: 'partial' });
    expect(v(m2, 'IT')).toEqual({ value: null, status: 'not-run', nScored: 0, nChildren: 1 });
    expect(v(m2, 'neural_vision')).toMatchObject({ value: 0.125, status: 'partial' });
    expect(v(m2, 'behavior_vision')).toEqual({ value: null, status: 'failed', nScored: 0, nChildren: 3 });
    expect(v(m2, 'average_vision')).toMatchObject({ value: 0.0625, status: 'partial' });
    expect(m2?.values['V0-unknown']).toBeUndefined();
    // m3: nothing scored: every node null and 'missing'.
    for (const id of Object.keys(m3?.values ?? {}))
      expect(m3?.values[id]).toMatchObject({ value: null, status: 'missing' });
  });

  it("missing = 'skip' averages the children that have a value", () => {
    const [m1, m2] = aggregate(tree, scores, { missing: 'skip' });
    expect(m1?.values.behavior_vision?.value).toBe(0.5);
    expect(m1?.values.average_vision?.value).toBeCloseTo((0.6 + 0.5) / 2, 15);
    expect(m2?.values.V1?.value).toBe(0.5);
    expect(m2?.values.neural_vision?.value).toBe(0.5);
    expect(m2?.values.average_vision?.value).toBe(0.5);
    expect(m2?.values.behavior_vision?.value).toBeNull();
  });

  it('clips negative ceiled scores to 0 and rejects malformed trees', () => {
    const [r] = aggregate(tree, [{ model: 'x', scores: { 'V1-a': s(-0.2) } }], { missing: 'zero' });
    expect(r?.values['V1-a']?.value).toBe(0);
    expect(() =>
      aggregate([{ identifier: 'a', parent: 'b', domain: 'neural' }], [], { missing: 'zero' }),
    ).toThrow(/unknown parent "b"/);
    expect(() =>
      aggregate(
        [
          { identifier: 'a', parent: 'b', domain: 'neural' },
          { identifier: 'b', parent: 'a', domain: 'neural' },
        ],
        [],
        { missing: 'zero' },
      ),
    ).toThrow(/cycle/);
    expect(() => aggregate([...tree, tree[0] as BenchmarkTreeNode], [], { missing: 'zero' })).toThrow(
      /duplicate/,
    );
  });
});

describe('rankWithTies', () => {
  it('standard competition ranking, nulls unranked', () => {
    expect(rankWithTies([0.5, 0.7, 0.7, null, 0.1])).toEqual([3, 1, 1, null, 4]);
    expect(rankWithTies([0.5, 0.7, 0.7, null, 0.1], { descending: false })).toEqual([2, 3, 3, null, 1]);
    expect(rankWithTies([2, 2, 2])).toEqual([1, 1, 1]);
    expect(rankWithTies([Number.NaN, 1])).toEqual([null, 1]);
    expect(rankWithTies([])).toEqual([]);
  });
});
