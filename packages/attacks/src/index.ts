/**
 * AutoAttack in TypeScript (Croce & Hein 2020, fra31/auto-attack) on a classifier interface:
 * APGD-CE/-DLR, APGD-T, FAB-T, Square, the driver with the 'reference' and 'torchattacks'
 * profiles, pure-TypeScript classifiers for exact tests, PGD/FGSM baselines.
 */
export {
  APGD_DEFAULTS,
  type ApgdOptions,
  apgdCheckpoints,
  apgdConstants,
  apgdPerturb,
  apgdSingleRun,
  apgdTargetedPerturb,
  StepSizeSchedule,
} from './apgd.ts';
export {
  ATTACK_NAMES,
  AttackConfigError,
  type AttackName,
  type AttackPlan,
  type AttackProfile,
  type AutoAttackCheckpoint,
  type AutoAttackOptions,
  type AutoAttackResult,
  type AutoAttackVersion,
  attackPlan,
  type InBatchCheckpoint,
  type PlanParameters,
  type ProgressEvent,
  planParameters,
  runAutoAttack,
  type StageResult,
} from './autoattack.ts';
export { FAB_DEFAULTS, type FabOptions, fabTargetedPerturb, fabTargetedSingleRun } from './fab.ts';
export { projectionL2, projectionLinf } from './fab-projections.ts';
export { argmaxRows, classAtRank, lossAndLogitGrad, margin } from './losses.ts';
export { LinearClassifier, MlpClassifier, softmaxOutputs } from './models.ts';
export { fgsmAttack, type PgdOptions, pgdAttack } from './pgd.ts';
export { Rng, type RngState } from './rng.ts';
export {
  groupRuns,
  SIDE_BY_SIDE_DEFAULTS,
  type SideBySide,
  type SideBySideStats,
} from './side-by-side.ts';
export {
  roundHalfEven,
  SQUARE_DEFAULTS,
  type SquareOptions,
  squarePerturb,
  squarePSelection,
  squareWindowL2,
  squareWindowLinf,
} from './square.ts';
export { affineInput } from './transforms.ts';
export type {
  AttackContext,
  Classifier,
  LossGradResult,
  LossName,
  Norm,
  PerturbResult,
  ProgressFn,
  TargetRunsState,
} from './types.ts';
export { sampleSize } from './types.ts';
