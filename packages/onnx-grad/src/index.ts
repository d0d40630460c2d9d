/**
 * Reverse-mode differentiation of ONNX classifiers: builds a second ONNX graph (standard ops only)
 * that computes the vector-Jacobian product of the model, run with onnxruntime-node.
 */
export type { ModelProto } from 'onnx-buf';
export { type AttrValue, GraphBuilder, graph, type TensorData } from './builder.ts';
export { OnnxGradError, UnsupportedOpError } from './errors.ts';
export {
  type BuildLossOptions,
  buildLossModel,
  LOSS_IO,
  LOSS_KINDS,
  type LossKind,
  needsTarget,
} from './loss.ts';
export {
  type NchwcRewrite,
  type NchwcSession,
  nchwcCandidates,
  nchwcSession,
  propagateNchwc,
} from './nchwc.ts';
export { parseModel, serializeModel } from './proto.ts';
export {
  createGradientSession,
  type ForwardResult,
  type GradientResult,
  GradientSession,
  type GradientSessionOptions,
  NCHWC_AFTER,
  sessionConfigExtra,
} from './session.ts';
export { type BuildVjpOptions, buildVjpModel, type VjpModel } from './vjp.ts';
