import type { NodeProto, TensorProto } from 'onnx-buf';
import { type AttrValue, floatTensor, int64Tensor, makeNode } from './proto.ts';

/**
 * Appends backward nodes and constant initializers with fresh names. `opset` is the default-domain
 * opset of the graph being written (always >= 16), which decides attribute-vs-input forms.
 */
export class Emitter {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private counter = 0;
  private readonly constCache = new Map<string, string>();

  constructor(
    private readonly taken: Set<string>,
    readonly opset: number,
    private readonly prefix = 'grad',
  ) {}

  /** A name not used anywhere in the graph. */
  fresh(hint: string): string {
    for (;;) {
      const name = `${this.prefix}/${hint}_${this.counter++}`;
      if (!this.taken.has(name)) {
        this.taken.add(name);
        return name;
      }
    }
  }

  /** One node with one output; returns the output name. */
  op(opType: string, inputs: readonly string[], attrs: Record<string, AttrValue | undefined> = {}): string {
    const [out] = this.opN(opType, inputs, 1, attrs);
    return out as string;
  }

  /** One node with n outputs. */
  opN(
    opType: string,
    inputs: readonly string[],
    n: number,
    attrs: Record<string, AttrValue | undefined> = {},
  ): string[] {
    const outs = Array.from({ length: n }, () => this.fresh(opType));
    this.nodes.push(makeNode(opType, inputs, outs, attrs, this.fresh(`${opType}_node`)));
    return outs;
  }

  /** A float32 initializer (scalars: dims []). Small constants are shared. */
  f32(values: ArrayLike<number>, dims: readonly number[] = []): string {
    return this.constant('f', values, dims, () => floatTensor('', dims, values));
  }

  /** An int64 initializer. */
  i64(values: ArrayLike<number>, dims: readonly number[] = [values.length]): string {
    return this.constant('i', values, dims, () => int64Tensor('', dims, values));
  }

  private constant(
    kind: string,
    values: ArrayLike<number>,
    dims: readonly number[],
    make: () => TensorProto,
  ): string {
    const key = values.length <= 16 ? `${kind}:${dims.join(',')}:${Array.from(values).join(',')}` : undefined;
    const cached = key === undefined ? undefined : this.constCache.get(key);
    if (cached !== undefined) return cached;
    const t = make();
    t.name = this.fresh(kind === 'f' ? 'const_f' : 'const_i');
    this.initializers.push(t);
    if (key !== undefined) this.constCache.set(key, t.name);
    return t.name;
  }

  reshape(x: string, dims: readonly number[]): string {
    return this.op('Reshape', [x, this.i64(dims)]);
  }

  reduceSum(x: string, axes: readonly number[], keepdims: boolean): string {
    return this.op('ReduceSum', [x, this.i64(axes)], { keepdims: keepdims ? 1 : 0 });
  }

  /** ReduceMean/ReduceMax etc.: axes attribute before opset 18, input from 18. */
  reduce(op: 'ReduceMean' | 'ReduceMax', x: string, axes: readonly number[], keepdims: boolean): string {
    return this.opset >= 18
      ? this.op(op, [x, this.i64(axes)], { keepdims: keepdims ? 1 : 0 })
      : this.op(op, [x], { axes: [...axes], keepdims: keepdims ? 1 : 0 });
  }

  /** A float zero tensor of a static shape. */
  zeros(dims: readonly number[]): string {
    return this.op('ConstantOfShape', [this.i64(dims)], { value: floatTensor('', [1], [0]) });
  }

  /**
   * Sums a gradient of shape `from` down to the shape `to` it was broadcast from (numpy rules).
   */
  unbroadcast(g: string, from: readonly number[], to: readonly number[]): string {
    if (from.length === to.length && from.every((d, i) => d === to[i])) return g;
    const lead = from.length - to.length;
    const axes: number[] = [];
    for (let i = 0; i < from.length; i++) {
      const t = i < lead ? 1 : (to[i - lead] as number);
      if (t === 1 && from[i] !== 1) axes.push(i);
    }
    const summed = axes.length > 0 ? this.reduceSum(g, axes, true) : g;
    return this.reshape(summed, to);
  }
}
