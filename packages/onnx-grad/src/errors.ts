/** A model that cannot be differentiated (bad input, unsupported structure). */
export class OnnxGradError extends Error {
  override name = 'OnnxGradError';
}

/** An active node (on a path from the input to the output) whose op has no VJP rule. */
export class UnsupportedOpError extends OnnxGradError {
  override name = 'UnsupportedOpError';
  constructor(
    readonly opType: string,
    readonly nodeName: string,
    readonly opset: number,
    readonly detail?: string,
  ) {
    super(
      `no gradient rule for ONNX op ${opType} (node "${nodeName}", opset ${opset})${detail ? `: ${detail}` : ''}`,
    );
  }
}
