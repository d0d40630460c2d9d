import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Database } from '@alignscope/db';
import { listScores } from '@alignscope/db/queries';
import type { Command } from 'commander';
import { withDb } from '../db.ts';
import { UserError } from '../errors.ts';
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
      [r.model, r.benchmark, r.benchmarkVersion, r.status, r.rawValue, r.ceiledValue, r.error, r.ceiling]
        .map(csvField)
        .join(','),
    );
  }
  return rows.length;
}

export default function register(program: Command): void {
  const exp = program.command('export').description('export results');
  exp
    .command('scores')
    .description('export scores (one row per model and benchmark)')
    .option('--format <format>', 'output format: csv', 'csv')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .option('--model <identifier>', 'only this model')
    .option('--benchmark <identifier>', 'only this benchmark')
    .action(async (opts: { format: string; output?: string; model?: string; benchmark?: string }) => {
      if (opts.format !== 'csv') throw new UserError(`unknown format "${opts.format}" (supported: csv)`);
      await withDb(async ({ db }) => {
        const filter = {
          ...(opts.model ? { model: opts.model } : {}),
          ...(opts.benchmark ? { benchmark: opts.benchmark } : {}),
        };
        if (!opts.output) {
          await exportScoresCsv(db, process.stdout, filter);
          return;
        }
        const file = createWriteStream(opts.output);
        await once(file, 'open');
        const n = await exportScoresCsv(db, file, filter);
        file.end();
        await once(file, 'finish');
        console.error(`wrote ${n} scores to ${opts.output}`);
      });
    });
}
