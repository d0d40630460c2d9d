import { autoAttackBenchmarks } from '../autoattack.ts';

/**
 * The robustness benchmarks: one plugin per AutoAttack configuration of the catalog (data set, norm,
 * eps, profile), e.g. `AutoAttack-Linf-1/255` or `cifar10.AutoAttack-Linf-8/255`.
 */
export default autoAttackBenchmarks();
