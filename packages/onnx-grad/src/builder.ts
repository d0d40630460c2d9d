import { create } from '@bufbuild/protobuf';
import {
  GraphProtoSchema,
  type ModelProto,
  ModelProtoSchema,
  OperatorSetIdProtoSchema,
  type TensorProto,
} from 'onnx-buf';
import {
  type AttrValue,
  boolTensor,
  DataType,
  floatTensor,
  int64Tensor,
  makeNode,
  makeValueInfo,
  serializeModel,
} from './proto.ts';

export type { AttrValue };

/** Tensor contents for initializers and constants. */
export type TensorData = Float32Array | BigInt64Array | Int32Array | readonly number[];
type ElemKind = 'float' | 'int64' | 'bool';

function tensorOf(name: string, dims: readonly number[], data: TensorData, kind: ElemKind): TensorProto {
  const count = dims.reduce((a, b) => a * b, 1);
  if (data.length !== count) {
    throw new Error(
      `tensor "${name}": ${data.length} values for dims [${dims.join(',')}] (${count} expected)`,
    );
  }
  if (kind === 'int64') {
    // Numbers beyond the int64 range (e.g. 2**63 for "to the end") are clamped.
    const max = 2n ** 63n - 1n;
    const big = Array.from(data as ArrayLike<number | bigint>, (v) => {
      const b = typeof v === 'bigint' ? v : BigInt(Math.trunc(v));
      return b > max ? max : b < -max - 1n ? -max - 1n : b;
    });
    return int64Tensor(name, dims, big);
  }
  const values = Array.from(data as ArrayLike<number | bigint>, Number);
  if (kind === 'bool') return boolTensor(name, dims, values);
  return floatTensor(name, dims, values);
}

const ELEM: Record<ElemKind, number> = { float: DataType.FLOAT, int64: DataType.INT64, bool: DataType.BOOL };

/**
 * A small fluent builder for test graphs:
 * `graph().input('x', [1, 3, 8, 8]).init('w', [4, 3, 3, 3], w).node('Conv', ['x', 'w'], 'y').output('y').build()`.
 */
export class GraphBuilder {
  private readonly m: ModelProto;

  constructor(opts: { opset?: number; name?: string } = {}) {
    this.m = create(ModelProtoSchema, {
      irVersion: 8n,
      producerName: 'alignscope-onnx-grad-builder',
      opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(opts.opset ?? 13) })],
      graph: create(GraphProtoSchema, { name: opts.name ?? 'test' }),
    });
  }

  private get g() {
    // biome-ignore lint/style/noNonNullAssertion: created in the constructor
    return this.m.graph!;
  }

  /** A graph input; a string dim is symbolic (e.g. 'batch'). */
  input(name: string, dims: readonly (number | string)[], kind: ElemKind = 'float'): this {
    this.g.input.push(makeValueInfo(name, ELEM[kind], dims));
    return this;
  }

  /** An initializer (float unless kind says otherwise). */
  init(name: string, dims: readonly number[], data: TensorData, kind?: ElemKind): this {
    this.g.initializer.push(
      tensorOf(name, dims, data, kind ?? (data instanceof BigInt64Array ? 'int64' : 'float')),
    );
    return this;
  }

  /** A Constant node producing `name`. */
  constant(name: string, dims: readonly number[], data: TensorData, kind?: ElemKind): this {
    const t = tensorOf('', dims, data, kind ?? (data instanceof BigInt64Array ? 'int64' : 'float'));
    this.g.node.push(makeNode('Constant', [], [name], { value: t }, `const_${name}`));
    return this;
  }

  /** A node; `outputs` may be one name. Node names default to `<op>_<index>`. */
  node(
    opType: string,
    inputs: readonly string[],
    outputs: string | readonly string[],
    attrs: Record<string, AttrValue | undefined> = {},
    name?: string,
  ): this {
    const outs = typeof outputs === 'string' ? [outputs] : outputs;
    this.g.node.push(makeNode(opType, inputs, outs, attrs, name ?? `${opType}_${this.g.node.length}`));
    return this;
  }

  /** A graph output (shape left unspecified unless given). */
  output(name: string, kind: ElemKind = 'float', dims?: readonly (number | string)[]): this {
    this.g.output.push(makeValueInfo(name, ELEM[kind], dims));
    return this;
  }

  /** The model proto (shared, not copied). */
  model(): ModelProto {
    return this.m;
  }

  /** Serialised ONNX bytes. */
  build(): Uint8Array {
    return serializeModel(this.m);
  }
}

/** Starts a test graph (default opset 13). */
export function graph(opts: { opset?: number; name?: string } = {}): GraphBuilder {
  return new GraphBuilder(opts);
}
