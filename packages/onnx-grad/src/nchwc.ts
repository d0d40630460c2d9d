/**
 * Elementwise nodes on onnxruntime's blocked NCHWc layout.
 *
 * At optimisation level 'all' onnxruntime's CPU provider (NchwcTransformer) runs convolutions in a
 * blocked layout (com.microsoft.nchwc.Conv) and converts back to NCHW (ReorderOutput) wherever a node
 * it does not transform reads the tensor, then forward again (ReorderInput) for the next convolution.
 * A gradient graph is full of such nodes: every ReLU/Clip backward is a mask (Greater, Cast, Mul) on a
 * forward activation and on the incoming gradient, so each one costs two or three reorders, and on the
 * CIFAR ResNet-20 the reorders took 15 % of a gradient call.
 *
 * An elementwise node whose tensor inputs all have the same shape computes each element from the
 * elements at the same index, so it gives the same values on the blocked layout as on NCHW, as long as
 * the blocked tensor has no padding channels (channels a multiple of the block size, 8 or 16: we ask
 * for 16). `propagateNchwc` rewrites onnxruntime's optimised graph so such nodes run on the blocked
 * tensors, drops the ReorderInput nodes that this makes redundant and keeps a ReorderOutput only where
 * a node that needs NCHW still reads the tensor. Every value is computed by the same kernels as before,
 * only where it lives in memory changes, so the outputs are bit-identical (`nchwcSession` checks that
 * on a probe batch before it uses the rewritten graph).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { clone, create } from '@bufbuild/protobuf';
import {
  type ModelProto,
  ModelProtoSchema,
  type NodeProto,
  NodeProtoSchema,
  ValueInfoProtoSchema,
} from 'onnx-buf';
import * as ort from 'onnxruntime-node';
import { attrInt, makeNode, parseModel, serializeModel } from './proto.ts';

const NCHWC = 'com.microsoft.nchwc';

/** Default-domain ops that compute each output element from the input elements at the same index. */
const ELEMENTWISE = new Set([
  'Abs',
  'Add',
  'And',
  'Cast',
  'Clip',
  'Div',
  'Equal',
  'Greater',
  'GreaterOrEqual',
  'HardSigmoid',
  'LeakyRelu',
  'Less',
  'LessOrEqual',
  'Max',
  'Min',
  'Mul',
  'Neg',
  'Not',
  'Or',
  'Relu',
  'Sigmoid',
  'Sign',
  'Sub',
  'Sum',
  'Tanh',
  'Where',
  'Xor',
]);

/** Channel counts that need no padding channels in any MLAS NCHWc block size (8, 16). */
const BLOCK = 16;

export type NchwcRewrite = {
  model: ModelProto;
  /** Elementwise nodes moved onto the blocked layout. */
  moved: number;
  /** ReorderInput + ReorderOutput nodes before and after. */
  reordersBefore: number;
  reordersAfter: number;
};

const isReorder = (n: NodeProto, op: 'ReorderInput' | 'ReorderOutput') =>
  n.domain === NCHWC && n.opType === op && attrInt(n, 'channels_last', 0) === 0;

/**
 * The NCHW tensors whose shapes `propagateNchwc` needs: the non-constant inputs of the elementwise
 * nodes that might move (those reading at least one tensor that exists in the blocked layout).
 */
export function nchwcCandidates(model: ModelProto): string[] {
  return [...planOnce(model, () => undefined, new Set(), true).needed];
}

/**
 * Rewrites an onnxruntime-optimised model (level 'all', CPU) so that elementwise nodes run on the
 * blocked layout where that is exact; `shapes` gives the static shapes of the names
 * `nchwcCandidates` returned (a node whose input shapes are unknown or differ stays as it is).
 */
export function propagateNchwc(
  model: ModelProto,
  shapes: (name: string) => number[] | undefined,
): NchwcRewrite {
  const m = clone(ModelProtoSchema, model);
  const g = m.graph;
  if (!g) return { model: m, moved: 0, reordersBefore: 0, reordersAfter: 0 };
  const reorders = (nodes: NodeProto[]) =>
    nodes.filter((n) => n.domain === NCHWC && (n.opType === 'ReorderInput' || n.opType === 'ReorderOutput'))
      .length;
  const reordersBefore = reorders(g.node);
  const p = plan(m, shapes);
  if (p.moved.size === 0) return { model: m, moved: 0, reordersBefore, reordersAfter: reordersBefore };

  const out: NodeProto[] = [];
  const rename = new Map<string, string>();
  const reorderedOut = new Set<string>();
  for (const n of g.node) {
    const twin = p.moved.get(n);
    if (twin) {
      out.push(twin);
      continue;
    }
    if (isReorder(n, 'ReorderInput')) {
      const blocked = p.blockedOf.get(n.input[0] as string);
      if (blocked !== undefined && blocked !== n.output[0]) {
        rename.set(n.output[0] as string, blocked);
        continue;
      }
    }
    out.push(n);
  }
  for (const n of out) n.input = n.input.map((i) => rename.get(i) ?? i);
  // a moved node's NCHW output that something else still reads comes back through a ReorderOutput
  const movedOutputs = new Map<string, string>();
  for (const twin of p.moved.values())
    movedOutputs.set(p.nchwOf.get(twin.output[0] as string) as string, twin.output[0] as string);
  const needNchw = (name: string) => {
    const blocked = movedOutputs.get(name);
    if (blocked === undefined || reorderedOut.has(name)) return;
    reorderedOut.add(name);
    out.push(
      makeNode(
        'ReorderOutput',
        [blocked],
        [name],
        { channels: p.channels.get(blocked) as number, channels_last: 0 },
        `${name}/reorder_output`,
      ),
    );
    (out[out.length - 1] as NodeProto).domain = NCHWC;
  };
  for (const n of [...out]) for (const i of n.input) needNchw(i);
  for (const o of g.output) needNchw(o.name);

  g.node = topologicalOrder(deadCodeRemoved(out, new Set(g.output.map((o) => o.name))), [
    ...g.input.map((i) => i.name),
    ...g.initializer.map((t) => t.name),
  ]);
  return { model: m, moved: p.moved.size, reordersBefore, reordersAfter: reorders(g.node) };
}

type Plan = {
  /** Original node -> its copy on the blocked layout. */
  moved: Map<NodeProto, NodeProto>;
  /** NCHW name -> blocked name. */
  blockedOf: Map<string, string>;
  /** Blocked name -> NCHW name (for the moved nodes' outputs). */
  nchwOf: Map<string, string>;
  /** Blocked name -> channel count. */
  channels: Map<string, number>;
  /** Shapes asked for and not given. */
  needed: Set<string>;
};

/** Element type of a moved node's output: only float tensors can go back through ReorderOutput. */
const BOOL_OUT = new Set([
  'And',
  'Equal',
  'Greater',
  'GreaterOrEqual',
  'Less',
  'LessOrEqual',
  'Not',
  'Or',
  'Xor',
]);
const floatOutput = (n: NodeProto) =>
  n.opType === 'Cast' ? attrInt(n, 'to', 0) === 1 : !BOOL_OUT.has(n.opType);

/**
 * The plan, without the nodes whose non-float output something unmoved would have to read (there is
 * no ReorderOutput for those); repeated until no such node is left.
 */
function plan(m: ModelProto, shapes: (name: string) => number[] | undefined): Plan {
  const outputs = new Set(m.graph?.output.map((o) => o.name));
  const fixed = new Set<NodeProto>();
  for (;;) {
    const p = planOnce(m, shapes, fixed);
    const movedOut = new Set([...p.moved.keys()].map((n) => n.output[0] as string));
    const readByUnmoved = new Set<string>(outputs);
    for (const n of m.graph?.node ?? []) {
      if (p.moved.has(n)) continue;
      const redundantReorder = isReorder(n, 'ReorderInput') && movedOut.has(n.input[0] as string);
      if (!redundantReorder) for (const i of n.input) readByUnmoved.add(i);
    }
    const bad = [...p.moved.keys()].filter(
      (n) => !floatOutput(n) && readByUnmoved.has(n.output[0] as string),
    );
    if (bad.length === 0) return p;
    for (const n of bad) fixed.add(n);
  }
}

function planOnce(
  m: ModelProto,
  shapes: (name: string) => number[] | undefined,
  fixed: Set<NodeProto>,
  /** Collecting the names whose shapes are needed: assume every unknown shape fits. */
  optimistic = false,
): Plan {
  const g = m.graph;
  const res: Plan = {
    moved: new Map(),
    blockedOf: new Map(),
    nchwOf: new Map(),
    channels: new Map(),
    needed: new Set(),
  };
  if (!g) return res;
  const scalars = new Set(
    g.initializer.filter((t) => t.dims.reduce((a, b) => a * Number(b), 1) === 1).map((t) => t.name),
  );
  for (const n of g.node) {
    if (isReorder(n, 'ReorderOutput')) {
      res.blockedOf.set(n.output[0] as string, n.input[0] as string);
      res.channels.set(n.input[0] as string, attrInt(n, 'channels', 0));
    } else if (isReorder(n, 'ReorderInput')) {
      if (!res.blockedOf.has(n.input[0] as string))
        res.blockedOf.set(n.input[0] as string, n.output[0] as string);
    }
  }
  for (const n of g.node) {
    if (n.domain !== '' || !ELEMENTWISE.has(n.opType) || n.output.length !== 1 || fixed.has(n)) continue;
    const tensors = n.input.filter((i) => i !== '' && !scalars.has(i));
    if (tensors.length === 0 || !tensors.every((i) => res.blockedOf.has(i))) continue;
    const dims = tensors.map((i) => {
      const s = shapes(i);
      if (!s) res.needed.add(i);
      return s;
    });
    const first = dims[0];
    let c = BLOCK;
    if (!optimistic || dims.every((d) => d !== undefined)) {
      if (first?.length !== 4) continue;
      c = first[1] as number;
      if (c % BLOCK !== 0 || !dims.every((d) => d?.length === 4 && d.every((v, k) => v === first[k])))
        continue;
    }
    const name = `${n.output[0]}/nchwc`;
    const twin = clone(NodeProtoSchema, n);
    twin.input = n.input.map((i) => res.blockedOf.get(i) ?? i);
    twin.output = [name];
    twin.name = `${n.name || n.output[0]}/nchwc`;
    res.moved.set(n, twin);
    res.blockedOf.set(n.output[0] as string, name);
    res.nchwOf.set(name, n.output[0] as string);
    res.channels.set(name, c);
  }
  return res;
}

function deadCodeRemoved(nodes: NodeProto[], outputs: Set<string>): NodeProto[] {
  let live = nodes;
  for (;;) {
    const used = new Set(outputs);
    for (const n of live) for (const i of n.input) used.add(i);
    const next = live.filter((n) => n.output.some((o) => used.has(o)));
    if (next.length === live.length) return live;
    live = next;
  }
}

/** An order in which every input is produced before it is read (passes over the nodes left, keeping
 * the given order among the nodes that are ready together). */
function topologicalOrder(nodes: NodeProto[], available: string[]): NodeProto[] {
  const ready = new Set<string>(['', ...available]);
  const sorted: NodeProto[] = [];
  let pending = nodes;
  while (pending.length > 0) {
    const rest: NodeProto[] = [];
    for (const n of pending) {
      if (n.input.every((i) => ready.has(i))) {
        sorted.push(n);
        for (const o of n.output) ready.add(o);
      } else rest.push(n);
    }
    if (rest.length === pending.length) throw new Error('internal: the rewritten graph has a cycle');
    pending = rest;
  }
  return sorted;
}

export type NchwcSession = {
  session: ort.InferenceSession;
  /** What was done: moved nodes and reorders, or why the graph was left as onnxruntime made it. */
  layout: { moved: number; reordersBefore: number; reordersAfter: number } | { unchanged: string };
  /** The rewritten graph, when it is used. */
  model?: Uint8Array;
};

/**
 * A session at level 'all' whose graph has its elementwise nodes on the blocked layout, checked to
 * give bit-identical outputs on `probe` (which must feed every input); onnxruntime's own graph when
 * nothing can move or the check fails. `options` are the session's options (level 'all' is set).
 */
export async function nchwcSession(
  model: Uint8Array,
  options: ort.InferenceSession.SessionOptions,
  probe: Record<string, ort.Tensor>,
): Promise<NchwcSession> {
  const dir = mkdtempSync(path.join(tmpdir(), 'alignscope-nchwc-'));
  const file = path.join(dir, 'optimized.onnx');
  const all = { ...options, graphOptimizationLevel: 'all' as const };
  let original: ort.InferenceSession;
  let optimized: ModelProto;
  try {
    // severity 3: onnxruntime warns that an 'all' model is specific to this machine, which it is meant to be
    original = await ort.InferenceSession.create(model, {
      ...all,
      optimizedModelFilePath: file,
      logSeverityLevel: 3,
    });
    optimized = parseModel(readFileSync(file));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const keep = (why: string): NchwcSession => ({ session: original, layout: { unchanged: why } });
  try {
    const made = await rewritten(original, optimized, all, probe);
    if (typeof made === 'string') return keep(made);
    await original.release();
    return made;
  } catch (e) {
    // the rewrite is only for speed: on any failure onnxruntime's own graph goes on
    return keep(`the rewrite failed (${(e instanceof Error ? e.message : String(e)).split('\n')[0]})`);
  }
}

/** The rewritten session, checked against `original` on the probe batch, or why there is none. */
async function rewritten(
  original: ort.InferenceSession,
  optimized: ModelProto,
  all: ort.InferenceSession.SessionOptions,
  probe: Record<string, ort.Tensor>,
): Promise<NchwcSession | string> {
  const names = nchwcCandidates(optimized);
  if (names.length === 0) return 'no elementwise node reads a blocked tensor';
  const reference = await original.run(probe);
  // the candidates' shapes: one run of the optimised graph with them as extra (untyped) outputs
  const probing = clone(ModelProtoSchema, optimized);
  const have = new Set(probing.graph?.output.map((o) => o.name));
  for (const n of names)
    if (!have.has(n)) probing.graph?.output.push(create(ValueInfoProtoSchema, { name: n }));
  const shapes = new Map<string, number[]>();
  const shapeSession = await ort.InferenceSession.create(serializeModel(probing), {
    ...all,
    graphOptimizationLevel: 'disabled',
  });
  try {
    const res = await shapeSession.run(probe, names);
    for (const [name, t] of Object.entries(res)) {
      shapes.set(name, [...t.dims]);
      t.dispose();
    }
  } finally {
    await shapeSession.release();
  }
  const rewrite = propagateNchwc(optimized, (n) => shapes.get(n));
  if (rewrite.moved === 0)
    return 'no elementwise node on the blocked layout has equal input shapes and channels a multiple of 16';
  const bytes = serializeModel(rewrite.model);
  let session: ort.InferenceSession | undefined;
  let got: ort.InferenceSession.ReturnType;
  try {
    session = await ort.InferenceSession.create(bytes, { ...all, graphOptimizationLevel: 'disabled' });
    got = await session.run(probe);
  } catch (e) {
    await session?.release();
    return `onnxruntime did not run the rewritten graph (${String((e as Error).message).split('\n')[0]})`;
  }
  if (!original.outputNames.every((k) => bitEqual(reference[k], got[k]))) {
    await session.release();
    return 'the rewritten graph did not give bit-identical outputs on the probe batch';
  }
  return {
    session,
    layout: {
      moved: rewrite.moved,
      reordersBefore: rewrite.reordersBefore,
      reordersAfter: rewrite.reordersAfter,
    },
    model: bytes,
  };
}

function bitEqual(a: ort.Tensor | undefined, b: ort.Tensor | undefined): boolean {
  if (!a || !b || a.type !== b.type || a.dims.join() !== b.dims.join()) return false;
  const x = a.data as ArrayLike<unknown>;
  const y = b.data as ArrayLike<unknown>;
  if (x.length !== y.length) return false;
  if (x instanceof Float32Array && y instanceof Float32Array) {
    const u = new Uint32Array(x.buffer, x.byteOffset, x.length);
    const v = new Uint32Array(y.buffer, y.byteOffset, y.length);
    for (let i = 0; i < u.length; i++) if (u[i] !== v[i]) return false;
    return true;
  }
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  return true;
}
