import { clone, create } from '@bufbuild/protobuf';
import {
  type GraphProto,
  type ModelProto,
  ModelProtoSchema,
  type NodeProto,
  OperatorSetIdProtoSchema,
  type TensorProto,
  type ValueInfoProto,
  ValueInfoProtoSchema,
} from 'onnx-buf';
import * as ort from 'onnxruntime-node';
import { Emitter } from './emitter.ts';
import { OnnxGradError, UnsupportedOpError } from './errors.ts';
import {
  attr,
  attrInt,
  attrInts,
  type ConstTensor,
  DataType,
  floatTensor,
  int64Tensor,
  makeAttr,
  makeNode,
  makeValueInfo,
  parseModel,
  readTensor,
  serializeModel,
  valueInfoType,
} from './proto.ts';
import { differentiableOutputs, nonDifferentiable, rules } from './rules/index.ts';
import type { RuleContext } from './rules/types.ts';

/** The lowest default-domain opset of a differentiated graph (ScatterElements reduction='add'). */
export const MIN_GRAD_OPSET = 16;

/** What a loss/seed head gets: the emitter (its nodes run before the backward pass) and the logits. */
export type HeadContext = {
  e: Emitter;
  logits: string;
  logitsShape: number[];
  batchSize: number;
  /** Names the head may not reuse for new inputs/outputs. */
  taken: ReadonlySet<string>;
};

/** A head adds inputs and outputs and returns the name of d(objective)/d(logits). */
export type Head = (h: HeadContext) => {
  inputs: ValueInfoProto[];
  outputs: ValueInfoProto[];
  dlogits: string;
};

export type Differentiated = {
  model: ModelProto;
  inputName: string;
  outputName: string;
  /** Name of d(objective)/d(input) (not yet a graph output: the caller decides its public name). */
  dinput: string;
  inputShape: number[];
  outputShape: number[];
};

type Prepared = {
  model: ModelProto;
  g: GraphProto;
  opset: number;
  inputName: string;
  outputName: string;
  inputShape: number[];
  consts: Map<string, TensorProto>;
  nodes: NodeProto[];
  active: Set<string>;
};

const ONNX_DOMAINS = new Set(['', 'ai.onnx']);

/** Floating-point ONNX element types: a Cast to one of them carries gradient. */
const FLOAT_TYPES = new Set([DataType.FLOAT, DataType.FLOAT16, DataType.DOUBLE, DataType.BFLOAT16]);

/** onnxruntime tensor type names to ONNX element types. */
const ORT_TYPES: Record<string, number> = {
  float32: DataType.FLOAT,
  float16: DataType.FLOAT16,
  float64: DataType.DOUBLE,
  bfloat16: DataType.BFLOAT16,
  int64: DataType.INT64,
  int32: DataType.INT32,
  bool: DataType.BOOL,
};

function defaultOpset(m: ModelProto): number {
  const o = m.opsetImport.find((x) => ONNX_DOMAINS.has(x.domain));
  if (!o) throw new OnnxGradError('model has no default-domain opset import');
  return Number(o.version);
}

/** Nodes in topological order (ONNX requires it, but be tolerant). */
function topoSort(g: GraphProto, known: Set<string>): NodeProto[] {
  const avail = new Set(known);
  const pending = [...g.node];
  const out: NodeProto[] = [];
  while (pending.length > 0) {
    const before = pending.length;
    for (let i = 0; i < pending.length; ) {
      const n = pending[i] as NodeProto;
      if (n.input.every((x) => x === '' || avail.has(x))) {
        out.push(n);
        for (const o of n.output) avail.add(o);
        pending.splice(i, 1);
      } else i++;
    }
    if (pending.length === before) {
      const n = pending[0] as NodeProto;
      const missing = n.input.find((x) => x !== '' && !avail.has(x));
      throw new OnnxGradError(
        `graph is not a DAG or uses an undefined value "${missing}" (node "${n.name}")`,
      );
    }
  }
  return out;
}

function constantNodeTensor(n: NodeProto): TensorProto | undefined {
  const v = attr(n, 'value');
  if (v?.t) return v.t;
  const f = attr(n, 'value_float');
  if (f) return floatTensor('', [], [f.f]);
  const fs = attr(n, 'value_floats');
  if (fs) return floatTensor('', [fs.floats.length], fs.floats);
  const i = attr(n, 'value_int');
  if (i) return int64Tensor('', [], [i.i]);
  const is = attr(n, 'value_ints');
  if (is) return int64Tensor('', [is.ints.length], is.ints);
  return undefined;
}

function prepare(bytes: Uint8Array, batchSize: number, sampleShape?: readonly number[]): Prepared {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new OnnxGradError(`invalid batch size ${batchSize}`);
  const model = parseModel(bytes);
  const g = model.graph;
  if (!g) throw new OnnxGradError('model has no graph');
  const opset = defaultOpset(model);
  if (opset < 11) throw new OnnxGradError(`opset ${opset} is not supported (11 or newer is)`);
  const consts = new Map<string, TensorProto>(g.initializer.map((t) => [t.name, t]));
  const inputs = g.input.filter((i) => !consts.has(i.name));
  if (inputs.length !== 1) {
    throw new OnnxGradError(
      `expected one graph input, found ${inputs.length} (${inputs.map((i) => i.name).join(', ')})`,
    );
  }
  const inputInfo = inputs[0] as ValueInfoProto;
  const it = valueInfoType(inputInfo);
  if (it.elemType !== DataType.FLOAT) throw new OnnxGradError(`input "${inputInfo.name}" must be float32`);
  if (!it.dims || it.dims.length === 0)
    throw new OnnxGradError(`input "${inputInfo.name}" has no static rank`);
  const [b0, ...rest] = it.dims;
  if (typeof b0 === 'number' && b0 !== batchSize) {
    throw new OnnxGradError(`input "${inputInfo.name}" has a fixed batch size ${b0}, not ${batchSize}`);
  }
  if (
    sampleShape &&
    (sampleShape.length !== rest.length || sampleShape.some((d) => !Number.isInteger(d) || d < 1))
  ) {
    throw new OnnxGradError(
      `sample shape [${sampleShape.join(', ')}] does not fit input "${inputInfo.name}" of rank ${it.dims.length}`,
    );
  }
  const dims = rest.map((d, i) => {
    const want = sampleShape?.[i];
    if (typeof d === 'number') {
      if (want !== undefined && want !== d) {
        throw new OnnxGradError(
          `input "${inputInfo.name}" has dimension ${i + 1} fixed at ${d}, not ${want}`,
        );
      }
      return d;
    }
    if (want === undefined) {
      throw new OnnxGradError(
        `input "${inputInfo.name}" has a symbolic dimension ${i + 1}; pass the sample shape (inputShape)`,
      );
    }
    return want;
  });
  const inputShape = [batchSize, ...dims];
  const output = g.output[0];
  if (!output) throw new OnnxGradError('model has no output');
  for (const n of g.node) {
    if (n.opType === 'Constant' && ONNX_DOMAINS.has(n.domain)) {
      const t = constantNodeTensor(n);
      if (t && n.output[0]) consts.set(n.output[0], t);
    }
  }
  const nodes = topoSort(g, new Set([...consts.keys(), inputInfo.name]));

  // Activity: forward from the input through differentiable ops, backward from the output.
  const fwd = new Set([inputInfo.name]);
  for (const n of nodes) {
    if (n.opType === 'Constant' || !n.input.some((x) => fwd.has(x))) continue;
    if (ONNX_DOMAINS.has(n.domain) && nonDifferentiable.has(n.opType)) continue;
    if (n.opType === 'Cast' && !FLOAT_TYPES.has(attrInt(n, 'to', 0))) continue;
    const which = differentiableOutputs.get(n.opType) ?? n.output.map((_, i) => i);
    for (const i of which) if (n.output[i]) fwd.add(n.output[i] as string);
  }
  const bwd = new Set([output.name]);
  for (let k = nodes.length - 1; k >= 0; k--) {
    const n = nodes[k] as NodeProto;
    if (n.output.some((o) => bwd.has(o))) for (const x of n.input) if (x) bwd.add(x);
  }
  const active = new Set([...fwd].filter((v) => bwd.has(v)));
  if (!active.has(output.name)) {
    throw new OnnxGradError(
      `output "${output.name}" does not depend differentiably on input "${inputInfo.name}"`,
    );
  }
  const activeNodes = nodes.filter((n) => n.output.some((o) => active.has(o)));
  for (const n of activeNodes) {
    if (!ONNX_DOMAINS.has(n.domain)) {
      throw new UnsupportedOpError(`${n.domain}.${n.opType}`, n.name, opset, 'custom-domain op');
    }
    if (!rules.has(n.opType)) throw new UnsupportedOpError(n.opType, n.name, opset);
  }
  return {
    model,
    g,
    opset,
    inputName: inputInfo.name,
    outputName: output.name,
    inputShape,
    consts,
    nodes,
    active,
  };
}

/** Deterministic pseudo-random values in [0, 1) for the probes (shapes here; the NCHWc check). */
export function probeInput(n: number): Float32Array {
  const out = new Float32Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = (s >>> 8) / 16777216;
  }
  return out;
}

type ProbeResult = {
  shapes: Map<string, number[]>;
  /** ONNX element types of the probed values. */
  types: Map<string, number>;
  values: Map<string, ConstTensor>;
};

/**
 * One inference of the original graph with every active value and every non-constant input of an
 * active node exposed as an output: their static shapes (and the values of the non-active ones).
 */
async function probe(p: Prepared): Promise<ProbeResult> {
  const m = clone(ModelProtoSchema, p.model);
  const g = m.graph as GraphProto;
  const wanted = new Set<string>();
  const auxiliary = new Set<string>();
  for (const n of p.nodes) {
    if (!n.output.some((o) => p.active.has(o))) continue;
    for (const x of [...n.input, ...n.output]) {
      if (!x || p.consts.has(x) || x === p.inputName) continue;
      wanted.add(x);
      if (!p.active.has(x)) auxiliary.add(x);
    }
  }
  const existing = new Set(g.output.map((o) => o.name));
  // Untyped outputs: onnxruntime takes their types from the producing nodes.
  for (const name of wanted) if (!existing.has(name)) g.output.push(create(ValueInfoProtoSchema, { name }));
  const input = g.input.find((i) => i.name === p.inputName) as ValueInfoProto;
  g.input.splice(g.input.indexOf(input), 1, makeValueInfo(p.inputName, DataType.FLOAT, p.inputShape));
  const session = await ort.InferenceSession.create(serializeModel(m), {
    graphOptimizationLevel: 'disabled',
  });
  try {
    const count = p.inputShape.reduce((a, b) => a * b, 1);
    const feeds = { [p.inputName]: new ort.Tensor('float32', probeInput(count), p.inputShape) };
    const res = await session.run(feeds, [...new Set([...wanted, p.outputName])]);
    const shapes = new Map<string, number[]>([[p.inputName, p.inputShape]]);
    const values = new Map<string, ConstTensor>();
    const types = new Map<string, number>([[p.inputName, DataType.FLOAT]]);
    for (const [name, t] of Object.entries(res)) {
      shapes.set(name, [...t.dims]);
      types.set(name, ORT_TYPES[t.type] ?? 0);
      if (auxiliary.has(name) && t.size <= 1 << 20 && t.type !== 'string') {
        const data = Float64Array.from(t.data as ArrayLike<number | bigint>, Number);
        values.set(name, { dims: [...t.dims], dataType: 0, data });
      }
      t.dispose();
    }
    return { shapes, types, values };
  } finally {
    await session.release();
  }
}

/**
 * Rewrites forward nodes whose attribute-vs-input form changed between the model's opset and
 * {@link MIN_GRAD_OPSET} (only needed for opset 11 and 12 models).
 */
function upgradeNodes(p: Prepared, shapes: Map<string, number[]>): void {
  if (p.opset >= 13) return;
  const extra: TensorProto[] = [];
  let k = 0;
  const constInput = (n: NodeProto, values: number[]) => {
    const name = `upgrade/${n.opType}_${k++}`;
    extra.push(int64Tensor(name, [values.length], values));
    return name;
  };
  for (const n of p.nodes) {
    if (!ONNX_DOMAINS.has(n.domain)) continue;
    const take = (name: string) => {
      const v = attrInts(n, name);
      n.attribute = n.attribute.filter((a) => a.name !== name);
      return v;
    };
    if (n.opType === 'Squeeze' || n.opType === 'Unsqueeze' || n.opType === 'ReduceSum') {
      const axes = take('axes');
      if (axes) n.input.splice(1, 0, constInput(n, axes));
    } else if (n.opType === 'Split') {
      const split = take('split');
      if (split) n.input.splice(1, 0, constInput(n, split));
    } else if (n.opType === 'Dropout') {
      n.attribute = n.attribute.filter((a) => a.name !== 'ratio');
    } else if (n.opType === 'Softmax' || n.opType === 'LogSoftmax' || n.opType === 'Hardmax') {
      const shape = shapes.get(n.input[0] ?? '');
      const axisAttr = attrInt(n, 'axis', 1);
      if (!shape) {
        throw new UnsupportedOpError(
          n.opType,
          n.name,
          p.opset,
          'opset < 13 coerced-2D softmax off the input-output path',
        );
      }
      const axis = axisAttr < 0 ? axisAttr + shape.length : axisAttr;
      n.attribute = n.attribute.filter((a) => a.name !== 'axis');
      if (axis === shape.length - 1) {
        n.attribute.push(makeAttr('axis', -1));
        continue;
      }
      // Opset < 13 semantics: softmax over all trailing axes from `axis` -> Flatten, Softmax(-1), Reshape.
      const x = n.input[0] as string;
      const y = n.output[0] as string;
      const flat = `upgrade/${n.opType}_flat_${k}`;
      const soft = `upgrade/${n.opType}_out_${k}`;
      const idx = p.g.node.indexOf(n);
      const flatten = makeNode('Flatten', [x], [flat], { axis }, `${n.name}/flatten`);
      n.input[0] = flat;
      n.output[0] = soft;
      n.attribute.push(makeAttr('axis', -1));
      const back = makeNode('Reshape', [soft, constInput(n, shape)], [y], {}, `${n.name}/reshape`);
      p.g.node.splice(idx, 1, flatten, n, back);
      const pos = p.nodes.indexOf(n);
      p.nodes.splice(pos, 1, flatten, n, back);
      const rows = shape.slice(0, axis).reduce((a, b) => a * b, 1);
      const cols = shape.slice(axis).reduce((a, b) => a * b, 1);
      shapes.set(flat, [rows, cols]);
      shapes.set(soft, [rows, cols]);
      if (p.active.has(y)) {
        p.active.add(flat);
        p.active.add(soft);
      }
      k++;
    }
  }
  for (const t of extra) {
    p.g.initializer.push(t);
    p.consts.set(t.name, t);
  }
}

/** All value and node names of a graph. */
function namesOf(g: GraphProto): Set<string> {
  const s = new Set<string>();
  for (const v of [...g.input, ...g.output, ...g.valueInfo]) s.add(v.name);
  for (const t of g.initializer) s.add(t.name);
  for (const n of g.node) {
    s.add(n.name);
    for (const x of [...n.input, ...n.output]) if (x) s.add(x);
  }
  return s;
}

/**
 * Builds forward + head + backward in one graph. The result's default opset is at least 16; its
 * input has the static batch size; its outputs are the head's outputs (the caller adds d(input)).
 */
export async function differentiate(
  bytes: Uint8Array,
  batchSize: number,
  head: Head,
  sampleShape?: readonly number[],
): Promise<Differentiated> {
  const p = prepare(bytes, batchSize, sampleShape);
  const { shapes, types, values } = await probe(p);
  upgradeNodes(p, shapes);
  const newOpset = Math.max(p.opset, MIN_GRAD_OPSET);
  const taken = namesOf(p.g);
  const e = new Emitter(taken, newOpset);
  const outputShape = shapes.get(p.outputName) as number[];

  const shapeOf = (name: string): number[] => {
    const s = shapes.get(name);
    if (s) return s;
    const t = p.consts.get(name);
    if (t) return t.dims.map(Number);
    throw new OnnxGradError(`internal: no static shape for "${name}"`);
  };
  const valueCache = new Map<string, ConstTensor>();
  const constValue = (name: string): ConstTensor | undefined => {
    const cached = valueCache.get(name);
    if (cached) return cached;
    const t = p.consts.get(name);
    const v = t ? readTensor(t) : values.get(name);
    if (v) valueCache.set(name, v);
    return v;
  };

  const h = head({ e, logits: p.outputName, logitsShape: outputShape, batchSize, taken });
  const contributions = new Map<string, string[]>([[p.outputName, [h.dlogits]]]);
  const summed = new Map<string, string>();
  const gradOf = (name: string): string | undefined => {
    const done = summed.get(name);
    if (done) return done;
    const parts = contributions.get(name);
    if (!parts || parts.length === 0) return undefined;
    const g = parts.length === 1 ? (parts[0] as string) : e.op('Sum', parts);
    summed.set(name, g);
    return g;
  };

  for (let k = p.nodes.length - 1; k >= 0; k--) {
    const node = p.nodes[k] as NodeProto;
    if (!node.output.some((o) => p.active.has(o))) continue;
    const gys = node.output.map((o) => (p.active.has(o) ? gradOf(o) : undefined));
    if (gys.every((x) => x === undefined)) continue;
    const fail = (detail: string): never => {
      throw new UnsupportedOpError(node.opType, node.name, p.opset, detail);
    };
    const ctx: RuleContext = {
      node,
      opset: p.opset < 13 ? newOpset : p.opset,
      e,
      gy: (i) => gys[i],
      active: (i) => p.active.has(node.input[i] ?? ''),
      shape: shapeOf,
      elemType: (name) => types.get(name) ?? p.consts.get(name)?.dataType ?? 0,
      value: constValue,
      requireValue: (name, what) => constValue(name) ?? fail(`${what} ("${name}") must be constant`),
      ensureOutput: (i, hint) => {
        const existing = node.output[i];
        if (existing) return existing;
        while (node.output.length < i) node.output.push('');
        const name = e.fresh(hint);
        node.output[i] = name;
        return name;
      },
      fail,
    };
    const rule = rules.get(node.opType);
    if (!rule) throw new UnsupportedOpError(node.opType, node.name, p.opset);
    const grads = rule(ctx);
    node.input.forEach((x, i) => {
      const gx = grads[i];
      if (!x || gx === undefined || !p.active.has(x)) return;
      const list = contributions.get(x) ?? [];
      list.push(gx);
      contributions.set(x, list);
    });
  }
  const dinput = gradOf(p.inputName);
  if (!dinput) throw new OnnxGradError('internal: no gradient reached the input');

  const g = p.g;
  g.node = [...p.nodes, ...e.nodes];
  g.initializer.push(...e.initializers);
  const inputIndex = g.input.findIndex((i) => i.name === p.inputName);
  g.input.splice(inputIndex, 1, makeValueInfo(p.inputName, DataType.FLOAT, p.inputShape), ...h.inputs);
  g.output = h.outputs;
  // Shapes in value_info may name the old symbolic batch; drop them (ORT infers shapes anyway).
  g.valueInfo = [];
  const m = p.model;
  m.opsetImport = [
    ...m.opsetImport.filter((o) => !ONNX_DOMAINS.has(o.domain)),
    create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(newOpset) }),
  ];
  if (m.irVersion < 8n) m.irVersion = 8n;
  return {
    model: m,
    inputName: p.inputName,
    outputName: p.outputName,
    dinput,
    inputShape: p.inputShape,
    outputShape,
  };
}
