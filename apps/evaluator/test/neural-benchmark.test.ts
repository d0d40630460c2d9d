/**
 * Neural benchmarks end to end on the bundle's CIFAR-10 ResNet-20: a synthetic assembly is generated here
 * from a known linear map of the model's own (pooled) activations at one layer plus trial noise, written
 * as a Brain-Score-style NetCDF4 file, and scored with `evaluate --assembly`.
 * Closed forms: with unit-variance signal and N(0, sigma^2) noise on each of R repetitions, the split-half
 * ceiling (Spearman-Brown to R) is 1 / (1 + sigma^2 / R) and a perfect predictor reaches r = sqrt(ceiling).
 */
/**
 * Neural benchmarks end to end on the bundle's CIFAR-10 ResNet-20: a synthetic assembly is generated here
 * from a known linear map of the model's own (pooled) activations at one layer plus trial noise, written
 * as a Brain-Score-style NetCDF4 file, and scored with `evaluate --assembly`.
 * Closed forms: with unit-variance signal and N(0, sigma^2) noise on each of R repetitions, the split-half
 * ceiling (Spearman-Brown to R) is 1 / (1 + sigma^2 / R) and a perfect predictor reaches r = sqrt(ceiling).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { listScores } from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import registerAssemblies from '../src/commands/assemblies.ts';
import registerEvaluate from '../src/commands/evaluate.ts';
import { withDb } from '../src/db.ts';
import { evaluate } from '../src/evaluate/evaluate.ts';
import { closeModels } from '../src/models/session.ts';
import { toStimulusResponses } from '../src/neural/assembly.ts';
import { readNetcdfAssembly } from '../src/neural/netcdf.ts';
import { bundle, tmpDir } from './helpers.ts';
import { cifarStimuli, writeSyntheticAssembly } from './synthetic-assembly.ts';

const model = bundle('models', 'cifar10_resnet20.onnx');
const cardFile = bundle('models', 'cifar10_resnet20.json');
const dir = tmpDir('alignscope-neural-');
const GENERATING = '/layer3/layer3.0/Relu_1_output_0';
const LAYERS = ['/layer2/layer2.0/Relu_1_output_0', GENERATING, '/GlobalAveragePool_output_0'];
const REPS = 4;
const SIGMA = 1;
const CEILING = 1 / (1 + SIGMA ** 2 / REPS); // 0.8
const classes = readFileSync(bundle('cifar10', 'classes.txt'), 'utf8').split(/\r?\n/).filter(Boolean);
// 32 images of each of 5 classes: 160 stimuli, object_name = class (a stratified 90/10 split of the
// 80-stimulus report half needs at least 5 test stimuli, as sklearn's StratifiedShuffleSplit)
const stimuli = cifarStimuli(classes.slice(0, 5), 32);

let t: TestDb;
const saved = { ...process.env };
let assemblyFile = '';
let stimuliCsv = '';
beforeAll(async () => {
  t = await createTestDb();
  process.env.DATABASE_URL = t.url;
  process.env.ALIGNSCOPE_HOME = dir;
  // presentations: every stimulus REPS times; 24 IT neuroids from the map, 6 V4 neuroids of pure noise
  ({ assemblyFile, stimuliCsv } = await writeSyntheticAssembly({
    dir,
    identifier: 'Synthetic2026',
    stimulusSetIdentifier: 'cifar10-test-160',
    stimuli,
    layer: GENERATING,
    neuroids: 24,
    region: 'IT',
    repetitions: REPS,
    sigma: SIGMA,
    noise: { region: 'V4', count: 6 },
    seedLabel: 'neural-benchmark',
    batchSize: 32,
  }));
}, 120_000);
afterAll(async () => {
  await closeModels();
  process.env = saved;
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("neural benchmarks on a synthetic assembly of the model's own activations", () => {
  it('reads the NetCDF4 assembly back with its coordinates', async () => {
    const a = await readNetcdfAssembly(assemblyFile);
    expect(a.stimulusId).toHaveLength(160 * REPS);
    expect(a.stimulusId.slice(0, 2)).toEqual(['airplane-0', 'airplane-1']);
    expect(a.repetition?.slice(159, 161)).toEqual([0, 1]);
    expect(a.objectName?.[32]).toBe('automobile');
    expect(a.region?.slice(23, 25)).toEqual(['IT', 'V4']);
    expect(a.attributes.identifier).toBe('Synthetic2026');
    const r = toStimulusResponses(a);
    expect([r.trials.stimuli, r.trials.neuroids, r.trials.repetitions]).toEqual([160, 30, REPS]);
  });

  it('commits the generating layer on one half, scores high on the other, ceiling at the noise level, stored', async () => {
    const records = await withDb(({ db }) =>
      evaluate(
        {
          model,
          card: cardFile,
          benchmarks: ['MajajHong2015.IT-pls'],
          batchSize: 32,
          neural: { assembly: assemblyFile, stimuli: stimuliCsv, layers: LAYERS, pool: true },
        },
        db,
      ),
    );
    const rec = records[0];
    if (rec?.status !== 'scored') throw new Error(rec?.message ?? 'no record');
    expect(rec.configuration.layer).toBe(GENERATING);
    const scores = rec.artifacts.commitmentScores as { layer: string; score: number }[];
    expect(Math.max(...scores.map((s) => s.score))).toBe(scores.find((s) => s.layer === GENERATING)?.score);
    expect(rec.artifacts.neuroids).toBe(24); // the V4 neuroids are not IT
    expect(rec.imageCount).toBe(80); // the report half
    // 80 stimuli, 24 neuroids: the median split-half r has a sampling error of a few hundredths
    expect(Math.abs((rec.ceiling as number) - CEILING)).toBeLessThan(0.08);
    // perfect prediction would give sqrt(0.8) = 0.894; 25 components on 72 training stimuli lose some
    expect(rec.raw).toBeGreaterThan(0.7);
    expect(rec.ceiled).toBeCloseTo(((rec.raw as number) / (rec.ceiling as number)) ** 2, 12);
    expect(rec.configuration.ceilingConvention).toBe('squared-ratio');
    expect(String(rec.configuration.assemblySha256)).toMatch(/^[0-9a-f]{64}$/);
    const stored = await withDb(({ db }) => listScores(db, {}));
    expect(JSON.stringify(stored)).toContain('MajajHong2015.IT-pls');
  }, 180_000);

  it('a shuffled control (stimuli paired with the wrong images) scores near zero', async () => {
    const shuffled = path.join(dir, 'stimuli-shuffled.csv');
    const files = stimuli.map((s) => s.file);
    const perm = files.map((_, i) => files[(i * 37 + 11) % files.length] as string);
    writeFileSync(
      shuffled,
      ['stimulus_id,filename', ...stimuli.map((s, i) => `${s.id},${perm[i]}`)].join('\n'),
    );
    const [rec] = await evaluate(
      {
        model,
        card: cardFile,
        benchmarks: ['MajajHong2015.IT-pls'],
        batchSize: 32,
        neural: { assembly: assemblyFile, stimuli: shuffled, layer: GENERATING, pool: true },
      },
      null,
    );
    if (rec?.status !== 'scored') throw new Error(rec?.message ?? 'no record');
    expect(Math.abs(rec.raw as number)).toBeLessThan(0.25);
  }, 120_000);

  it('bad input: stimuli without images and NaN responses fail with one-line messages', async () => {
    const partial = path.join(dir, 'stimuli-partial.csv');
    writeFileSync(
      partial,
      ['stimulus_id,filename', ...stimuli.slice(1).map((s) => `${s.id},${s.file}`)].join('\n'),
    );
    const [rec] = await evaluate(
      {
        model,
        card: cardFile,
        benchmarks: ['MajajHong2015.IT-pls'],
        neural: { assembly: assemblyFile, stimuli: partial, layer: GENERATING },
      },
      null,
    );
    expect(rec?.status).toBe('failed');
    expect(rec?.message).toBe(`stimuli ${partial}: no image for stimulus "airplane-0"`);
    const a = await readNetcdfAssembly(assemblyFile);
    a.values[5] = Number.NaN;
    expect(() => toStimulusResponses(a)).toThrow(
      `${assemblyFile}: response of neuroid "it5" to stimulus "airplane-0" (presentation 0) is NaN; remove or impute it`,
    );
  }, 60_000);

  it('assemblies add registers the file with its sha256; evaluate finds it by --assembly <identifier> or by the benchmark data name', async () => {
    const out: string[] = [];
    const log = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const cli = async (...args: string[]) => {
      const program = new Command().exitOverride();
      registerAssemblies(program);
      registerEvaluate(program);
      out.length = 0;
      await program.parseAsync(['node', 'alignscope', ...args]);
      return out.join('');
    };
    const consoleLog = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
      out.push(`${a.join(' ')}\n`);
    });
    try {
      const row = JSON.parse(await cli('assemblies', 'add', assemblyFile, '--stimuli', stimuliCsv, '--json'));
      expect(row.identifier).toBe('Synthetic2026');
      expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect([row.stimulusCount, row.neuroidCount, row.repetitions]).toEqual([160, 30, REPS]);
      expect(row.regions).toEqual(['IT', 'V4']);
      // the same file again: one row, updated
      await cli('assemblies', 'add', assemblyFile, '--stimuli', stimuliCsv, '--identifier', 'synthetic-it');
      const rows = JSON.parse(await cli('assemblies', 'list', '--json'));
      expect(rows.map((r: { identifier: string }) => r.identifier)).toEqual(['synthetic-it']);
      const res = JSON.parse(
        await cli(
          'evaluate',
          '--model',
          model,
          '--card',
          cardFile,
          '--benchmark',
          'MajajHong2015.IT-rdm',
          '--assembly',
          'synthetic-it',
          '--layer',
          GENERATING,
          '--pool',
          '--json',
        ),
      );
      expect(res[0].status).toBe('scored');
      expect(res[0].raw).toBeGreaterThan(0.3);
      expect(res[0].ceiled).toBeNull();
      expect(res[0].configuration.assembly).toBe(assemblyFile);
      // registered under the benchmark's data name, it is found without --assembly (as a study runs it)
      await cli('assemblies', 'add', assemblyFile, '--stimuli', stimuliCsv, '--identifier', 'MajajHong2015');
      const [cka] = await withDb(({ db }) =>
        evaluate(
          {
            model,
            card: cardFile,
            benchmarks: ['MajajHong2015.IT-cka'],
            neural: { layer: GENERATING, pool: true },
            batchSize: 32,
          },
          db,
        ),
      );
      expect(cka?.status).toBe('scored');
      expect(cka?.configuration.assembly).toBe(assemblyFile);
      expect(cka?.configuration.stimuli).toBe(stimuliCsv);
    } finally {
      log.mockRestore();
      err.mockRestore();
      consoleLog.mockRestore();
    }
  }, 120_000);
});
