import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Database } from '@alignscope/db';
import { listBenchmarks, listScores } from '@alignscope/db/queries';
import type { Command } from 'commander';
import { withDb } from '../db.ts';
import { InputError } from '../errors.ts';
import { csvField } from '../importers/csv.ts';
import { SCORES_CSV_COLUMNS } from '../importers/scores-csv.ts';

/**
 * Writes the scores (at each benchmark's current version) as the long CSV that
 * `alignscope import scores-csv` reads back. Numbers are written in JavaScript's shortest
 * round-trip form, so a re-import gives bit-identical values. Returns the number of rows.
 */
export async function exportScoresCsv(
  db: Database,
  out: Writable,
  filter: { model?: string; benchmark?: string } = {},
): Promise<number> {
  const rows = await listScores(db, filter);
  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  await write(SCORES_CSV_COLUMNS.join(','));
  for (const r of rows) {
    await write(
      [
        r.model,
        r.benchmark,
        r.benchmarkVersion,
        r.status,
        r.rawValue,
        r.ceiledValue,
        r.error,
        r.ceiling,
        r.ciLow,
        r.ciHigh,
        r.ciMethod,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return rows.length;
}

/**
 * Writes the scores in the older Brain-Score leaderboard layout (`model_name`, then one column per
 * leaf benchmark in catalog order): the ceiled score (raw when there is none), `NaN` for a failed score,
 * `X` for none. Aggregates are left out (they are recomputed). `alignscope import brainscore-csv`
 * reads it back. Returns the number of models.
 */
export async function exportBrainScoreCsv(db: Database, out: Writable): Promise<number> {
  const rows = await listScores(db);
  const order = new Map((await listBenchmarks(db)).map((b, i) => [b.identifier, i]));
  const columns = [...new Set(rows.map((r) => r.benchmark))].sort(
    (x, y) => (order.get(x) ?? 0) - (order.get(y) ?? 0),
  );
  const byModel = new Map<string, Map<string, string>>();
  for (const r of rows) {
    const cells = byModel.get(r.model) ?? new Map<string, string>();
    byModel.set(r.model, cells);
    const v = r.ceiledValue ?? r.rawValue;
    cells.set(r.benchmark, r.status === 'failed' ? 'NaN' : v === null ? 'X' : String(v));
  }
  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  await write(['model_name', ...columns].map(csvField).join(','));
  for (const [model, cells] of byModel) {
    await write([model, ...columns.map((c) => cells.get(c) ?? 'X')].map(csvField).join(','));
  }
  return byModel.size;
}

export default function register(program: Command): void {
  const exp = program.command('export').description('export results');
  exp
    .command('scores')
    .description('export scores (one row per model and benchmark)')
    .option(
      '--format <format>',
      'csv (one row per score, re-importable with `import scores-csv`) or brainscore-csv (Brain-Score leaderboard layout)',
      'csv',
    )
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .option('--model <identifier>', 'only this model')
    .option('--benchmark <identifier>', 'only this benchmark')
    .action(async (opts: { format: string; output?: string; model?: string; benchmark?: string }) => {
      if (opts.format !== 'csv' && opts.format !== 'brainscore-csv') {
        throw new InputError(`unknown format "${opts.format}" (supported: csv, brainscore-csv)`);
      }
      if (opts.format === 'brainscore-csv' && (opts.model || opts.benchmark)) {
        throw new InputError('--model and --benchmark apply to --format csv only');
      }
      const filter = {
        ...(opts.model ? { model: opts.model } : {}),
        ...(opts.benchmark ? { benchmark: opts.benchmark } : {}),
      };
      const run = (db: Database, out: Writable) =>
        opts.format === 'csv' ? exportScoresCsv(db, out, filter) : exportBrainScoreCsv(db, out);
      await withDb(async ({ db }) => {
        if (!opts.output) {
          await run(db, process.stdout);
          return;
        }
        const file = createWriteStream(opts.output);
        await once(file, 'open');
        const n = await run(db, file);
        file.end();
        await once(file, 'finish');
        console.error(`wrote ${n} ${opts.format === 'csv' ? 'scores' : 'models'} to ${opts.output}`);
      });
    });
}
