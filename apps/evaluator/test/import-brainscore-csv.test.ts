/**
 * brainscore-csv on small leaderboard CSVs written by the test in both layouts. The aggregates in
 * the files are worked out by hand in the comments (Brain-Score rule: mean of direct children,
 * missing child = 0), so the report's comparison is checked against independent numbers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  beyondUncertainty,
  createRun,
  getBenchmark,
  listScores,
  upsertModel,
  upsertScore,
} from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSummary } from '../src/commands/import.ts';
import { brainscoreCsv } from '../src/importers/brainscore-csv.ts';
import { normalizeBrainScoreIdentifier } from '../src/importers/brainscore-names.ts';
import { runImport } from '../src/importers/index.ts';

let t: TestDb;
let dir: string;
beforeAll(async () => {
  t = await createTestDb();
  dir = mkdtempSync(path.join(tmpdir(), 'alignscope-bscsv-'));
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, text: string) => {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
};

describe('Brain-Score identifiers', () => {
  it('strips lab prefixes and version suffixes and renames old names', () => {
    expect(normalizeBrainScoreIdentifier('dicarlo.MajajHong2015.IT-pls').identifier).toBe(
      'MajajHong2015.IT-pls',
    );
    expect(normalizeBrainScoreIdentifier('fei-fei.Deng2009-top1').identifier).toBe('ImageNet-top1');
    expect(normalizeBrainScoreIdentifier('Hermann2020_v0')).toEqual({
      identifier: 'Hermann2020',
      source: 'Hermann2020_v0',
      sourceVersion: 0,
    });
    expect(normalizeBrainScoreIdentifier('average_vision_v0').identifier).toBe('average_vision');
  });
});

describe('older layout (model_name, identifiers, ceiled scores, X for none)', () => {
  // alexnet leaves: V1 .2, V2 .3, V4 .5, IT .4, i2n .6, Deng2009 .57, edge error consistency .2.
  //   neural_vision = (.2+.3+.5+.4)/4 = .35; Geirhos2021-error_consistency = .2 (its one child in
  //   the file); behavior_vision = (.6+.2)/2 = .4; average_vision = (.35+.4)/2 = .375.
  // vgg16: IT and edge are X. neural = (.1+.2+.3+0)/4 = .15; behavior = (.5+0)/2 = .25;
  //   average = .2, but the file says .25 (a mismatch the report must show, diff .05).
  const header =
    'model_name,average_vision,neural_vision,V1,movshon.FreemanZiemba2013.V1-pls,V2,movshon.FreemanZiemba2013.V2-pls,V4,dicarlo.MajajHong2015.V4-pls,IT,dicarlo.MajajHong2015.IT-pls,behavior_vision,dicarlo.Rajalingham2018-i2n,Geirhos2021edge-error_consistency,engineering_vision,fei-fei.Deng2009-top1,Foo2099-bar';
  const text = [
    header,
    'alexnet,.375,.35,.2,.2,.3,.3,.5,.5,.4,.4,.4,.6,.2,.57,.57,.9',
    'vgg16,.25,.15,.1,.1,.2,.2,.3,.3,X,X,.25,.5,,.7,.7,',
    '',
  ].join('\n');

  it('stores leaves, not aggregates; creates placeable benchmarks; reports unknown ones', async () => {
    const f = write('benchmark_scores.csv', text);
    const s = await runImport(t.db, brainscoreCsv, f);
    const rep = s.files[0];
    expect(rep?.status).toBe('imported');
    expect(s.models_created).toBe(2);
    // alexnet 7 leaves, vgg16 5 leaves (IT and edge are X / empty).
    expect(s.scores_created).toBe(12);
    expect(s.problems).toEqual([
      {
        file: 'benchmark_scores.csv',
        line: 1,
        message:
          'unknown benchmark "Foo2099-bar": its place in the benchmark tree is not known; column skipped',
      },
    ]);
    const edge = await getBenchmark(t.db, 'Geirhos2021edge-error_consistency');
    expect(edge?.domain).toBe('behavioral');
    // Aggregates are not stored as scores.
    expect(await listScores(t.db, { benchmark: 'average_vision' })).toEqual([]);
    const it2 = await listScores(t.db, { model: 'alexnet', benchmark: 'MajajHong2015.IT-pls' });
    expect(it2[0]).toMatchObject({ status: 'scored', ceiledValue: 0.4, rawValue: null });
    // Engineering keeps the value as raw too (Brain-Score shows raw engineering scores).
    const top1 = await listScores(t.db, { model: 'vgg16', benchmark: 'ImageNet-top1' });
    expect(top1[0]).toMatchObject({ rawValue: 0.7, ceiledValue: 0.7 });

    const agg = rep?.details?.aggregates as {
      aggregator: string;
      compared: number;
      outsideTolerance: number;
      maxAbsDiff: number;
      mismatches: { model: string; benchmark: string; file: number; recomputed: number; line: number }[];
    };
    // 8 aggregate columns: alexnet 8 cells, vgg16 7 (its IT is X).
    expect(agg.aggregator).toBe('@alignscope/analysis');
    expect(agg.compared).toBe(15);
    expect(agg.outsideTolerance).toBe(1);
    expect(agg.mismatches[0]).toMatchObject({
      model: 'vgg16',
      benchmark: 'average_vision',
      file: 0.25,
      line: 3,
    });
    expect(agg.mismatches[0]?.recomputed).toBeCloseTo(0.2, 12);
    expect(agg.maxAbsDiff).toBeCloseTo(0.05, 12);

    const again = await runImport(t.db, brainscoreCsv, f);
    expect(again).toMatchObject({
      scores_created: 0,
      scores_updated: 0,
      scores_unchanged: 12,
      models_created: 0,
    });
  });
});

describe('newer layout (rank, model, Model ID, filtered_score, versioned identifiers)', () => {
  it('reads versioned identifiers and the Model ID', async () => {
    const f = write(
      'leaderboard.csv',
      [
        'rank,model,Model ID,filtered_score,average_vision_v0,neural_vision_v0,IT_v0,MajajHong2015.IT-pls_v3,engineering_vision_v0,ImageNet-top1_v1',
        '1,cornet_s,1234,0.5,0.5,0.5,0.5,0.5,0.74,0.74',
        '2,resnet-50,99,0.45,NaN,0.45,0.45,NaN,0.7,0.7',
      ].join('\r\n'),
    );
    const s = await runImport(t.db, brainscoreCsv, f);
    expect(s.files[0]?.status).toBe('imported');
    expect(s.scores_created).toBe(4);
    const d = s.files[0]?.details as {
      layout: string;
      leafColumns: { benchmark: string; sourceVersion: number }[];
    };
    expect(d.layout).toBe('new');
    expect(d.leafColumns).toEqual([
      { column: 'MajajHong2015.IT-pls_v3', benchmark: 'MajajHong2015.IT-pls', sourceVersion: 3 },
      { column: 'ImageNet-top1_v1', benchmark: 'ImageNet-top1', sourceVersion: 1 },
    ]);
    // NaN is a failed score (Brain-Score keeps NaN apart from "not run").
    const failed = await listScores(t.db, { model: 'resnet-50', benchmark: 'MajajHong2015.IT-pls' });
    expect(failed[0]?.status).toBe('failed');
    const rows = await t.pool.query("select metadata from models where identifier = 'cornet_s'");
    expect(rows.rows[0].metadata).toEqual({ brainscore: { modelId: '1234' } });
  });
});

describe('imported values against our own evaluations', () => {
  it('judges a disagreement by the intervals (hand-worked cases)', () => {
    const v = (value: number, ciLow: number | null = null, ciHigh: number | null = null) => ({
      value,
      ciLow,
      ciHigh,
    });
    expect(beyondUncertainty(v(0.6, 0.55, 0.65), v(0.7, 0.66, 0.74))).toBe(true); // 0.65 < 0.66
    expect(beyondUncertainty(v(0.6, 0.55, 0.66), v(0.7, 0.66, 0.74))).toBe(false); // touch at 0.66
    expect(beyondUncertainty(v(0.9), v(0.7, 0.66, 0.74))).toBe(true); // outside ours
    expect(beyondUncertainty(v(0.7, 0.66, 0.74), v(0.7))).toBe(false); // inside the import's
    expect(beyondUncertainty(v(0.9), v(0.7))).toBeNull(); // nothing to judge by
  });

  it('keeps the `_vN` version and reports where an import disagrees with our evaluation', async () => {
    const top1 = await getBenchmark(t.db, 'ImageNet-top1');
    if (!top1) throw new Error('catalog not seeded');
    // Our evaluations: far-off 0.70 [0.66, 0.74] and close-by 0.50 [0.45, 0.55]; a third model has
    // no evaluation, so its imported value is not compared.
    for (const [identifier, value, lo, hi] of [
      ['eval-far', 0.7, 0.66, 0.74],
      ['eval-near', 0.5, 0.45, 0.55],
    ] as const) {
      const { model } = await upsertModel(t.db, { identifier, displayName: identifier });
      const run = await createRun(t.db, {
        kind: 'evaluation',
        producer: 'alignscope evaluate',
        modelId: model.id,
      });
      await upsertScore(t.db, {
        modelId: model.id,
        benchmarkId: top1.id,
        benchmarkVersion: top1.version,
        status: 'scored',
        rawValue: value,
        ceiledValue: value,
        ciLow: lo,
        ciHigh: hi,
        ciMethod: 'clopper-pearson 95%',
        source: 'evaluation',
        runId: run.id,
      });
    }
    const f = write(
      'compare.csv',
      [
        'rank,model,Model ID,filtered_score,ImageNet-top1_v1',
        '1,eval-far,1,0.9,0.9',
        '2,eval-near,2,0.52,0.52',
        '3,eval-none,3,0.4,0.4',
      ].join('\n'),
    );
    const s = await runImport(t.db, brainscoreCsv, f);
    expect(s.files[0]?.status).toBe('imported');
    // Brain-Score's CSV gives no error: the import has no interval, so ours decides (0.9 ∉ [0.66, 0.74],
    // 0.52 ∈ [0.45, 0.55]).
    expect(s.files[0]?.disagreements).toMatchObject({ compared: 2, notJudged: 0 });
    expect(s.disagreements).toEqual([
      {
        file: 'compare.csv',
        model: 'eval-far',
        benchmark: 'ImageNet-top1',
        benchmarkVersion: top1.version,
        imported: { value: 0.9, ciLow: null, ciHigh: null, sourceBenchmarkVersion: '1' },
        ours: { value: 0.7, ciLow: 0.66, ciHigh: 0.74, runId: expect.any(Number) },
        difference: expect.closeTo(0.2, 12),
        disagrees: true,
      },
    ]);
    expect(s.notes.map((n) => n.message)).toContain(
      '2 imported values compared with our own evaluation of the same model, benchmark and benchmark version: 1 disagrees beyond the uncertainty, 0 without an interval on either side not judged',
    );
    const text = formatSummary(s);
    expect(text).toContain(
      "compare.csv: eval-far on ImageNet-top1 v1: imported 0.9 no interval (source's v1), ours 0.7 [0.66, 0.74], difference 0.2",
    );
    // The source's version is kept on the value written.
    const v = await t.pool.query(
      `select v.source_benchmark_version from score_versions v join models m on m.id = v.model_id
       where m.identifier = 'eval-none' and v.source = 'import'`,
    );
    expect(v.rows).toEqual([{ source_benchmark_version: '1' }]);
  });
});
