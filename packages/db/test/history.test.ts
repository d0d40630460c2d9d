/**
 * Score versions (issue 13): an import, an evaluation, a submission and a second import of the same
 * cell each keep their value; the current value follows the documented rule (scored first; evaluation,
 * then submission, then import; then the newest); the board as of a past time shows the value then.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applySubmission,
  boardData,
  completeEvaluationRun,
  createApiKey,
  createRun,
  currentVersionsAsOf,
  getBenchmark,
  listBenchmarkVersions,
  scoreChanges,
  scoreHistory,
  upsertModel,
  upsertScoresBatch,
} from '../src/queries/index.ts';
import { scores, scoreVersions } from '../src/tables/index.ts';
import { createTestDb, type TestDb } from '../src/testing.ts';

const tick = () => new Promise((r) => setTimeout(r, 15));

describe('score versions and history', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(() => t?.close());

  it('keeps every write as a version and chooses the current value by the rule; asOf reads the past', async () => {
    const { model } = await upsertModel(t.db, { identifier: 'lab/resnet', displayName: 'ResNet' });
    const b = await getBenchmark(t.db, 'ImageNet-top1');
    if (!b) throw new Error('catalog not seeded');
    const cell = { modelId: model.id, benchmarkId: b.id, benchmarkVersion: b.version };
    const current = async () =>
      (await t.db.select().from(scores).where(eq(scores.modelId, model.id)))[0]?.rawValue ?? null;
    const boardValue = async (at: Parameters<typeof boardData>[1]) =>
      (await boardData(t.db, at)).scores.find((s) => s.modelId === model.id && s.benchmarkId === b.id)
        ?.rawValue ?? null;

    // 1. An import.
    const importRun = await createRun(t.db, { kind: 'import', producer: 'test-import' });
    await upsertScoresBatch(t.db, [{ ...cell, status: 'scored', rawValue: 0.7, runId: importRun.id }]);
    expect(await current()).toBe(0.7);
    await tick();
    const afterFirst = new Date();
    await tick();

    // 2. An evaluation: the platform's own value becomes current.
    const evalRun = await createRun(t.db, { kind: 'evaluation', producer: 'test-eval', modelId: model.id });
    const ev = await completeEvaluationRun(t.db, {
      runId: evalRun.id,
      ...cell,
      status: 'succeeded',
      value: {
        raw: 0.75,
        ceiled: 0.75,
        error: null,
        ceiling: 1,
        interval: { low: 0.7, high: 0.8, method: 'clopper-pearson 95%' },
      },
    });
    expect(ev.written).toBe('scored');
    expect(await current()).toBe(0.75);
    await tick();
    const afterEval = new Date();
    await tick();

    // 3. A submission: kept as a version; the evaluation stays current (evaluation before submission).
    const key = await createApiKey(t.db, { name: 'lab', isAdmin: true });
    const sub = await applySubmission(t.db, {
      apiKey: { id: key.apiKey.id, isAdmin: true },
      payloadSha256: 'a'.repeat(64),
      payload: {},
      model: { identifier: 'lab/resnet' },
      scores: [
        {
          ...cell,
          status: 'scored',
          rawValue: 0.8,
          ceiledValue: null,
          error: null,
          ceiling: null,
          ciLow: null,
          ciHigh: null,
          ciMethod: null,
        },
      ],
      provenance: { producer: 'lab-eval', producerVersion: null, configuration: {}, environment: {} },
    });
    expect(sub.kind).toBe('accepted');
    expect(await current()).toBe(0.75);

    let versions = await t.db
      .select()
      .from(scoreVersions)
      .where(eq(scoreVersions.modelId, model.id))
      .orderBy(scoreVersions.id);
    expect(versions.map((v) => [v.source, v.rawValue])).toEqual([
      ['import', 0.7],
      ['evaluation', 0.75],
      ['submission', 0.8],
    ]);

    // 4. A second import of the same cell: a fourth version, the current value unchanged.
    await upsertScoresBatch(t.db, [{ ...cell, status: 'scored', rawValue: 0.72, runId: importRun.id }]);
    versions = await t.db
      .select()
      .from(scoreVersions)
      .where(eq(scoreVersions.modelId, model.id))
      .orderBy(scoreVersions.id);
    expect(versions).toHaveLength(4);
    expect(await current()).toBe(0.75);
    // Re-sending the newest imported value adds nothing (idempotent re-imports).
    const again = await upsertScoresBatch(t.db, [
      { ...cell, status: 'scored', rawValue: 0.72, runId: importRun.id },
    ]);
    expect(again.unchanged).toBe(1);

    // 5. A failed evaluation re-run is a version too, but the scored value stays current.
    const failedRun = await createRun(t.db, { kind: 'evaluation', producer: 'test-eval', modelId: model.id });
    const failed = await completeEvaluationRun(t.db, {
      runId: failedRun.id,
      ...cell,
      status: 'failed',
      error: 'x',
    });
    expect(failed.written).toBe('kept');
    expect(failed.score?.rawValue).toBe(0.75);
    expect(
      (await scoreHistory(t.db, [cell])).get(`${model.id}:${b.id}:${b.version}`)?.map((v) => v.status),
    ).toEqual(['scored', 'scored', 'scored', 'scored', 'failed']);

    // As of a time before the second write: the first value, on the board and per cell.
    expect(await boardValue({ asOf: afterFirst })).toBe(0.7);
    expect(
      (await currentVersionsAsOf(t.db, [cell], afterFirst)).get(`${model.id}:${b.id}:${b.version}`)?.rawValue,
    ).toBe(0.7);
    expect(await boardValue({ asOf: afterEval })).toBe(0.75);
    expect(await boardValue({ asOf: new Date() })).toBe(0.75);
    // The model did not exist before it was created.
    expect((await boardData(t.db, { asOf: new Date(model.createdAt.getTime() - 1000) })).models).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ identifier: 'lab/resnet' })]),
    );
    // Another rule, per query: imports first (the newest import, 0.72), or submissions first.
    expect(await boardValue({ sourceOrder: ['import', 'evaluation', 'submission'] })).toBe(0.72);
    expect(await boardValue({ sourceOrder: ['submission', 'evaluation', 'import'] })).toBe(0.8);

    // What changed, and why.
    const changes = await scoreChanges(t.db, { since: new Date(0), until: new Date(), limit: 100 });
    expect(
      changes.filter((c) => c.modelId === model.id).map((c) => [c.before, c.after.rawValue, c.reason]),
    ).toEqual([[null, 0.75, 'first-value']]);
    const later = await scoreChanges(t.db, { since: afterFirst, until: afterEval, limit: 100 });
    expect(later.map((c) => [c.model, c.before?.rawValue, c.after.rawValue, c.reason])).toEqual([
      ['lab/resnet', 0.7, 0.75, 'new-source'],
    ]);
  });

  it('records benchmark versions with what changed', async () => {
    const b = await getBenchmark(t.db, 'ImageNet-top1');
    if (!b) throw new Error('catalog not seeded');
    expect((await listBenchmarkVersions(t.db, b.id)).map((v) => [v.version, v.changes])).toEqual([
      [1, 'first version'],
    ]);
  });
});
