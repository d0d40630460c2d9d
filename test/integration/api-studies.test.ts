/**
 * Studies and the robustness predictor in the GraphQL API (issue 12): `studies`, `study(id)` with its
 * definition, progress over its jobs, jobs and result tables; `runStudy` (who may run a study, and that
 * it hands the study to the workers' queue); `predictRobustness` on a hand-built board (feature
 * selection, held-out accuracy of a perfectly monotone feature, bad input).
 */
import { predictRobustness } from '@alignscope/analysis';
import {
  createApiKey,
  enqueueJobs,
  getModel,
  getStudy,
  insertModelsBulk,
  listBenchmarks,
  saveStudyDefinition,
  updateStudy,
  upsertScoresBulk,
} from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { type ApiServer, startApiServer } from '@alignscope/schema';
import { graphql } from '@alignscope/schema/client';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, query, request } from '../support/graphql.ts';

const Studies = graphql(`
  query Studies {
    studies { id name version title status }
  }
`);

const StudyDetail = graphql(`
  query StudyDetail($id: ID!) {
    study(id: $id) {
      id name version title description reference definition status plan error
      progress { jobs queued running succeeded failed cancelled fraction settled
        models { model jobs succeeded failed fraction } runningJobs { jobId model benchmark } }
      jobs { id benchmark state model { identifier } configuration }
      result {
        computedAt models provenance
        correlations { target rows { benchmark n coefficient pValue qValue ciLow ciHigh rankingAccuracy partialCoefficient significant reason } }
        aggregates { target benchmark n r2 f fP }
        predictor { target features n folds heldOutRankingAccuracy heldOutSpearman predictions { model target prediction } }
      }
    }
  }
`);

const StudyFailures = graphql(`
  query StudyFailures($id: ID!) {
    study(id: $id) { status error failures { model benchmark limit state error } }
  }
`);

const StudyTable = graphql(`
  query StudyTable($id: ID!, $benchmarks: [String!], $roles: [StudyColumnRole!], $first: Int, $offset: Int, $cellsFirst: Int, $cellsOffset: Int) {
    study(id: $id) {
      result {
        models
        columns(benchmarks: $benchmarks, roles: $roles, first: $first, offset: $offset) {
          benchmark roles intervalMethods n
          cells(first: $cellsFirst, offset: $cellsOffset) { model value ciLow ciHigh }
        }
      }
    }
  }
`);

const RunStudy = graphql(`
  mutation RunStudy($id: ID!) {
    runStudy(id: $id) { ok study { id status } errors { code message path } }
  }
`);

const Predict = graphql(`
  query Predict($target: String!, $benchmarks: [String!], $cohort: [String!], $folds: Int, $minN: Int) {
    predictRobustness(target: $target, benchmarks: $benchmarks, cohort: $cohort, folds: $folds, minN: $minN) {
      target selected dropped { benchmark reason } n folds heldOutRankingAccuracy heldOutSpearman
      weights { benchmark weight } predictions { model target prediction } reason
    }
  }
`);

const TARGET = 'AutoAttack-Linf-1/255';
const SHAPE = 'Hermann2020cueconflict-shape_bias';
const MATCH = 'Hermann2020cueconflict-shape_match';
const TOP1 = 'ImageNet-top1';
const TARGET_LOW = 'AutoAttack-Linf-0.5/255';
const N = 12;

let t: TestDb;
let server: ApiServer;
let url: string;
let studyId: number;
let tableId: number;
let bareId: number;
const keys: Record<string, string> = {};
// Target: robust accuracy i/20; shape bias rises with it (a perfectly monotone feature); shape match
// is constant; ImageNet top-1 is known for 3 models only.
const target = Array.from({ length: N }, (_, i) => (i + 1) / 20);
const shape = target.map((v) => 0.2 + v * v);

beforeAll(async () => {
  t = await createTestDb();
  const ids = await insertModelsBulk(
    t.db,
    Array.from({ length: N }, (_, i) => ({
      identifier: `m-${String(i).padStart(2, '0')}`,
      displayName: `m ${i}`,
    })),
  );
  const leaves = new Map((await listBenchmarks(t.db)).map((b) => [b.identifier, b]));
  const rows: Parameters<typeof upsertScoresBulk>[1] = [];
  const add = (b: string, i: number, v: number) => {
    const bench = leaves.get(b);
    if (!bench) throw new Error(`no benchmark ${b}`);
    rows.push({
      modelId: ids.get(`m-${String(i).padStart(2, '0')}`) as number,
      benchmarkId: bench.id,
      benchmarkVersion: bench.version,
      status: 'scored',
      rawValue: v,
      ceiledValue: v,
      ceiling: null,
    });
  };
  for (let i = 0; i < N; i++) {
    add(TARGET, i, target[i] as number);
    add(SHAPE, i, shape[i] as number);
    add(MATCH, i, 0.5);
    if (i < 3) add(TOP1, i, 0.7 + i / 100);
  }
  await upsertScoresBulk(t.db, rows);
  for (const [name, isAdmin] of [
    ['admin', true],
    ['lab', false],
  ] as const) {
    keys[name] = (await createApiKey(t.db, { name, isAdmin })).key;
  }
  // A stored study with a plan, one job linked to it (queued) and a hand-made result.
  const { study } = await saveStudyDefinition(t.db, 'tiny', {
    name: 'tiny',
    title: 'Tiny study',
    description: 'for the API test',
    cohort: { models: ['m-00', 'm-01', 'm-02'] },
  });
  studyId = study.id;
  await enqueueJobs(t.db, {
    modelId: ids.get('m-00') as number,
    studyId,
    jobs: [{ benchmark: SHAPE, benchmarkVersion: 1, configuration: { limit: 4 } }],
  });
  await updateStudy(t.db, studyId, {
    status: 'computed',
    plan: { cohort: ['m-00', 'm-01', 'm-02'] },
    result: {
      study: 'tiny@1',
      computedAt: '2026-12-06T08:00:00.000Z',
      models: ['m-00', 'm-01', 'm-02'],
      correlations: [
        {
          target: TARGET,
          rows: [
            {
              benchmark: SHAPE,
              n: 3,
              coefficient: 1,
              pValue: 0,
              qValue: 0,
              ciLow: 1,
              ciHigh: 1,
              rankingAccuracy: 1,
              r2: 0.9,
              fStatistic: 9,
              fPValue: 0.2,
              slope: 1,
              intercept: 0,
              significant: true,
              reason: null,
            },
          ],
        },
      ],
      aggregates: [{ target: TARGET, benchmark: 'behavior', n: 3, r2: 0.5, f: 1, fP: 0.5 }],
      predictor: [
        {
          target: TARGET,
          features: [SHAPE],
          targetValues: [0.05, 0.1, null],
          result: {
            n: 2,
            folds: 2,
            predictions: [0.25, 0.75, null],
            heldOutSpearman: 1,
            heldOutRankingAccuracy: 1,
            weights: {},
            intercept: 0,
            reason: null,
          },
        },
      ],
      provenance: { method: 'spearman' },
    },
  });
  // A result with its analysed table (hand-made): two targets, the shape bias a benchmark and an
  // aggregate, top-1 a benchmark and the covariate (as in cifar10-zoo); intervals on some cells only.
  const cohort = ['m-00', 'm-01', 'm-02', 'm-03'];
  const tableResult = {
    study: 'table@1',
    computedAt: '2026-12-06T09:00:00.000Z',
    models: cohort,
    values: {
      [SHAPE]: [0.3, 0.6, null, 0.1],
      [TOP1]: [0.71, 0.72, 0.73, null],
      [MATCH]: [0.5, 0.5, 0.5, 0.5],
      [TARGET]: [0.25, 0.5, 0.125, 0],
      [TARGET_LOW]: [0.75, 0.875, 0.5, 0.25],
    },
    intervals: {
      [TARGET]: [[0.1, 0.4], [0.3, 0.7], null, [0, 0.2]],
      [SHAPE]: [[0.25, 0.35], null, null, [0.05, 0.15]],
    },
    intervalMethods: { [TARGET]: ['clopper-pearson 95%'], [SHAPE]: ['trial bootstrap 95% (1000, seed 0)'] },
    correlations: [
      { target: TARGET_LOW, rows: [] },
      { target: TARGET, rows: [] },
    ],
    aggregates: [{ target: TARGET, benchmark: SHAPE, n: 3, r2: null, f: null, fP: null }],
    predictor: [],
    provenance: { method: 'spearman', covariate: TOP1 },
  };
  const table = await saveStudyDefinition(t.db, 'table', {
    name: 'table',
    title: 'A study with its analysed table',
    cohort: { models: cohort },
  });
  tableId = table.study.id;
  await updateStudy(t.db, tableId, {
    status: 'computed',
    plan: {
      study: 'table@1',
      cohort,
      benchmarks: [TOP1, SHAPE, MATCH],
      robustness: [TARGET_LOW, TARGET],
      scores: [],
      estimateMs: null,
    },
    result: tableResult,
  });
  // The same result as stored before intervals were kept.
  const { intervals: _, intervalMethods: __, ...bareResult } = tableResult;
  const bare = await saveStudyDefinition(t.db, 'bare', {
    name: 'bare',
    title: 'A result without intervals',
    cohort: { models: cohort },
  });
  bareId = bare.study.id;
  await updateStudy(t.db, bareId, { status: 'computed', result: bareResult });
  server = await startApiServer({ db: t.db, logError: () => {} });
  url = server.url;
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

describe('studies in the API', () => {
  it('lists studies and shows one with progress from its jobs, its jobs and its result tables', async () => {
    expect((await query(url, Studies)).studies).toEqual([
      {
        id: String(bareId),
        name: 'bare',
        version: 1,
        title: 'A result without intervals',
        status: 'computed',
      },
      {
        id: String(tableId),
        name: 'table',
        version: 1,
        title: 'A study with its analysed table',
        status: 'computed',
      },
      { id: String(studyId), name: 'tiny', version: 1, title: 'Tiny study', status: 'computed' },
    ]);
    const s = (await query(url, StudyDetail, { id: String(studyId) })).study;
    expect(s?.description).toBe('for the API test');
    expect(s?.reference).toBeNull();
    expect(s?.plan).toEqual({ cohort: ['m-00', 'm-01', 'm-02'] });
    // One queued job: nothing done yet, not settled.
    expect(s?.progress).toEqual({
      jobs: 1,
      queued: 1,
      running: 0,
      succeeded: 0,
      failed: 0,
      cancelled: 0,
      fraction: 0,
      settled: false,
      models: [{ model: 'm-00', jobs: 1, succeeded: 0, failed: 0, fraction: 0 }],
      runningJobs: [],
    });
    expect(s?.jobs.map((j) => [j.model.identifier, j.benchmark, j.state, j.configuration])).toEqual([
      ['m-00', SHAPE, 'queued', { limit: 4 }],
    ]);
    expect(s?.result?.correlations[0]?.rows[0]).toMatchObject({
      benchmark: SHAPE,
      n: 3,
      coefficient: 1,
      partialCoefficient: null,
    });
    expect(s?.result?.aggregates).toEqual([
      { target: TARGET, benchmark: 'behavior', n: 3, r2: 0.5, f: 1, fP: 0.5 },
    ]);
    // Held-out predictions with each model's target value; a model without a prediction is left out.
    expect(s?.result?.predictor[0]?.predictions).toEqual([
      { model: 'm-00', target: 0.05, prediction: 0.25 },
      { model: 'm-01', target: 0.1, prediction: 0.75 },
    ]);
    expect((await query(url, StudyDetail, { id: '999999' })).study).toBeNull();
  });

  it("serves the analysed table: every column's roles, values and intervals, paged", async () => {
    const q = async (
      vars: Omit<Parameters<typeof query<unknown, { id: string }>>[2], 'id'> = {},
      id = tableId,
    ) => (await query(url, StudyTable, { id: String(id), ...vars })).study?.result;
    const r = await q();
    expect(r?.models).toEqual(['m-00', 'm-01', 'm-02', 'm-03']);
    // Targets as the correlation tables list them, then the plan's benchmarks in its order.
    expect(r?.columns?.map((c) => [c.benchmark, c.roles, c.n])).toEqual([
      [TARGET_LOW, ['TARGET'], 4],
      [TARGET, ['TARGET'], 4],
      [TOP1, ['BENCHMARK', 'COVARIATE'], 3],
      [SHAPE, ['BENCHMARK', 'AGGREGATE'], 3],
      [MATCH, ['BENCHMARK'], 4],
    ]);
    const col = (b: string) => r?.columns?.find((c) => c.benchmark === b);
    expect(col(TARGET)).toEqual({
      benchmark: TARGET,
      roles: ['TARGET'],
      intervalMethods: ['clopper-pearson 95%'],
      n: 4,
      cells: [
        { model: 'm-00', value: 0.25, ciLow: 0.1, ciHigh: 0.4 },
        { model: 'm-01', value: 0.5, ciLow: 0.3, ciHigh: 0.7 },
        { model: 'm-02', value: 0.125, ciLow: null, ciHigh: null },
        { model: 'm-03', value: 0, ciLow: 0, ciHigh: 0.2 },
      ],
    });
    // Null where a model has no value; no interval stored: null interval, no method.
    expect(col(SHAPE)?.cells.map((c) => [c.value, c.ciLow, c.ciHigh])).toEqual([
      [0.3, 0.25, 0.35],
      [0.6, null, null],
      [null, null, null],
      [0.1, 0.05, 0.15],
    ]);
    expect(col(SHAPE)?.intervalMethods).toEqual(['trial bootstrap 95% (1000, seed 0)']);
    expect(col(TOP1)?.intervalMethods).toEqual([]);
    expect(col(TOP1)?.cells.map((c) => c.value)).toEqual([0.71, 0.72, 0.73, null]);
    // Filters and pages: columns by role and identifier, cells by offset.
    expect((await q({ roles: ['COVARIATE', 'AGGREGATE'] }))?.columns?.map((c) => c.benchmark)).toEqual([
      TOP1,
      SHAPE,
    ]);
    expect(
      (await q({ benchmarks: [MATCH, 'nope', TARGET], first: 1, offset: 1 }))?.columns?.map(
        (c) => c.benchmark,
      ),
    ).toEqual([MATCH]);
    expect(
      (await q({ benchmarks: [TARGET], cellsFirst: 2, cellsOffset: 1 }))?.columns?.[0]?.cells.map(
        (c) => c.model,
      ),
    ).toEqual(['m-01', 'm-02']);
    expect((await q({ benchmarks: [TARGET], cellsOffset: 4 }))?.columns?.[0]?.cells).toEqual([]);
    // A result stored before intervals were kept: values, every interval null, no methods.
    const bare = await q({ benchmarks: [TARGET] }, bareId);
    expect(bare?.columns?.[0]).toMatchObject({
      benchmark: TARGET,
      roles: ['TARGET'],
      intervalMethods: [],
      n: 4,
    });
    expect(bare?.columns?.[0]?.cells.map((c) => [c.value, c.ciLow, c.ciHigh])).toEqual([
      [0.25, null, null],
      [0.5, null, null],
      [0.125, null, null],
      [0, null, null],
    ]);
    // A result stored before the values were kept: no table (null), not an error.
    expect((await q({}, studyId))?.columns).toBeNull();
    // Bad pages are refused with BAD_USER_INPUT.
    const bad = async (v: Record<string, unknown>) =>
      (await request(url, StudyTable, { id: String(tableId), ...v })).errors?.[0];
    expect(await bad({ cellsFirst: 101 })).toMatchObject({
      message: 'first must be an integer from 0 to 100 (got 101)',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(await bad({ offset: -1 })).toMatchObject({
      message: 'offset must be 0 to 100000',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('refuses a whole 1,000-model x 40-column table in one request with QUERY_TOO_COMPLEX', async () => {
    // Ten pages of 100 cells for 40 columns: 40,042 (hand count in packages/schema/test/limits.test.ts).
    const pages = Array.from(
      { length: 10 },
      (_, k) => `p${k}: cells(offset: ${100 * k}) { value ciLow ciHigh }`,
    );
    const big = await post(url, {
      query: `{ study(id: "${tableId}") { result { columns(first: 40) { ${pages.join(' ')} } } } }`,
    });
    expect(big.status).toBe(400);
    expect(big.json.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', actual: 40_042 });
    // Half of it (20 columns) is within the limit and answers.
    const half = await post(url, {
      query: `{ study(id: "${tableId}") { result { columns(first: 20) { ${pages.join(' ')} } } } }`,
    });
    expect(half.status).toBe(200);
    expect(half.json.errors).toBeUndefined();
  });

  it('runStudy: a key, then an admin key or the owner of every cohort model, then a worker queue', async () => {
    const run = (key?: string, id = String(studyId)) =>
      request(url, RunStudy, { id }, key ? { key } : {}).then((r) => r.data?.runStudy);
    expect((await run())?.errors[0]?.code).toBe('UNAUTHENTICATED');
    expect((await run(keys.admin, '424242'))?.errors[0]).toEqual({
      code: 'UNKNOWN_STUDY',
      message: 'unknown study "424242"',
      path: ['id'],
    });
    // The lab key owns none of m-00..m-02.
    expect((await run(keys.lab))?.errors[0]?.code).toBe('FORBIDDEN');
    // No worker has installed the queue yet: nothing changes.
    expect((await run(keys.admin))?.errors[0]?.code).toBe('NOT_EVALUABLE');
    expect((await getStudy(t.db, studyId))?.status).toBe('computed');
    const { runMigrations } = await import('graphile-worker');
    await runMigrations({ connectionString: t.url });
    const ok = await run(keys.admin);
    expect(ok).toEqual({ ok: true, study: { id: String(studyId), status: 'requested' }, errors: [] });
    const queued = await t.db.execute<{ task: string; payload: unknown }>(
      sql`select t.identifier as task, j.payload from graphile_worker._private_jobs j
        join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'study:run'`,
    );
    expect(queued.rows).toEqual([{ task: 'study:run', payload: { studyId } }]);
    // Asked twice: refused while it is requested.
    expect((await run(keys.admin))?.errors[0]?.code).toBe('INVALID_STATE');
  });

  it('lists the planned scores that failed, with the error of each', async () => {
    const { study } = await saveStudyDefinition(t.db, 'broken', {
      name: 'broken',
      title: 'A study with a failed job',
      cohort: { models: ['m-01', 'm-02'] },
    });
    const m01 = await getModel(t.db, 'm-01');
    const [job] = await enqueueJobs(t.db, {
      modelId: m01?.id as number,
      studyId: study.id,
      jobs: [{ benchmark: MATCH, benchmarkVersion: 1, configuration: { limit: 4 } }],
    });
    await t.db.execute(
      sql`update evaluation_jobs set state = 'failed', attempts = 3, error = 'not an ONNX model' where id = ${job?.job.id}`,
    );
    await updateStudy(t.db, study.id, {
      status: 'done_with_failures',
      error: '1 planned score(s) failed and are left out of the result: m-01 ...',
      plan: {
        study: 'broken@1',
        cohort: ['m-01', 'm-02'],
        benchmarks: [MATCH],
        robustness: [],
        scores: [
          { model: 'm-01', benchmark: MATCH, kind: 'alignment', state: 'missing', limit: 4 },
          { model: 'm-02', benchmark: MATCH, kind: 'alignment', state: 'current', limit: 4 },
        ],
        estimateMs: null,
      },
    });
    expect((await query(url, StudyFailures, { id: String(study.id) })).study).toEqual({
      status: 'done_with_failures',
      error: '1 planned score(s) failed and are left out of the result: m-01 ...',
      failures: [{ model: 'm-01', benchmark: MATCH, limit: 4, state: 'failed', error: 'not an ONNX model' }],
    });
    // The first study's plan has no scores: nothing failed.
    expect((await query(url, StudyFailures, { id: String(studyId) })).study?.failures).toEqual([]);
  });
});

describe('predictRobustness', () => {
  it('selects the usable benchmarks and ranks held-out models like the analysis package', async () => {
    const r = (await query(url, Predict, { target: TARGET, benchmarks: [SHAPE, MATCH, TOP1], folds: null }))
      .predictRobustness;
    expect(r.selected).toEqual([SHAPE]);
    expect(r.dropped).toEqual([
      { benchmark: MATCH, reason: 'constant' },
      { benchmark: TOP1, reason: 'n = 3 < 8' },
    ]);
    expect(r.n).toBe(N);
    expect(r.folds).toBe(N); // leave-one-out
    // Reference: the analysis package's predictor on the same columns, built here from the seed.
    const models = Array.from({ length: N }, (_, i) => `m-${String(i).padStart(2, '0')}`);
    const ref = predictRobustness(
      { models, columns: { [TARGET]: target, [SHAPE]: shape } },
      { target: TARGET, features: [SHAPE], folds: 'loo', lambda: 0.1, seed: 0 },
    );
    expect(r.heldOutRankingAccuracy).toBeCloseTo(ref.heldOutRankingAccuracy as number, 12);
    expect(r.heldOutSpearman).toBeCloseTo(ref.heldOutSpearman as number, 12);
    // A strictly monotone single feature orders every held-out pair as the target does.
    expect(r.heldOutRankingAccuracy).toBe(1);
    expect(r.predictions.map((p) => p.model)).toEqual([...models].reverse());
    expect(r.predictions[0]?.target).toBeCloseTo(target[N - 1] as number, 12);
  });

  it('defaults to the alignment leaves and a cohort subset; bad input is a clear error', async () => {
    const all = (await query(url, Predict, { target: TARGET })).predictRobustness;
    expect(all.selected).toEqual([SHAPE]);
    expect(all.dropped.map((d) => d.benchmark)).toContain(MATCH);
    expect(all.dropped.map((d) => d.benchmark)).not.toContain(TARGET);
    const some = (
      await query(url, Predict, {
        target: TARGET,
        cohort: ['m-00', 'm-01', 'm-02', 'm-03'],
        minN: 3,
        folds: 2,
      })
    ).predictRobustness;
    expect(some.n).toBe(4);
    const err = async (v: Parameters<typeof request<unknown, Record<string, unknown>>>[2]) =>
      (await request(url, Predict, v as never)).errors?.[0]?.message;
    expect(await err({ target: 'nope' })).toBe('unknown benchmark "nope"');
    expect(await err({ target: TARGET, benchmarks: [TARGET] })).toBe(
      'benchmarks must not include the target',
    );
    expect(await err({ target: TARGET, folds: 1 })).toBe('folds must be 2 to 50');
    expect(await err({ target: TARGET, cohort: ['m-00', 'ghost'] })).toBe('unknown public model "ghost"');
    expect(await err({ target: TARGET, benchmarks: [MATCH] })).toBe(
      `no usable feature: every candidate has fewer than 8 values among the models with a ${TARGET} value, or is constant`,
    );
  });
});
