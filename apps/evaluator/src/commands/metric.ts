/**
 * `alignscope metric pls|ridge|rdm|cka`: a neural metric on given arrays, no model and no database.
 * Features: CSV, one row per stimulus, first column the stimulus id. Responses: long CSV
 * stimulus,neuroid,repetition,value. Splits: JSON list of {train: [ids], test: [ids]} (default: Brain-Score's
 * 10 seeded splits, 90/10 for pls/ridge, 90% kept for rdm/cka). Prints the raw score, per-split values,
 * the split-half ceiling and both ceiled forms.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import {
  defaultSplits,
  NEURAL_METRICS,
  type NeuralMetric,
  type NeuralScore,
  neuralMetric,
  PLS_DEFAULTS,
  SPLIT_DEFAULTS,
  type Split,
  selectRows,
  splitHalfCeiling,
  withCeiling,
} from '@alignscope/neural';
import type { Command } from 'commander';
import { z } from 'zod';
import { InputError } from '../errors.ts';
import { toStimulusResponses } from '../neural/assembly.ts';
import { parseFeaturesCsv, parseResponsesCsv } from '../neural/csv.ts';

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

const splitsSchema = z
  .array(
    z
      .object({
        train: z.array(z.union([z.string(), z.number()])).min(1),
        test: z.array(z.union([z.string(), z.number()])).min(1),
      })
      .strict(),
  )
  .min(1);

/** Splits of stimulus ids -> splits of row indices in `stimulusIds` order. */
export function parseSplits(text: string, file: string, stimulusIds: string[]): Split[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: not JSON (${(e as Error).message})`);
  }
  const parsed = splitsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      `${file}: expected a list of {"train": [stimulus ids], "test": [stimulus ids]}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    );
  }
  const index = new Map(stimulusIds.map((id, i) => [id, i]));
  return parsed.data.map((s, k) => {
    const rows = (ids: (string | number)[], side: string) =>
      ids.map((id) => {
        const i = index.get(String(id));
        if (i === undefined)
          throw new InputError(
            `${file}: split ${k} ${side} names stimulus "${id}", which has no features and responses`,
          );
        return i;
      });
    return { train: rows(s.train, 'train'), test: rows(s.test, 'test') };
  });
}

export type MetricOptions = {
  features: string;
  responses: string;
  splits?: string;
  components: number;
  seed: number;
  json?: boolean;
};

export type MetricOutput = NeuralScore & {
  stimuli: number;
  neuroids: number;
  repetitions: number;
  splitsSource: string;
  splitIds: { train: string[]; test: string[] }[];
};

export function runMetric(
  metric: NeuralMetric,
  opts: MetricOptions,
  log: (s: string) => void = () => {},
): MetricOutput {
  const feats = parseFeaturesCsv(read(opts.features), opts.features);
  const assembly = parseResponsesCsv(read(opts.responses), opts.responses);
  const responses = toStimulusResponses(assembly);
  // align responses to the feature rows by stimulus id
  const featureRow = new Map(feats.stimulusIds.map((id, i) => [id, i]));
  const missingFeatures = responses.stimulusIds.find((id) => !featureRow.has(id));
  if (missingFeatures !== undefined) {
    throw new InputError(
      `stimulus "${missingFeatures}" has responses in ${opts.responses} but no row in ${opts.features}`,
    );
  }
  const responseIds = new Set(responses.stimulusIds);
  const missingResponses = feats.stimulusIds.find((id) => !responseIds.has(id));
  if (missingResponses !== undefined) {
    throw new InputError(
      `stimulus "${missingResponses}" has features in ${opts.features} but no responses in ${opts.responses}`,
    );
  }
  const features = selectRows(
    feats.features,
    responses.stimulusIds.map((id) => featureRow.get(id) as number),
  );
  const n = responses.stimulusIds.length;
  const splits = opts.splits
    ? parseSplits(read(opts.splits), opts.splits, responses.stimulusIds)
    : defaultSplits(metric, n, { seed: opts.seed, strata: responses.objectNames ?? undefined });
  const result = neuralMetric({
    metric,
    features,
    responses: responses.averaged,
    splits,
    components: opts.components,
    onProgress: (phase, done, total) => log(`${phase} ${done}/${total}`),
  });
  const ceiling = splitHalfCeiling(responses.trials, { seed: opts.seed });
  return {
    ...withCeiling(result, ceiling),
    stimuli: n,
    neuroids: responses.neuroidIds.length,
    repetitions: responses.trials.repetitions,
    splitsSource:
      opts.splits ??
      `seeded (seed ${opts.seed}${responses.objectNames ? ', stratified by object_name' : ''})`,
    splitIds: splits.map((s) => ({
      train: s.train.map((i) => responses.stimulusIds[i] as string),
      test: s.test.map((i) => responses.stimulusIds[i] as string),
    })),
  };
}

const f4 = (v: number) => v.toFixed(4);

export function formatMetric(out: MetricOutput): string {
  const lines = [
    `${out.metric}: ${out.stimuli} stimuli, ${out.neuroids} neuroids, ${out.repetitions} repetition(s); splits: ${out.splitsSource}`,
    `raw score        ${f4(out.raw)} ± ${f4(out.error)} (mean over ${out.perSplit.length} splits ± standard error)`,
    `per split        ${out.perSplit.map(f4).join(' ')}`,
  ];
  if (out.ceiling.value === null) lines.push(`ceiling          none (${out.ceiling.reason})`);
  else
    lines.push(
      `ceiling          ${f4(out.ceiling.value)} ± ${f4(out.ceiling.error)} (split-half over repetitions, Spearman-Brown)`,
    );
  if (out.ceiled) {
    lines.push(`ceiled r^2/c     ${f4(out.ceiled.explainedVariance)} (Brain-Score since January 2026)`);
    lines.push(
      `ceiled (r/c)^2   ${f4(out.ceiled.squaredRatio)} (Brain-Score until January 2026, the seed study)`,
    );
  } else if (out.ceiling.value !== null) {
    lines.push(`ceiled           not defined for ${out.metric} (the neuroid ceiling bounds a regression r)`);
  }
  if (out.undefinedNeuroids?.some((u) => u > 0)) {
    lines.push(
      `undefined r      ${out.undefinedNeuroids.join(' ')} neuroid(s) per split (constant; skipped in the median)`,
    );
  }
  if (out.alphas) lines.push(`ridge alpha      ${out.alphas.join(' ')}`);
  return lines.join('\n');
}

/** The JSON shape (snake_case, as `alignscope analyze --json`). */
export function metricJson(out: MetricOutput) {
  return {
    metric: out.metric,
    raw: out.raw,
    error: out.error,
    per_split: out.perSplit,
    ceiling: out.ceiling.value,
    ceiling_error: out.ceiling.value === null ? null : out.ceiling.error,
    ceiling_reason: out.ceiling.value === null ? out.ceiling.reason : null,
    ceiled_explained_variance: out.ceiled?.explainedVariance ?? null,
    ceiled_squared_ratio: out.ceiled?.squaredRatio ?? null,
    components: out.components ?? null,
    alphas: out.alphas ?? null,
    undefined_neuroids: out.undefinedNeuroids ?? null,
    stimuli: out.stimuli,
    neuroids: out.neuroids,
    repetitions: out.repetitions,
    splits_source: out.splitsSource,
    splits: out.splitIds,
  };
}

function positiveInt(name: string, min: number) {
  return (v: string) => {
    const n = Number(v);
    if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new InputError(`${name} must be an integer >= ${min}, got "${v}"`);
    }
    return n;
  };
}

export default function register(program: Command): void {
  const cmd = program
    .command('metric')
    .description('a neural metric (pls, ridge, rdm, cka) on given features and responses, with the ceiling');
  for (const metric of NEURAL_METRICS) {
    cmd
      .command(metric)
      .description(
        {
          pls: 'PLS regression neural predictivity (Brain-Score: 25 components, no scaling, Pearson r, median over neuroids)',
          ridge: 'ridge regression neural predictivity, alpha chosen by leave-one-out on each training part',
          rdm: 'RSA: Spearman correlation of the representational dissimilarity matrices',
          cka: 'linear centred kernel alignment (unbiased estimator)',
        }[metric],
      )
      .requiredOption('--features <file.csv>', 'one row per stimulus: stimulus id, then the features')
      .requiredOption(
        '--responses <file.csv>',
        'long form: stimulus,neuroid,repetition,value[,object_name,region]',
      )
      .option('--splits <splits.json>', 'a list of {"train": [stimulus ids], "test": [stimulus ids]}')
      .option('--components <n>', 'PLS components', positiveInt('--components', 1), PLS_DEFAULTS.components)
      .option(
        '--seed <n>',
        'seed of the default splits and of the ceiling',
        positiveInt('--seed', 0),
        SPLIT_DEFAULTS.seed,
      )
      .option('--json', 'print JSON instead of text')
      .action(async (opts: MetricOptions) => {
        const out = runMetric(metric, opts, (s) => process.stderr.write(`\r${s}   `));
        process.stderr.write('\n');
        const text = opts.json ? JSON.stringify(metricJson(out), null, 2) : formatMetric(out);
        if (!process.stdout.write(`${text}\n`)) await once(process.stdout, 'drain');
      });
  }
}
