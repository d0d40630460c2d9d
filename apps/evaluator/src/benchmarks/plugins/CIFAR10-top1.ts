import definition from '@alignscope/benchmarks/definitions/CIFAR10-top1';
import { cifar10Classes, cifar10Test, top1Benchmark } from '../kinds/top1.ts';

export default top1Benchmark({
  definition,
  description:
    "Top-1 accuracy on CIFAR-10; default: the data bundle's 10,000 test images (JPEG copy). Any folder tree (<class>/<image>) or manifest CSV (file,label) can be named.",
  reference: 'Krizhevsky 2009',
  defaultSet: cifar10Test,
  classNames: cifar10Classes,
});
