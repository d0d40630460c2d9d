import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  type AttributeProto,
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  type ModelProto,
  ModelProtoSchema,
  type NodeProto,
  NodeProtoSchema,
  type TensorProto,
  TensorProto_DataType,
  TensorProtoSchema,
  TensorShapeProto_DimensionSchema,
  TensorShapeProtoSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  type ValueInfoProto,
  ValueInfoProtoSchema,
} from 'onnx-buf';
import { OnnxGradError } from './errors.ts';

export { TensorProto_DataType as DataType };

/** Parses ONNX protobuf bytes. */
export function parseModel(bytes: Uint8Array): ModelProto {
  try {
    return fromBinary(ModelProtoSchema, bytes);
  } catch (e) {
    throw new OnnxGradError(`not an ONNX model: ${(e as Error).message}`);
  }
}

/** Serialises a model to ONNX protobuf bytes. */
export function serializeModel(m: ModelProto): Uint8Array {
  return toBinary(ModelProtoSchema, m);
}

/** Tensor contents as plain JS numbers (int64 converted with Number) or booleans as 0/1. */
export type ConstTensor = { dims: number[]; dataType: number; data: Float64Array };

/** Decodes an initializer or Constant tensor. Only numeric types used by classifiers are handled. */
export function readTensor(t: TensorProto): ConstTensor {
  const dims = t.dims.map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  const dt = t.dataType;
  if (t.dataLocation === 1 || t.externalData.length > 0) {
    throw new OnnxGradError(`tensor "${t.name}" uses external data, which is not supported`);
  }
  const out = new Float64Array(count);
  const raw = t.rawData;
  if (raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const size = { 1: 4, 6: 4, 7: 8, 11: 8, 9: 1, 2: 1, 3: 1 }[dt as 1];
    if (size === undefined) throw new OnnxGradError(`tensor "${t.name}": unsupported data type ${dt}`);
    if (raw.length !== size * count) throw new OnnxGradError(`tensor "${t.name}": raw data size mismatch`);
    for (let i = 0; i < count; i++) {
      const o = i * size;
      out[i] =
        dt === TensorProto_DataType.FLOAT
          ? view.getFloat32(o, true)
          : dt === TensorProto_DataType.DOUBLE
            ? view.getFloat64(o, true)
            : dt === TensorProto_DataType.INT32
              ? view.getInt32(o, true)
              : dt === TensorProto_DataType.INT64
                ? Number(view.getBigInt64(o, true))
                : dt === TensorProto_DataType.INT8
                  ? view.getInt8(o)
                  : view.getUint8(o);
    }
    return { dims, dataType: dt, data: out };
  }
  const src: ArrayLike<number | bigint> =
    dt === TensorProto_DataType.FLOAT
      ? t.floatData
      : dt === TensorProto_DataType.DOUBLE
        ? t.doubleData
        : dt === TensorProto_DataType.INT64
          ? t.int64Data
          : t.int32Data;
  if (src.length !== count)
    throw new OnnxGradError(`tensor "${t.name}": expected ${count} values, found ${src.length}`);
  for (let i = 0; i < count; i++) out[i] = Number(src[i]);
  return { dims, dataType: dt, data: out };
}

/** A float32 tensor proto (raw little-endian data). */
export function floatTensor(name: string, dims: readonly number[], data: ArrayLike<number>): TensorProto {
  const arr = Float32Array.from(data);
  return create(TensorProtoSchema, {
    name,
    dims: dims.map(BigInt),
    dataType: TensorProto_DataType.FLOAT,
    rawData: new Uint8Array(arr.buffer),
  });
}

/** An int64 tensor proto. */
export function int64Tensor(
  name: string,
  dims: readonly number[],
  data: ArrayLike<number | bigint>,
): TensorProto {
  const arr = BigInt64Array.from(Array.from(data, (v) => BigInt(v)));
  return create(TensorProtoSchema, {
    name,
    dims: dims.map(BigInt),
    dataType: TensorProto_DataType.INT64,
    rawData: new Uint8Array(arr.buffer),
  });
}

/** A bool tensor proto. */
export function boolTensor(
  name: string,
  dims: readonly number[],
  data: ArrayLike<number | boolean>,
): TensorProto {
  const arr = Uint8Array.from(Array.from(data, (v) => (v ? 1 : 0)));
  return create(TensorProtoSchema, {
    name,
    dims: dims.map(BigInt),
    dataType: TensorProto_DataType.BOOL,
    rawData: arr,
  });
}

/** Attribute values accepted by {@link makeNode}: integers become INT(S) unless listed as float names. */
export type AttrValue =
  | number
  | readonly number[]
  | string
  | TensorProto
  | { float: number }
  | { floats: readonly number[] }
  | { int: number }
  | { ints: readonly number[] };

/** Attribute names whose numbers are floats in the ONNX operator schemas. */
const FLOAT_ATTRS = new Set([
  'alpha',
  'beta',
  'gamma',
  'epsilon',
  'momentum',
  'bias',
  'lambd',
  'min',
  'max',
  'ratio',
  'value_float',
  'seed',
  'scale',
  'spatial_scale',
  'extrapolation_value',
  'cubic_coeff_a',
]);

export function makeAttr(name: string, v: AttrValue): AttributeProto {
  const T = AttributeProto_AttributeType;
  if (typeof v === 'string')
    return create(AttributeProtoSchema, { name, type: T.STRING, s: new TextEncoder().encode(v) });
  if (typeof v === 'number') {
    return FLOAT_ATTRS.has(name) || !Number.isInteger(v)
      ? create(AttributeProtoSchema, { name, type: T.FLOAT, f: v })
      : create(AttributeProtoSchema, { name, type: T.INT, i: BigInt(v) });
  }
  if (Array.isArray(v)) {
    const nums = v as readonly number[];
    return FLOAT_ATTRS.has(name) || nums.some((x) => !Number.isInteger(x))
      ? create(AttributeProtoSchema, { name, type: T.FLOATS, floats: [...nums] })
      : create(AttributeProtoSchema, { name, type: T.INTS, ints: nums.map(BigInt) });
  }
  if ('float' in v) return create(AttributeProtoSchema, { name, type: T.FLOAT, f: v.float });
  if ('floats' in v) return create(AttributeProtoSchema, { name, type: T.FLOATS, floats: [...v.floats] });
  if ('int' in v) return create(AttributeProtoSchema, { name, type: T.INT, i: BigInt(v.int) });
  if ('ints' in v) return create(AttributeProtoSchema, { name, type: T.INTS, ints: v.ints.map(BigInt) });
  return create(AttributeProtoSchema, { name, type: T.TENSOR, t: v as TensorProto });
}

export function makeNode(
  opType: string,
  inputs: readonly string[],
  outputs: readonly string[],
  attrs: Record<string, AttrValue | undefined> = {},
  name = '',
): NodeProto {
  return create(NodeProtoSchema, {
    opType,
    name,
    input: [...inputs],
    output: [...outputs],
    attribute: Object.entries(attrs)
      .filter((e): e is [string, AttrValue] => e[1] !== undefined)
      .map(([k, v]) => makeAttr(k, v)),
  });
}

/** A tensor value info; dims may be numbers, symbolic names or undefined (unknown shape). */
export function makeValueInfo(
  name: string,
  elemType: number,
  dims?: readonly (number | string)[],
): ValueInfoProto {
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: {
        case: 'tensorType',
        value: create(TypeProto_TensorSchema, {
          elemType,
          shape:
            dims === undefined
              ? undefined
              : create(TensorShapeProtoSchema, {
                  dim: dims.map((d) =>
                    create(TensorShapeProto_DimensionSchema, {
                      value:
                        typeof d === 'number'
                          ? { case: 'dimValue', value: BigInt(d) }
                          : { case: 'dimParam', value: d },
                    }),
                  ),
                }),
        }),
      },
    }),
  });
}

/** Element type and dims (undefined where symbolic/unknown) of a value info. */
export function valueInfoType(v: ValueInfoProto): {
  elemType: number;
  dims: (number | string | undefined)[] | undefined;
} {
  const t = v.type?.value;
  if (t?.case !== 'tensorType') return { elemType: 0, dims: undefined };
  const dims = t.value.shape?.dim.map((d) =>
    d.value.case === 'dimValue'
      ? Number(d.value.value)
      : d.value.case === 'dimParam'
        ? d.value.value
        : undefined,
  );
  return { elemType: t.value.elemType, dims };
}

/** Attribute lookup helpers on a node. */
export function attr(node: NodeProto, name: string): AttributeProto | undefined {
  return node.attribute.find((a) => a.name === name);
}
export function attrInt(node: NodeProto, name: string, dflt: number): number {
  const a = attr(node, name);
  return a ? Number(a.i) : dflt;
}
export function attrFloat(node: NodeProto, name: string, dflt: number): number {
  const a = attr(node, name);
  return a ? a.f : dflt;
}
export function attrInts(node: NodeProto, name: string): number[] | undefined {
  const a = attr(node, name);
  return a ? a.ints.map(Number) : undefined;
}
export function attrString(node: NodeProto, name: string, dflt: string): string {
  const a = attr(node, name);
  return a ? new TextDecoder().decode(a.s) : dflt;
}
