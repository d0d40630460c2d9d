/**
 * Behavioral metrics on trial data, pure functions: model-vs-human trial CSVs, cue-conflict shape bias
 * and shape/texture match, error consistency (Cohen's kappa) with human observers, and the mapping of
 * a classifier's outputs to the 16 entry-level categories.
 */
export { CsvError, type CsvRecord, csvRecords } from './csv.ts';
export { type CueConflict, cueConflictCategories } from './cue-conflict.ts';
export {
  cohensKappa,
  type ErrorConsistencyIntervals,
  type ErrorConsistencyOptions,
  type ErrorConsistencyResult,
  errorConsistency,
  errorConsistencyIntervals,
  type KappaConvention,
  type KappaResult,
  type SubjectConsistency,
} from './error-consistency.ts';
export {
  type CategoryDecision,
  type CategoryMapping,
  CIFAR10_TO_HUMAN16,
  decideCategory,
  HUMAN16_CATEGORIES,
  human16Mapping,
  softmax,
} from './mapping.ts';
export {
  type Decision,
  type ShapeBiasIntervals,
  type ShapeBiasOptions,
  type ShapeBiasResult,
  shapeBias,
  shapeBiasIntervals,
} from './shape-bias.ts';
export {
  imageKey,
  normaliseDataset,
  parseTrials,
  stimulusName,
  type Trial,
  TrialParseError,
} from './trials.ts';
