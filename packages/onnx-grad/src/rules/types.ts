import type { NodeProto } from 'onnx-buf';
import type { Emitter } from '../emitter.ts';
import type { ConstTensor } from '../proto.ts';

/** What a VJP rule sees of one forward node. */
export type RuleContext = {
  node: NodeProto;
  /** Default-domain opset of the (possibly upgraded) forward graph. */
  opset: number;
  e: Emitter;
  /** Gradient of output i (undefined: the output does not reach the model output). */
  gy(i: number): string | undefined;
  /** Whether input i is active (needs a gradient). */
  active(i: number): boolean;
  /** Static shape of a value (from the probe inference or the initializer). */
  shape(name: string): number[];
  /** ONNX element type of a value (0 if unknown). */
  elemType(name: string): number;
  /** Value of a constant, an initializer or a non-active value seen by the probe. */
  value(name: string): ConstTensor | undefined;
  /** Like value(), but a missing value makes the node unsupported. */
  requireValue(name: string, what: string): ConstTensor;
  /** Makes sure forward output `index` exists (adding a fresh name) and returns its name. */
  ensureOutput(index: number, hint: string): string;
  /** Throws UnsupportedOpError for this node. */
  fail(detail: string): never;
};

/** Returns the gradient of each input (undefined where inactive or zero). */
export type Rule = (c: RuleContext) => (string | undefined)[];

export const input = (c: RuleContext, i: number): string => c.node.input[i] ?? '';
export const output = (c: RuleContext, i: number): string => c.node.output[i] ?? '';
export const dY = (c: RuleContext): string => {
  const g = c.gy(0);
  if (g === undefined) c.fail('internal: no output gradient');
  return g;
};
export const normAxis = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);
