/**
 * Reads a Brain-Score neural assembly from a NetCDF4 (HDF5) file with h5wasm, the HDF5 C library compiled
 * to WebAssembly. Brain-Score (brainio) writes a NeuroidAssembly with xarray's `to_netcdf`: one data
 * variable (usually `__xarray_dataarray_variable__`) of dimensions presentation x neuroid [x time_bin],
 * and one 1-D variable per coordinate (stimulus_id, repetition, object_name... along presentation;
 * neuroid_id, region... along neuroid; time_bin_start/end along time_bin), each tied to its dimension by
 * an HDF5 dimension scale (netCDF4's DIMENSION_LIST). Global attributes (identifier,
 * stimulus_set_identifier...) are kept for provenance.
 */
import path from 'node:path';
import { InputError } from '../errors.ts';
import type { Assembly } from './assembly.ts';

type H5 = typeof import('h5wasm/node');
let h5: Promise<H5> | undefined;

async function h5wasm(): Promise<H5> {
  h5 ??= import('h5wasm/node').then(async (m) => {
    await m.ready;
    return m;
  });
  return h5;
}

const PRESENTATION_COORDS = new Set([
  'stimulus_id',
  'image_id',
  'repetition',
  'object_name',
  'category_name',
  'variation',
]);
const NEUROID_COORDS = new Set(['neuroid_id', 'region', 'animal', 'arr', 'electrode', 'subregion']);

export type NetcdfOptions = {
  /** The data variable (default: `__xarray_dataarray_variable__`, else the only variable of 2+ dimensions). */
  variable?: string;
  /** Index of the time bin to use when the assembly has several (default: error if more than one). */
  timeBin?: number;
};

function toNumbers(v: unknown): number[] {
  if (v === null || v === undefined) return [];
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number | bigint>, Number);
  if (Array.isArray(v)) return v.map(Number);
  return [Number(v)];
}

function toStrings(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number | bigint>, String);
  if (Array.isArray(v)) return v.map(String);
  return [String(v)];
}

export async function readNetcdfAssembly(file: string, options: NetcdfOptions = {}): Promise<Assembly> {
  const m = await h5wasm();
  let f: InstanceType<H5['File']>;
  try {
    f = new m.File(path.resolve(file), 'r');
  } catch (e) {
    throw new InputError(
      `${file}: not a readable NetCDF4/HDF5 file (${(e as Error).message.split('\n')[0]})`,
    );
  }
  try {
    const datasets = new Map<string, InstanceType<H5['Dataset']>>();
    for (const key of f.keys()) {
      const e = f.get(key);
      if (e instanceof m.Dataset) datasets.set(key, e);
    }
    if (datasets.size === 0) throw new InputError(`${file}: no variables (datasets) at the root of the file`);
    const isScale = (d: InstanceType<H5['Dataset']>) => d.get_scale_name() !== null;
    let name = options.variable;
    if (name === undefined) {
      if (datasets.has('__xarray_dataarray_variable__')) name = '__xarray_dataarray_variable__';
      else {
        const multi = [...datasets]
          .filter(([, d]) => (d.shape?.length ?? 0) >= 2 && !isScale(d))
          .map(([k]) => k);
        if (multi.length !== 1) {
          throw new InputError(
            `${file}: ${multi.length === 0 ? 'no variable with 2 or more dimensions' : `several data variables (${multi.join(', ')})`}; name one with --variable`,
          );
        }
        name = multi[0] as string;
      }
    }
    const data = datasets.get(name);
    if (!data)
      throw new InputError(`${file}: no variable "${name}" (variables: ${[...datasets.keys()].join(', ')})`);
    const shape = data.shape ?? [];
    if (shape.length < 2 || shape.length > 3) {
      throw new InputError(
        `${file}: variable "${name}" has ${shape.length} dimensions; expected presentation x neuroid [x time_bin]`,
      );
    }
    const scaleName = (d: InstanceType<H5['Dataset']>, axis: number): string | null => {
      const scales = d.get_attached_scales(axis);
      return scales.length ? path.posix.basename(scales[0] as string) : null;
    };
    const dims = shape.map(
      (_, i) => scaleName(data, i) ?? ['presentation', 'neuroid', 'time_bin'][i],
    ) as string[];
    const pAxis = dims.indexOf('presentation');
    const nAxis = dims.indexOf('neuroid');
    if (pAxis < 0 || nAxis < 0) {
      throw new InputError(
        `${file}: variable "${name}" has dimensions (${dims.join(', ')}); expected presentation and neuroid`,
      );
    }
    const tAxis = shape.length === 3 ? 3 - pAxis - nAxis : -1;
    const P = shape[pAxis] as number;
    const N = shape[nAxis] as number;
    const T = tAxis >= 0 ? (shape[tAxis] as number) : 1;
    let timeBin = options.timeBin ?? 0;
    if (T > 1 && options.timeBin === undefined) {
      throw new InputError(
        `${file}: the assembly has ${T} time bins; choose one with --time-bin <0..${T - 1}>`,
      );
    }
    if (timeBin < 0 || timeBin >= T)
      throw new InputError(`${file}: time bin ${timeBin} is outside 0..${T - 1}`);
    if (T === 1) timeBin = 0;
    // coordinates: 1-D variables tied to presentation or neuroid
    const coords: Record<'presentation' | 'neuroid', Map<string, unknown>> = {
      presentation: new Map(),
      neuroid: new Map(),
    };
    for (const [key, d] of datasets) {
      if (key === name || isScale(d) || d.shape?.length !== 1) continue;
      const len = d.shape[0] as number;
      let dim = scaleName(d, 0);
      if (dim === null) {
        if (len === P && (len !== N || PRESENTATION_COORDS.has(key))) dim = 'presentation';
        else if (len === N && (len !== P || NEUROID_COORDS.has(key))) dim = 'neuroid';
      }
      if (dim === 'presentation' || dim === 'neuroid') coords[dim].set(key, d.value);
    }
    const pc = coords.presentation;
    const nc = coords.neuroid;
    const stim = pc.get('stimulus_id') ?? pc.get('image_id');
    if (stim === undefined) {
      throw new InputError(
        `${file}: no stimulus_id coordinate along presentation (coordinates: ${[...pc.keys()].join(', ') || 'none'})`,
      );
    }
    const raw = data.value;
    if (!ArrayBuffer.isView(raw)) throw new InputError(`${file}: variable "${name}" is not numeric`);
    const flat = Array.from(raw as unknown as ArrayLike<number | bigint>, Number);
    const stride = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
    const values = new Float64Array(P * N);
    for (let p = 0; p < P; p++) {
      for (let n = 0; n < N; n++) {
        let k = p * (stride[pAxis] as number) + n * (stride[nAxis] as number);
        if (tAxis >= 0) k += timeBin * (stride[tAxis] as number);
        values[p * N + n] = flat[k] as number;
      }
    }
    const attributes: Record<string, string> = {};
    for (const [k, a] of Object.entries(f.attrs)) {
      const v = a.value;
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') attributes[k] = String(v);
    }
    if (T > 1) attributes.time_bin_index = String(timeBin);
    const neuroidIds = nc.has('neuroid_id')
      ? toStrings(nc.get('neuroid_id'))
      : Array.from({ length: N }, (_, i) => String(i));
    return {
      source: file,
      stimulusId: toStrings(stim),
      repetition: pc.has('repetition') ? toNumbers(pc.get('repetition')) : null,
      objectName: pc.has('object_name') ? toStrings(pc.get('object_name')) : null,
      neuroidId: neuroidIds,
      region: nc.has('region') ? toStrings(nc.get('region')) : null,
      values,
      attributes,
    };
  } finally {
    f.close();
  }
}

/** Writes an assembly in the same layout (tests, and `alignscope assemblies` conversions from CSV). */
export async function writeNetcdfAssembly(
  file: string,
  a: Assembly,
  attributes: Record<string, string> = {},
): Promise<void> {
  const m = await h5wasm();
  const f = new m.File(path.resolve(file), 'w');
  try {
    const P = a.stimulusId.length;
    const N = a.neuroidId.length;
    const NOT_A_VARIABLE = 'This is a netCDF dimension but not a netCDF variable.';
    for (const [dim, len] of [
      ['presentation', P],
      ['neuroid', N],
    ] as const) {
      const d = f.create_dataset({ name: dim, data: new Float32Array(len), shape: [len] });
      d.make_scale(`${NOT_A_VARIABLE}${String(len).padStart(10)}`);
    }
    const data = f.create_dataset({
      name: '__xarray_dataarray_variable__',
      data: Float64Array.from(a.values),
      shape: [P, N],
    });
    data.attach_scale(0, 'presentation');
    data.attach_scale(1, 'neuroid');
    const coordNames: string[] = [];
    const coord = (name: string, dim: 'presentation' | 'neuroid', values: string[] | number[]) => {
      const d =
        typeof values[0] === 'number'
          ? f.create_dataset({
              name,
              data: BigInt64Array.from(values as number[], (v) => BigInt(v)),
              shape: [values.length],
            })
          : f.create_dataset({ name, data: values as string[], shape: [values.length] });
      d.attach_scale(0, dim);
      coordNames.push(name);
    };
    coord('stimulus_id', 'presentation', a.stimulusId);
    if (a.repetition) coord('repetition', 'presentation', a.repetition.map(Number));
    if (a.objectName) coord('object_name', 'presentation', a.objectName);
    coord('neuroid_id', 'neuroid', a.neuroidId);
    if (a.region) coord('region', 'neuroid', a.region);
    data.create_attribute('coordinates', coordNames.join(' '));
    for (const [k, v] of Object.entries(attributes)) f.create_attribute(k, v);
  } finally {
    f.close();
  }
}
