/**
 * The AutoAttack benchmarks of the catalog's robustness root, written out by hand (not derived with
 * the filter the registry uses): Hoak et al.'s ImageNet eps, 4/255, their torchattacks profile, the
 * CIFAR-10 RobustBench threat models and the cifar10-zoo study's 0.5/255 and 2/255. In catalog order.
 */
export const AUTOATTACK_BENCHMARKS = [
  'AutoAttack-Linf-0.001',
  'AutoAttack-Linf-0.5/255',
  'AutoAttack-Linf-1/255',
  'AutoAttack-Linf-4/255',
  'AutoAttack-Linf-0.001-torchattacks',
  'AutoAttack-Linf-0.5/255-torchattacks',
  'AutoAttack-Linf-1/255-torchattacks',
  'cifar10.AutoAttack-Linf-0.5/255',
  'cifar10.AutoAttack-Linf-1/255',
  'cifar10.AutoAttack-Linf-2/255',
  'cifar10.AutoAttack-Linf-8/255',
  'cifar10.AutoAttack-L2-0.5',
] as const;
