/** Test helpers: tiny ONNX classifiers built here, paths into the data bundle, temp folders. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@alignscope/config';
import { create, toBinary } from '@bufbuild/protobuf';
import {
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  TensorProto_DataType,
  TensorProtoSchema,
  TensorShapeProto_DimensionSchema,
  TensorShapeProtoSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
} from 'onnx-buf';

export const dataDir = loadConfig().dataDir;
export const bundle = (...p: string[]) => path.join(dataDir, ...p);
export const tmpDir = (prefix = 'alignscope-test-') => mkdtempSync(path.join(os.tmpdir(), prefix));

function valueInfo(name: string, dims: (number | string)[]) {
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: {
        case: 'tensorType',
        value: create(TypeProto_TensorSchema, {
          elemType: TensorProto_DataType.FLOAT,
          shape: create(TensorShapeProtoSchema, {
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

/**
 * A tiny classifier: GlobalAveragePool over [N,3,H,W] -> Flatten -> MatMul with a [3,K] weight
 * (row c, column k = (c + 1) * (k + 1) / 10). `inputDims` may hold symbolic dimensions.
 */
export function tinyClassifier(inputDims: (number | string)[], classes: number): Uint8Array {
  const w = new Float32Array(3 * classes);
  for (let c = 0; c < 3; c++) for (let k = 0; k < classes; k++) w[c * classes + k] = ((c + 1) * (k + 1)) / 10;
  const graph = create(GraphProtoSchema, {
    name: 'tiny',
    node: [
      create(NodeProtoSchema, { opType: 'GlobalAveragePool', input: ['input'], output: ['pooled'] }),
      create(NodeProtoSchema, { opType: 'Flatten', input: ['pooled'], output: ['flat'] }),
      create(NodeProtoSchema, { opType: 'MatMul', input: ['flat', 'w'], output: ['logits'] }),
    ],
    initializer: [
      create(TensorProtoSchema, {
        name: 'w',
        dims: [BigInt(3), BigInt(classes)],
        dataType: TensorProto_DataType.FLOAT,
        floatData: Array.from(w),
      }),
    ],
    input: [valueInfo('input', inputDims)],
    output: [valueInfo('logits', [typeof inputDims[0] === 'number' ? inputDims[0] : 'N', classes])],
  });
  const model = create(ModelProtoSchema, {
    irVersion: BigInt(7),
    opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(13) })],
    producerName: 'alignscope-test',
    graph,
  });
  return toBinary(ModelProtoSchema, model);
}

/** A minimal valid card for a tiny classifier. */
export function tinyCard(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'tiny_test_model',
    displayName: 'Tiny test model',
    inputShape: [3, 8, 8],
    inputRange: [0, 1],
    normalizationInside: true,
    preprocessing: { resize: null, crop: null },
    labelSpace: 'cifar-10',
    ...over,
  };
}
