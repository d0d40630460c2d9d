import type { Command } from 'commander';
import { withDb } from '../db.ts';
import { InputError } from '../errors.ts';
import {
  getImporter,
  type ImportOptions,
  type ImportSummary,
  importers,
  type Problem,
  RowError,
  runImport,
  SourceError,
} from '../importers/index.ts';

const num = (v: number) => String(Number(v.toPrecision(4)));
const where = (p: Problem) => `${p.file}${p.line === null ? '' : `:${p.line}`}`;

/** The human-readable summary of an import. */
export function formatSummary(s: ImportSummary): string {
  const out: string[] = [];
  const failed = s.files.filter((f) => f.status === 'failed').length;
  out.push(
    `${s.kind}: ${s.files.length} file${s.files.length === 1 ? '' : 's'}, ${failed} failed${s.dryRun ? ' (dry run: nothing was written)' : ''}`,
  );
  for (const f of s.files) {
    const run = f.run === null ? '' : ` run ${f.run}${f.runReused ? ' (same content imported before)' : ''}`;
    out.push(
      `  ${f.file}: ${f.status}${run}; models ${f.models_created} created, ${f.models_updated} updated; scores ${f.scores_created} created, ${f.scores_updated} updated, ${f.scores_unchanged} unchanged`,
    );
  }
  out.push(`models: ${s.models_created} created, ${s.models_updated} updated`);
  out.push(
    `scores: ${s.scores_created} created, ${s.scores_updated} updated, ${s.scores_unchanged} unchanged`,
  );
  const list = (title: string, items: Problem[]) => {
    if (items.length === 0) return;
    out.push(`${title} (${items.length}):`);
    for (const p of items.slice(0, 50)) out.push(`  ${where(p)}: ${p.message}`);
    if (items.length > 50) out.push(`  ... ${items.length - 50} more (use --json for all)`);
  };
  list('problems', s.problems);
  list('notes', s.notes);
  if (s.disagreements.length > 0) {
    const iv = (v: { ciLow: number | null; ciHigh: number | null }) =>
      v.ciLow === null || v.ciHigh === null ? 'no interval' : `[${num(v.ciLow)}, ${num(v.ciHigh)}]`;
    out.push(
      `disagreements with our own evaluations beyond the uncertainty (${s.disagreements.length}; same benchmark version only):`,
    );
    for (const d of s.disagreements.slice(0, 50)) {
      out.push(
        `  ${d.file}: ${d.model} on ${d.benchmark} v${d.benchmarkVersion}: imported ${num(d.imported.value)} ${iv(d.imported)}${d.imported.sourceBenchmarkVersion === null ? '' : ` (source's v${d.imported.sourceBenchmarkVersion})`}, ours ${num(d.ours.value)} ${iv(d.ours)}, difference ${num(d.difference)}`,
      );
    }
    if (s.disagreements.length > 50)
      out.push(`  ... ${s.disagreements.length - 50} more (use --json for all)`);
  }
  return out.join('\n');
}

export default function register(program: Command): void {
  program
    .command('import')
    .description('import published results (Brain-Score, RobustBench, results tables, trial data)')
    .argument('<kind>', `what the files are: ${importers.map((i) => i.kind).join(', ')}`)
    .argument('<path>', 'a file, or a folder to import every matching file from')
    .option('--dry-run', 'read and check everything, report what would change, write nothing')
    .option('--json', 'print the summary as one JSON object')
    .option('--skip-bad-rows', 'skip rows that cannot be imported (reported) instead of aborting their file')
    .option(
      '--mapping <file>',
      'mapping file for `table` (which column is the model, which benchmark each column is)',
    )
    .option('--human <folder>', 'human trial folder for `trials` (default: <data dir>/human)')
    .addHelpText(
      'after',
      `\nKinds:\n${importers.map((i) => `  ${i.kind.padEnd(20)} ${i.description}`).join('\n')}`,
    )
    .action(
      async (
        kind: string,
        target: string,
        opts: { dryRun?: boolean; json?: boolean; skipBadRows?: boolean; mapping?: string; human?: string },
      ) => {
        const importer = getImporter(kind);
        if (!importer) {
          throw new InputError(
            `unknown import kind "${kind}" (one of: ${importers.map((i) => i.kind).join(', ')})`,
          );
        }
        const options: ImportOptions = {
          dryRun: opts.dryRun ?? false,
          skipBadRows: opts.skipBadRows ?? false,
          ...(opts.mapping ? { mapping: opts.mapping } : {}),
          ...(opts.human ? { humanDir: opts.human } : {}),
        };
        const summary = await withDb(async ({ db }) => {
          try {
            return await runImport(db, importer, target, options);
          } catch (e) {
            if (e instanceof SourceError) throw new InputError(e.message);
            if (e instanceof RowError)
              throw new InputError(`${e.file ?? target}${e.line ? `:${e.line}` : ''}: ${e.message}`);
            throw e;
          }
        });
        console.log(opts.json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
        if (summary.files.some((f) => f.status === 'failed')) process.exitCode = 2;
      },
    );
}
