/**
 * Intermediate activations of an ONNX model over a stimulus set. The model's graph gets the requested
 * tensors as extra graph outputs (by value name), the stimuli are preprocessed as the model card says
 * (images/pipeline.ts) and run in batches, and each layer's output is flattened per stimulus, optionally
 * reduced first:
 * - `pool`: spatial mean over H, W of an [N, C, H, W] output (C features);
 * - `project`: a seeded sparse random projection to a fixed dimension (CountSketch: every input feature
 *   adds its value with a random sign to one random output coordinate; inner products are preserved in
 *   expectation, Charikar, Chen & Farach-Colton 2002), applied after pooling when both are asked.
 * What was done is returned with the features and recorded with every score.
 */
import { readFileSync } from 'node:fs';
import { createRng } from '@alignscope/analysis';
import { sessionThreadOptions } from '@alignscope/attacks/onnx';
import { type Matrix, matrix } from '@alignscope/neural';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  type ModelProto,
  ModelProtoSchema,
  TensorProto_DataType,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
} from 'onnx-buf';
import ort from 'onnxruntime-node';
import { InputError } from '../errors.ts';
import { imageBatches } from '../images/index.ts';
import type { ModelCard } from '../models/card.ts';

/** Ops whose outputs are candidate layers (Brain-Score's model layers are module outputs of this kind). */
const LAYER_OPS = new Set([
  'Relu',
  'Add',
  'Conv',
  'MaxPool',
  'AveragePool',
  'GlobalAveragePool',
  'Gemm',
  'MatMul',
  'Flatten',
  'Clip',
  'Sigmoid',
  'Concat',
  'LeakyRelu',
  'Gelu',
]);

export type Layer = { name: string; op: string; node: string };

function parseModel(file: string): ModelProto {
  try {
    return fromBinary(ModelProtoSchema, readFileSync(file));
  } catch (e) {
    throw new InputError(`${file}: not an ONNX model (${(e as Error).message.split('\n')[0]})`);
  }
}

/** Candidate layers in graph order: outputs of the ops above, the model's own outputs excluded. */
export function candidateLayers(modelFile: string): Layer[] {
  const model = parseModel(modelFile);
  const graph = model.graph;
  if (!graph) throw new InputError(`${modelFile}: the ONNX model has no graph`);
  const finals = new Set(graph.output.map((o) => o.name));
  const out: Layer[] = [];
  for (const node of graph.node) {
    if (!LAYER_OPS.has(node.opType)) continue;
    for (const name of node.output)
      if (name && !finals.has(name)) out.push({ name, op: node.opType, node: node.name });
  }
  return out;
}

export type Reduction = {
  /** Spatial mean pooling of 4-D outputs. */
  pool: boolean;
  /** Random projection to this many features (after pooling), or null. */
  project: { dim: number; seed: number } | null;
};

export type LayerActivations = {
  layer: string;
  /** stimulus x feature, float32. */
  features: Matrix;
  /** The layer's output shape per stimulus, before reduction. */
  shape: number[];
  reduction: Reduction;
};

export type ActivationOptions = {
  modelFile: string;
  card: ModelCard;
  layers: string[];
  files: string[];
  batchSize: number;
  reduction: Reduction;
  /** Refuse a layer whose features would exceed this many floats (all stimuli together). */
  maxFloats?: number;
  onProgress?: (done: number, total: number) => void;
};

/** A sparse sign projection: input feature j goes to bucket[j] with sign sign[j]. */
function countSketch(p: number, dim: number, seed: number, layer: string) {
  const rng = createRng(seed, `projection:${layer}`);
  const bucket = new Uint32Array(p);
  const sign = new Int8Array(p);
  for (let j = 0; j < p; j++) {
    bucket[j] = rng.nextInt(dim);
    sign[j] = rng.nextUint32() & 1 ? 1 : -1;
  }
  return { bucket, sign };
}

export async function extractActivations(opts: ActivationOptions): Promise<LayerActivations[]> {
  const { modelFile, card, layers, files, reduction } = opts;
  const maxFloats = opts.maxFloats ?? 2 ** 28;
  const model = parseModel(modelFile);
  const graph = model.graph;
  if (!graph) throw new InputError(`${modelFile}: the ONNX model has no graph`);
  const produced = new Set(graph.node.flatMap((n) => n.output));
  for (const l of layers) {
    if (!produced.has(l)) {
      const some = candidateLayers(modelFile)
        .slice(0, 8)
        .map((c) => c.name)
        .join(', ');
      throw new InputError(
        `${modelFile}: no tensor named "${l}" in the graph (candidate layers include: ${some})`,
      );
    }
  }
  const existing = new Set(graph.output.map((o) => o.name));
  for (const l of layers) {
    if (existing.has(l)) continue;
    graph.output.push(
      create(ValueInfoProtoSchema, {
        name: l,
        type: create(TypeProtoSchema, {
          value: {
            case: 'tensorType',
            value: create(TypeProto_TensorSchema, { elemType: TensorProto_DataType.FLOAT }),
          },
        }),
      }),
    );
  }
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(toBinary(ModelProtoSchema, model), {
      graphOptimizationLevel: 'disabled',
      ...sessionThreadOptions(),
    });
  } catch (e) {
    throw new InputError(
      `${modelFile}: cannot open the model with the added layer outputs: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  const inputName = session.inputNames[0] as string;
  const [C, H, W] = card.inputShape;
  const n = files.length;
  const state = layers.map((layer) => ({
    layer,
    shape: [] as number[],
    data: null as Float32Array | null,
    width: 0,
    sketch: null as ReturnType<typeof countSketch> | null,
  }));
  let row = 0;
  try {
    for await (const batch of imageBatches(
      files.map((file) => ({ file })),
      card,
      opts.batchSize,
    )) {
      const b = batch.items.length;
      const out = await session.run({ [inputName]: new ort.Tensor('float32', batch.data, [b, C, H, W]) });
      for (const s of state) {
        const t = out[s.layer];
        if (!t) throw new Error(`layer ${s.layer} missing from the outputs`);
        const dims = t.dims.map(Number);
        const values = t.data as Float32Array;
        const per = values.length / b;
        const pooled = reduction.pool && dims.length === 4;
        const spatial = pooled ? (dims[2] as number) * (dims[3] as number) : 1;
        const base = pooled ? (dims[1] as number) : per;
        if (s.data === null) {
          s.shape = dims.slice(1);
          s.width = reduction.project ? reduction.project.dim : base;
          if (n * s.width > maxFloats) {
            throw new InputError(
              `layer ${s.layer} has ${base} features per stimulus (${n} stimuli: ${n * s.width} floats); reduce it with --pool or --project <dim>`,
            );
          }
          s.data = new Float32Array(n * s.width);
          if (reduction.project)
            s.sketch = countSketch(base, reduction.project.dim, reduction.project.seed, s.layer);
        }
        for (let i = 0; i < b; i++) {
          const src = i * per;
          const dst = (row + i) * s.width;
          const feature = (j: number): number => {
            if (!pooled) return values[src + j] as number;
            let sum = 0;
            for (let k = 0; k < spatial; k++) sum += values[src + j * spatial + k] as number;
            return sum / spatial;
          };
          if (s.sketch) {
            for (let j = 0; j < base; j++) {
              const k = dst + (s.sketch.bucket[j] as number);
              (s.data as Float32Array)[k] =
                ((s.data as Float32Array)[k] as number) + (s.sketch.sign[j] as number) * feature(j);
            }
          } else for (let j = 0; j < base; j++) (s.data as Float32Array)[dst + j] = feature(j);
        }
      }
      row += b;
      opts.onProgress?.(row, n);
    }
  } finally {
    await session.release();
  }
  return state.map((s) => ({
    layer: s.layer,
    features: matrix(n, s.width, s.data ?? new Float32Array(0)),
    shape: s.shape,
    reduction,
  }));
}
