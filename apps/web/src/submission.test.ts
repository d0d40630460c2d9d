import { describe, expect, it } from 'vitest';
import { parseUpload, rowOfPath, toSubmitInput, validateModel, validateRows } from './submission.ts';

const LEAVES = [
  { identifier: 'ImageNet-top1', rangeMin: 0, rangeMax: 1 },
  { identifier: 'MajajHong2015.IT-pls', rangeMin: -1, rangeMax: 1 },
  { identifier: 'AutoAttack-Linf-1/255', rangeMin: 0, rangeMax: 1 },
];

describe('results upload', () => {
  it('reads CSV with quoting and defaults the status to SCORED', () => {
    const p = parseUpload('benchmark,value\nImageNet-top1,0.76\n"AutoAttack-Linf-1/255",0.01\n', 'r.csv');
    expect(p.fileErrors).toEqual([]);
    expect(p.rows.map((r) => [r.line, r.benchmark, r.status, r.value])).toEqual([
      [2, 'ImageNet-top1', 'SCORED', 0.76],
      [3, 'AutoAttack-Linf-1/255', 'SCORED', 0.01],
    ]);
    expect(validateRows(p.rows, LEAVES).every((r) => r.errors.length === 0)).toBe(true);
  });

  // Issue 17 item 5: csv-parse, not a hand-written splitter: quoted commas, doubled quotes and a
  // quoted line break stay inside their field; an unclosed quote is reported, not guessed at.
  it('reads RFC 4180 quoting (commas, doubled quotes, line breaks inside fields)', () => {
    const p = parseUpload(
      'benchmark,status,value\n"ImageNet-top1","scored","0.5"\n"Image\nNet",FAILED,\n',
      'r.csv',
    );
    expect(p.fileErrors).toEqual([]);
    expect(p.rows.map((r) => [r.line, r.benchmark, r.status, r.value])).toEqual([
      [2, 'ImageNet-top1', 'SCORED', 0.5],
      [4, 'Image\nNet', 'FAILED', null],
    ]);
    expect(parseUpload('benchmark,value\n"ImageNet-top1,0.5\n', 'r.csv').fileErrors).toEqual([
      'not valid CSV: Quote Not Closed: the parsing is finished with an opening quote at line 2',
    ]);
  });

  it('reads the JSON mutation input, or a bare array of scores', () => {
    const p = parseUpload(
      JSON.stringify({
        model: { identifier: 'm1', family: 'resnet' },
        scores: [{ benchmark: 'ImageNet-top1', value: 0.5 }],
        provenance: { producer: 'x' },
      }),
      'r.json',
    );
    expect(p.model).toEqual({ identifier: 'm1', family: 'resnet' });
    expect(p.provenance).toEqual({ producer: 'x' });
    expect(parseUpload('[{"benchmark":"ImageNet-top1","status":"failed"}]', 'r.json').rows[0]?.status).toBe(
      'FAILED',
    );
  });

  it('gives each bad row its own errors', () => {
    const csv = [
      'benchmark,status,value',
      'ImageNet-top1,SCORED,1.5', // out of [0, 1]
      'NoSuchBenchmark,SCORED,0.1', // unknown
      'MajajHong2015.IT-pls,FAILED,0.3', // a failed score has no value
      'AutoAttack-Linf-1/255,SCORED,', // scored without value
      'AutoAttack-Linf-1/255,MAYBE,0.1', // bad status, and a duplicate
      'MajajHong2015.IT-pls,NOT_RUN,abc', // not a number, duplicate
    ].join('\n');
    const rows = validateRows(parseUpload(csv, 'bad.csv').rows, LEAVES);
    expect(rows.map((r) => r.errors.length > 0)).toEqual([true, true, true, true, true, true]);
    expect(rows[0]?.errors.join()).toContain('outside [0, 1]');
    expect(rows[1]?.errors.join()).toContain('unknown benchmark "NoSuchBenchmark"');
    expect(rows[2]?.errors.join()).toContain('FAILED row carries no value');
    expect(rows[3]?.errors.join()).toContain('needs a value');
    expect(rows[4]?.errors.join()).toContain('must be SCORED, FAILED or NOT_RUN');
    expect(rows[4]?.errors.join()).toContain('appears twice');
    expect(rows[5]?.errors.join()).toContain('"abc" is not a number');
  });

  it('reports unreadable files as a whole', () => {
    expect(parseUpload('', 'x.csv').fileErrors).toEqual(['the file is empty']);
    expect(parseUpload('{oops', 'x.json').fileErrors[0]).toMatch(/not valid JSON/);
    expect(parseUpload('a,b\n1,2', 'x.csv').fileErrors[0]).toMatch(/header row/);
  });

  it('checks the model identifier like the server', () => {
    expect(validateModel({})).toEqual(['model identifier is required']);
    expect(validateModel({ identifier: '-bad' })[0]).toMatch(/letters, digits/);
    expect(validateModel({ identifier: 'org/model-1.0' })).toEqual([]);
    expect(validateModel({ identifier: 'm', parameters: 1.5 })).toEqual([
      'parameters must be a non-negative integer',
    ]);
  });

  it('builds the mutation input and maps server error paths to rows', () => {
    const rows = validateRows(
      parseUpload('benchmark,status,value\nImageNet-top1,SCORED,0.7\nAutoAttack-Linf-1/255,NOT_RUN,', 'r.csv')
        .rows,
      LEAVES,
    );
    expect(toSubmitInput({ identifier: 'm', family: '' }, rows, null)).toEqual({
      model: { identifier: 'm' },
      scores: [
        { benchmark: 'ImageNet-top1', status: 'SCORED', value: 0.7 },
        { benchmark: 'AutoAttack-Linf-1/255', status: 'NOT_RUN' },
      ],
      provenance: { producer: 'alignscope-web upload' },
    });
    expect(rowOfPath(['input', 'scores', '3', 'value'])).toBe(3);
    expect(rowOfPath(['input', 'model', 'identifier'])).toBeNull();
  });
});
