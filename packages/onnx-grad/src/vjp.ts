export type BuildVjpOptions = {
  /** Batch size the VJP graph is specialised for (static shapes); default 1. */
  batchSize?: number;
};

export type VjpModel = {
  /** ONNX bytes: inputs (inputName, dlogitsName) -> outputs (outputName, dinputName). */
  model: Uint8Array;
  inputName: string;
  outputName: string;
  dlogitsName: string;
  dinputName: string;
};

/** Builds the VJP model of a single-input, single-output float32 model. */
export async function buildVjpModel(_model: Uint8Array, _opts: BuildVjpOptions = {}): Promise<VjpModel> {
  throw new Error('not implemented');
}
