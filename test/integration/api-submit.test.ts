/**
 * Authenticated writes over HTTP against a real Postgres: submitResults and requestEvaluation, and the
 * protections of the public endpoint. Every rejected request is checked to leave the database as it
 * was (row counts of every table the API writes, and the scores' values).
 */
import { createHash } from 'node:crypto';
import {
  applySubmission,
  createApiKey,
  getBenchmark,
  getModel,
  listScores,
  registerEvaluatorBenchmarks,
  revokeApiKey,
  upsertModel,
  writeCounts,
} from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { type ApiServer, startApiServer } from '@alignscope/schema';
import { graphql } from '@alignscope/schema/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, query, request } from '../support/graphql.ts';
import { seedResults } from '../support/seed.ts';

const Submit = graphql(`
  mutation Submit($input: SubmitResultsInput!) {
    submitResults(input: $input) {
      ok
      duplicate
      model { identifier displayName family submittedBy }
      scores { benchmark { identifier } status value rawValue ceiledValue error ceiling ciLow ciHigh ciMethod run { id kind producer configuration } }
      submission { id payloadSha256 }
      errors { code message path }
    }
  }
`);

const RequestEvaluation = graphql(`
  mutation RequestEvaluation($model: String!, $benchmarks: [String!]!) {
    requestEvaluation(model: $model, benchmarks: $benchmarks) {
      ok
      request { id status model { identifier } benchmarks { identifier } createdAt jobs { id benchmark state attempts } }
      errors { code message path }
    }
  }
`);

const ModelBack = graphql(`
  query ModelBack($identifier: String!) {
    model(identifier: $identifier) {
      identifier displayName family trainingData submittedBy
      scores { benchmark { identifier } value run { kind configuration } }
    }
  }
`);

let t: TestDb;
let server: ApiServer;
const keys: Record<'a' | 'b' | 'admin' | 'revoked', { key: string; id: number }> = {} as never;

beforeAll(async () => {
  t = await createTestDb();
  await seedResults(t.db, { models: 5, prefix: 'imported', seed: 3 });
  for (const [name, isAdmin] of [
    ['a', false],
    ['b', false],
    ['admin', true],
    ['revoked', false],
  ] as const) {
    const k = await createApiKey(t.db, { name: `key ${name}`, isAdmin });
    keys[name] = { key: k.key, id: k.apiKey.id };
  }
  await revokeApiKey(t.db, keys.revoked.id);
  server = await startApiServer({ db: t.db, logError: () => {} });
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

type Snapshot = { counts: Awaited<ReturnType<typeof writeCounts>>; scores: string };
const firstPayload = () =>
  input('lab-a/resnet', [
    { benchmark: 'ImageNet-top1', value: 0.761, ciLow: 0.73, ciHigh: 0.79, ciMethod: 'clopper-pearson 95%' },
    { benchmark: 'AutoAttack-Linf-1/255', value: 0.012, error: 0.002 },
    { benchmark: 'MajajHong2015.IT-pls', value: 0.52, rawValue: 0.59 },
  ]);

async function snapshot(): Promise<Snapshot> {
  return { counts: await writeCounts(t.db), scores: JSON.stringify(await listScores(t.db)) };
}

const input = (
  identifier: string,
  scores: {
    benchmark: string;
    value?: number;
    rawValue?: number;
    error?: number;
    ciLow?: number;
    ciHigh?: number;
    ciMethod?: string;
  }[],
  extra = {},
) => ({
  model: { identifier, displayName: `Model ${identifier}`, family: 'ResNet', ...extra },
  scores,
  provenance: { producer: 'my-eval', producerVersion: '1.2.3', configuration: { seed: 0, images: 1000 } },
});

describe('submitResults', () => {
  it('creates a model owned by the key and writes scores through a submission run', async () => {
    const before = await snapshot();
    const board = () =>
      post(server.url, { query: '{ leaderboard(root: "engineering_vision", first: 1) { totalCount } }' });
    // Twice, so the second answer comes from the response cache.
    expect((await board()).json.data).toEqual({ leaderboard: { totalCount: 5 } });
    expect((await board()).json.data).toEqual({ leaderboard: { totalCount: 5 } });
    const payload = firstPayload();
    const r = await query(server.url, Submit, { input: payload }, { key: keys.a.key });
    const res = r.submitResults;
    expect(res.errors).toEqual([]);
    expect(res.ok).toBe(true);
    expect(res.duplicate).toBe(false);
    expect(res.model?.submittedBy).toBe('key a');
    expect(res.scores.map((s) => [s.benchmark.identifier, s.value, s.rawValue, s.ceiledValue])).toEqual([
      ['ImageNet-top1', 0.761, 0.761, null], // engineering: value is the raw score
      ['AutoAttack-Linf-1/255', 0.012, 0.012, null],
      ['MajajHong2015.IT-pls', 0.52, 0.59, 0.52], // ceiled benchmark: value is the ceiled score
    ]);
    expect(res.scores[2]?.ceiling).toBeCloseTo(0.8218406438827515, 15); // the catalog ceiling
    // The submitter's interval; else the submitted error as a ±1 band; else none, said so.
    expect(res.scores.map((s) => [s.ciLow, s.ciHigh, s.ciMethod])).toEqual([
      [0.73, 0.79, 'submitted: clopper-pearson 95%'],
      [0.01, 0.014, 'source error: value ± 1 error as given by the submission'],
      [null, null, 'none: the submission gives no uncertainty'],
    ]);
    expect(res.scores.every((s) => s.run?.kind === 'SUBMISSION' && s.run.producer === 'my-eval')).toBe(true);
    // The submission record: payload hash and key id.
    const rows = await t.pool.query('select api_key_id, payload_sha256, payload from submissions');
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0].api_key_id).toBe(keys.a.id);
    expect(rows.rows[0].payload_sha256).toBe(res.submission?.payloadSha256);
    expect(res.submission?.payloadSha256).toMatch(/^[0-9a-f]{64}$/);
    const model = await getModel(t.db, 'lab-a/resnet');
    expect(model?.ownerKeyId).toBe(keys.a.id);
    const after = await snapshot();
    expect(after.counts).toEqual({
      ...before.counts,
      models: before.counts.models + 1,
      scores: before.counts.scores + 3,
      runs: before.counts.runs + 1,
      submissions: before.counts.submissions + 1,
    });
    // Visible at once through the API (the shared snapshot and cached responses are dropped on write).
    const back = await query(server.url, ModelBack, { identifier: 'lab-a/resnet' });
    expect(back.model?.scores).toHaveLength(3);
    expect((await board()).json.data).toEqual({ leaderboard: { totalCount: 6 } });
  });

  it('is idempotent: the same payload again writes nothing and says duplicate', async () => {
    const payload = firstPayload();
    const before = await snapshot();
    const r = await query(server.url, Submit, { input: payload }, { key: keys.a.key });
    expect(r.submitResults.ok).toBe(true);
    expect(r.submitResults.duplicate).toBe(true);
    expect(r.submitResults.scores).toHaveLength(3);
    expect(await snapshot()).toEqual(before);
  });

  it('updates its own model with a new submission (upsert, no duplicate scores)', async () => {
    const before = await snapshot();
    const r = await query(
      server.url,
      Submit,
      { input: input('lab-a/resnet', [{ benchmark: 'ImageNet-top1', value: 0.77 }]) },
      { key: keys.a.key },
    );
    expect(r.submitResults.ok).toBe(true);
    expect(r.submitResults.duplicate).toBe(false);
    const after = await snapshot();
    expect(after.counts.scores).toBe(before.counts.scores);
    expect(after.counts.submissions).toBe(before.counts.submissions + 1);
    const top1 = (await listScores(t.db, { model: 'lab-a/resnet', benchmark: 'ImageNet-top1' }))[0];
    expect(top1?.rawValue).toBe(0.77);
  });

  it('stores SQL-looking strings verbatim and harmlessly', async () => {
    const evil = {
      displayName: "Robert'); DROP TABLE models;--",
      family: "' OR '1'='1",
      trainingData: 'x"; DELETE FROM scores WHERE 1=1; --',
    };
    const payload = {
      ...input('lab-a/bobby-tables', [{ benchmark: 'ImageNet-top1', value: 0.5 }], evil),
      provenance: {
        producer: "'; TRUNCATE runs; --",
        configuration: { note: '$$; DROP SCHEMA public CASCADE; $$' },
      },
    };
    const r = await query(server.url, Submit, { input: payload }, { key: keys.a.key });
    expect(r.submitResults.ok).toBe(true);
    const back = await query(server.url, ModelBack, { identifier: 'lab-a/bobby-tables' });
    expect(back.model?.displayName).toBe(evil.displayName);
    expect(back.model?.family).toBe(evil.family);
    expect(back.model?.trainingData).toBe(evil.trainingData);
    expect(back.model?.scores[0]?.run?.configuration).toEqual({ note: '$$; DROP SCHEMA public CASCADE; $$' });
    const counts = await writeCounts(t.db);
    expect(counts.models).toBeGreaterThan(5);
    expect(counts.scores).toBeGreaterThan(0);
    // A search with SQL in it is just a substring.
    const search = await post(server.url, {
      query:
        'query($s: String) { models(filter: { search: $s }) { totalCount edges { node { identifier } } } }',
      variables: { s: "'); DROP TABLE models;--" },
    });
    expect(search.json.data).toEqual({
      models: { totalCount: 1, edges: [{ node: { identifier: 'lab-a/bobby-tables' } }] },
    });
  });

  it('lets an admin key write any model', async () => {
    const r = await query(
      server.url,
      Submit,
      { input: input('lab-a/resnet', [{ benchmark: 'AutoAttack-Linf-1/255', value: 0.02 }]) },
      { key: keys.admin.key },
    );
    expect(r.submitResults.ok).toBe(true);
    expect((await getModel(t.db, 'lab-a/resnet'))?.ownerKeyId).toBe(keys.a.id); // ownership unchanged
    const imported = await query(
      server.url,
      Submit,
      { input: input('imported-0001', [{ benchmark: 'ImageNet-top1', value: 0.3 }]) },
      { key: keys.admin.key },
    );
    expect(imported.submitResults.ok).toBe(true);
  });

  type Case = {
    name: string;
    code: string;
    key?: string;
    headers?: Record<string, string>;
    input: ReturnType<typeof input> | Record<string, unknown>;
    /** The path of the one error returned: the offending input field, [] for authentication. */
    path: string[];
  };
  const ok = [{ benchmark: 'ImageNet-top1', value: 0.5 }];
  const cases: Case[] = [
    { name: 'no key', code: 'UNAUTHENTICATED', input: input('x/new', ok), path: [] },
    {
      name: 'a wrong key',
      code: 'UNAUTHENTICATED',
      key: `as_${'x'.repeat(32)}`,
      input: input('x/new', ok),
      path: [],
    },
    {
      name: 'a non-bearer header',
      code: 'UNAUTHENTICATED',
      headers: { authorization: 'Basic YTpi' },
      input: input('x/new', ok),
      path: [],
    },
    { name: 'a revoked key', code: 'UNAUTHENTICATED', key: 'revoked', input: input('x/new', ok), path: [] },
    {
      name: "another owner's model",
      code: 'FORBIDDEN',
      key: 'b',
      input: input('lab-a/resnet', ok),
      path: ['input', 'model', 'identifier'],
    },
    {
      name: 'an imported (unowned) model',
      code: 'FORBIDDEN',
      key: 'b',
      input: input('imported-0002', ok),
      path: ['input', 'model', 'identifier'],
    },
    {
      name: 'a negative value',
      code: 'OUT_OF_RANGE',
      key: 'a',
      input: input('x/new', [{ benchmark: 'ImageNet-top1', value: -0.1 }]),
      path: ['input', 'scores', '0', 'value'],
    },
    {
      name: 'a value above the range',
      code: 'OUT_OF_RANGE',
      key: 'a',
      input: input('x/new', [{ benchmark: 'AutoAttack-Linf-1/255', value: 1.5 }]),
      path: ['input', 'scores', '0', 'value'],
    },
    {
      name: 'a raw value out of range',
      code: 'OUT_OF_RANGE',
      key: 'a',
      input: input('x/new', [{ benchmark: 'MajajHong2015.IT-pls', value: 0.5, rawValue: 3 }]),
      path: ['input', 'scores', '0', 'rawValue'],
    },
    {
      name: 'an unknown benchmark',
      code: 'UNKNOWN_BENCHMARK',
      key: 'a',
      input: input('x/new', [{ benchmark: 'NoSuchBenchmark-top1', value: 0.5 }]),
      path: ['input', 'scores', '0', 'benchmark'],
    },
    {
      name: 'an aggregate benchmark',
      code: 'NOT_A_LEAF',
      key: 'a',
      input: input('x/new', [{ benchmark: 'average_vision', value: 0.5 }]),
      path: ['input', 'scores', '0', 'benchmark'],
    },
    {
      name: 'one bad score among good ones (all or nothing)',
      code: 'OUT_OF_RANGE',
      key: 'a',
      input: input('lab-a/resnet', [
        { benchmark: 'ImageNet-top1', value: 0.9 },
        { benchmark: 'AutoAttack-Linf-1/255', value: 2 },
      ]),
      path: ['input', 'scores', '1', 'value'],
    },
    {
      name: 'a benchmark twice',
      code: 'VALIDATION_FAILED',
      key: 'a',
      input: input('x/new', [
        { benchmark: 'ImageNet-top1', value: 0.5 },
        { benchmark: 'ImageNet-top1', value: 0.6 },
      ]),
      path: ['input', 'scores', '1', 'benchmark'], // the second occurrence
    },
    {
      name: 'too many scores',
      code: 'VALIDATION_FAILED',
      key: 'a',
      input: input(
        'x/new',
        Array.from({ length: 501 }, () => ({ benchmark: 'ImageNet-top1', value: 0.5 })),
      ),
      path: ['input', 'scores'],
    },
    {
      name: 'a too long display name',
      code: 'VALIDATION_FAILED',
      key: 'a',
      input: input('x/new', ok, { displayName: 'x'.repeat(201) }),
      path: ['input', 'model', 'displayName'],
    },
    {
      name: 'an identifier with spaces',
      code: 'VALIDATION_FAILED',
      key: 'a',
      input: input('x new', ok),
      path: ['input', 'model', 'identifier'],
    },
    {
      name: 'a control character',
      code: 'VALIDATION_FAILED',
      key: 'a',
      input: input('x/new', ok, { family: 'a\u0000b' }),
      path: ['input', 'model', 'family'],
    },
    {
      name: 'a huge provenance',
      code: 'VALIDATION_FAILED',
      key: 'a',
      input: { ...input('x/new', ok), provenance: { configuration: { blob: 'x'.repeat(20_000) } } },
      path: ['input', 'provenance', 'configuration'],
    },
    {
      name: 'an interval that does not contain the value',
      code: 'VALIDATION_FAILED',
      key: 'a',
      input: input('x/new', [
        { benchmark: 'ImageNet-top1', value: 0.5, ciLow: 0.6, ciHigh: 0.7, ciMethod: 'guess' },
      ]),
      path: ['input', 'scores', '0', 'ciLow'],
    },
    {
      name: 'an interval without its method',
      code: 'VALIDATION_FAILED',
      key: 'a',
      input: input('x/new', [{ benchmark: 'ImageNet-top1', value: 0.5, ciLow: 0.4, ciHigh: 0.6 }]),
      path: ['input', 'scores', '0', 'ciLow'],
    },
    {
      name: 'a SCORED score without a value',
      code: 'VALIDATION_FAILED',
      key: 'a',
      input: input('x/new', [{ benchmark: 'ImageNet-top1' }]),
      path: ['input', 'scores', '0', 'value'],
    },
  ];

  for (const c of cases) {
    it(`refuses ${c.name} with ${c.code} and changes nothing`, async () => {
      const before = await snapshot();
      const key =
        c.key === undefined ? undefined : c.key in keys ? keys[c.key as keyof typeof keys].key : c.key;
      const r = await request(
        server.url,
        Submit,
        { input: c.input as ReturnType<typeof input> },
        {
          key,
          headers: c.headers,
        },
      );
      expect(r.errors).toBeUndefined();
      const res = r.data?.submitResults;
      expect(res?.ok).toBe(false);
      expect(res?.model).toBeNull();
      expect(res?.submission).toBeNull();
      expect(res?.errors.map((e) => e.code)).toContain(c.code);
      expect(res?.errors[0]?.message.length).toBeGreaterThan(10);
      // One error, naming the offending field; an authentication error concerns the request, not a
      // field, and carries the empty path.
      expect(res?.errors.map((e) => e.path)).toEqual([c.path]);
      expect(await snapshot()).toEqual(before);
    });
  }

  it('refuses NaN and Infinity before any resolver runs', async () => {
    const before = await snapshot();
    const body = (value: string) =>
      `{"query":${JSON.stringify(
        'mutation($input: SubmitResultsInput!) { submitResults(input: $input) { ok } }',
      )},"variables":{"input":{"model":{"identifier":"x/nan"},"scores":[{"benchmark":"ImageNet-top1","value":${value}}]}}}`;
    const auth = { authorization: `Bearer ${keys.a.key}` };
    // NaN is not JSON at all.
    const nan = await post(server.url, body('NaN'), auth);
    expect(nan.status).toBe(400);
    expect(nan.json.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    // "NaN" as a string, and 1e999 (parsed as Infinity) are not GraphQL Floats.
    for (const v of ['"NaN"', '1e999', '-1e999', '"Infinity"']) {
      const r = await post(server.url, body(v), auth);
      expect(r.status, v).toBe(400);
      expect(r.json.errors?.[0]?.extensions?.code, v).toBe('BAD_USER_INPUT');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('rolls the whole submission back when the database refuses part of it', async () => {
    // Bypasses edge validation on purpose: jsonb cannot hold \u0000, so the run insert fails after the
    // model insert; nothing may remain.
    const before = await snapshot();
    const b = await getBenchmark(t.db, 'ImageNet-top1');
    if (!b) throw new Error('catalog not seeded');
    await expect(
      applySubmission(t.db, {
        apiKey: { id: keys.a.id, isAdmin: false },
        payloadSha256: createHash('sha256').update('rollback').digest('hex'),
        payload: {},
        model: { identifier: 'x/rollback' },
        scores: [
          {
            benchmarkId: b.id,
            benchmarkVersion: b.version,
            status: 'scored',
            rawValue: 0.5,
            ceiledValue: null,
            error: null,
            ceiling: null,
            ciLow: null,
            ciHigh: null,
            ciMethod: null,
          },
        ],
        provenance: {
          producer: 'p',
          producerVersion: null,
          configuration: { bad: 'a\u0000b' },
          environment: {},
        },
      }),
    ).rejects.toThrow(/^Failed query: insert into "runs"/);
    expect(await getModel(t.db, 'x/rollback')).toBeUndefined();
    expect(await snapshot()).toEqual(before);
  });
});

describe('requestEvaluation', () => {
  const jobCount = async () =>
    Number((await t.pool.query('select count(*)::int as n from evaluation_jobs')).rows[0].n);
  beforeAll(async () => {
    await upsertModel(t.db, {
      identifier: 'lab-a/onnx',
      displayName: 'with onnx',
      ownerKeyId: keys.a.id,
      onnxSha256: 'f'.repeat(64),
      card: { labelSpace: 'imagenet-1k' },
    });
    // what a starting evaluator worker registers (the benchmarks it runs and their label spaces)
    await registerEvaluatorBenchmarks(t.db, [
      { identifier: 'ImageNet-top1', version: 1, labelSpace: 'imagenet-1k' },
      { identifier: 'AutoAttack-Linf-1/255', version: 1, labelSpace: 'imagenet-1k' },
      { identifier: 'Hermann2020cueconflict-shape_bias', version: 1, labelSpace: 'imagenet-1k' },
      { identifier: 'CIFAR10-top1', version: 1, labelSpace: 'cifar-10' },
    ]);
  });

  it('records a request from the owner as one queued job per benchmark (deduplicated)', async () => {
    const r = await query(
      server.url,
      RequestEvaluation,
      { model: 'lab-a/onnx', benchmarks: ['ImageNet-top1', 'AutoAttack-Linf-1/255', 'ImageNet-top1'] },
      { key: keys.a.key },
    );
    expect(r.requestEvaluation.errors).toEqual([]);
    expect(r.requestEvaluation.request?.status).toBe('queued');
    expect(r.requestEvaluation.request?.jobs.map((j) => [j.benchmark, j.state, j.attempts])).toEqual([
      ['AutoAttack-Linf-1/255', 'queued', 0],
      ['ImageNet-top1', 'queued', 0],
    ]);
    expect(r.requestEvaluation.request?.benchmarks.map((b) => b.identifier)).toEqual([
      'ImageNet-top1',
      'AutoAttack-Linf-1/255',
    ]);
    const rows = await t.pool.query(
      'select model_id, api_key_id, benchmarks, status from evaluation_requests',
    );
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0].api_key_id).toBe(keys.a.id);
  });

  it('adds one queue job per new job when the queue is installed; a second request joins the queued job', async () => {
    const { runMigrations } = await import('graphile-worker');
    await runMigrations({ connectionString: t.url });
    const r = await query(
      server.url,
      RequestEvaluation,
      { model: 'lab-a/onnx', benchmarks: ['Hermann2020cueconflict-shape_bias'] },
      { key: keys.a.key },
    );
    expect(r.requestEvaluation.ok).toBe(true);
    expect(r.requestEvaluation.request?.status).toBe('queued');
    const jobId = Number(r.requestEvaluation.request?.jobs[0]?.id);
    const again = await query(
      server.url,
      RequestEvaluation,
      { model: 'lab-a/onnx', benchmarks: ['Hermann2020cueconflict-shape_bias'] },
      { key: keys.a.key },
    );
    expect(again.requestEvaluation.request?.jobs.map((j) => Number(j.id))).toEqual([jobId]);
    const jobs = await t.pool.query(
      `select t.identifier as task_identifier, j.payload, j.key
       from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id`,
    );
    expect(jobs.rows).toEqual([
      {
        task_identifier: 'evaluate:Hermann2020cueconflict-shape_bias',
        payload: { jobId },
        key: `evaluation-job-${jobId}`,
      },
    ]);
  });

  it('refuses a benchmark of another label space and one no worker runs, naming them; nothing queued', async () => {
    const before = await snapshot();
    const jobsBefore = await jobCount();
    const r = await query(
      server.url,
      RequestEvaluation,
      { model: 'lab-a/onnx', benchmarks: ['ImageNet-top1', 'CIFAR10-top1', 'MajajHong2015.IT-pls'] },
      { key: keys.a.key },
    );
    expect(r.requestEvaluation.ok).toBe(false);
    expect(r.requestEvaluation.errors).toEqual([
      {
        code: 'NOT_EVALUABLE',
        message: 'CIFAR10-top1 needs a cifar-10 model; lab-a/onnx is imagenet-1k',
        path: ['benchmarks', '1'],
      },
      {
        code: 'NOT_EVALUABLE',
        message:
          'the evaluator does not run MajajHong2015.IT-pls (it runs AutoAttack-Linf-1/255, CIFAR10-top1, Hermann2020cueconflict-shape_bias, ImageNet-top1)',
        path: ['benchmarks', '2'],
      },
    ]);
    expect(await snapshot()).toEqual(before);
    expect(await jobCount()).toBe(jobsBefore);
  });

  const cases: {
    name: string;
    key?: 'a' | 'b' | 'revoked';
    model: string;
    benchmarks: string[];
    code: string;
  }[] = [
    { name: 'no key', model: 'lab-a/onnx', benchmarks: ['ImageNet-top1'], code: 'UNAUTHENTICATED' },
    {
      name: 'a revoked key',
      key: 'revoked',
      model: 'lab-a/onnx',
      benchmarks: ['ImageNet-top1'],
      code: 'UNAUTHENTICATED',
    },
    {
      name: "another owner's model",
      key: 'b',
      model: 'lab-a/onnx',
      benchmarks: ['ImageNet-top1'],
      code: 'FORBIDDEN',
    },
    {
      name: 'an unknown model',
      key: 'a',
      model: 'nope',
      benchmarks: ['ImageNet-top1'],
      code: 'UNKNOWN_MODEL',
    },
    {
      name: 'a model without ONNX',
      key: 'a',
      model: 'lab-a/resnet',
      benchmarks: ['ImageNet-top1'],
      code: 'MODEL_NOT_EVALUABLE',
    },
    {
      name: 'an unknown benchmark',
      key: 'a',
      model: 'lab-a/onnx',
      benchmarks: ['Nope'],
      code: 'UNKNOWN_BENCHMARK',
    },
    { name: 'an aggregate', key: 'a', model: 'lab-a/onnx', benchmarks: ['robustness'], code: 'NOT_A_LEAF' },
    { name: 'no benchmarks', key: 'a', model: 'lab-a/onnx', benchmarks: [], code: 'VALIDATION_FAILED' },
  ];
  for (const c of cases) {
    it(`refuses ${c.name} with ${c.code} and records nothing`, async () => {
      const before = await snapshot();
      const r = await query(
        server.url,
        RequestEvaluation,
        { model: c.model, benchmarks: c.benchmarks },
        { key: c.key ? keys[c.key].key : undefined },
      );
      expect(r.requestEvaluation.ok).toBe(false);
      expect(r.requestEvaluation.request).toBeNull();
      expect(r.requestEvaluation.errors.map((e) => e.code)).toContain(c.code);
      expect(await snapshot()).toEqual(before);
    });
  }
});

const Jobs = graphql(`
  query Jobs($state: String, $model: String) {
    jobs(state: $state, model: $model) { id benchmark state attempts maxAttempts hasCheckpoint error progress { fraction stage etaSeconds } model { identifier } run { id } }
  }
`);
const CancelJob = graphql(`
  mutation CancelJob($id: ID!) {
    cancelJob(id: $id) { ok job { id state } errors { code message path } }
  }
`);
const RetryJob = graphql(`
  mutation RetryJob($id: ID!) {
    retryJob(id: $id) { ok job { id state attempts } errors { code message path } }
  }
`);

describe('jobs, cancelJob and retryJob', () => {
  it('lists the queued jobs of a model with their state', async () => {
    const r = await query(server.url, Jobs, { model: 'lab-a/onnx', state: 'queued' });
    expect(r.jobs.map((j) => j.benchmark).sort()).toEqual([
      'AutoAttack-Linf-1/255',
      'Hermann2020cueconflict-shape_bias',
      'ImageNet-top1',
    ]);
    for (const j of r.jobs) {
      expect([j.state, j.attempts, j.maxAttempts, j.hasCheckpoint, j.error, j.progress, j.run]).toEqual([
        'queued',
        0,
        3,
        false,
        null,
        null,
        null,
      ]);
      expect(j.model.identifier).toBe('lab-a/onnx');
    }
    expect(
      (await query(server.url, Jobs, { state: 'sleeping' }).catch((e: Error) => e.message)) as string,
    ).toMatch(/state must be one of queued, running, succeeded, failed, cancelled/);
  });

  it('lets only a requesting key or an admin cancel, then retry, a job', async () => {
    const [job] = (await query(server.url, Jobs, { model: 'lab-a/onnx', state: 'queued' })).jobs;
    const id = job?.id as string;
    const anonymous = await query(server.url, CancelJob, { id });
    expect(anonymous.cancelJob.errors.map((e) => e.code)).toEqual(['UNAUTHENTICATED']);
    const other = await query(server.url, CancelJob, { id }, { key: keys.b.key });
    expect(other.cancelJob).toEqual({
      ok: false,
      job: null,
      errors: [
        {
          code: 'FORBIDDEN',
          message: `job ${id} was not requested with this key; only its requesters or an admin key may cancel it`,
          path: ['id'],
        },
      ],
    });
    const early = await query(server.url, RetryJob, { id }, { key: keys.a.key });
    expect(early.retryJob.errors).toEqual([
      {
        code: 'INVALID_STATE',
        message: `job ${id} is queued; only failed or cancelled jobs can be retried`,
        path: ['id'],
      },
    ]);
    const owner = await query(server.url, CancelJob, { id }, { key: keys.a.key });
    expect(owner.cancelJob).toEqual({ ok: true, job: { id, state: 'cancelled' }, errors: [] });
    const again = await query(server.url, CancelJob, { id }, { key: keys.admin.key });
    expect(again.cancelJob.errors.map((e) => e.code)).toEqual(['INVALID_STATE']);
    const retried = await query(server.url, RetryJob, { id }, { key: keys.admin.key });
    expect(retried.retryJob).toEqual({ ok: true, job: { id, state: 'queued', attempts: 0 }, errors: [] });
    const unknown = await query(server.url, CancelJob, { id: '999999' }, { key: keys.admin.key });
    expect(unknown.cancelJob.errors.map((e) => e.code)).toEqual(['UNKNOWN_JOB']);
  });
});

describe('protection of the public endpoint', () => {
  it('refuses a 10 MB body with 413 PAYLOAD_TOO_LARGE', async () => {
    const before = await snapshot();
    const big = JSON.stringify({
      query: 'mutation($input: SubmitResultsInput!) { submitResults(input: $input) { ok } }',
      variables: {
        input: input('x/big', [{ benchmark: 'ImageNet-top1', value: 0.5 }]),
        pad: 'x'.repeat(10 * 1024 * 1024),
      },
    });
    const r = await post(server.url, big, { authorization: `Bearer ${keys.a.key}` });
    expect(r.status).toBe(413);
    expect(r.json.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a depth-30 query with QUERY_TOO_DEEP', async () => {
    let sel = 'identifier';
    for (let i = 0; i < 28; i++) sel = `parent { ${sel} }`;
    const q = `{ benchmark(identifier: "MajajHong2015.IT-pls") { ${sel} } }`; // depth 30
    const r = await post(server.url, { query: q });
    expect(r.status).toBe(400);
    expect(r.json.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
    expect(r.json.errors?.[0]?.message).toMatch(/depth 30 exceeds the maximum of 12/);
    expect(r.json.data).toBeUndefined();
  });

  it('refuses 1,000 aliases with TOO_MANY_ALIASES, and mutation batches of aliases', async () => {
    const fields = Array.from({ length: 1000 }, (_, i) => `a${i}: apiVersion`).join(' ');
    const r = await post(server.url, { query: `{ ${fields} }` });
    expect(r.status).toBe(400);
    expect(r.json.errors?.[0]?.extensions?.code).toBe('TOO_MANY_ALIASES');
    const before = await snapshot();
    const batch = Array.from(
      { length: 1000 },
      (_, i) =>
        `m${i}: submitResults(input: { model: { identifier: "x/alias${i}" }, scores: [{ benchmark: "ImageNet-top1", value: 0.5 }] }) { ok }`,
    ).join(' ');
    const m = await post(
      server.url,
      { query: `mutation { ${batch} }` },
      { authorization: `Bearer ${keys.a.key}` },
    );
    expect(m.status).toBe(400);
    // This document is also over the parser's token limit, which refuses it first.
    expect(m.json.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(m.json.errors?.[0]?.message).toMatch(/Document contains more that 20000 tokens/); // sic (graphql-js);
    const sixty = Array.from(
      { length: 60 },
      (_, i) =>
        `m${i}: submitResults(input: { model: { identifier: "x/alias${i}" }, scores: [{ benchmark: "ImageNet-top1", value: 0.5 }] }) { ok }`,
    ).join(' ');
    const m60 = await post(
      server.url,
      { query: `mutation { ${sixty} }` },
      { authorization: `Bearer ${keys.a.key}` },
    );
    expect(m60.status).toBe(400);
    expect(m60.json.errors?.[0]?.extensions?.code).toBe('TOO_MANY_ALIASES');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses an expensive query with QUERY_TOO_COMPLEX and pages over 100 with BAD_USER_INPUT', async () => {
    const q = `{ models(first: 100) { edges { node { scores { benchmark { children { children { scores(first: 100) { edges { node { run { id } } } } } } } } } } } }`;
    const r = await post(server.url, { query: q });
    expect(r.status).toBe(400);
    expect(r.json.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    const big = await post(server.url, { query: '{ models(first: 1000) { totalCount } }' });
    expect(big.json.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers introspection and serves a landing page that loads nothing from the internet', async () => {
    const r = await post(server.url, { query: '{ __schema { queryType { name } types { name } } }' });
    expect(r.status).toBe(200);
    expect(
      (r.json.data as { __schema: { types: { name: string }[] } }).__schema.types.map((t) => t.name),
    ).toContain('LeaderboardRow');
    const page = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('AlignScope GraphQL API');
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
  });

  it('masks unexpected errors with INTERNAL_SERVER_ERROR and no details', async () => {
    // A server on a database that is gone: the SQL error must not leak.
    const broken = await startApiServer({ db: t.db, logError: () => {} });
    const original = t.pool.query.bind(t.pool);
    (t.pool as unknown as { query: unknown }).query = () =>
      Promise.reject(new Error('relation "secret_table" does not exist'));
    try {
      const r = await post(broken.url, { query: '{ models { totalCount } }' });
      const err = r.json.errors?.[0];
      expect(err?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(err?.message).toBe('Internal server error');
      expect(JSON.stringify(r.json)).not.toMatch(/secret_table|stack|at /);
    } finally {
      (t.pool as unknown as { query: unknown }).query = original;
      await broken.close();
    }
  });
});
