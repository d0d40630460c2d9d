/** Model cards, inference sessions and the model store (used by the benchmarks and by `alignscope attack`). */
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
} from './session.ts';
export { type CheckedModel, checkModelFile, fileDigest, modelRow, storeModelFile } from './store.ts';
