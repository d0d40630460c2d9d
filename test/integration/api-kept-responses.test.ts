/**
 * The standalone API server (packages/schema/src/http.ts) keeps the serialised response of a board
 * read per request body and answers the same request again from those bytes while the board's data
 * version stays the same, without executing it. Counted here: how often Apollo executes a request
 * (the server's `api.apollo.executeHTTPGraphQLRequest`, wrapped). A write changes the data version, so
 * the next identical request executes again and shows the write; reads that are not board reads (or
 * fail) are never kept.
 */
import { upsertScoresBulk } from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { type ApiServer, startApiServer } from '@alignscope/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Seeded, seedResults } from '../support/seed.ts';

let t: TestDb;
let api: ApiServer;
let seeded: Seeded;
let executed = 0;

beforeAll(async () => {
  t = await createTestDb();
  seeded = await seedResults(t.db, { models: 30, seed: 3, missingRate: 0.1 });
  // cacheTtlMs 0: the data version is checked on every request, so a write shows at once.
  api = await startApiServer({ db: t.db, cacheTtlMs: 0, rateLimits: { perAddress: 0, perKey: 0 } });
  const apollo = api.api.apollo;
  const execute = apollo.executeHTTPGraphQLRequest.bind(apollo);
  apollo.executeHTTPGraphQLRequest = (...args) => {
    executed++;
    return execute(...args);
  };
});

afterAll(async () => {
  await api?.close();
  await t?.close();
});

async function post(body: string, accept = 'application/json') {
  const res = await fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body,
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

const LEADERBOARD = JSON.stringify({
  query:
    '{ leaderboard(root: "average_vision", missing: ZERO, first: 3) { edges { node { rank score model { identifier } } } } }',
});

describe('kept board responses', () => {
  it('answers a repeated board read from its bytes until the data version changes', async () => {
    const first = await post(LEADERBOARD);
    expect(first.status).toBe(200);
    const top = JSON.parse(first.text).data.leaderboard.edges[0].node.model.identifier as string;
    expect(executed).toBe(1);
    const second = await post(LEADERBOARD);
    expect(second).toEqual(first);
    expect(executed).toBe(1); // not executed again

    // Another Accept header is another response (its content type may differ): executed once, then kept.
    const other = await post(LEADERBOARD, 'application/graphql-response+json');
    expect(other.status).toBe(200);
    expect(JSON.parse(other.text)).toEqual(JSON.parse(first.text));
    expect(executed).toBe(2);
    await post(LEADERBOARD, 'application/graphql-response+json');
    expect(executed).toBe(2);

    // A write behind the server's back: the last model gets the top value on every leaf.
    const last = seeded.models.at(-1) as { id: number; identifier: string };
    expect(last.identifier).not.toBe(top);
    await upsertScoresBulk(
      t.db,
      seeded.leaves.map((b) => ({
        modelId: last.id,
        benchmarkId: b.id,
        benchmarkVersion: b.version,
        status: 'scored' as const,
        rawValue: b.rangeMax ?? 1,
        ceiledValue: 1,
      })),
    );
    const after = await post(LEADERBOARD);
    expect(executed).toBe(3);
    expect(JSON.parse(after.text).data.leaderboard.edges[0].node.model.identifier).toBe(last.identifier);
    await post(LEADERBOARD);
    expect(executed).toBe(3);
  });

  it('never keeps reads that are not board reads, nor failed ones', async () => {
    const before = executed;
    const benchmarks = JSON.stringify({ query: '{ benchmarks { identifier } }' });
    const bad = JSON.stringify({ query: '{ leaderboard(root: "no-such-node") { totalCount } }' });
    for (let i = 0; i < 2; i++) {
      expect((await post(benchmarks)).status).toBe(200);
      const r = await post(bad);
      expect(JSON.parse(r.text).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect(executed - before).toBe(4);
  });
});
