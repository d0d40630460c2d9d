/**
 * Behavioral metrics on the bundle's recorded decisions (model-vs-human `swag` branch and
 * texture-vs-shape), checked against numbers derived independently in this file:
 * - a plain-text count of the CSVs (own line splitting and regexes, not parseTrials/shapeBias);
 * - Cohen's kappa from the 2x2 agreement table (Cohen 1960: p_o and p_e from the marginals), not the
 *   Geirhos c_exp formula the package uses;
 * - model-vs-human's own published accuracies (`decisions/model-vs-human/performances/<model>.csv`,
 *   written by model-vs-human's evaluation), which fix the number of correct trials per data set.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { errorConsistency, parseTrials, shapeBias } from '@alignscope/behavior';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/evaluate/evaluate.ts';
import { VERSION } from '../src/version.ts';
import { bundle } from './helpers.ts';

type Row = { subj: string; response: string; category: string; image: string };

/** Independent CSV reading: columns by header position, the stimulus after the last '_'. */
function rows(file: string): Row[] {
  const lines = readFileSync(file, 'latin1').split('\n');
  const head = (lines[0] as string).replace('\r', '').split(',');
  const at = (name: string) => head.findIndex((h) => h.toLowerCase() === name);
  const [s, r, c, im] = [at('subj'), at('object_response'), at('category'), at('imagename')];
  return lines
    .slice(1)
    .map((l) => l.replace('\r', ''))
    .filter((l) => l.length > 0)
    .map((l) => {
      const f = l.split(',');
      const image = f[im] as string;
      return {
        subj: f[s] as string,
        response: f[r] as string,
        category: f[c] as string,
        image: image.substring(image.lastIndexOf('_') + 1),
      };
    });
}

const MVH = bundle('decisions', 'model-vs-human');
const models = readdirSync(path.join(MVH, 'cue-conflict'))
  .map((f) => /^cue-conflict_(.+)_session-1\.csv$/.exec(f)?.[1])
  .filter((m): m is string => m !== undefined)
  .sort();

function publishedAccuracy(model: string, dataset: string): number {
  // performances/ file names use '_' where the decision files use '-' (swag-vit-b16-in1k -> swag_vit_b16_in1k).
  const file = path.join(MVH, 'performances', `${model.replace(/-/g, '_')}.csv`);
  const line = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .find((l) => l.split(',')[1] === dataset && l.includes('top-1'));
  if (!line) throw new Error(`no ${dataset} accuracy for ${model}`);
  return Number(line.split(',').at(-1));
}

/** Cohen's kappa from the 2x2 table of (correct A, correct B). */
function tableKappa(a: boolean[], b: boolean[]): number {
  let both = 0;
  let onlyA = 0;
  let onlyB = 0;
  let neither = 0;
  a.forEach((x, i) => {
    if (x && b[i]) both++;
    else if (x) onlyA++;
    else if (b[i]) onlyB++;
    else neither++;
  });
  const n = a.length;
  const po = (both + neither) / n;
  const pe = ((both + onlyA) * (both + onlyB) + (neither + onlyB) * (neither + onlyA)) / (n * n);
  return po === 1 ? 1 : (po - pe) / (1 - pe);
}

function independentConsistency(modelRows: Row[], humanFiles: string[]) {
  const modelCorrect = new Map(modelRows.map((r) => [r.image, r.response === r.category]));
  const humans = humanFiles.map((f) => new Map(rows(f).map((r) => [r.image, r.response === r.category])));
  const images = [...modelCorrect.keys()].sort();
  const vec = (m: Map<string, boolean>) => images.map((k) => m.get(k) as boolean);
  const perSubject = humans.map((h) => tableKappa(vec(modelCorrect), vec(h)));
  const pairs: number[] = [];
  for (let i = 0; i < humans.length; i++)
    for (let j = i + 1; j < humans.length; j++)
      pairs.push(tableKappa(vec(humans[i] as Map<string, boolean>), vec(humans[j] as Map<string, boolean>)));
  const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
  return { raw: mean(perSubject), ceiling: mean(pairs) };
}

describe('recorded decisions: model-vs-human (9 models)', () => {
  it('finds the 9 models of the bundle', () => {
    expect(models).toHaveLength(9);
    expect(models).toContain('resnet50');
  });

  it('shape bias equals an independent plain-text count, and correct trials match model-vs-human accuracies', () => {
    const results: Record<string, number> = {};
    for (const m of models) {
      const file = path.join(MVH, 'cue-conflict', `cue-conflict_${m}_session-1.csv`);
      const text = readFileSync(file, 'utf8');
      const r = shapeBias(
        parseTrials(text, file).map((t) => ({ imagename: t.imagename, decision: t.objectResponse })),
      );
      // Independent count: shape = text before the first digit, texture = after '-' before its digits.
      let shape = 0;
      let texture = 0;
      let conflict = 0;
      let correctAll = 0;
      for (const row of rows(file)) {
        const m2 = /^([a-z]+)\d+-([a-z]+)\d+\.png$/.exec(row.image) as RegExpExecArray;
        if (row.response === row.category) correctAll++;
        if (m2[1] === m2[2]) continue;
        conflict++;
        if (row.response === m2[1]) shape++;
        else if (row.response === m2[2]) texture++;
      }
      expect([r.nShape, r.nTexture, r.nConflict]).toEqual([shape, texture, conflict]);
      expect(conflict).toBe(1200);
      expect(r.shapeBias).toBeCloseTo(shape / (shape + texture), 12);
      // model-vs-human's published cue-conflict accuracy = correct trials (response == shape label,
      // same-category images included) / 1280.
      expect(correctAll / 1280).toBeCloseTo(publishedAccuracy(m, 'cue-conflict'), 10);
      results[m] = r.shapeBias;
    }
    // ResNet-50 on the swag-branch decisions: 0.21419518377693283 from Python's csv module and
    // plain counting, apps/evaluator/scripts/reference-behavior.py (its output is in its header).
    expect(results.resnet50).toBeCloseTo(0.21419518377693283, 12);
  });

  it('error consistency on cue-conflict, edge and silhouette equals the 2x2-table kappa computed here', () => {
    for (const dataset of ['cue-conflict', 'edge', 'silhouette']) {
      const humanDir = bundle('human', dataset);
      const humanFiles = readdirSync(humanDir)
        .sort()
        .map((f) => path.join(humanDir, f));
      const humans = humanFiles.map((f) => parseTrials(readFileSync(f, 'utf8'), f));
      for (const m of models) {
        const file = path.join(MVH, dataset, `${dataset}_${m}_session-1.csv`);
        const ours = errorConsistency(parseTrials(readFileSync(file, 'utf8'), file), humans, { dataset });
        const ref = independentConsistency(rows(file), humanFiles);
        expect(ours.raw).toBeCloseTo(ref.raw, 10);
        expect(ours.ceiling).toBeCloseTo(ref.ceiling, 10);
        expect(ours.n).toBe(dataset === 'cue-conflict' ? 1280 : 160);
        // The model accuracy inside kappa is model-vs-human's published accuracy.
        const acc = rows(file).filter((r) => r.response === r.category).length / ours.n;
        expect(acc).toBeCloseTo(publishedAccuracy(m, dataset), 10);
      }
    }
  });
});

describe('recorded decisions: texture-vs-shape (Geirhos et al. 2019)', () => {
  it('scores the lab CNN files (lab image names) the same way', () => {
    const dir = bundle('decisions', 'texture-vs-shape', 'style-transfer-512-nomask-experiment-trained-CNNs');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.csv'))) {
      const file = path.join(dir, f);
      const trials = parseTrials(readFileSync(file, 'utf8'), file);
      const r = shapeBias(trials.map((t) => ({ imagename: t.imagename, decision: t.objectResponse })));
      let shape = 0;
      let texture = 0;
      for (const row of rows(file)) {
        const m2 = /^([a-z]+)\d+-([a-z]+)\d+\.png$/.exec(row.image) as RegExpExecArray;
        if (m2[1] === m2[2]) continue;
        if (row.response === m2[1]) shape++;
        else if (row.response === m2[2]) texture++;
      }
      expect([r.nShape, r.nTexture]).toEqual([shape, texture]);
    }
  });
});

describe('evaluate --decisions', () => {
  it('scores recorded decisions through the benchmark plugins (no database)', async () => {
    const recs = await evaluate(
      {
        model: 'resnet50',
        decisions: MVH,
        benchmarks: [
          'Hermann2020cueconflict-shape_bias',
          'Geirhos2021cueconflict-error_consistency',
          'Geirhos2021edge-error_consistency',
        ],
      },
      null,
    );
    expect(recs.map((r) => r.status)).toEqual(['scored', 'scored', 'scored']);
    const file = path.join(MVH, 'cue-conflict', 'cue-conflict_resnet50_session-1.csv');
    const expected = shapeBias(
      parseTrials(readFileSync(file, 'utf8')).map((t) => ({
        imagename: t.imagename,
        decision: t.objectResponse,
      })),
    );
    expect(recs[0]?.raw).toBe(expected.shapeBias);
    expect(recs[0]?.configuration).toMatchObject({ decisions: 'recorded', file });
    const ref = independentConsistency(
      rows(file),
      readdirSync(bundle('human', 'cue-conflict'))
        .sort()
        .map((f) => bundle('human', 'cue-conflict', f)),
    );
    expect(recs[1]?.raw).toBeCloseTo(ref.raw, 10);
    expect(recs[1]?.ceiled).toBeCloseTo(ref.raw / ref.ceiling, 10);
    expect(recs[2]?.imageCount).toBe(160);

    // Intervals computed with the scores: a bootstrap over trials whose width for the shape bias is
    // about the binomial one, 2 · 1.96 · sqrt(p(1 - p) / (nShape + nTexture)) (normal approximation).
    const method = 'bootstrap 95% percentile over trials (1000 resamples, seed 0)';
    const sb = recs[0]?.interval;
    expect(sb?.method).toBe(method);
    const p = expected.shapeBias;
    const binomialWidth = 2 * 1.96 * Math.sqrt((p * (1 - p)) / (expected.nShape + expected.nTexture));
    expect((sb?.high as number) - (sb?.low as number)).toBeGreaterThan(0.7 * binomialWidth);
    expect((sb?.high as number) - (sb?.low as number)).toBeLessThan(1.3 * binomialWidth);
    expect(sb?.low).toBeLessThan(p);
    expect(sb?.high).toBeGreaterThan(p);
    // Error consistency: the interval of the ceiled value brackets it; every subject has one too.
    const ec = recs[1];
    expect(ec?.interval?.method).toBe(method);
    expect(ec?.interval?.low).toBeLessThan(ec?.ceiled as number);
    expect(ec?.interval?.high).toBeGreaterThan(ec?.ceiled as number);
    const perSubject = ec?.artifacts.perSubject as {
      kappa: number;
      interval: { low: number; high: number };
    }[];
    expect(perSubject.length).toBeGreaterThan(1);
    for (const s of perSubject) {
      expect(s.interval.low).toBeLessThanOrEqual(s.kappa);
      expect(s.interval.high).toBeGreaterThanOrEqual(s.kappa);
    }

    // Issue 17 item 3: the run's provenance names and hashes every file the scores read; hashes
    // recomputed here with node:crypto from the bundle files, the commit with git.
    const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
    const humanFiles = readdirSync(bundle('human', 'cue-conflict'))
      .filter((f) => f.endsWith('.csv'))
      .sort();
    expect(humanFiles).toHaveLength(10);
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    expect(recs[1]?.configuration.provenance).toMatchObject({
      evaluator: { version: VERSION, sourceCommit: head },
      dataBundle: { version: sha(bundle('README.md')), versionSource: 'sha256 of README.md' },
      imageSet: null,
      decisions: [
        {
          file: 'decisions/model-vs-human/cue-conflict/cue-conflict_resnet50_session-1.csv',
          sha256: sha(file),
        },
      ],
      humanTrials: humanFiles.map((f) => ({
        file: `human/cue-conflict/${f}`,
        sha256: sha(bundle('human', 'cue-conflict', f)),
      })),
    });
    // Shape bias reads no human trials.
    expect(recs[0]?.configuration.provenance).toMatchObject({ humanTrials: [] });
  });

  it('names what is missing when no decision file fits', async () => {
    const recs = await evaluate(
      { model: 'no-such-model', decisions: MVH, benchmarks: ['Hermann2020cueconflict-shape_bias'] },
      null,
    );
    expect(recs[0]?.status).toBe('failed');
    expect(recs[0]?.message).toMatch(/no trial CSV for model no-such-model/);
  });
});
