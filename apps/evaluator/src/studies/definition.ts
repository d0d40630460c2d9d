/**
 * A study as data: which models (cohort), which benchmarks, which robustness settings, which analysis.
 * Definitions are JSON files validated here with zod; the shipped ones live in apps/evaluator/studies/
 * and are named without a path (`alignscope study run cifar10-zoo`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEps } from '@alignscope/benchmarks';
import { z } from 'zod';
import { InputError } from '../errors.ts';

/** Folder of the shipped study definitions. */
export const STUDIES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../studies');

const epsLabel = z.string().refine(
  (s) => {
    try {
      parseEps(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not an eps (e.g. 0.001, 1/255, 0.5/255)' },
);

const robustnessSetting = z
  .object({
    /** The label space / image set: ImageNet sample photos or the CIFAR-10 evaluation subset. */
    dataset: z.enum(['imagenet', 'cifar10']),
    norm: z.enum(['Linf', 'L2']),
    eps: z.array(epsLabel).min(1),
    /** `reference`: fra31/auto-attack; `torchattacks`: the library configuration of Hoak et al. 2025. */
    profile: z.enum(['reference', 'torchattacks']).default('reference'),
    version: z.enum(['standard', 'rand']).default('standard'),
    /** The first `size` images of the dataset's default image set (all when absent). */
    images: z.object({ set: z.literal('default'), size: z.number().int().positive().optional() }).strict(),
    /** The attack seed; the platform's robustness benchmarks are computed with seed 0 only. */
    seed: z.literal(0).default(0),
  })
  .strict();

export const studySchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" and "-"'),
    title: z.string().min(1),
    description: z.string().default(''),
    reference: z.string().optional(),
    cohort: z
      .object({
        /** Registered model identifiers or aliases. */
        models: z.array(z.string().min(1)).default([]),
        /** Models of the data bundle (models/<name>.onnx with its card), registered when missing. */
        bundleModels: z.array(z.string().regex(/^[A-Za-z0-9_.-]+$/)).default([]),
        /** Registered models matching every filter: `family:<f>`, `dataset:<imagenet|cifar10>`, `regime:<r>`. */
        filters: z
          .array(
            z.string().regex(/^(family|dataset|regime):[^\s]+$/, 'family:<f>, dataset:<d> or regime:<r>'),
          )
          .default([]),
      })
      .strict(),
    /** Benchmark identifiers: leaves, or tree nodes standing for every leaf under them. */
    benchmarks: z.array(z.string().min(1)).min(1),
    robustness: z.array(robustnessSetting).min(1),
    analysis: z
      .object({
        method: z.enum(['spearman', 'pearson', 'kendall']).default('spearman'),
        /** Per robustness benchmark, the correlation of every benchmark (targets: each eps). */
        covariate: z.string().optional(),
        minN: z.number().int().min(3).default(8),
        /** Aggregates reported with OLS R^2 and the F-test (Hoak et al.'s four). */
        aggregates: z.array(z.string()).default([]),
        predictor: z
          .object({
            features: z
              .union([z.literal('benchmarks'), z.array(z.string().min(1)).min(1)])
              .default('benchmarks'),
            folds: z.union([z.literal('loo'), z.number().int().min(2)]).default('loo'),
            lambda: z.number().positive().default(0.1),
          })
          .strict()
          .default({ features: 'benchmarks', folds: 'loo', lambda: 0.1 }),
        missing: z.enum(['zero', 'skip']).default('zero'),
      })
      .strict(),
  })
  .strict();

export type StudyDefinition = z.infer<typeof studySchema>;
export type RobustnessSetting = StudyDefinition['robustness'][number];

/** The robustness benchmark identifier of one setting and eps (catalog spelling). */
export function robustnessBenchmark(s: RobustnessSetting, eps: string): string {
  const prefix = s.dataset === 'imagenet' ? '' : `${s.dataset}.`;
  const profile = s.profile === 'reference' ? '' : `-${s.profile}`;
  const version = s.version === 'standard' ? '' : `-${s.version}`;
  return `${prefix}AutoAttack-${s.norm}-${eps}${profile}${version}`;
}

/** Names of the shipped studies. */
export function shippedStudies(): string[] {
  if (!existsSync(STUDIES_DIR)) return [];
  return readdirSync(STUDIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** Reads and validates a definition: a path, or the name of a shipped study. One-line InputError otherwise. */
export function loadStudy(fileOrName: string): { definition: StudyDefinition; file: string } {
  const file =
    fileOrName.includes('/') || fileOrName.endsWith('.json')
      ? fileOrName
      : path.join(STUDIES_DIR, `${fileOrName}.json`);
  if (!existsSync(file)) {
    throw new InputError(
      `no study "${fileOrName}": not a file, and not a shipped study (${shippedStudies().join(', ')})`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`${file}: malformed JSON: ${(e as Error).message}`);
  }
  const r = studySchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new InputError(`${file}: ${i?.path.join('.') || '(root)'}: ${i?.message}`);
  }
  return { definition: r.data, file };
}
