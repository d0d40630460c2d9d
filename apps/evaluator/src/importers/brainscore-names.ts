/**
 * Brain-Score benchmark identifiers as the website and its exports spell them, mapped onto the
 * AlignScope catalog: lab prefixes (`dicarlo.MajajHong2015.IT-pls`), version suffixes
 * (`Hermann2020_v0`), old names (`Deng2009-top1` = `ImageNet-top1`, the fixtures' `behavior` node),
 * and where in the tree a benchmark missing from the catalog belongs.
 */
import type { BenchmarkDefinition, Domain } from '@alignscope/benchmarks';

/** Old or alternative Brain-Score names of catalog identifiers. */
const RENAMES: Record<string, string> = {
  'Deng2009-top1': 'ImageNet-top1',
  behavior: 'behavior_vision',
  average: 'average_vision',
  neural: 'neural_vision',
  engineering: 'engineering_vision',
};

export type BrainScoreName = {
  /** The AlignScope identifier. */
  identifier: string;
  /** The name as written in the source. */
  source: string;
  /** The `_v<N>` suffix of the newer exports, when present. */
  sourceVersion: number | null;
};

/** `dicarlo.MajajHong2015.IT-pls` -> `MajajHong2015.IT-pls`; `Hermann2020_v0` -> `Hermann2020` (version 0). */
export function normalizeBrainScoreIdentifier(name: string): BrainScoreName {
  let id = name.trim();
  let sourceVersion: number | null = null;
  const v = /^(.*)_v(\d+)$/.exec(id);
  if (v) {
    id = v[1] as string;
    sourceVersion = Number(v[2]);
  }
  // A lab prefix is lower case (letters and hyphens) followed by a dot and a capitalised name.
  const lab = /^[a-z][a-z-]*\.(?=[A-Z])/.exec(id);
  if (lab) id = id.slice(lab[0].length);
  id = RENAMES[id] ?? id;
  return { identifier: id, source: name, sourceVersion };
}

const aggregateEntry = (identifier: string, parent: string, description: string): BenchmarkDefinition => ({
  identifier,
  parent,
  domain: 'aggregate',
  version: 1,
  displayName: identifier,
  metric: 'mean of children',
  description,
});

/** Aggregate nodes of the Brain-Score tree that the catalog may not have yet. */
const KNOWN_AGGREGATES: Record<string, BenchmarkDefinition> = {
  'Geirhos2021-top1': aggregateEntry(
    'Geirhos2021-top1',
    'engineering_vision',
    'Mean top-1 accuracy on the model-vs-human out-of-distribution data sets (Geirhos et al. 2021).',
  ),
  'ImageNet-C-top1': aggregateEntry(
    'ImageNet-C-top1',
    'engineering_vision',
    'Mean top-1 accuracy on the ImageNet-C corruption groups (Hendrycks & Dietterich 2019).',
  ),
};

type Rule = { pattern: RegExp; parent: (m: RegExpExecArray) => string; domain: Domain; metric?: string };

/** Where benchmarks missing from the catalog belong, by Brain-Score's naming conventions. */
const RULES: Rule[] = [
  {
    pattern: /^Geirhos2021\w+-error_consistency$/,
    parent: () => 'Geirhos2021-error_consistency',
    domain: 'behavioral',
    metric: "error consistency (Cohen's kappa)",
  },
  {
    pattern: /^Geirhos2021\w+-top1$/,
    parent: () => 'Geirhos2021-top1',
    domain: 'engineering',
    metric: 'top-1 accuracy',
  },
  {
    pattern: /^ImageNet-C-\w+-top1$/,
    parent: () => 'ImageNet-C-top1',
    domain: 'engineering',
    metric: 'top-1 accuracy',
  },
  { pattern: /^Hermann2020cueconflict-\w+$/, parent: () => 'Hermann2020', domain: 'engineering' },
  { pattern: /^\w+\.(V1|V2|V4|IT)-\w[\w.-]*$/, parent: (m) => m[1] as string, domain: 'neural' },
];

/**
 * The catalog entries needed to place an identifier the database does not know: its known aggregate
 * parents first, then the benchmark itself; undefined when its tree position is not known.
 */
export function placeUnknownBenchmark(identifier: string): BenchmarkDefinition[] | undefined {
  const agg = KNOWN_AGGREGATES[identifier];
  if (agg) return [agg];
  for (const r of RULES) {
    const m = r.pattern.exec(identifier);
    if (!m) continue;
    const parent = r.parent(m);
    const entries: BenchmarkDefinition[] = [];
    const parentAgg = KNOWN_AGGREGATES[parent];
    if (parentAgg) entries.push(parentAgg);
    entries.push({
      identifier,
      parent,
      domain: r.domain,
      version: 1,
      ...(r.metric ? { metric: r.metric } : {}),
      description: 'Created by a Brain-Score import; its position follows Brain-Score naming.',
    });
    return entries;
  }
  return undefined;
}
