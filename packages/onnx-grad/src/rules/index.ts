import { elementwiseRules } from './elementwise.ts';
import { linearRules } from './linear.ts';
import { poolRules } from './pool.ts';
import { shapeRules } from './shape.ts';
import type { Rule } from './types.ts';

export type { Rule, RuleContext } from './types.ts';

/** VJP rules by op type (default ONNX domain). */
export const rules: ReadonlyMap<string, Rule> = new Map(
  Object.entries({ ...elementwiseRules, ...linearRules, ...poolRules, ...shapeRules }),
);

/** Ops whose outputs carry no gradient (integer/boolean results, shape plumbing). */
export const nonDifferentiable: ReadonlySet<string> = new Set([
  'Shape',
  'Size',
  'Equal',
  'Greater',
  'GreaterOrEqual',
  'Less',
  'LessOrEqual',
  'Not',
  'And',
  'Or',
  'Xor',
  'IsNaN',
  'IsInf',
  'ArgMax',
  'ArgMin',
  'NonZero',
  'ConstantOfShape',
  'Range',
  'EyeLike',
  'RandomNormalLike',
  'RandomUniformLike',
  'Sign',
  'Floor',
  'Ceil',
  'Round',
  'OneHot',
]);

/** Output indices that can carry gradient, where not all of them do. */
export const differentiableOutputs: ReadonlyMap<string, readonly number[]> = new Map([
  ['MaxPool', [0]],
  ['Dropout', [0]],
  ['TopK', [0]],
  ['BatchNormalization', [0]],
  ['LayerNormalization', [0]],
]);
