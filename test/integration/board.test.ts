/**
 * Issue 16's acceptance: the web pages and the GraphQL API read one board. On a seeded board of several
 * hundred models, the leaderboard ranks and aggregates and the correlation table the web's server
 * components compute (apps/web/src, with the web's own board cache over its own connection) equal what
 * the API returns, at the same data version, before and after a write made behind both their backs.
 */
import { boardVersion, upsertScoresBulk } from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { type ApiServer, startApiServer } from '@alignscope/schema';
import { graphql } from '@alignscope/schema/client';
import type { ResultOf } from '@graphql-typed-document-node/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBoard } from '../../apps/web/src/board.ts';
import { correlationsFor, parseExplorerState } from '../../apps/web/src/correlations.ts';
import { leaderboardView } from '../../apps/web/src/leaderboard.ts';
import { defaultState } from '../../apps/web/src/view-state.ts';
import { query } from '../support/graphql.ts';
import { type Seeded, seedResults } from '../support/seed.ts';

const BoardLeaderboard = graphql(`
  query BoardLeaderboard($root: String!, $after: String) {
    leaderboard(root: $root, missing: ZERO, first: 100, after: $after) {
      edges { node { rank score model { identifier } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const BoardCorrelations = graphql(`
  query BoardCorrelations($target: String!, $includeRelated: Boolean) {
    correlations(target: $target, missing: SKIP, includeRelated: $includeRelated) {
      benchmark { identifier }
      n coefficient pValue qValue ciLow ciHigh rankingAccuracy r2 fStatistic fPValue slope intercept
      significant reason relation
    }
  }
`);

const MODELS = 300;
const TARGET = 'AutoAttack-Linf-1/255';

let t: TestDb;
let api: ApiServer;
let seeded: Seeded;
const savedUrl = process.env.DATABASE_URL;

beforeAll(async () => {
  t = await createTestDb();
  seeded = await seedResults(t.db, {
    models: MODELS,
    seed: 16,
    missingRate: 0.1,
    failedRate: 0.03,
    notRunRate: 0.02,
  });
  // The API checks the data version on every request; the web app has its own cache and connection
  // (apps/web/src/db.ts reads DATABASE_URL), as in production.
  api = await startApiServer({ db: t.db, cacheTtlMs: 0, logError: (e) => console.error('LOGGED', e) });
  process.env.DATABASE_URL = t.url;
});

afterAll(async () => {
  process.env.DATABASE_URL = savedUrl;
  await api?.close();
  await t?.close();
});

/** The web's board once it has caught up with the data version in the database. */
async function webBoardAtCurrentVersion() {
  const version = await boardVersion(t.db);
  for (let i = 0; i < 100; i++) {
    const board = await getBoard();
    if (board.version === version) return board;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the web's board did not reach data version ${version}`);
}

async function apiLeaderboard(root: string) {
  const rows: { model: string; rank: number | null; score: number | null }[] = [];
  let after: string | null = null;
  for (;;) {
    const d: ResultOf<typeof BoardLeaderboard> = await query(api.url, BoardLeaderboard, { root, after });
    for (const e of d.leaderboard.edges) {
      rows.push({ model: e.node.model.identifier, rank: e.node.rank ?? null, score: e.node.score ?? null });
    }
    if (!d.leaderboard.pageInfo.hasNextPage) return rows;
    after = d.leaderboard.pageInfo.endCursor ?? null;
  }
}

const round6 = (v: number | null) => (v === null ? null : Math.round(v * 1e6) / 1e6);

async function expectSameBoard() {
  const board = await webBoardAtCurrentVersion();
  expect(board.models).toHaveLength(MODELS);

  // Leaderboard: the web's default view (average_vision, missing children count as 0).
  const view = leaderboardView(board, defaultState);
  expect(view.columns[0]?.identifier).toBe('average_vision');
  const web = view.rows.map((r) => ({ model: r.identifier, rank: r.rank, score: r.values[0] ?? null }));
  const fromApi = await apiLeaderboard('average_vision');
  expect(fromApi).toHaveLength(MODELS);
  const byModel = new Map(fromApi.map((r) => [r.model, r]));
  for (const w of web) {
    const a = byModel.get(w.model);
    expect({ model: w.model, rank: a?.rank, score: round6(a?.score ?? null) }).toEqual(w);
  }
  // Ranks come in the same order in both (the web's default sort is the rank column, descending).
  expect(web.map((r) => r.model)).toEqual(fromApi.map((r) => r.model));

  // Correlations: the explorer's table for the target against the API's, with and without the
  // target's related nodes.
  for (const related of [false, true]) {
    const state = parseExplorerState({ target: TARGET, ...(related ? { related: '1' } : {}) }, board);
    const webRows = (await correlationsFor(board, state)).map(
      ({ partialCoefficient: _c, partialPValue: _p, ...r }) => ({
        ...r,
        relation: r.relation === null ? null : r.relation.toUpperCase(),
      }),
    );
    const d = await query(api.url, BoardCorrelations, { target: TARGET, includeRelated: related });
    const apiRows = d.correlations.map(({ benchmark, ...r }) => ({ benchmark: benchmark.identifier, ...r }));
    expect(apiRows).toEqual(webRows);
    expect(apiRows.some((r) => r.n > 200 && r.ciLow !== null)).toBe(true);
    expect(apiRows.some((r) => r.benchmark === 'robustness')).toBe(related);
  }
  return { board, web };
}

describe('one board for the web and the API', () => {
  it('gives the same ranks, aggregates and correlations, before and after a write', async () => {
    const before = await expectSameBoard();
    const last = before.web.at(-1);
    if (!last) throw new Error('no rows');
    // A write behind both caches (as an import by the CLI would make it): the last-ranked model gets
    // the top value on every scored leaf under average_vision.
    const model = seeded.models.find((m) => m.identifier === last.model);
    const alignmentLeaves = seeded.leaves.filter((b) => b.domain === 'neural' || b.domain === 'behavioral');
    expect(alignmentLeaves.length).toBeGreaterThan(3);
    await upsertScoresBulk(
      t.db,
      alignmentLeaves.map((b) => ({
        modelId: model?.id as number,
        benchmarkId: b.id,
        benchmarkVersion: b.version,
        status: 'scored' as const,
        rawValue: b.rangeMax ?? 1,
        ceiledValue: 1,
        ceiling: b.ceiling,
      })),
    );
    const after = await expectSameBoard();
    expect(after.board.version).not.toBe(before.board.version);
    // Every leaf at the ceiling: average_vision = 1, the top of the board.
    expect(after.web[0]).toEqual({ model: last.model, rank: 1, score: 1 });
  });
});
