/**
 * The robustness benchmarks, a family generated from parameters: AutoAttack robust accuracy for each
 * configuration (data set, norm, eps, profile, version) of the lists below. The identifier encodes the
 * parameters (`AutoAttack-Linf-1/255`, `AutoAttack-Linf-1/255-torchattacks`,
 * `cifar10.AutoAttack-Linf-8/255`); importers create further configurations with `robustnessEntry`.
 * The plugin family is apps/evaluator/src/benchmarks/plugins/AutoAttack.ts.
 */
import type { BenchmarkDefinition } from '../definition.ts';

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
export function robustnessEntry(p: Omit<RobustnessParameters, 'attack' | 'eps'>): BenchmarkDefinition {
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

/** A configuration of the family: its entry, scored by the AutoAttack plugin. */
const scored = (p: Omit<RobustnessParameters, 'attack' | 'eps'>): BenchmarkDefinition => ({
  ...robustnessEntry(p),
  scoredBy: 'plugin',
  labelSpace: p.dataset === 'imagenet' ? 'imagenet-1k' : 'cifar-10',
});

const PAPER_EPS = ['0.001', '0.5/255', '1/255'];
const standard = { profile: 'reference', version: 'standard' } as const;

/** The family, in catalog order. */
const family: readonly BenchmarkDefinition[] = [
  // Hoak, Li & McDaniel (2025)'s eps, in the reference configuration and in theirs (torchattacks).
  ...PAPER_EPS.map((epsLabel) => scored({ norm: 'Linf', epsLabel, ...standard, dataset: 'imagenet' })),
  scored({ norm: 'Linf', epsLabel: '4/255', ...standard, dataset: 'imagenet' }),
  ...PAPER_EPS.map((epsLabel) =>
    scored({ norm: 'Linf', epsLabel, profile: 'torchattacks', version: 'standard', dataset: 'imagenet' }),
  ),
  // 0.5/255, 1/255 and 2/255: the cifar10-zoo study's grid; 8/255: RobustBench's CIFAR-10 L-inf eps.
  ...['0.5/255', '1/255', '2/255', '8/255'].map((epsLabel) =>
    scored({ norm: 'Linf', epsLabel, ...standard, dataset: 'cifar10' }),
  ),
  scored({ norm: 'L2', epsLabel: '0.5', ...standard, dataset: 'cifar10' }),
];

export default family;
