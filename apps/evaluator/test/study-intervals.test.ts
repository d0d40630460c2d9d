/**
 * A study result keeps the uncertainty interval stored with each analysed value (issue 12: the export's
 * scatter plots draw them as whiskers): the current score's interval for a full-image-set value, the
 * --limit run's for a limited one, nothing where none was stored, and nothing where the stored interval
 * does not contain the value it is said to belong to.
 *
 * The scores and runs are written here through the queries layer (no evaluation runs): the values and
 * intervals are the test's own inputs, so what is checked is which interval reaches which value.
 */
import {
  completeEvaluationRun,
  createRun,
  getBenchmark,
  upsertModel,
  upsertScore,
} from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { studySchema } from '../src/studies/definition.ts';
import { computeStudyResult, type StudyPlan, valueIntervals } from '../src/studies/run.ts';

const AA = 'cifar10.AutoAttack-Linf-1/255';
const TOP1 = 'CIFAR10-top1';
const CP = 'clopper-pearson 95%';
const models = ['m1', 'm2', 'm3', 'm4'];

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.close();
});

describe('valueIntervals', () => {
  it('keeps an interval only with a value inside it, and a column only with some interval', () => {
    const iv = (low: number, high: number, method: string | null = CP) => ({ low, high, method });
    expect(
      valueIntervals(
        { a: [0.5, 0.5, null, 0, 0.9], b: [0.1, 0.2], c: [0.3] },
        {
          // 0.5 in [0.4, 0.6]; 0.5 not in [0.6, 0.7]; no value; 0 at the low end 0; no interval.
          a: [iv(0.4, 0.6), iv(0.6, 0.7), iv(0, 1), iv(0, 0.84, 'bootstrap'), null],
          b: [null, null],
          c: [iv(0.2, 0.4, null)],
        },
      ),
    ).toEqual({
      intervals: { a: [[0.4, 0.6], null, null, [0, 0.84], null], c: [[0.2, 0.4]] },
      intervalMethods: { a: ['bootstrap', CP], c: ['method not recorded'] },
    });
  });
});

describe('computeStudyResult', () => {
  it("stores each value's interval: the score's, or for a limited value its --limit run's", async () => {
    const top1 = await getBenchmark(t.db, TOP1);
    const aa = await getBenchmark(t.db, AA);
    if (!top1 || !aa) throw new Error('catalog not seeded');
    const id = new Map<string, number>();
    for (const m of models) id.set(m, (await upsertModel(t.db, { identifier: m, displayName: m })).model.id);
    const score = async (m: string, b: typeof top1, value: number, ci: [number, number] | null) =>
      upsertScore(t.db, {
        modelId: id.get(m) as number,
        benchmarkId: b.id,
        benchmarkVersion: b.version,
        status: 'scored',
        rawValue: value,
        ceiledValue: value,
        ciLow: ci?.[0] ?? null,
        ciHigh: ci?.[1] ?? null,
        ciMethod: ci ? CP : null,
        source: 'import',
      });
    // CIFAR10-top1 on the full image set: m1 with an interval, m2 without, m3 with one that does not
    // contain its value (not this value's), m4 not scored.
    await score('m1', top1, 0.9, [0.85, 0.94]);
    await score('m2', top1, 0.8, null);
    await score('m3', top1, 0.7, [0.75, 0.8]);
    // AutoAttack on 2 images (the study's limit): the --limit runs' values with their Clopper-Pearson
    // intervals. For n = 2 they have closed forms: 1 of 2 is [1 - sqrt(0.975), sqrt(0.975)], 0 of 2 is
    // [0, 1 - sqrt(0.025)], 2 of 2 is [sqrt(0.025), 1]. m3's run stored its value without an interval.
    // m1 also has a full-image-set score with another interval, which a limited value must not take.
    await score('m1', aa, 0.3, [0.2, 0.4]);
    const partial = async (m: string, k: number, ci: [number, number] | null) => {
      const run = await createRun(t.db, {
        kind: 'evaluation',
        producer: 'alignscope evaluate',
        modelId: id.get(m) as number,
        configuration: { benchmark: AA, limit: 2 },
      });
      await completeEvaluationRun(t.db, {
        runId: run.id,
        modelId: id.get(m) as number,
        benchmarkId: aa.id,
        benchmarkVersion: aa.version,
        partial: true,
        status: 'succeeded',
        value: {
          raw: k / 2,
          ceiled: k / 2,
          error: null,
          ceiling: null,
          interval: { low: ci?.[0] ?? null, high: ci?.[1] ?? null, method: CP },
        },
      });
    };
    const r975 = Math.sqrt(0.975);
    const r025 = Math.sqrt(0.025);
    await partial('m1', 1, [1 - r975, r975]);
    await partial('m2', 0, [0, 1 - r025]);
    await partial('m3', 1, null);
    await partial('m4', 2, [r025, 1]);

    const def = studySchema.parse({
      name: 'intervals',
      title: 'Which interval reaches which value',
      cohort: { models },
      benchmarks: [TOP1],
      robustness: [{ dataset: 'cifar10', norm: 'Linf', eps: ['1/255'], images: { set: 'default', size: 2 } }],
      analysis: { minN: 3, aggregates: ['cifar10_vision'] },
    });
    const planned = (benchmark: string, kind: 'alignment' | 'robustness', limit: number | null) =>
      models.map((model) => ({ model, benchmark, kind, state: 'current' as const, limit }));
    const plan: StudyPlan = {
      study: 'intervals@1',
      cohort: models,
      benchmarks: [TOP1],
      robustness: [AA],
      scores: [...planned(TOP1, 'alignment', null), ...planned(AA, 'robustness', 2)],
      counts: { current: 8, missing: 0, unavailable: 0 },
      estimateMs: 0,
      unmeasured: [],
    };
    const result = await computeStudyResult(t.db, def, plan);
    expect(result.values[TOP1]).toEqual([0.9, 0.8, 0.7, null]);
    expect(result.values[AA]).toEqual([0.5, 0, 0.5, 1]);
    expect(result.intervals).toEqual({
      [TOP1]: [[0.85, 0.94], null, null, null],
      [AA]: [[1 - r975, r975], [0, 1 - r025], null, [r025, 1]],
    });
    expect(result.intervalMethods).toEqual({ [TOP1]: [CP], [AA]: [CP] });
    // The aggregate has values (cifar10_vision: the mean of its children) and no intervals.
    expect(result.values.cifar10_vision?.slice(0, 3)).toEqual([0.9, 0.8, 0.7]);
  }, 60_000);
});
