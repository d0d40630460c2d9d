/**
 * The Next.js route handlers (Apollo's @as-integrations/next) called with web Requests, as the app
 * router calls them: queries, the body limit, malformed JSON, a charset in the content type, the
 * landing page, authentication through the Authorization header, and the rate limit per client
 * address (X-Forwarded-For's last entry, the one the nearest hop wrote).
 */
import { createApiKey } from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, createNextRouteHandlers, type RouteHandlers } from '../src/index.ts';
import { clientAddress } from '../src/next.ts';

let t: TestDb;
let routes: RouteHandlers;
const url = 'http://localhost:3000/api/graphql';

beforeAll(async () => {
  t = await createTestDb();
  routes = createNextRouteHandlers(async () =>
    createApi({ db: t.db, maxBodyBytes: 64 * 1024, logError: () => {} }),
  );
});
afterAll(async () => {
  await t?.close();
});

type Body = { data?: Record<string, unknown>; errors?: { extensions: { code: string } }[] };
const json = async (r: Response) => (await r.json()) as Body;

const post = (body: string, headers: Record<string, string> = {}) =>
  routes.POST(
    new Request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }),
  );

describe('Next.js route handlers', () => {
  it('answers 429 with Retry-After past the per-address limit, counting each address apart', async () => {
    const limited = createNextRouteHandlers(async () =>
      createApi({ db: t.db, logError: () => {}, rateLimits: { perAddress: 2, perKey: 0 } }),
    );
    const from = (xff: string) =>
      limited.POST(
        new Request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': xff },
          body: JSON.stringify({ query: '{ apiVersion }' }),
        }),
      );
    // a client-written first entry does not make another client: the last one counts
    const statuses = [];
    for (const xff of ['10.0.0.1', 'spoofed, 10.0.0.1', '10.0.0.1', '10.0.0.2'])
      statuses.push((await from(xff)).status);
    expect(statuses).toEqual([200, 200, 429, 200]);
    const refused = await from('10.0.0.1');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await json(refused)).errors?.[0]?.extensions.code).toBe('RATE_LIMITED');
    expect(clientAddress(new Request(url))).toBeUndefined();
  });

  it('answers a query posted as JSON, with or without a charset', async () => {
    for (const type of ['application/json', 'application/json; charset=utf-8']) {
      const res = await post(
        JSON.stringify({ query: '{ apiVersion benchmark(identifier: "ImageNet-top1") { rangeMax } }' }),
        {
          'content-type': type,
        },
      );
      expect(res.status, type).toBe(200);
      expect(await res.json()).toEqual({ data: { apiVersion: '1', benchmark: { rangeMax: 1 } } });
    }
  });

  it('answers GET queries and serves the local landing page', async () => {
    const q = await routes.GET(
      new Request(`${url}?query=${encodeURIComponent('{ apiVersion }')}`, {
        headers: { 'apollo-require-preflight': 'true' },
      }),
    );
    expect(await q.json()).toEqual({ data: { apiVersion: '1' } });
    const page = await routes.GET(new Request(url, { headers: { accept: 'text/html' } }));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('AlignScope GraphQL API');
  });

  it('refuses bodies over the limit (413), malformed JSON (400) and an oversized declared length', async () => {
    const big = await post(JSON.stringify({ query: '{ apiVersion }', pad: 'x'.repeat(100_000) }));
    expect(big.status).toBe(413);
    expect((await json(big)).errors?.[0]?.extensions.code).toBe('PAYLOAD_TOO_LARGE');
    const bad = await post('{"query": ');
    expect(bad.status).toBe(400);
    expect((await json(bad)).errors?.[0]?.extensions.code).toBe('BAD_REQUEST');
  });

  it('authenticates mutations through the Authorization header', async () => {
    const { key } = await createApiKey(t.db, { name: 'next test' });
    const mutation = JSON.stringify({
      query:
        'mutation { submitResults(input: { model: { identifier: "next/model" }, scores: [{ benchmark: "ImageNet-top1", value: 0.5 }] }) { ok errors { code } } }',
    });
    const anonymous = await post(mutation);
    expect((await json(anonymous)).data?.submitResults).toEqual({
      ok: false,
      errors: [{ code: 'UNAUTHENTICATED' }],
    });
    const withKey = await post(mutation, { authorization: `Bearer ${key}` });
    expect((await json(withKey)).data?.submitResults).toEqual({ ok: true, errors: [] });
  });
});
