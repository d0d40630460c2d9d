/**
 * `alignscope predict`: can alignment benchmarks rank models by robustness? Runs the cross-validated
 * predictor `predictRobustness` of @alignscope/analysis (ridge on mid-ECDF ranks, k-fold or
 * leave-one-out) on a score table (CSV, as `analyze` reads it) or on the database's scores, and reports
 * which benchmarks it used (and which it dropped, and why), the held-out Spearman rho and pairwise
 * ranking accuracy, the weights, and every model's held-out prediction.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import {
  type CorrelateInput,
  type FeatureChoice,
  PREDICT_DEFAULTS,
  type PredictResult,
  predictRobustness,
  selectFeatures,
} from '@alignscope/analysis';
import type { Command } from 'commander';
import { scoreTable } from '../analysis/score-table.ts';
import { withDb } from '../db.ts';
import { InputError } from '../errors.ts';
import { parseScoresCsv } from './analyze.ts';

export type PredictOptions = {
  target: string;
  features?: string[];
  exclude?: string[];
  minN: number;
  folds: number | 'loo';
  lambda: number;
  seed: number;
};

export type PredictReport = {
  target: string;
  features: FeatureChoice;
  result: PredictResult;
  /** Held-out prediction per model with a target value, best predicted first. */
  predictions: { model: string; target: number; prediction: number }[];
  settings: { folds: number | 'loo'; lambda: number; seed: number; minN: number };
};

/** The predictor on a table; every bad name is an InputError before anything runs. */
export function predictReport(input: CorrelateInput, opts: PredictOptions, where: string): PredictReport {
  const known = Object.keys(input.columns);
  const check = (name: string, what: string) => {
    if (!(name in input.columns)) {
      const shown = known.length > 20 ? `${known.slice(0, 20).join(', ')}, ...` : known.join(', ');
      throw new InputError(`${what} "${name}" is not a column of ${where} (columns: ${shown})`);
    }
  };
  check(opts.target, 'target');
  for (const f of opts.features ?? []) check(f, 'feature');
  for (const f of opts.exclude ?? []) check(f, 'excluded column');
  if (opts.features?.includes(opts.target)) throw new InputError('--features must not include the target');
  const exclude = new Set([opts.target, ...(opts.exclude ?? [])]);
  const candidates = (opts.features ?? known).filter((c) => !exclude.has(c));
  const features = selectFeatures(input, opts.target, candidates, opts.minN);
  if (features.selected.length === 0) {
    throw new InputError(
      `no usable feature: every candidate has fewer than ${opts.minN} values among the models with "${opts.target}" or is constant (lower --min-n or name --features)`,
    );
  }
  const result = predictRobustness(input, {
    target: opts.target,
    features: features.selected,
    folds: opts.folds,
    lambda: opts.lambda,
    seed: opts.seed,
  });
  const y = input.columns[opts.target] as (number | null)[];
  const predictions = input.models
    .map((model, i) => ({ model, target: y[i] as number, prediction: result.predictions[i] ?? null }))
    .filter((p): p is PredictReport['predictions'][number] => p.prediction !== null)
    .sort((a, b) => b.prediction - a.prediction || a.model.localeCompare(b.model));
  return {
    target: opts.target,
    features,
    result,
    predictions,
    settings: { folds: opts.folds, lambda: opts.lambda, seed: opts.seed, minN: opts.minN },
  };
}

const fixed = (v: number | null, d = 3) => (v === null ? '-' : v.toFixed(d));

export function formatReport(r: PredictReport): string {
  const s = r.result;
  const lines = [
    `predictor of "${r.target}": ridge on ranks (lambda ${r.settings.lambda}), ${r.settings.folds === 'loo' ? 'leave-one-out' : `${s.folds}-fold (seed ${r.settings.seed})`} cross-validation over ${s.n} models`,
    `held-out pairwise ranking accuracy ${fixed(s.heldOutRankingAccuracy)}, held-out Spearman rho ${fixed(s.heldOutSpearman)}${s.reason ? ` (${s.reason})` : ''}`,
    `features (${r.features.selected.length}; weights of the fit on all models):`,
    ...r.features.selected
      .map((f) => ({ f, w: s.weights[f] ?? 0 }))
      .sort((a, b) => Math.abs(b.w) - Math.abs(a.w))
      .map(({ f, w }) => `  ${w >= 0 ? '+' : '-'}${Math.abs(w).toFixed(3)}  ${f}`),
  ];
  if (r.features.dropped.length > 0) {
    lines.push(`left out (${r.features.dropped.length}):`);
    for (const d of r.features.dropped.slice(0, 20)) lines.push(`  ${d.benchmark}: ${d.reason}`);
    if (r.features.dropped.length > 20)
      lines.push(`  ... ${r.features.dropped.length - 20} more (--json lists all)`);
  }
  lines.push('held-out predictions (rank scale, best first): model, prediction, target');
  for (const p of r.predictions) lines.push(`  ${p.model}  ${p.prediction.toFixed(3)}  ${p.target}`);
  return lines.join('\n');
}

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export default function register(program: Command): void {
  program
    .command('predict')
    .description(
      'cross-validated robustness predictor: which benchmarks rank models by a target (e.g. robust accuracy), and how well on held-out models',
    )
    .option('--scores <file.csv>', 'score table (as for analyze); without it, the database scores')
    .requiredOption('--target <column>', 'the column to predict (e.g. Gavrikov2024.PGD40-Linf-low)')
    .option('--features <a,b,...>', 'candidate features (default: every other column)', list)
    .option('--exclude <a,b,...>', 'columns never used as features (e.g. other robustness columns)', list)
    .option('--min-n <n>', 'a feature needs values for this many models with a target', '8')
    .option('--folds <k|loo>', 'k-fold cross-validation, or leave-one-out', String(PREDICT_DEFAULTS.folds))
    .option('--lambda <x>', 'ridge penalty', String(PREDICT_DEFAULTS.lambda))
    .option('--seed <n>', 'seed of the fold assignment', String(PREDICT_DEFAULTS.seed))
    .option('--missing <zero|skip>', 'with the database: aggregate convention for missing children', 'zero')
    .option('--json', 'print the report as JSON')
    .action(
      async (o: {
        scores?: string;
        target: string;
        features?: string[];
        exclude?: string[];
        minN: string;
        folds: string;
        lambda: string;
        seed: string;
        missing: string;
        json?: boolean;
      }) => {
        const minN = Number(o.minN);
        if (!Number.isInteger(minN) || minN < 3)
          throw new InputError(`--min-n must be an integer >= 3, got "${o.minN}"`);
        const folds = o.folds === 'loo' ? 'loo' : Number(o.folds);
        if (folds !== 'loo' && (!Number.isInteger(folds) || folds < 2))
          throw new InputError(`--folds must be an integer >= 2 or "loo", got "${o.folds}"`);
        const lambda = Number(o.lambda);
        if (!(lambda > 0 && Number.isFinite(lambda)))
          throw new InputError(`--lambda must be > 0, got "${o.lambda}"`);
        const seed = Number(o.seed);
        if (!Number.isInteger(seed)) throw new InputError(`--seed must be an integer, got "${o.seed}"`);
        if (o.missing !== 'zero' && o.missing !== 'skip')
          throw new InputError(`--missing must be "zero" or "skip", got "${o.missing}"`);
        let input: CorrelateInput;
        let where: string;
        if (o.scores) {
          let text: string;
          try {
            text = readFileSync(o.scores, 'utf8');
          } catch (e) {
            const code = (e as NodeJS.ErrnoException).code;
            throw new InputError(
              `cannot read ${o.scores}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
            );
          }
          input = parseScoresCsv(text, o.scores);
          where = o.scores;
        } else {
          input = await withDb(({ db }) => scoreTable(db, { missing: o.missing as 'zero' | 'skip' }));
          where = 'the database';
        }
        const report = predictReport(
          input,
          { target: o.target, features: o.features, exclude: o.exclude, minN, folds, lambda, seed },
          where,
        );
        const text = o.json ? JSON.stringify(report, null, 2) : formatReport(report);
        if (!process.stdout.write(`${text}\n`)) await once(process.stdout, 'drain');
      },
    );
}
