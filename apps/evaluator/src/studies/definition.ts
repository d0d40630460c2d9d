/**
 * A study as data: which models (cohort), which benchmarks, which robustness settings, which analysis.
 * Definitions are YAML or JSON files validated here with zod (errors name the line); the shipped ones
 * live in apps/evaluator/studies/ and are named without a path (`alignscope study run cifar10-zoo`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEps } from '@alignscope/benchmarks';
import { LineCounter, parseDocument } from 'yaml';
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

const EXTENSIONS = ['.json', '.yaml', '.yml'];

/** Names of the shipped studies. */
export function shippedStudies(): string[] {
  if (!existsSync(STUDIES_DIR)) return [];
  return readdirSync(STUDIES_DIR)
    .flatMap((f) => {
      const ext = EXTENSIONS.find((e) => f.endsWith(e));
      return ext ? [f.slice(0, -ext.length)] : [];
    })
    .sort();
}

/** The file of a definition: a path as given, or a shipped study by name (any of its extensions). */
function studyFile(fileOrName: string): string | undefined {
  if (fileOrName.includes('/') || EXTENSIONS.some((e) => fileOrName.endsWith(e))) {
    return existsSync(fileOrName) ? fileOrName : undefined;
  }
  return EXTENSIONS.map((e) => path.join(STUDIES_DIR, `${fileOrName}${e}`)).find((f) => existsSync(f));
}

/**
 * Parses a definition's text (YAML, or JSON, which YAML reads too: the same positions) and validates
 * it with the zod schema. Errors name the file, the line and column, and the field:
 * `study.yaml:12:5: robustness.0.eps.1: not an eps (e.g. 0.001, 1/255, 0.5/255)`.
 */
export function parseStudy(text: string, file: string): StudyDefinition {
  const json = file.endsWith('.json');
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  let raw: unknown;
  if (json) {
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new InputError(`${file}: malformed JSON: ${(e as Error).message}`);
    }
  } else {
    const err = doc.errors[0];
    if (err) {
      const at = lines.linePos(err.pos[0]);
      throw new InputError(`${file}:${at.line}:${at.col}: malformed YAML: ${err.message.split('\n')[0]}`);
    }
    raw = doc.toJS();
  }
  const r = studySchema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue?.path ?? [];
  // The deepest node of the path that exists in the document (a missing key: its parent object).
  let line = '';
  if (doc.errors.length === 0) {
    for (let n = where.length; n >= 0; n--) {
      const node = doc.getIn(where.slice(0, n) as (string | number)[], true) as
        | { range?: [number, number] }
        | undefined;
      if (node && typeof node === 'object' && node.range) {
        const at = lines.linePos(node.range[0]);
        line = `:${at.line}:${at.col}`;
        break;
      }
    }
  }
  throw new InputError(`${file}${line}: ${where.join('.') || '(root)'}: ${issue?.message}`);
}

/** Reads and validates a definition: a path, or the name of a shipped study. One-line InputError otherwise. */
export function loadStudy(fileOrName: string): { definition: StudyDefinition; file: string } {
  const file = studyFile(fileOrName);
  if (!file) {
    throw new InputError(
      `no study "${fileOrName}": not a file, and not a shipped study (${shippedStudies().join(', ')})`,
    );
  }
  return { definition: parseStudy(readFileSync(file, 'utf8'), file), file };
}
