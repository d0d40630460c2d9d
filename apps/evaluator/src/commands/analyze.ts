/**
 * `alignscope analyze`: which benchmarks of a wide score table predict a target column (a robustness
 * benchmark)? Reads a CSV (first column the model identifier, one column per benchmark, empty cells
 * missing), runs `correlate` from @alignscope/analysis and prints a table sorted by |coefficient| or JSON.
 * No database: the table can come from `alignscope export`, Brain-Score's CSV download or a spreadsheet.
 */
import { readFileSync } from 'node:fs';
import {
  BOOTSTRAP_DEFAULTS,
  CORRELATE_DEFAULTS,
  type CorrelateInput,
  type CorrelationMethod,
  type CorrelationRow,
  correlate,
} from '@alignscope/analysis';
import { type Command, Option } from 'commander';
import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { InputError } from '../errors.ts';

/** Cells read as missing besides the empty cell (pandas and R write these). */
const MISSING = new Set(['', 'na', 'nan', 'null']);
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Parses the wide score table; every problem is an InputError naming the file, line and column. */
export function parseScoresCsv(text: string, file: string): CorrelateInput {
  if (text.trim() === '')
    throw new InputError(`${file}: empty file (expected a header line and one row per model)`);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as typeof records;
  } catch (e) {
    if (e instanceof CsvError) throw new InputError(`${file}: malformed CSV: ${e.message}`);
    throw e;
  }
  const [head, ...rows] = records;
  if (!head) throw new InputError(`${file}: empty file (expected a header line and one row per model)`);
  const names = head.record.slice(1);
  if (names.length === 0)
    throw new InputError(`${file}: the header has no benchmark columns after the model column`);
  const seenName = new Map<string, number>();
  names.forEach((name, j) => {
    if (name === '')
      throw new InputError(`${file}: line ${head.info.lines}, column ${j + 2}: empty column name`);
    const prev = seenName.get(name);
    if (prev !== undefined) {
      throw new InputError(
        `${file}: line ${head.info.lines}: column "${name}" appears twice (columns ${prev + 2} and ${j + 2})`,
      );
    }
    seenName.set(name, j);
  });
  if (rows.length === 0) throw new InputError(`${file}: no model rows after the header`);
  const models: string[] = [];
  const columns: Record<string, (number | null)[]> = Object.fromEntries(names.map((n) => [n, []]));
  const modelLine = new Map<string, number>();
  for (const { record, info } of rows) {
    const line = info.lines;
    const model = record[0] ?? '';
    if (model === '') throw new InputError(`${file}: line ${line}, column 1: empty model identifier`);
    const first = modelLine.get(model);
    if (first !== undefined) {
      throw new InputError(
        `${file}: line ${line}: duplicate model identifier "${model}" (first on line ${first})`,
      );
    }
    modelLine.set(model, line);
    models.push(model);
    names.forEach((name, j) => {
      const cell = record[j + 1] ?? '';
      let value: number | null = null;
      if (!MISSING.has(cell.toLowerCase())) {
        if (!NUMBER.test(cell)) {
          throw new InputError(
            `${file}: line ${line}, column ${j + 2} ("${name}"): "${cell}" is not a number (leave the cell empty for a missing score)`,
          );
        }
        value = Number(cell);
      }
      (columns[name] as (number | null)[]).push(value);
    });
  }
  return { models, columns };
}

export type AnalyzeOptions = {
  scores: string;
  target: string;
  method: CorrelationMethod;
  covariate?: string;
  minN: number;
  resamples: number;
  seed: number;
  json?: boolean;
};

/** Rows sorted by |coefficient| (descending), undefined coefficients last, then by name. */
export function sortRows(rows: CorrelationRow[]): CorrelationRow[] {
  const key = (r: CorrelationRow) => (r.coefficient === null ? -1 : Math.abs(r.coefficient));
  return [...rows].sort((a, b) => key(b) - key(a) || a.benchmark.localeCompare(b.benchmark));
}

/** The JSON shape of a row (snake_case, as documented for `--json`). */
export function jsonRow(r: CorrelationRow, withCovariate: boolean) {
  return {
    benchmark: r.benchmark,
    n: r.n,
    coefficient: r.coefficient,
    p_value: r.pValue,
    q_value: r.qValue,
    ci_low: r.ciLow,
    ci_high: r.ciHigh,
    ranking_accuracy: r.rankingAccuracy,
    r2: r.r2,
    f_stat: r.fStatistic,
    f_p_value: r.fPValue,
    slope: r.slope,
    intercept: r.intercept,
    ...(withCovariate
      ? { partial_coefficient: r.partialCoefficient ?? null, partial_p_value: r.partialPValue ?? null }
      : {}),
    significant: r.significant,
    reason: r.reason,
  };
}

const fixed = (v: number | null | undefined, digits = 3) =>
  v === null || v === undefined ? '-' : v.toFixed(digits);
const pval = (v: number | null | undefined) =>
  v === null || v === undefined ? '-' : v >= 0.001 ? v.toFixed(3) : v.toExponential(1);

function table(rows: CorrelationRow[], opts: AnalyzeOptions): string {
  const symbol = { spearman: 'rho', pearson: 'r', kendall: 'tau_b' }[opts.method];
  const header = [
    'benchmark',
    'n',
    symbol,
    'p',
    'q',
    `${Math.round(BOOTSTRAP_DEFAULTS.level * 100)}% CI`,
    'rank acc',
    'R2',
    'F p',
    'slope',
  ];
  if (opts.covariate) header.push('partial rho', 'partial p');
  header.push('sig', 'note');
  const body = rows.map((r) => {
    const cells = [
      r.benchmark,
      String(r.n),
      fixed(r.coefficient),
      pval(r.pValue),
      pval(r.qValue),
      r.ciLow === null ? '-' : `[${fixed(r.ciLow)}, ${fixed(r.ciHigh)}]`,
      fixed(r.rankingAccuracy),
      fixed(r.r2),
      pval(r.fPValue),
      fixed(r.slope),
    ];
    if (opts.covariate) cells.push(fixed(r.partialCoefficient), pval(r.partialPValue));
    cells.push(r.significant ? '*' : '', r.reason ?? '');
    return cells;
  });
  const widths = header.map((h, j) => Math.max(h.length, ...body.map((c) => (c[j] as string).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, j) =>
        j === 0 || j === cells.length - 1 ? c.padEnd(widths[j] as number) : c.padStart(widths[j] as number),
      )
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export function analyze(opts: AnalyzeOptions): string {
  let text: string;
  try {
    text = readFileSync(opts.scores, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      `cannot read ${opts.scores}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
  const input = parseScoresCsv(text, opts.scores);
  const known = Object.keys(input.columns);
  const check = (name: string, what: string) => {
    if (!(name in input.columns)) {
      throw new InputError(
        `${what} column "${name}" is not in ${opts.scores} (columns: ${known.join(', ')})`,
      );
    }
  };
  check(opts.target, 'target');
  if (opts.covariate !== undefined) {
    check(opts.covariate, 'covariate');
    if (opts.covariate === opts.target) throw new InputError('--covariate must differ from --target');
  }
  const rows = sortRows(
    correlate(input, {
      target: opts.target,
      method: opts.method,
      covariate: opts.covariate,
      minN: opts.minN,
      bootstrap: { resamples: opts.resamples, seed: opts.seed },
    }),
  );
  if (opts.json)
    return JSON.stringify(
      rows.map((r) => jsonRow(r, opts.covariate !== undefined)),
      null,
      2,
    );
  const nModels = input.models.length;
  const summary =
    `${opts.method} correlation of ${known.length - 1} benchmarks with "${opts.target}" over ${nModels} models ` +
    `(pairwise-complete; q: Benjamini-Hochberg over rows with n >= ${opts.minN}; * = q <= ${CORRELATE_DEFAULTS.alpha}; ` +
    `CI: percentile bootstrap, ${opts.resamples} resamples, seed ${opts.seed})`;
  return `${summary}\n${table(rows, opts)}`;
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
  program
    .command('analyze')
    .description(
      'correlate every benchmark of a score table (CSV) with a target column, e.g. robust accuracy',
    )
    .requiredOption(
      '--scores <file.csv>',
      'CSV: first column the model identifier, one column per benchmark, empty cells missing',
    )
    .requiredOption('--target <column>', 'the column to explain (e.g. AutoAttack-Linf-1/255)')
    .addOption(
      new Option('--method <method>', 'correlation coefficient')
        .choices(['spearman', 'pearson', 'kendall'])
        .default('spearman'),
    )
    .option('--covariate <column>', 'control for this column (e.g. clean accuracy) with partial Spearman')
    .option(
      '--min-n <n>',
      'rows with fewer pairwise-complete models are never significant',
      positiveInt('--min-n', 1),
      CORRELATE_DEFAULTS.minN,
    )
    .option(
      '--resamples <n>',
      'bootstrap resamples for the confidence interval',
      positiveInt('--resamples', 1),
      BOOTSTRAP_DEFAULTS.resamples,
    )
    .option('--seed <n>', 'bootstrap seed', positiveInt('--seed', 0), BOOTSTRAP_DEFAULTS.seed)
    .option('--json', 'print a JSON array instead of the table')
    .action((opts: AnalyzeOptions) => {
      console.log(analyze(opts));
    });
}
