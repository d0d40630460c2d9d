/**
 * `scores-csv`: AlignScope's own long score table, as `alignscope export scores --format csv` writes
 * it (`model, benchmark, benchmark_version, status, raw_value, ceiled_value, error, ceiling, ci_low,
 * ci_high, ci_method`; files written before intervals were exported, without the last three columns,
 * are read too), so an
 * export can be imported again (into the same database: nothing changes; into another: the same
 * scores). Models are created when unknown; benchmarks must exist, except AutoAttack identifiers and
 * Brain-Score identifiers whose tree position is known, which are created.
 */
import { parseRobustnessIdentifier, robustnessEntry } from '@alignscope/benchmarks';
import type { ScoreStatus } from '@alignscope/db/queries';
import { placeUnknownBenchmark } from './brainscore-names.ts';
import { type FileContext, type Importer, RowError } from './common.ts';
import { openCsv, parseDecimal } from './csv.ts';
import { csvSources } from './files.ts';

export const SCORES_CSV_COLUMNS = [
  'model',
  'benchmark',
  'benchmark_version',
  'status',
  'raw_value',
  'ceiled_value',
  'error',
  'ceiling',
  'ci_low',
  'ci_high',
  'ci_method',
] as const;

/** The layout written before score intervals were exported (still read). */
const SCORES_CSV_COLUMNS_V1 = SCORES_CSV_COLUMNS.slice(0, 8);

const sameColumns = (h: readonly string[], cols: readonly string[]) =>
  h.length === cols.length && cols.every((c, i) => h[i] === c);

const STATUSES: readonly ScoreStatus[] = ['scored', 'failed', 'not-run'];

function optionalNumber(text: string, line: number, column: string): number | null {
  const s = text.trim();
  if (s === '') return null;
  const v = parseDecimal(s);
  if (v === undefined) throw new RowError(line, `non-numeric ${column} "${s}"`);
  return v;
}

async function importScoresCsv(ctx: FileContext): Promise<void> {
  const csv = openCsv(ctx.source.path);
  const header = await csv.header();
  const h = header.fields.map((f) => f.trim());
  if (!sameColumns(h, SCORES_CSV_COLUMNS) && !sameColumns(h, SCORES_CSV_COLUMNS_V1)) {
    throw new RowError(
      header.line,
      `unknown column layout: expected "${SCORES_CSV_COLUMNS.join(',')}", found "${h.join(',')}"`,
    );
  }
  const seen = new Map<string, number>();
  let rows = 0;
  for await (const r of csv.rows()) {
    await ctx.row(r.line, async () => {
      csv.checkWidth(r);
      const [model, benchmarkId, version, status, raw, ceiled, error, ceiling, ciLow, ciHigh, ciMethod] =
        r.fields.map((f) => f.trim()) as [
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string?,
          string?,
          string?,
        ];
      if (model === '') throw new RowError(r.line, 'empty model');
      if (benchmarkId === '') throw new RowError(r.line, 'empty benchmark');
      if (!(STATUSES as string[]).includes(status)) {
        throw new RowError(r.line, `status must be one of ${STATUSES.join(', ')}, found "${status}"`);
      }
      const values = {
        rawValue: optionalNumber(raw, r.line, 'raw_value'),
        ceiledValue: optionalNumber(ceiled, r.line, 'ceiled_value'),
        error: optionalNumber(error, r.line, 'error'),
        ceiling: optionalNumber(ceiling, r.line, 'ceiling'),
        // An export carries the interval as stored (bounds and method); a v1 file leaves it to the importer.
        ...(ciMethod !== undefined
          ? {
              ciLow: optionalNumber(ciLow ?? '', r.line, 'ci_low'),
              ciHigh: optionalNumber(ciHigh ?? '', r.line, 'ci_high'),
              ciMethod: ciMethod === '' ? null : ciMethod,
            }
          : {}),
      };
      if (status === 'scored' && values.rawValue === null && values.ceiledValue === null) {
        throw new RowError(r.line, 'a scored row needs raw_value or ceiled_value');
      }
      const key = `${model}\u0000${benchmarkId}`;
      const first = seen.get(key);
      if (first !== undefined) {
        throw new RowError(
          r.line,
          `duplicate score of "${model}" on ${benchmarkId} (first at line ${first})`,
        );
      }
      let benchmark = await ctx.benchmark(benchmarkId);
      if (!benchmark) {
        const aa = parseRobustnessIdentifier(benchmarkId);
        const entries = aa ? [robustnessEntry({ ...aa })] : placeUnknownBenchmark(benchmarkId);
        if (!entries) throw new RowError(r.line, `unknown benchmark "${benchmarkId}"`);
        for (const e of entries) {
          const c = await ctx.ensureBenchmark(e);
          if (c.created) ctx.note(r.line, `created benchmark ${e.identifier} under ${e.parent}`);
          benchmark = c.benchmark;
        }
      }
      if (!benchmark) throw new RowError(r.line, `unknown benchmark "${benchmarkId}"`);
      if (version !== String(benchmark.version)) {
        throw new RowError(
          r.line,
          `benchmark ${benchmarkId} is at version ${benchmark.version} here, the row is for version ${version}`,
        );
      }
      seen.set(key, r.line);
      const m = await ctx.model({ identifier: model, displayName: model });
      await ctx.score({ modelId: m.id, benchmark, status: status as ScoreStatus, ...values });
      rows++;
    });
  }
  ctx.details.rows = rows;
}

export const scoresCsv: Importer = {
  kind: 'scores-csv',
  version: '1.0.0',
  description: 'AlignScope score export (`alignscope export scores --format csv`)',
  sources: (target) => csvSources(target),
  importSource: importScoresCsv,
};
