import { differentiate } from './differentiate.ts';
import { DataType, makeNode, makeValueInfo, serializeModel } from './proto.ts';

export type BuildVjpOptions = {
  /** Batch size the VJP graph is specialised for (static shapes); default 1. */
  batchSize?: number;
  /** Shape of one sample (input dims after the batch); needed when the model's are symbolic. */
  inputShape?: readonly number[];
};

export type VjpModel = {
  /** ONNX bytes: inputs (inputName, dlogitsName) -> outputs (outputName, dinputName). */
  model: Uint8Array;
  inputName: string;
  outputName: string;
  dlogitsName: string;
  dinputName: string;
  /** Static input shape of the VJP model (batch size fixed). */
  inputShape: number[];
  /** Shape of the output and of dlogits. */
  outputShape: number[];
};

function freeName(taken: ReadonlySet<string>, want: string): string {
  if (!taken.has(want)) return want;
  for (let i = 1; ; i++) if (!taken.has(`${want}_${i}`)) return `${want}_${i}`;
}

/**
 * Builds the VJP model of a single-input float32 model (its first output is differentiated): inputs
 * x and dlogits (same shape as the output), outputs the original output and dx = J^T dlogits.
 */
export async function buildVjpModel(model: Uint8Array, opts: BuildVjpOptions = {}): Promise<VjpModel> {
  let dlogitsName = '';
  let dinputName = '';
  const d = await differentiate(
    model,
    opts.batchSize ?? 1,
    (h) => {
      dlogitsName = freeName(h.taken, 'dlogits');
      dinputName = freeName(new Set([...h.taken, dlogitsName]), 'dinput');
      return {
        inputs: [makeValueInfo(dlogitsName, DataType.FLOAT, h.logitsShape)],
        outputs: [makeValueInfo(h.logits, DataType.FLOAT, h.logitsShape)],
        dlogits: dlogitsName,
      };
    },
    opts.inputShape,
  );
  const g = d.model.graph;
  if (!g) throw new Error('internal: no graph');
  g.node.push(makeNode('Identity', [d.dinput], [dinputName], {}, 'grad/dinput_identity'));
  g.output.push(makeValueInfo(dinputName, DataType.FLOAT, d.inputShape));
  return {
    model: serializeModel(d.model),
    inputName: d.inputName,
    outputName: d.outputName,
    dlogitsName,
    dinputName,
    inputShape: d.inputShape,
    outputShape: d.outputShape,
  };
}
