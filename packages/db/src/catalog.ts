/**
 * The benchmark catalog: Brain-Score's vision tree (identifiers as Brain-Score spells them), the
 * engineering root, AlignScope's CIFAR-10 root, and the robustness root whose benchmarks are AutoAttack
 * configurations. Pure data and functions; `seedCatalog` (queries/benchmarks.ts) writes it.
 */

export type Domain = 'aggregate' | 'neural' | 'behavioral' | 'engineering' | 'robustness';

export type CatalogEntry = {
  identifier: string;
  parent: string | null;
  domain: Domain;
  version: number;
  /** What changed in this version (recorded in the benchmark's version history). */
  versionChanges?: string;
  displayName?: string;
  metric?: string;
  ceiling?: number | null;
  rangeMin?: number;
  rangeMax?: number;
  description?: string;
  reference?: string;
  parameters?: Record<string, unknown>;
};

export type Norm = 'Linf' | 'L2';
export type AttackProfile = 'reference' | 'torchattacks';
export type RobustnessDataset = 'imagenet' | 'cifar10' | 'cifar100';

/** Display names of the robustness data sets. */
export const robustnessDatasetNames: Record<RobustnessDataset, string> = {
  imagenet: 'ImageNet',
  cifar10: 'CIFAR-10',
  cifar100: 'CIFAR-100',
};

export type RobustnessParameters = {
  attack: 'AutoAttack';
  norm: Norm;
  /** eps on the [0,1] pixel scale. */
  eps: number;
  /** eps as written in the identifier, e.g. "1/255" or "0.5". */
  epsLabel: string;
  profile: AttackProfile;
  version: 'standard' | 'rand';
  dataset: RobustnessDataset;
};

/** Parses "8/255", "0.5", "1e-3" into a positive finite number; throws on anything else. */
export function parseEps(text: string): number {
  const s = text.trim();
  const frac = /^(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(s);
  const value = frac
    ? Number(frac[1]) / Number(frac[2])
    : /^\d*\.?\d+(e[-+]?\d+)?$/i.test(s)
      ? Number(s)
      : NaN;
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`invalid eps "${text}": expected a positive number or a fraction such as 8/255`);
  }
  return value;
}

/**
 * The identifier of an AutoAttack robustness benchmark. Norm, eps and profile are always encoded;
 * the data set is a prefix unless it is ImageNet (Brain-Score's default), and the profile a suffix
 * unless it is the reference (fra31/auto-attack) one, e.g. `AutoAttack-Linf-1/255`,
 * `AutoAttack-Linf-1/255-torchattacks`, `cifar10.AutoAttack-Linf-8/255`.
 */
export function robustnessIdentifier(p: Omit<RobustnessParameters, 'attack' | 'eps'>): string {
  const prefix = p.dataset === 'imagenet' ? '' : `${p.dataset}.`;
  const profile = p.profile === 'reference' ? '' : `-${p.profile}`;
  const version = p.version === 'standard' ? '' : `-${p.version}`;
  return `${prefix}AutoAttack-${p.norm}-${p.epsLabel}${profile}${version}`;
}

/** The inverse of robustnessIdentifier; undefined for identifiers that are not AutoAttack benchmarks. */
export function parseRobustnessIdentifier(identifier: string): RobustnessParameters | undefined {
  const m =
    /^(?:(cifar10|cifar100)\.)?AutoAttack-(Linf|L2)-([0-9./e-]+?)(?:-(torchattacks))?(?:-(rand))?$/.exec(
      identifier,
    );
  if (!m) return undefined;
  let eps: number;
  try {
    eps = parseEps(m[3] as string);
  } catch {
    return undefined;
  }
  return {
    attack: 'AutoAttack',
    norm: m[2] as Norm,
    eps,
    epsLabel: m[3] as string,
    profile: (m[4] as AttackProfile | undefined) ?? 'reference',
    version: m[5] ? 'rand' : 'standard',
    dataset: (m[1] as RobustnessDataset | undefined) ?? 'imagenet',
  };
}

/** A catalog entry for an AutoAttack benchmark (robust accuracy in [0,1]). */
export function robustnessEntry(p: Omit<RobustnessParameters, 'attack' | 'eps'>): CatalogEntry {
  const identifier = robustnessIdentifier(p);
  const eps = parseEps(p.epsLabel);
  const profileText =
    p.profile === 'reference'
      ? 'reference configuration of fra31/auto-attack (Croce & Hein 2020)'
      : "the torchattacks library's AutoAttack configuration used by Hoak, Li & McDaniel (2025)";
  return {
    identifier,
    parent: 'robustness',
    domain: 'robustness',
    version: 1,
    displayName: `AutoAttack ${p.norm} ε=${p.epsLabel}${p.dataset === 'imagenet' ? '' : ` (${p.dataset})`}${
      p.profile === 'reference' ? '' : ` [${p.profile}]`
    }`,
    metric: 'robust accuracy',
    ceiling: null,
    rangeMin: 0,
    rangeMax: 1,
    description: `Robust accuracy under AutoAttack (${p.version}), ${p.norm} threat model, eps = ${p.epsLabel} on the [0,1] scale, ${
      robustnessDatasetNames[p.dataset]
    } images; ${profileText}.`,
    reference: 'Croce & Hein, ICML 2020, arXiv:2003.01690',
    parameters: { attack: 'AutoAttack', ...p, eps },
  };
}

const aggregate = (
  identifier: string,
  parent: string | null,
  displayName: string,
  description: string,
): CatalogEntry => ({
  identifier,
  parent,
  domain: 'aggregate',
  version: 1,
  displayName,
  metric: 'mean of children',
  description,
});

const neural = (identifier: string, parent: string, ceiling: number, reference: string): CatalogEntry => ({
  identifier,
  parent,
  domain: 'neural',
  version: 1,
  metric: 'PLS neural predictivity (Pearson r, median over neuroids), ceiled as (r/ceiling)^2',
  ceiling,
  rangeMin: -1,
  rangeMax: 1,
  reference,
});

const errorConsistency = (dataset: string, displayName: string): CatalogEntry => ({
  identifier: `Geirhos2021${dataset}-error_consistency`,
  parent: 'Geirhos2021-error_consistency',
  domain: 'behavioral',
  version: 1,
  displayName: `Error consistency (${displayName})`,
  metric:
    "Cohen's kappa of trial-wise correctness, mean over human subjects, ceiled by mean human-human kappa",
  rangeMin: -1,
  rangeMax: 1,
  description: `Error consistency between the model and human observers on the model-vs-human ${displayName} images (Geirhos et al. 2020/2021).`,
  reference: 'Geirhos et al., NeurIPS 2020 (arXiv:2006.16736); NeurIPS 2021 (arXiv:2106.07411)',
});

const PAPER_EPS = ['0.001', '0.5/255', '1/255'];

/** The benchmark catalog, parents before children. */
export const catalog: readonly CatalogEntry[] = [
  aggregate(
    'average_vision',
    null,
    'Average vision',
    'Mean of neural_vision and behavior_vision (Brain-Score).',
  ),
  aggregate('neural_vision', 'average_vision', 'Neural', 'Mean of the V1, V2, V4 and IT scores.'),
  aggregate('V1', 'neural_vision', 'V1', 'Primary visual cortex benchmarks.'),
  neural('FreemanZiemba2013.V1-pls', 'V1', 0.8736567542821909, 'Freeman et al., Nature Neuroscience 2013'),
  aggregate('V2', 'neural_vision', 'V2', 'V2 benchmarks.'),
  neural('FreemanZiemba2013.V2-pls', 'V2', 0.8248361574747418, 'Freeman et al., Nature Neuroscience 2013'),
  aggregate('V4', 'neural_vision', 'V4', 'V4 benchmarks.'),
  neural('MajajHong2015.V4-pls', 'V4', 0.8950300216674805, 'Majaj, Hong et al., J. Neuroscience 2015'),
  aggregate('IT', 'neural_vision', 'IT', 'Inferior temporal cortex benchmarks.'),
  neural('MajajHong2015.IT-pls', 'IT', 0.8218406438827515, 'Majaj, Hong et al., J. Neuroscience 2015'),
  {
    identifier: 'Kar2019-ost',
    parent: 'IT',
    domain: 'neural',
    version: 1,
    metric: 'object solution times (Spearman correlation with IT/behaviour)',
    ceiling: 0.79,
    rangeMin: -1,
    rangeMax: 1,
    reference: 'Kar et al., Nature Neuroscience 2019',
  },
  aggregate('behavior_vision', 'average_vision', 'Behavior', 'Mean of the behavioral benchmarks.'),
  {
    identifier: 'Rajalingham2018-i2n',
    parent: 'behavior_vision',
    domain: 'behavioral',
    version: 1,
    metric: 'i2n: Pearson correlation of normalized image-by-distractor d-prime with humans',
    ceiling: 0.4848398631810774,
    rangeMin: -1,
    rangeMax: 1,
    reference: 'Rajalingham et al., J. Neuroscience 2018',
  },
  aggregate(
    'Geirhos2021-error_consistency',
    'behavior_vision',
    'Error consistency',
    'Mean of the model-vs-human error consistency benchmarks.',
  ),
  errorConsistency('cueconflict', 'cue-conflict'),
  errorConsistency('edge', 'edge'),
  errorConsistency('silhouette', 'silhouette'),
  aggregate(
    'engineering_vision',
    null,
    'Engineering',
    'Task performance benchmarks (raw scores), not part of average_vision.',
  ),
  {
    identifier: 'ImageNet-top1',
    parent: 'engineering_vision',
    domain: 'engineering',
    version: 1,
    displayName: 'ImageNet top-1',
    metric: 'top-1 accuracy',
    ceiling: 1,
    rangeMin: 0,
    rangeMax: 1,
    description:
      'Top-1 accuracy on a labelled ImageNet image set (Brain-Score: Deng2009-top1 / ImageNet-top1).',
    reference: 'Deng et al., CVPR 2009',
  },
  aggregate(
    'Hermann2020',
    'engineering_vision',
    'Hermann2020 cue-conflict',
    'Shape bias and shape match on the cue-conflict stimuli.',
  ),
  {
    identifier: 'Hermann2020cueconflict-shape_bias',
    parent: 'Hermann2020',
    domain: 'engineering',
    version: 1,
    displayName: 'Shape bias',
    metric: 'shape decisions / (shape + texture decisions) over the 1,200 true cue-conflict images',
    ceiling: 1,
    rangeMin: 0,
    rangeMax: 1,
    reference: 'Geirhos et al., ICLR 2019; Hermann et al., NeurIPS 2020',
  },
  {
    identifier: 'Hermann2020cueconflict-shape_match',
    parent: 'Hermann2020',
    domain: 'engineering',
    version: 1,
    displayName: 'Shape match',
    metric: 'share of true cue-conflict images classified as their shape category',
    ceiling: 1,
    rangeMin: 0,
    rangeMax: 1,
    reference: 'Hermann et al., NeurIPS 2020',
  },
  aggregate(
    'cifar10_vision',
    null,
    'CIFAR-10',
    'AlignScope benchmarks for CIFAR-10 classifiers (not part of Brain-Score).',
  ),
  {
    identifier: 'CIFAR10-top1',
    parent: 'cifar10_vision',
    domain: 'engineering',
    version: 1,
    displayName: 'CIFAR-10 top-1',
    metric: 'top-1 accuracy',
    ceiling: 1,
    rangeMin: 0,
    rangeMax: 1,
    reference: 'Krizhevsky 2009',
  },
  aggregate(
    'robustness',
    null,
    'Robustness',
    'Adversarial robustness benchmarks (AutoAttack robust accuracy).',
  ),
  ...PAPER_EPS.map((epsLabel) =>
    robustnessEntry({
      norm: 'Linf',
      epsLabel,
      profile: 'reference',
      version: 'standard',
      dataset: 'imagenet',
    }),
  ),
  robustnessEntry({
    norm: 'Linf',
    epsLabel: '4/255',
    profile: 'reference',
    version: 'standard',
    dataset: 'imagenet',
  }),
  ...PAPER_EPS.map((epsLabel) =>
    robustnessEntry({
      norm: 'Linf',
      epsLabel,
      profile: 'torchattacks',
      version: 'standard',
      dataset: 'imagenet',
    }),
  ),
  // 0.5/255, 1/255 and 2/255: the cifar10-zoo study's grid; 8/255: RobustBench's CIFAR-10 L-inf eps.
  ...['0.5/255', '1/255', '2/255', '8/255'].map((epsLabel) =>
    robustnessEntry({
      norm: 'Linf',
      epsLabel,
      profile: 'reference',
      version: 'standard',
      dataset: 'cifar10',
    }),
  ),
  robustnessEntry({
    norm: 'L2',
    epsLabel: '0.5',
    profile: 'reference',
    version: 'standard',
    dataset: 'cifar10',
  }),
];

/** Roots of the tree, in display order. */
export const roots = catalog.filter((e) => e.parent === null).map((e) => e.identifier);
