import definition from '@alignscope/benchmarks/definitions/ImageNet-top1';
import { imagenetClasses, imagenetSamples, top1Benchmark } from '../kinds/top1.ts';

export default top1Benchmark({
  definition,
  description:
    "Top-1 accuracy on a labelled ImageNet image set; default: the data bundle's 1,000 sample images (one per class). Any folder tree (<wnid>/<image>) or manifest CSV (file,label) can be named.",
  reference: 'Deng et al., CVPR 2009',
  defaultSet: imagenetSamples,
  classNames: imagenetClasses,
});
