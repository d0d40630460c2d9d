/**
 * Neural benchmarks in studies (issue 14, last acceptance point): with a synthetic assembly registered
 * by `alignscope assemblies add` under the data name MajajHong2015, a study naming
 * `MajajHong2015.IT-pls` on the bundle's CIFAR-10 ResNet-20 is planned and run by the study runner
 * like any other benchmark, and its score is stored with the assembly's sha256 and the committed
 * layer; `neural_vision` plans every neural leaf, the ones without an assembly unavailable; an
 * explicit neural benchmark without its assembly (or region) is a plan-time error; the board aggregates
 * the stored score into IT and neural_vision like an imported one.
 * The assembly: 8 IT neuroids, each a known linear map of the model's pooled layer3 activations
 * (standardised) plus N(0, 1) noise on 2 repetitions, so the split-half ceiling is 1 / (1 + 1/2) = 2/3
 * (Spearman-Brown to 2 repetitions) and a good predictor reaches r near sqrt(2/3) = 0.82.
 */
import { requireDataDir } from '@alignscope/config';
import {
  getRun,
  importTableCounts,
  listScores,
  listStudies,
  listStudyJobs,
  studyRuns,
} from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { scoreTable } from '../src/analysis/score-table.ts';
import registerAssemblies from '../src/commands/assemblies.ts';
import { closeModels } from '../src/models/session.ts';
import { candidateLayers } from '../src/neural/activations.ts';
import { type StudyDefinition, studySchema } from '../src/studies/definition.ts';
import { queueExecutor, runStudy } from '../src/studies/run.ts';
import { bundle, tmpDir } from './helpers.ts';
import { cifarStimuli, writeSyntheticAssembly } from './synthetic-assembly.ts';

const dataDir = requireDataDir();
const dir = tmpDir('alignscope-study-neural-');
const GENERATING = '/layer3/layer3.0/Relu_1_output_0';
const REPS = 2;
const Q = 8;
const classes = ['airplane', 'automobile', 'bird', 'cat', 'deer'];
// 20 images of each of 5 classes: 100 stimuli, so each commitment/report half (50) leaves 45 training
// stimuli for PLS's 25 components and 5 stratified test stimuli.
const stimuli = cifarStimuli(classes, 20);

let t: TestDb;
const saved = { ...process.env };
let assemblyFile = '';
let stimuliCsv = '';
beforeAll(async () => {
  t = await createTestDb();
  process.env.DATABASE_URL = t.url;
  process.env.ALIGNSCOPE_HOME = dir;
  ({ assemblyFile, stimuliCsv } = await writeSyntheticAssembly({
    dir,
    identifier: 'SyntheticIT',
    stimulusSetIdentifier: 'cifar10-test-100',
    stimuli,
    layer: GENERATING,
    neuroids: Q,
    region: 'IT',
    repetitions: REPS,
    sigma: 1,
    seedLabel: 'study-neural',
    batchSize: 50,
  }));
}, 120_000);
afterAll(async () => {
  await closeModels();
  process.env = saved;
  await t?.close();
});

function study(benchmarks: string[]): StudyDefinition {
  return studySchema.parse({
    name: 'neural-small',
    title: 'A neural benchmark in a study',
    cohort: { bundleModels: ['cifar10_resnet20'] },
    benchmarks,
    robustness: [{ dataset: 'cifar10', norm: 'Linf', eps: ['0.5/255'], images: { set: 'default', size: 1 } }],
    analysis: { minN: 3 },
  });
}

async function assembliesAdd(...args: string[]): Promise<{ sha256: string; regions: string[] }> {
  const out: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    out.push(`${a.join(' ')}\n`);
  });
  try {
    const program = new Command().exitOverride();
    registerAssemblies(program);
    await program.parseAsync(['node', 'alignscope', 'assemblies', 'add', ...args, '--json']);
    return JSON.parse(out.join(''));
  } finally {
    write.mockRestore();
    log.mockRestore();
  }
}

describe('neural benchmarks in a study', () => {
  it('without the registered assembly: one plan-time error naming it, nothing written', async () => {
    const before = await importTableCounts(t.db);
    await expect(runStudy(t.db, study(['MajajHong2015.IT-pls']), { dataDir })).rejects.toThrow(
      'study neural-small: benchmark MajajHong2015.IT-pls: no assembly registered as "MajajHong2015" (alignscope assemblies add <file> --identifier MajajHong2015)',
    );
    expect(await importTableCounts(t.db)).toEqual(before);
    expect(await listStudies(t.db)).toEqual([]);
  });

  it('registered as MajajHong2015, the study plans, runs and stores the IT score with its provenance', async () => {
    const row = await assembliesAdd(assemblyFile, '--stimuli', stimuliCsv, '--identifier', 'MajajHong2015');
    expect(row.regions).toEqual(['IT']);
    // the assembly has IT neuroids only: V4 of the same data is a clear error, not an empty score
    await expect(runStudy(t.db, study(['MajajHong2015.V4-pls']), { dataDir, dryRun: true })).rejects.toThrow(
      'study neural-small: benchmark MajajHong2015.V4-pls: the assembly registered as "MajajHong2015" has no V4 neuroids (regions: IT)',
    );
    // The AutoAttack score goes through the job queue (an embedded worker); the neural one, which a
    // queued job cannot carry, is evaluated in the study's process.
    const executor = queueExecutor({ dataDir, embeddedWorker: { connectionString: t.url }, pollMs: 200 });
    const r = await runStudy(t.db, study(['MajajHong2015.IT-pls']), { dataDir, executor });
    expect(r.plan.scores.map((s) => [s.benchmark, s.state])).toEqual([
      ['MajajHong2015.IT-pls', 'missing'],
      ['cifar10.AutoAttack-Linf-0.5/255', 'missing'],
    ]);
    expect(r.study?.status).not.toBe('failed');
    const [done] = await listStudies(t.db);
    expect(done?.status).toBe('computed');
    const runs = await studyRuns(t.db, 'neural-small@1');
    expect(runs).toHaveLength(2);
    // one job, for the AutoAttack score, linked to the study
    expect((await listStudyJobs(t.db, done?.id as number)).map((j) => [j.benchmark, j.state])).toEqual([
      ['cifar10.AutoAttack-Linf-0.5/255', 'succeeded'],
    ]);
    const [score] = await listScores(t.db, { benchmark: 'MajajHong2015.IT-pls' });
    expect(score?.status).toBe('scored');
    // 8 neuroids, 50 report stimuli: the median split-half consistency scatters around 2/3 by ~0.1
    expect(Math.abs((score?.ceiling as number) - 2 / 3)).toBeLessThan(0.15);
    // the signal is linear in a layer's activations: well above a shuffled pairing's ~0 (see
    // neural-benchmark.test.ts), below sqrt(2/3) as every unpooled candidate layer is fitted on 45 stimuli
    expect(score?.rawValue).toBeGreaterThan(0.25);
    expect(score?.ceiledValue).toBeCloseTo(
      ((score?.rawValue as number) / (score?.ceiling as number)) ** 2,
      12,
    );
    const run = await getRun(t.db, score?.runId as number);
    const conf = run?.configuration as Record<string, unknown>;
    expect(conf.study).toBe('neural-small@1');
    expect(conf.assembly).toBe(assemblyFile);
    expect(conf.assemblySha256).toBe(row.sha256);
    expect(conf.stimuli).toBe(stimuliCsv);
    // the layer committed on the other half of the stimuli, among the model's candidate layers
    const layers = candidateLayers(bundle('models', 'cifar10_resnet20.onnx')).map((l) => l.name);
    expect(layers).toContain(conf.layer);
    expect(conf.layerCommitment).toBe('seeded half of the stimuli (the other half reported)');
    // the board (what the first start and the study analysis read) aggregates it like an imported score:
    // with the skip convention IT and neural_vision are this one ceiled value
    const board = await scoreTable(t.db, { missing: 'skip' });
    const i = board.models.indexOf('cifar10_resnet20');
    for (const node of ['MajajHong2015.IT-pls', 'IT', 'neural_vision']) {
      expect(board.columns[node]?.[i]).toBeCloseTo(score?.ceiledValue as number, 12);
    }

    // neural_vision stands for every neural leaf: IT is now current, the others unavailable with why
    const tree = await runStudy(t.db, study(['neural_vision']), { dataDir, dryRun: true });
    const state = (b: string) => tree.plan.scores.find((s) => s.benchmark === b);
    expect(state('MajajHong2015.IT-pls')?.state).toBe('current');
    expect(state('MajajHong2015.V4-pls')).toMatchObject({
      state: 'unavailable',
      reason: 'the assembly registered as "MajajHong2015" has no V4 neuroids (regions: IT)',
    });
    expect(state('FreemanZiemba2013.V1-pls')).toMatchObject({
      state: 'unavailable',
      reason:
        'no assembly registered as "FreemanZiemba2013" (alignscope assemblies add <file> --identifier FreemanZiemba2013)',
    });
    expect(state('cifar10.AutoAttack-Linf-0.5/255')?.state).toBe('current');
    expect(tree.plan.counts.missing).toBe(0);
  }, 300_000);
});
