/**
 * Issue 18, limits of the public endpoint against a real Postgres: per-key daily quotas on
 * evaluation requests (jobs requested, compute seconds; admin keys exempt), `force` on
 * requestEvaluation, and the request-rate limits per client address and per key (HTTP 429 with
 * Retry-After). Clients come from distinct loopback addresses (127.0.0.x), so the server sees them as
 * different clients exactly as it would over a network.
 */
import http from 'node:http';
import { createApiKey, registerEvaluatorBenchmarks, upsertModel } from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { type ApiServer, startApiServer } from '@alignscope/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// biome-ignore lint/suspicious/noExplicitAny: the JSON answers are checked field by field with expect
type Answer = { status: number; retryAfter: string | undefined; json: any; ms: number };

/** One POST to the API from `from` (a local address), timed. */
function postFrom(url: string, from: string, body: object, key?: string): Promise<Answer> {
  const data = JSON.stringify(body);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        localAddress: from,
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(data),
          ...(key ? { authorization: `Bearer ${key}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers['retry-after'],
            json: JSON.parse(Buffer.concat(chunks).toString('utf8')),
            ms: performance.now() - t0,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

const REQUEST = `mutation R($model: String!, $benchmarks: [String!]!, $force: Boolean) {
  requestEvaluation(model: $model, benchmarks: $benchmarks, force: $force) {
    ok request { id status jobs { id benchmark state } } errors { code message }
  }
}`;

let t: TestDb;
let server: ApiServer;
const keys: Record<'a' | 'b' | 'admin', string> = {} as never;
const QUOTA = { jobsPerDay: 3, computeSecondsPerDay: 100 };
const RATE = { perAddress: 30, perKey: 40 };

beforeAll(async () => {
  t = await createTestDb();
  for (const [name, isAdmin] of [
    ['a', false],
    ['b', false],
    ['admin', true],
  ] as const) {
    const k = await createApiKey(t.db, { name: `key ${name}`, isAdmin });
    keys[name] = k.key;
    await upsertModel(t.db, {
      identifier: `model-${name}`,
      displayName: `model of ${name}`,
      ownerKeyId: k.apiKey.id,
      onnxSha256: { a: 'a', b: 'b', admin: 'c' }[name].repeat(64),
      card: { labelSpace: 'cifar-10' },
    });
  }
  await registerEvaluatorBenchmarks(
    t.db,
    [
      'CIFAR10-top1',
      'cifar10.AutoAttack-Linf-1/255',
      'cifar10.AutoAttack-Linf-2/255',
      'cifar10.AutoAttack-Linf-8/255',
    ].map((identifier) => ({ identifier, version: 1, labelSpace: 'cifar-10' })),
  );
  server = await startApiServer({ db: t.db, logError: () => {}, quotas: QUOTA, rateLimits: RATE });
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

const jobCount = async () =>
  Number((await t.pool.query('select count(*)::int as n from evaluation_jobs')).rows[0].n);

describe('per-key quotas on evaluation requests', () => {
  const ask = (from: string, key: string, model: string, benchmarks: string[], force?: boolean) =>
    postFrom(server.url, from, { query: REQUEST, variables: { model, benchmarks, force } }, key);

  it('refuses a request beyond the jobs or compute seconds of the day, recording nothing; admin keys are exempt', async () => {
    const from = '127.0.0.10';
    const first = await ask(from, keys.a, 'model-a', ['CIFAR10-top1', 'cifar10.AutoAttack-Linf-1/255']);
    expect(first.json.data.requestEvaluation.errors).toEqual([]);
    expect(await jobCount()).toBe(2);

    // compute seconds: the key's jobs used 150 s today, over its 100 s
    await t.pool.query('update evaluation_jobs set compute_seconds = 75');
    const compute = await ask(from, keys.a, 'model-a', ['cifar10.AutoAttack-Linf-2/255']);
    expect(compute.status).toBe(200);
    expect(compute.json.data.requestEvaluation).toEqual({
      ok: false,
      request: null,
      errors: [
        {
          code: 'QUOTA_EXCEEDED',
          message:
            "this key's jobs used 150 compute seconds in the last 24 hours, its quota is 100; try again later",
        },
      ],
    });
    expect(await jobCount()).toBe(2);
    await t.pool.query('update evaluation_jobs set compute_seconds = 0');

    // jobs: 2 requested, 1 more is the 3rd of 3, then 1 more is over
    const third = await ask(from, keys.a, 'model-a', ['cifar10.AutoAttack-Linf-2/255']);
    expect(third.json.data.requestEvaluation.ok).toBe(true);
    const over = await ask(from, keys.a, 'model-a', ['cifar10.AutoAttack-Linf-8/255']);
    expect(over.json.data.requestEvaluation.errors).toEqual([
      {
        code: 'QUOTA_EXCEEDED',
        message:
          'this key requested 3 job(s) in the last 24 hours; 1 more would exceed its quota of 3 per day',
      },
    ]);
    expect(await jobCount()).toBe(3);
    const requests = await t.pool.query('select count(*)::int as n from evaluation_requests');
    expect(requests.rows[0].n).toBe(2);

    // another key has its own quota; an admin key has none
    const b = await ask(from, keys.b, 'model-b', [
      'CIFAR10-top1',
      'cifar10.AutoAttack-Linf-1/255',
      'cifar10.AutoAttack-Linf-2/255',
    ]);
    expect(b.json.data.requestEvaluation.ok).toBe(true);
    const admin = await ask(from, keys.admin, 'model-a', [
      'CIFAR10-top1',
      'cifar10.AutoAttack-Linf-1/255',
      'cifar10.AutoAttack-Linf-2/255',
      'cifar10.AutoAttack-Linf-8/255',
    ]);
    expect(admin.json.data.requestEvaluation.ok).toBe(true);
  });

  it('force runs again a job already scored, as the CLI does; without it the job stays current', async () => {
    const from = '127.0.0.11';
    const r = await ask(from, keys.admin, 'model-admin', ['CIFAR10-top1']);
    const job = r.json.data.requestEvaluation.request.jobs[0];
    await t.pool.query(`update evaluation_jobs set state = 'succeeded', finished_at = now() where id = $1`, [
      Number(job.id),
    ]);
    const plain = await ask(from, keys.admin, 'model-admin', ['CIFAR10-top1']);
    expect(plain.json.data.requestEvaluation.request).toMatchObject({
      status: 'done',
      jobs: [{ id: job.id, state: 'succeeded' }],
    });
    const forced = await ask(from, keys.admin, 'model-admin', ['CIFAR10-top1'], true);
    expect(forced.json.data.requestEvaluation.request).toMatchObject({
      status: 'queued',
      jobs: [{ id: job.id, state: 'queued' }],
    });
  });
});

describe('request-rate limits of /graphql', () => {
  const cheap = { query: '{ apiVersion }' };

  it('a flood from one address gets 429 with Retry-After; another client is served quickly and the queue is unharmed', async () => {
    const jobsBefore = await t.pool.query('select id, state, attempts from evaluation_jobs order by id');
    const flooder = '127.0.0.20';
    const other = '127.0.0.21';
    const flood: Promise<Answer>[] = [];
    const calm: Answer[] = [];
    // 200 requests from the flooder, 20 at a time, while the other client asks one by one
    const floodDone = (async () => {
      for (let wave = 0; wave < 10; wave++) {
        const batch = Array.from({ length: 20 }, () => postFrom(server.url, flooder, cheap));
        flood.push(...batch);
        await Promise.all(batch);
      }
    })();
    for (let i = 0; i < 10; i++) calm.push(await postFrom(server.url, other, cheap));
    await floodDone;
    const answers = await Promise.all(flood);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(RATE.perAddress);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(200 - RATE.perAddress);
    for (const a of refused) {
      expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(a.retryAfter)).toBeLessThanOrEqual(60);
      expect(a.json.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    }
    expect(refused[0]?.json.errors[0].message).toMatch(
      /^too many requests from this client address \(limit 30 per minute\); retry after \d+ s$/,
    );
    expect(calm.map((a) => a.status)).toEqual(Array(10).fill(200));
    // bounded latency for the other client while the flood runs (a loaded 2-core CI machine)
    expect(Math.max(...calm.map((a) => a.ms))).toBeLessThan(2000);
    // the queue is as it was, and still takes a request from another client
    expect((await t.pool.query('select id, state, attempts from evaluation_jobs order by id')).rows).toEqual(
      jobsBefore.rows,
    );
    const after = await postFrom(
      server.url,
      other,
      { query: REQUEST, variables: { model: 'model-admin', benchmarks: ['cifar10.AutoAttack-Linf-1/255'] } },
      keys.admin,
    );
    expect(after.json.data.requestEvaluation.ok).toBe(true);
  });

  it('one key spread over addresses is limited per key', async () => {
    const { key } = await createApiKey(t.db, { name: 'spread', isAdmin: false });
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        postFrom(server.url, i % 2 === 0 ? '127.0.0.30' : '127.0.0.31', cheap, key),
      ),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(RATE.perKey);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(50 - RATE.perKey);
    expect(refused[0]?.json.errors[0].message).toMatch(
      /^too many requests from this API key \(limit 40 per minute\)/,
    );
  });
});
