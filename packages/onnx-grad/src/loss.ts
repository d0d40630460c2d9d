import type { GraphProto } from 'onnx-buf';
import { differentiate, type HeadContext } from './differentiate.ts';
import { OnnxGradError } from './errors.ts';
import { DataType, makeNode, makeValueInfo, parseModel, serializeModel } from './proto.ts';

/**
 * Loss heads (Croce & Hein 2020; fra31/auto-attack `autoattack/autopgd_base.py`, `fab_base.py`),
 * per sample, with z the logits, pi the classes sorted by decreasing logit:
 * - 'ce': logsumexp(z) - z_y
 * - 'dlr': -(z_y - max_{j != y} z_j) / (z_pi1 - z_pi3 + 1e-12)
 * - 'dlr-targeted': -(z_y - z_t) / (z_pi1 - (z_pi3 + z_pi4)/2 + 1e-12)
 * - 'logit-diff': z_t - z_y (FAB's targeted logit difference)
 */
export type LossKind = 'ce' | 'dlr' | 'dlr-targeted' | 'logit-diff';

export const LOSS_KINDS: readonly LossKind[] = ['ce', 'dlr', 'dlr-targeted', 'logit-diff'];

/** Whether a loss takes a target class input `y_target`. */
export const needsTarget = (loss: LossKind): boolean => loss === 'dlr-targeted' || loss === 'logit-diff';

export type BuildLossOptions = {
  loss: LossKind;
  /** Batch size the graph is specialised for (static shapes); default 1. */
  batchSize?: number;
  /** Shape of one sample (input dims after the batch); needed when the model's are symbolic. */
  inputShape?: readonly number[];
};

/** Public names of the loss model's inputs and outputs. */
export const LOSS_IO = {
  x: 'x',
  y: 'y',
  yTarget: 'y_target',
  logits: 'logits',
  loss: 'loss',
  grad: 'grad',
} as const;

/**
 * Emits the loss and its gradient with respect to the logits z [N, K]. Gradients of the sorted
 * logits are routed to their source classes with ScatterElements(reduction='add'), as autograd
 * through torch.sort does.
 */
function lossHead(kind: LossKind, h: HeadContext, loss: string) {
  const { e, logits: z, logitsShape } = h;
  if (logitsShape.length !== 2)
    throw new OnnxGradError(`loss heads need logits [N, K], got [${logitsShape.join(', ')}]`);
  const [n, k] = logitsShape as [number, number];
  const minK = kind === 'dlr' ? 3 : kind === 'dlr-targeted' ? 4 : 2;
  if (k < minK) throw new OnnxGradError(`loss '${kind}' needs at least ${minK} classes, the model has ${k}`);
  const yi = e.op('Unsqueeze', [LOSS_IO.y, e.i64([1])]);
  const ti = needsTarget(kind) ? e.op('Unsqueeze', [LOSS_IO.yTarget, e.i64([1])]) : '';
  const pick = (idx: string) => e.op('GatherElements', [z, idx], { axis: 1 });
  const toLoss = (v: string) => {
    e.nodes.push(makeNode('Reshape', [v, e.i64([n])], [loss], {}, e.fresh('loss_node')));
  };
  const scatter = (idx: string[], upd: string[], base?: string) =>
    e.op(
      'ScatterElements',
      [base ?? e.zeros([n, k]), e.op('Concat', idx, { axis: 1 }), e.op('Concat', upd, { axis: 1 })],
      { axis: 1, reduction: 'add' },
    );
  if (kind === 'ce') {
    // -log_softmax(z)_y, and d/dz = softmax(z) - onehot(y). onnxruntime's Softmax and LogSoftmax
    // (MLAS) work one row at a time, so a sample's loss and gradient do not depend on its place in
    // the batch or on the thread count; ReduceSum over the classes and Log (the head before, as
    // logsumexp(z) - z_y) did: they sum or vectorise by memory position.
    const ls = e.op('LogSoftmax', [z], { axis: 1 });
    toLoss(e.op('Neg', [e.op('GatherElements', [ls, yi], { axis: 1 })]));
    const p = e.op('Softmax', [z], { axis: 1 });
    return e.op('ScatterElements', [p, yi, e.f32(new Float32Array(n).fill(-1), [n, 1])], {
      axis: 1,
      reduction: 'add',
    });
  }
  const zy = pick(yi);
  if (kind === 'logit-diff') {
    toLoss(e.op('Sub', [pick(ti), zy]));
    return scatter(
      [yi, ti],
      [e.f32(new Float32Array(n).fill(-1), [n, 1]), e.f32(new Float32Array(n).fill(1), [n, 1])],
    );
  }
  const top = kind === 'dlr' ? 3 : 4;
  const [vals, idx] = e.opN('TopK', [z, e.i64([top])], 2, { axis: 1, largest: 1, sorted: 1 });
  const sizes = e.i64(new Array(top).fill(1));
  const v = e.opN('Split', [vals as string, sizes], top, { axis: 1 });
  const ix = e.opN('Split', [idx as string, sizes], top, { axis: 1 });
  const [v0, v1, v2] = v as [string, string, string];
  const [i0, i1, i2] = ix as [string, string, string];
  let num: string;
  let den: string;
  let other: string;
  if (kind === 'dlr') {
    // max_{j != y} z_j: the second largest if y is the top class, else the largest.
    const yTop = e.op('Equal', [i0, yi]);
    num = e.op('Sub', [zy, e.op('Where', [yTop, v1, v0])]);
    other = e.op('Where', [yTop, i1, i0]);
    den = e.op('Add', [e.op('Sub', [v0, v2]), e.f32([1e-12])]);
  } else {
    const v3 = v[3] as string;
    num = e.op('Sub', [zy, pick(ti)]);
    other = ti;
    den = e.op('Add', [
      e.op('Sub', [v0, e.op('Mul', [e.op('Add', [v2, v3]), e.f32([0.5])])]),
      e.f32([1e-12]),
    ]);
  }
  toLoss(e.op('Neg', [e.op('Div', [num, den])]));
  const invD = e.op('Reciprocal', [den]);
  const r = e.op('Div', [e.op('Mul', [num, invD]), den]); // num / den^2
  if (kind === 'dlr') {
    return scatter([yi, other, i0, i2], [e.op('Neg', [invD]), invD, r, e.op('Neg', [r])]);
  }
  const halfR = e.op('Mul', [r, e.f32([-0.5])]);
  return scatter([yi, other, i0, i2, ix[3] as string], [e.op('Neg', [invD]), invD, r, halfR, halfR]);
}

/**
 * Builds a model with inputs x [N,C,H,W] float32, y [N] int64 (and y_target [N] int64 for
 * 'dlr-targeted' and 'logit-diff') and outputs `logits` [N,K], `loss` [N] (per sample) and `grad`
 * [N,C,H,W] = d(sum_i loss_i)/dx, so grad_i = d loss_i / d x_i.
 */
/** Renames values throughout a graph (and its subgraphs). */
function renameValues(g: GraphProto, map: ReadonlyMap<string, string>): void {
  const r = (v: string) => map.get(v) ?? v;
  for (const v of [...g.input, ...g.output, ...g.valueInfo]) v.name = r(v.name);
  for (const t of g.initializer) t.name = r(t.name);
  for (const n of g.node) {
    n.input = n.input.map(r);
    n.output = n.output.map(r);
    for (const a of n.attribute)
      for (const sub of [...(a.g ? [a.g] : []), ...a.graphs]) renameValues(sub, map);
  }
}

/**
 * Gives the model the loss model's public names: its input becomes `x`, its first output `logits`,
 * and internal values that use a public name are renamed out of the way.
 */
function withPublicNames(bytes: Uint8Array): Uint8Array {
  const m = parseModel(bytes);
  const g = m.graph;
  if (!g) throw new OnnxGradError('model has no graph');
  const inits = new Set(g.initializer.map((t) => t.name));
  const input = g.input.find((i) => !inits.has(i.name))?.name;
  const output = g.output[0]?.name;
  if (input === undefined || output === undefined)
    throw new OnnxGradError('model needs an input and an output');
  if (input === output) throw new OnnxGradError('model output is its input');
  const names = new Set<string>([...g.input, ...g.output, ...g.valueInfo].map((v) => v.name));
  for (const t of g.initializer) names.add(t.name);
  for (const n of g.node) for (const v of [...n.input, ...n.output]) names.add(v);
  const map = new Map<string, string>([
    [input, LOSS_IO.x],
    [output, LOSS_IO.logits],
  ]);
  let k = 0;
  for (const pub of Object.values(LOSS_IO)) {
    if (!names.has(pub) || map.has(pub)) continue;
    let fresh = `model/${pub}`;
    while (names.has(fresh)) fresh = `model/${pub}_${k++}`;
    map.set(pub, fresh);
  }
  renameValues(g, map);
  return serializeModel(m);
}

/**
 * Builds a model with inputs x [N,C,H,W] float32, y [N] int64 (and y_target [N] int64 for
 * 'dlr-targeted' and 'logit-diff') and outputs `logits` [N,K], `loss` [N] (per sample) and `grad`
 * [N,C,H,W] = d(sum_i loss_i)/dx, so grad_i = d loss_i / d x_i.
 */
export async function buildLossModel(model: Uint8Array, opts: BuildLossOptions): Promise<Uint8Array> {
  const kind = opts.loss;
  if (!LOSS_KINDS.includes(kind)) throw new OnnxGradError(`unknown loss '${String(kind)}'`);
  const n = opts.batchSize ?? 1;
  const d = await differentiate(
    withPublicNames(model),
    n,
    (h) => {
      const dlogits = lossHead(kind, h, LOSS_IO.loss);
      const inputs = [makeValueInfo(LOSS_IO.y, DataType.INT64, [n])];
      if (needsTarget(kind)) inputs.push(makeValueInfo(LOSS_IO.yTarget, DataType.INT64, [n]));
      return {
        inputs,
        outputs: [
          makeValueInfo(LOSS_IO.logits, DataType.FLOAT, h.logitsShape),
          makeValueInfo(LOSS_IO.loss, DataType.FLOAT, [n]),
        ],
        dlogits,
      };
    },
    opts.inputShape,
  );
  const g = d.model.graph;
  if (!g) throw new Error('internal: no graph');
  g.node.push(makeNode('Identity', [d.dinput], [LOSS_IO.grad], {}, 'loss/grad_identity'));
  g.output.push(makeValueInfo(LOSS_IO.grad, DataType.FLOAT, d.inputShape));
  return serializeModel(d.model);
}
