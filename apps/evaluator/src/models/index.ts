/**
 * Model cards, inference sessions, the model store and adding a model (used by the benchmarks, by
 * `alignscope attack` and `models add`, and by the web's upload through `@alignscope/evaluator/models`).
 */
export { InputError } from '../errors.ts';
export { type AddedModel, type AddModelOptions, type AddModelResult, addModel } from './add.ts';
export {
  INTERPOLATIONS,
  type Interpolation,
  LABEL_SPACE_SIZES,
  labelSpaceName,
  loadCard,
  type ModelCard,
  modelCardSchema,
  numClasses,
  parseCard,
} from './card.ts';
export {
  checkModel,
  closeModels,
  type ExecutionProvider,
  type LoadedModel,
  type OpenModelOptions,
  ORT_VERSION,
  openModel,
  releaseModel,
} from './session.ts';
export {
  backfillModelStore,
  type CheckedModel,
  checkModelFile,
  fileDigest,
  modelFileFor,
  modelRow,
  storeModel,
  storeModelFile,
} from './store.ts';
