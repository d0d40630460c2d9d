/**
 * The study tables' CSV writer. Expected bytes are written out by hand from the rules in the module
 * comment; correlations, aggregates, predictor and predictions are the four files `alignscope study
 * export` wrote before the writer was shared (same header, same cells, byte for byte), so neither
 * the command's files nor the web's downloads changed under a reader that compares them.
 */
import { describe, expect, it } from 'vitest';
import { undefinedCorrelationRow } from './correlate.ts';
import { STUDY_TABLES, studyCsv, toCsv } from './study-tables.ts';
import type { CorrelationRow, StoredStudyResult } from './types.ts';

const full: CorrelationRow = {
  benchmark: 'a,b',
  n: 3,
  coefficient: 0.5,
  pValue: 0.2,
  qValue: 0.4,
  ciLow: -0.25,
  ciHigh: 0.75,
  rankingAccuracy: 0.667,
  r2: 0.3,
  fStatistic: 1.5,
  fPValue: 0.3,
  slope: 2,
  intercept: -1,
  partialCoefficient: 0.125,
  partialPValue: 0.5,
  significant: false,
  reason: null,
};
const empty: CorrelationRow = undefinedCorrelationRow('c', 2, 'n < 3 (minimum 3)');

const result: StoredStudyResult = {
  study: 's@1',
  computedAt: '2026-12-01T00:00:00Z',
  models: ['m1', 'm,2', 'm"3'],
  values: { t: [0.1, 0.2, 0.3], 'a,b': [1, null, 3] },
  correlations: [{ target: 't', rows: [full, empty] }],
  aggregates: [{ target: 't', benchmark: 'agg', n: 3, r2: 0.25, f: 1, fP: null }],
  predictor: [
    {
      target: 't',
      features: ['a,b', 'c'],
      result: {
        n: 2,
        folds: 2,
        predictions: [0.25, null, 0.75],
        heldOutSpearman: 1,
        heldOutRankingAccuracy: 1,
        weights: { 'a,b': 0.5 },
        intercept: 0.1,
        reason: null,
      },
      targetValues: [0.1, 0.2, 0.3],
    },
  ],
  provenance: {},
  failures: [
    { model: 'bad', benchmark: 'CIFAR10-top1', limit: 2, state: 'failed', error: 'not ONNX: "x", line\n2' },
  ],
};

describe('study tables as CSV', () => {
  it('writes the four files study export wrote, byte for byte', () => {
    // 17 columns after the target; the second row has 13 empty statistics between n and significant.
    expect(studyCsv(result, 'correlations')).toBe(
      [
        'target,benchmark,n,coefficient,pValue,qValue,ciLow,ciHigh,rankingAccuracy,r2,fStatistic,fPValue,slope,intercept,partialCoefficient,partialPValue,significant,reason',
        't,"a,b",3,0.5,0.2,0.4,-0.25,0.75,0.667,0.3,1.5,0.3,2,-1,0.125,0.5,false,',
        `t,c,2${','.repeat(14)}false,n < 3 (minimum 3)`,
        '',
      ].join('\n'),
    );
    expect(studyCsv(result, 'aggregates')).toBe('target,benchmark,n,r2,f,f_p\nt,agg,3,0.25,1,\n');
    // Features are joined with a space; "a,b c" holds a comma, so it is quoted.
    expect(studyCsv(result, 'predictor')).toBe(
      'target,features,n,folds,heldout_ranking_accuracy,heldout_spearman\nt,"a,b c",2,2,1,1\n',
    );
    // Every model of the cohort, an empty cell where it has no held-out prediction.
    expect(studyCsv(result, 'predictions')).toBe(
      'target,model,heldout_prediction\nt,m1,0.25\nt,"m,2",\nt,"m""3",0.75\n',
    );
  });

  it('writes the weights, the values and the failures', () => {
    expect(studyCsv(result, 'weights')).toBe('target,feature,weight,intercept\nt,"a,b",0.5,0.1\nt,c,,0.1\n');
    expect(studyCsv(result, 'values')).toBe('model,t,"a,b"\nm1,0.1,1\n"m,2",0.2,\n"m""3",0.3,3\n');
    // t's stored intervals follow it (m2's value has none); "a,b" has none stored, so no columns.
    const withIntervals = {
      ...result,
      intervals: { t: [[0, 0.3], null, [0.25, 0.5]] as ([number, number] | null)[] },
    };
    expect(studyCsv(withIntervals, 'values')).toBe(
      'model,t,t_ci_low,t_ci_high,"a,b"\nm1,0.1,0,0.3,1\n"m,2",0.2,,,\n"m""3",0.3,0.25,0.5,3\n',
    );
    expect(studyCsv(result, 'failures')).toBe(
      'model,benchmark,limit,state,error\nbad,CIFAR10-top1,2,failed,"not ONNX: ""x"", line\n2"\n',
    );
    // A result stored before failures (and values) existed: the header alone.
    const { failures: _f, values: _v, ...old } = result;
    expect(studyCsv(old, 'failures')).toBe('model,benchmark,limit,state,error\n');
    expect(studyCsv(old, 'values')).toBe('model\nm1\n"m,2"\n"m""3"\n');
    expect(STUDY_TABLES).toEqual([
      'correlations',
      'aggregates',
      'predictor',
      'predictions',
      'weights',
      'values',
      'failures',
    ]);
  });

  it('quotes CR as well as LF, comma and quote; non-finite numbers are empty', () => {
    expect(toCsv(['a', 'b'], [['x\ry', Number.NaN]])).toBe('a,b\n"x\ry",\n');
    expect(toCsv(['a'], [[Number.POSITIVE_INFINITY], [-0.5], [true]])).toBe('a\n\n-0.5\ntrue\n');
  });
});
