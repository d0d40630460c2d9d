import { aggregate } from '@alignscope/analysis';
import type { Benchmark, BoardData, BoardScore, Model } from '@alignscope/db/queries';
import { describe, expect, it } from 'vitest';
import { buildBoard } from '../src/board.ts';
import { predictorRelations } from '../src/predictors.ts';

// A hand-made board: two roots, alignment (two leaves) and robustness (the target, a sibling attack,
// and a nested group of two more attacks), five models.
const tree: [string, string | null, Benchmark['domain']][] = [
  ['alignment', null, 'aggregate'],
  ['A', 'alignment', 'behavioral'],
  ['B', 'alignment', 'behavioral'],
  ['robustness', null, 'aggregate'],
  ['T', 'robustness', 'robustness'],
  ['S', 'robustness', 'robustness'],
  ['G', 'robustness', 'aggregate'],
  ['G1', 'G', 'robustness'],
  ['G2', 'G', 'robustness'],
];
const benchmarks = tree.map(
  ([identifier, parent, domain], i) =>
    ({
      id: i + 1,
      identifier,
      version: 1,
      parentId: parent === null ? null : tree.findIndex(([id]) => id === parent) + 1,
      domain,
      displayName: null,
      parameters: {},
      sortOrder: i,
    }) as unknown as Benchmark,
);
const idOf = (identifier: string) => tree.findIndex(([id]) => id === identifier) + 1;
const models = ['m1', 'm2', 'm3', 'm4', 'm5'].map(
  (identifier, i) => ({ id: 10 + i, identifier, displayName: identifier.toUpperCase() }) as unknown as Model,
);
const scored = (model: number, benchmark: string, value: number): BoardScore => ({
  modelId: 10 + model,
  benchmarkId: idOf(benchmark),
  status: 'scored',
  rawValue: value,
  ceiledValue: value,
});
// T rises with the model index, S too, A falls, B is missing for m5 (m4 failed it).
const scores: BoardScore[] = [0, 1, 2, 3, 4].flatMap((i) => [
  scored(i, 'T', 0.1 * (i + 1)),
  scored(i, 'S', 0.05 * (i + 1)),
  scored(i, 'A', 0.9 - 0.1 * i),
  ...(i < 3 ? [scored(i, 'B', 0.5)] : []),
]);
scores.push({ modelId: 13, benchmarkId: idOf('B'), status: 'failed', rawValue: null, ceiledValue: null });
const data: BoardData = { models, benchmarks, scores };

describe('predictorRelations', () => {
  const board = buildBoard(data, 'v1');
  it('marks the ancestors and the sibling robustness benchmarks (groups with what lies under them)', () => {
    expect(Object.fromEntries(predictorRelations(board.node, 'T'))).toEqual({
      robustness: 'ancestor',
      S: 'sibling',
      G: 'sibling',
      G1: 'sibling',
      G2: 'sibling',
    });
    // A nested target: its group and the root contain it; its sibling is G2 only.
    expect(Object.fromEntries(predictorRelations(board.node, 'G1'))).toEqual({
      G: 'ancestor',
      robustness: 'ancestor',
      G2: 'sibling',
    });
    expect(predictorRelations(board.node, 'nope').size).toBe(0);
  });

  it('never marks alignment benchmarks beside a robustness target', () => {
    const related = predictorRelations(board.node, 'T');
    for (const id of ['alignment', 'A', 'B']) expect(related.has(id)).toBe(false);
  });
});

describe('buildBoard', () => {
  const board = buildBoard(data, 'v1');

  it('aggregates by Brain-Score rules and ranks ties together', () => {
    // alignment with missing=zero: (A + B) / 2 with B = 0 where missing or failed.
    // m1 (0.9+0.5)/2 = 0.7, m2 (0.8+0.5)/2 = 0.65, m3 (0.7+0.5)/2 = 0.6, m4 0.6/2 = 0.3, m5 0.5/2 = 0.25
    expect(board.column('alignment', 'zero').map((v) => Number(v?.toFixed(10)))).toEqual([
      0.7, 0.65, 0.6, 0.3, 0.25,
    ]);
    // With skip, m4 and m5 average A alone: 0.6 and 0.5; m3 ties m4 at 0.6 (rank 3 shared).
    expect(board.column('alignment', 'skip').map((v) => Number(v?.toFixed(10)))).toEqual([
      0.7, 0.65, 0.6, 0.6, 0.5,
    ]);
    expect(Object.fromEntries(board.ranks('alignment', 'skip'))).toEqual({
      m1: 1,
      m2: 2,
      m3: 3,
      m4: 3,
      m5: 5,
    });
    const rows = board.leaderboard('alignment', 'zero');
    expect(rows.map((r) => [r.model.identifier, r.rank])).toEqual([
      ['m1', 1],
      ['m2', 2],
      ['m3', 3],
      ['m4', 4],
      ['m5', 5],
    ]);
    expect(rows[3]?.children.map((c) => [c.benchmark.identifier, c.status])).toEqual([
      ['A', 'scored'],
      ['B', 'failed'],
    ]);
  });

  it('correlates predictors only by default; the related rows on request, marked, without q', () => {
    const args = {
      target: 'T',
      method: 'spearman' as const,
      covariate: null,
      minN: 3,
      missing: 'skip' as const,
      bootstrap: 0,
      includeRelated: false,
    };
    const plain = board.correlations(args);
    expect(plain.map((r) => r.benchmark)).toEqual(['alignment', 'A', 'B']);
    // A falls as T rises over five models: Spearman rho = -1 exactly.
    const a = plain.find((r) => r.benchmark === 'A');
    expect(a?.coefficient).toBeCloseTo(-1, 12);
    expect(plain.every((r) => r.relation === null)).toBe(true);

    const shown = board.correlations({ ...args, includeRelated: true });
    expect(shown.slice(0, 3)).toEqual(plain);
    const extra = shown.slice(3);
    expect(extra.map((r) => [r.benchmark, r.relation])).toEqual([
      ['robustness', 'ancestor'],
      ['S', 'sibling'],
    ]);
    // The robustness aggregate averages T with S, both rising with T: rho = 1 by construction (the
    // reason it must not count as a predictor). G has no value for any model, so it has no row.
    expect(extra[0]?.coefficient).toBeCloseTo(1, 12);
    expect(extra.every((r) => r.qValue === null && !r.significant)).toBe(true);
  });

  it('returns scatter pairs of models that have both values, and is memoised per board', () => {
    expect(board.pairs('B', 'T', 'skip').map((p) => [p.model.identifier, p.x, p.y])).toEqual([
      ['m1', 0.5, 0.1],
      ['m2', 0.5, 0.2],
      ['m3', 0.5, expect.closeTo(0.3, 12)],
    ]);
    expect(board.values('zero')).toBe(board.values('zero'));
    expect(board.defaultTarget()).toBe('T');
    expect(buildBoard(data, 'v2').values('zero')).not.toBe(board.values('zero'));
  });
});

describe('the snapshot arrays', () => {
  it('keep exactly what analysis.aggregate gives and the leaf scores given', () => {
    const board = buildBoard(data, 'v1');
    const analysisTree = board.nodes.map((n) => ({
      identifier: n.identifier,
      parent: n.parent,
      domain: n.domain,
    }));
    const input = models.map((m) => ({
      model: m.identifier,
      scores: Object.fromEntries(
        scores
          .filter((s) => s.modelId === m.id)
          .map((s) => [
            tree[s.benchmarkId - 1]?.[0] as string,
            { status: s.status, raw: s.rawValue, ceiled: s.ceiledValue },
          ]),
      ),
    }));
    expect(board.scores).toEqual(input);
    for (const missing of ['zero', 'skip'] as const) {
      const direct = aggregate(analysisTree, input, { missing });
      const values = board.values(missing);
      for (const r of direct) expect(values.get(r.model), `${missing} ${r.model}`).toEqual(r.values);
      expect([...values.keys()]).toEqual(models.map((m) => m.identifier));
      expect(values.get('nobody')).toBeUndefined();
    }
    // m4 failed B: under skip, alignment is A alone (0.6); under zero, (0.6 + 0) / 2.
    expect(board.values('skip').get('m4')?.alignment).toEqual({
      value: 0.6,
      status: 'partial',
      nScored: 1,
      nChildren: 2,
    });
    expect(board.column('alignment', 'zero')[3]).toBeCloseTo(0.3, 12);
  });
});
