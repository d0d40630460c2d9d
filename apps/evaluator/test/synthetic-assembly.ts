/**
 * A synthetic Brain-Score-style neural assembly for tests, generated from the bundle's CIFAR-10
 * ResNet-20's own pooled activations at one layer: each signal neuroid is a seeded random linear map of
 * those activations, standardised to unit variance, recorded on every repetition with N(0, sigma^2)
 * trial noise; optional pure-noise neuroids (N(0, 1)) stand for a region the model cannot predict.
 * Closed forms the tests check against: the split-half ceiling (Spearman-Brown to R repetitions) is
 * 1 / (1 + sigma^2 / R), and a perfect predictor reaches r = sqrt(ceiling).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRng } from '@alignscope/analysis';
import { loadCard } from '../src/models/card.ts';
import { extractActivations } from '../src/neural/activations.ts';
import { writeNetcdfAssembly } from '../src/neural/netcdf.ts';
import { bundle } from './helpers.ts';

export type Stimulus = { id: string; object: string; file: string };

/** `perClass` CIFAR-10 test images of each named class, object_name = class. */
export function cifarStimuli(classes: string[], perClass: number): Stimulus[] {
  return classes.flatMap((c) =>
    Array.from({ length: perClass }, (_, i) => ({
      id: `${c}-${i}`,
      object: c,
      file: bundle('cifar10', 'test', c, `${String(i).padStart(4, '0')}.jpg`),
    })),
  );
}

export type SyntheticAssemblyOptions = {
  dir: string;
  /** The file's name in `dir` (without .nc) and the assembly's identifier. */
  identifier: string;
  stimulusSetIdentifier: string;
  stimuli: Stimulus[];
  /** The layer whose pooled activations generate the signal neuroids. */
  layer: string;
  /** Signal neuroids, all in `region`. */
  neuroids: number;
  region: string;
  repetitions: number;
  sigma: number;
  /** Pure-noise neuroids of another region, e.g. { region: 'V4', count: 6 }. */
  noise?: { region: string; count: number };
  seedLabel: string;
  batchSize: number;
};

/** Writes the assembly (NetCDF4) and a stimuli CSV (stimulus_id, filename) into `dir`. */
export async function writeSyntheticAssembly(
  o: SyntheticAssemblyOptions,
): Promise<{ assemblyFile: string; stimuliCsv: string }> {
  const [acts] = await extractActivations({
    modelFile: bundle('models', 'cifar10_resnet20.onnx'),
    card: loadCard(bundle('models', 'cifar10_resnet20.json')),
    layers: [o.layer],
    files: o.stimuli.map((s) => s.file),
    batchSize: o.batchSize,
    reduction: { pool: true, project: null },
  });
  if (!acts) throw new Error('no activations');
  const f = acts.features;
  const rng = createRng(14, o.seedLabel);
  const normal = () =>
    Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
  const q = o.neuroids;
  const signal = new Float64Array(f.rows * q);
  for (let k = 0; k < q; k++) {
    const w = Array.from({ length: f.cols }, normal);
    const col = Array.from({ length: f.rows }, (_, i) =>
      w.reduce((a, wj, j) => a + wj * (f.data[i * f.cols + j] as number), 0),
    );
    const mean = col.reduce((a, b) => a + b, 0) / col.length;
    const sd = Math.sqrt(col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length);
    col.forEach((v, i) => {
      signal[i * q + k] = (v - mean) / sd;
    });
  }
  const noise = o.noise?.count ?? 0;
  const ids: string[] = [];
  const reps: number[] = [];
  const objects: string[] = [];
  const values: number[] = [];
  for (let r = 0; r < o.repetitions; r++) {
    o.stimuli.forEach((s, i) => {
      ids.push(s.id);
      reps.push(r);
      objects.push(s.object);
      for (let k = 0; k < q; k++) values.push((signal[i * q + k] as number) + o.sigma * normal());
      for (let k = 0; k < noise; k++) values.push(normal());
    });
  }
  const prefix = (region: string) => region.toLowerCase();
  const assemblyFile = path.join(o.dir, `${o.identifier}.nc`);
  await writeNetcdfAssembly(
    assemblyFile,
    {
      source: assemblyFile,
      stimulusId: ids,
      repetition: reps,
      objectName: objects,
      neuroidId: [
        ...Array.from({ length: q }, (_, k) => `${prefix(o.region)}${k}`),
        ...Array.from({ length: noise }, (_, k) => `${prefix(o.noise?.region ?? '')}${k}`),
      ],
      region: [...Array(q).fill(o.region), ...Array(noise).fill(o.noise?.region)],
      values: Float64Array.from(values),
      attributes: {},
    },
    { identifier: o.identifier, stimulus_set_identifier: o.stimulusSetIdentifier },
  );
  const stimuliCsv = path.join(o.dir, 'stimuli.csv');
  writeFileSync(
    stimuliCsv,
    ['stimulus_id,filename', ...o.stimuli.map((s) => `${s.id},${s.file}`)].join('\n'),
  );
  return { assemblyFile, stimuliCsv };
}
