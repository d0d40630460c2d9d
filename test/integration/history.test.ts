/**
 * Score history over GraphQL (issue 13): leaderboard(asOf:) before the second write shows the first
 * value, Score.history lists every version with its source, changes(since, until) says what moved and
 * why; the response cache does not mix boards of different times.
 */
import {
  completeEvaluationRun,
  createRun,
  getBenchmark,
  upsertModel,
  upsertScoresBatch,
} from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { type ApiServer, startApiServer } from '@alignscope/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from '../support/graphql.ts';

let t: TestDb;
let server: ApiServer;
const tick = () => new Promise((r) => setTimeout(r, 15));
let afterImport: Date;
let afterEval: Date;
let beforeModel: Date;

beforeAll(async () => {
  t = await createTestDb();
  await tick();
  beforeModel = new Date();
  await tick();
  const { model } = await upsertModel(t.db, { identifier: 'lab/vit', displayName: 'ViT' });
  const b = await getBenchmark(t.db, 'ImageNet-top1');
  if (!b) throw new Error('catalog not seeded');
  const cell = { modelId: model.id, benchmarkId: b.id, benchmarkVersion: b.version };
  const imp = await createRun(t.db, { kind: 'import', producer: 'alignscope-import/robustbench' });
  await upsertScoresBatch(t.db, [{ ...cell, status: 'scored', rawValue: 0.6, runId: imp.id }]);
  await tick();
  afterImport = new Date();
  await tick();
  const run = await createRun(t.db, {
    kind: 'evaluation',
    producer: 'alignscope evaluate',
    modelId: model.id,
  });
  await completeEvaluationRun(t.db, {
    runId: run.id,
    ...cell,
    status: 'succeeded',
    value: {
      raw: 0.65,
      ceiled: 0.65,
      error: null,
      ceiling: 1,
      interval: { low: 0.6, high: 0.7, method: 'clopper-pearson 95%' },
    },
  });
  await tick();
  afterEval = new Date();
  server = await startApiServer({ db: t.db, logError: () => {} });
});
afterAll(async () => {
  await server?.close();
  await t?.close();
});

const ask = async (query: string, variables: Record<string, unknown> = {}) => {
  const r = await post(server.url, { query, variables });
  expect(r.json.errors, JSON.stringify(variables)).toBeUndefined();
  return r.json.data as Record<string, unknown>;
};

const BOARD = `query($asOf: DateTime) { leaderboard(root: "engineering_vision", asOf: $asOf) {
  edges { node { model { identifier } children { benchmark { identifier } value } } } } }`;

describe('history over GraphQL', () => {
  it('leaderboard(asOf:) before the second write returns the first value; now the current one', async () => {
    const top1 = (d: Record<string, unknown>) =>
      (
        d as {
          leaderboard: {
            edges: { node: { children: { benchmark: { identifier: string }; value: number | null }[] } }[];
          };
        }
      ).leaderboard.edges[0]?.node.children.find((c) => c.benchmark.identifier === 'ImageNet-top1')?.value;
    expect(top1(await ask(BOARD, { asOf: afterImport.toISOString() }))).toBe(0.6);
    expect(top1(await ask(BOARD))).toBe(0.65);
    expect(top1(await ask(BOARD, { asOf: afterEval.toISOString() }))).toBe(0.65);
    // Before the model was created: the catalog, but no model yet.
    const empty = (await ask(BOARD, { asOf: beforeModel.toISOString() })) as {
      leaderboard: { edges: unknown[] };
    };
    expect(empty.leaderboard.edges).toEqual([]);
  });

  it('Score.history lists the versions with their source; changes says what moved and why', async () => {
    const d = (await ask(`{ model(identifier: "lab/vit") { scores { benchmark { identifier } value source
      ciLow ciHigh ciMethod history { source value recordedAt run { kind } } } } }`)) as {
      model: {
        scores: {
          value: number;
          source: string;
          history: { source: string; value: number; run: { kind: string } }[];
        }[];
      };
    };
    const s = d.model.scores[0];
    expect(s?.value).toBe(0.65);
    expect(s?.source).toBe('EVALUATION');
    expect(s?.history.map((h) => [h.source, h.value, h.run.kind])).toEqual([
      ['IMPORT', 0.6, 'IMPORT'],
      ['EVALUATION', 0.65, 'EVALUATION'],
    ]);
    const c = (await ask(
      `query($since: DateTime!, $until: DateTime) { changes(since: $since, until: $until) {
      model { identifier } benchmark { identifier } before { value source } after { value source } reason } }`,
      {
        since: afterImport.toISOString(),
        until: afterEval.toISOString(),
      },
    )) as { changes: unknown[] };
    expect(c.changes).toEqual([
      {
        model: { identifier: 'lab/vit' },
        benchmark: { identifier: 'ImageNet-top1' },
        before: { value: 0.6, source: 'IMPORT' },
        after: { value: 0.65, source: 'EVALUATION' },
        reason: 'NEW_SOURCE',
      },
    ]);
  });

  it('model(asOf, sourceOrder) and benchmark(asOf, sourceOrder) show the values chosen under them', async () => {
    const MODEL = `query($asOf: DateTime, $order: [ScoreSource!]) {
      model(identifier: "lab/vit", asOf: $asOf, sourceOrder: $order) { scores { value source updatedAt } } }`;
    type M = { model: { scores: { value: number; source: string }[] } | null };
    const scoreOf = async (v: Record<string, unknown>) => ((await ask(MODEL, v)) as M).model?.scores[0];
    expect(await scoreOf({})).toMatchObject({ value: 0.65, source: 'EVALUATION' });
    expect(await scoreOf({ asOf: afterImport.toISOString() })).toMatchObject({
      value: 0.6,
      source: 'IMPORT',
    });
    expect(await scoreOf({ order: ['IMPORT', 'EVALUATION'] })).toMatchObject({
      value: 0.6,
      source: 'IMPORT',
    });
    expect(await scoreOf({ asOf: afterEval.toISOString() })).toMatchObject({ value: 0.65 });
    // Not yet added then.
    expect(((await ask(MODEL, { asOf: beforeModel.toISOString() })) as M).model).toBeNull();

    const BENCH = `query($asOf: DateTime, $order: [ScoreSource!]) {
      benchmark(identifier: "ImageNet-top1", asOf: $asOf, sourceOrder: $order) {
        version scores { totalCount edges { node { value source model { identifier } } } } } }`;
    type B = {
      benchmark: {
        version: number;
        scores: { totalCount: number; edges: { node: { value: number; source: string } }[] };
      };
    };
    const at = (await ask(BENCH, { asOf: afterImport.toISOString() })) as B;
    expect(at.benchmark.version).toBe(1);
    expect(at.benchmark.scores.totalCount).toBe(1);
    expect(at.benchmark.scores.edges.map((e) => e.node)).toEqual([
      { value: 0.6, source: 'IMPORT', model: { identifier: 'lab/vit' } },
    ]);
    const before = (await ask(BENCH, { asOf: beforeModel.toISOString() })) as B;
    expect(before.benchmark.scores.totalCount).toBe(0);
    const imports = (await ask(BENCH, { order: ['IMPORT'] })) as B;
    expect(imports.benchmark.scores.edges[0]?.node).toMatchObject({ value: 0.6, source: 'IMPORT' });
  });

  it('leaderboard(sourceOrder:) puts the named source first; a bad order is refused', async () => {
    const q = `query($order: [ScoreSource!]) { leaderboard(root: "engineering_vision", sourceOrder: $order) {
      edges { node { children { benchmark { identifier } value } } } } }`;
    type L = {
      leaderboard: {
        edges: { node: { children: { benchmark: { identifier: string }; value: number }[] } }[];
      };
    };
    const top1 = (d: L) =>
      d.leaderboard.edges[0]?.node.children.find((c) => c.benchmark.identifier === 'ImageNet-top1')?.value;
    expect(top1((await ask(q, { order: ['IMPORT', 'EVALUATION'] })) as L)).toBe(0.6);
    expect(top1((await ask(q, { order: ['EVALUATION'] })) as L)).toBe(0.65);
    expect(top1((await ask(q)) as L)).toBe(0.65);
    for (const [order, message] of [
      [[], 'sourceOrder must name at least one source'],
      [['IMPORT', 'IMPORT'], 'sourceOrder names a source twice'],
    ] as const) {
      const r = await post(server.url, { query: q, variables: { order } });
      expect(r.json.errors?.[0]?.message).toBe(message);
      expect(r.json.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('refuses a bad range with BAD_USER_INPUT', async () => {
    const r = await post(server.url, {
      query: '{ changes(since: "2030-01-01T00:00:00Z", until: "2020-01-01T00:00:00Z") { reason } }',
    });
    expect(r.json.errors?.[0]?.message).toBe('until is before since');
    expect(r.json.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
