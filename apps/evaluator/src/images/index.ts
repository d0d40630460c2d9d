/** The image pipeline and image sets (used by the benchmarks and by `alignscope attack`). */
export {
  type Batch,
  type BatchOptions,
  ImageError,
  type ImageItem,
  imageBatches,
  loadImageTensor,
  type PipelineOptions,
  planResize,
  type ResizePlan,
} from './pipeline.ts';
export { folderImageSet, imageSet, type LabelledImage, manifestImageSet } from './sets.ts';
