/**
 * Neural assemblies as the evaluator holds them: one response per presentation (a stimulus shown once,
 * with its repetition number) and neuroid, with the coordinates Brain-Score's assemblies carry
 * (presentation: stimulus_id, repetition, object_name; neuroid: neuroid_id, region). Readers: the long CSV
 * form (csv.ts) and NetCDF4/HDF5 files as Brain-Score stores them (netcdf.ts).
 */
import { type Matrix, matrix, type Trials } from '@alignscope/neural';
import { InputError } from '../errors.ts';

export type Assembly = {
  /** Where it was read from (recorded with results). */
  source: string;
  /** Per presentation. */
  stimulusId: string[];
  /** Per presentation: the repetition number, or null when the assembly has no repetition coordinate. */
  repetition: (number | string)[] | null;
  /** Per presentation, when given (Brain-Score stratifies its splits by it). */
  objectName: string[] | null;
  /** Per neuroid. */
  neuroidId: string[];
  /** Per neuroid, when given. */
  region: string[] | null;
  /** presentation x neuroid, row-major. */
  values: Float32Array | Float64Array;
  /** Brain-Score assembly attributes kept for provenance (identifier, stimulus_set_identifier...). */
  attributes: Record<string, string>;
};

/** The assembly reorganised for the metrics: stimuli in first-seen order, repetitions as a third axis. */
export type StimulusResponses = {
  stimulusIds: string[];
  /** object_name per stimulus, when the assembly has it. */
  objectNames: string[] | null;
  neuroidIds: string[];
  trials: Trials;
  /** The repetition average, stimulus x neuroid. */
  averaged: Matrix;
};

/** Groups presentations by stimulus and repetition; a NaN response is an error naming it. */
export function toStimulusResponses(a: Assembly, options: { neuroids?: number[] } = {}): StimulusResponses {
  const p = a.stimulusId.length;
  const allQ = a.neuroidId.length;
  if (a.values.length !== p * allQ) {
    throw new InputError(`${a.source}: ${a.values.length} values for ${p} presentations x ${allQ} neuroids`);
  }
  const keep = options.neuroids ?? Array.from({ length: allQ }, (_, i) => i);
  const q = keep.length;
  if (q === 0) throw new InputError(`${a.source}: no neuroids selected`);
  const stimIndex = new Map<string, number>();
  const stimulusIds: string[] = [];
  const objectNames: string[] | null = a.objectName ? [] : null;
  const repIndex = new Map<string, number>();
  const slot: { stim: number; rep: number }[] = [];
  const perStimulus = new Map<number, Set<string>>();
  for (let i = 0; i < p; i++) {
    const id = a.stimulusId[i] as string;
    let s = stimIndex.get(id);
    if (s === undefined) {
      s = stimulusIds.length;
      stimIndex.set(id, s);
      stimulusIds.push(id);
      objectNames?.push(a.objectName?.[i] as string);
    } else if (a.objectName && objectNames?.[s] !== a.objectName[i]) {
      throw new InputError(
        `${a.source}: stimulus "${id}" has two object names ("${objectNames?.[s]}", "${a.objectName[i]}")`,
      );
    }
    const repLabel = a.repetition ? String(a.repetition[i]) : String(perStimulus.get(s)?.size ?? 0);
    const seen = perStimulus.get(s) ?? new Set<string>();
    if (seen.has(repLabel)) {
      throw new InputError(
        a.repetition
          ? `${a.source}: stimulus "${id}" has repetition ${repLabel} twice`
          : `${a.source}: stimulus "${id}" is presented more than once but the assembly has no repetition coordinate`,
      );
    }
    seen.add(repLabel);
    perStimulus.set(s, seen);
    let r = repIndex.get(repLabel);
    if (r === undefined) {
      r = repIndex.size;
      repIndex.set(repLabel, r);
    }
    slot.push({ stim: s, rep: r });
  }
  const n = stimulusIds.length;
  const reps = repIndex.size;
  const values = new Float64Array(n * q * reps).fill(Number.NaN);
  for (let i = 0; i < p; i++) {
    const { stim, rep } = slot[i] as { stim: number; rep: number };
    for (let k = 0; k < q; k++) {
      const j = keep[k] as number;
      const v = a.values[i * allQ + j] as number;
      if (!Number.isFinite(v)) {
        throw new InputError(
          `${a.source}: response of neuroid "${a.neuroidId[j]}" to stimulus "${a.stimulusId[i]}" (presentation ${i}) is ${v}; remove or impute it`,
        );
      }
      values[(stim * q + k) * reps + rep] = v;
    }
  }
  const trials: Trials = { stimuli: n, neuroids: q, repetitions: reps, values };
  const averaged = new Float64Array(n * q);
  for (let s = 0; s < n; s++) {
    for (let k = 0; k < q; k++) {
      let sum = 0;
      let count = 0;
      for (let r = 0; r < reps; r++) {
        const v = values[(s * q + k) * reps + r] as number;
        if (!Number.isNaN(v)) {
          sum += v;
          count++;
        }
      }
      averaged[s * q + k] = sum / count;
    }
  }
  return {
    stimulusIds,
    objectNames,
    neuroidIds: keep.map((j) => a.neuroidId[j] as string),
    trials,
    averaged: matrix(n, q, averaged),
  };
}

/** The neuroid indices of `region` (all neuroids when the assembly has no region coordinate and region is null). */
export function regionNeuroids(a: Assembly, region: string | null): number[] {
  if (region === null) return a.neuroidId.map((_, i) => i);
  if (!a.region)
    throw new InputError(
      `${a.source}: the assembly has no region coordinate, cannot select region ${region}`,
    );
  const out = a.region.flatMap((r, i) => (r === region ? [i] : []));
  if (out.length === 0) {
    const have = [...new Set(a.region)].sort().join(', ');
    throw new InputError(`${a.source}: no neuroid of region ${region} (regions: ${have})`);
  }
  return out;
}
