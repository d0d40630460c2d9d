/**
 * `alignscope assemblies add <file> | list`: registers neural assemblies (recorded responses) in the
 * database with their sha256 and a summary, so that `evaluate --assembly <identifier>` and the neural
 * benchmarks can use them by name.
 */
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { getAssembly, listAssemblies, upsertAssembly } from '@alignscope/db/queries';
import type { Command } from 'commander';
import { withDb } from '../db.ts';
import { InputError } from '../errors.ts';
import { toStimulusResponses } from '../neural/assembly.ts';
import { readAssembly, sha256File, stimulusFiles } from '../neural/benchmark.ts';

async function write(text: string): Promise<void> {
  if (!process.stdout.write(`${text}\n`)) await once(process.stdout, 'drain');
}

export type AddOptions = {
  identifier?: string;
  stimuli?: string;
  variable?: string;
  timeBin?: string;
  json?: boolean;
};

/** Reads and checks an assembly (and its stimuli when given); the row to register. */
export async function describeAssembly(file: string, o: AddOptions) {
  const timeBin = o.timeBin === undefined ? undefined : Number(o.timeBin);
  const a = await readAssembly(file, { variable: o.variable, timeBin });
  const r = toStimulusResponses(a);
  const stimuli = o.stimuli ?? path.join(path.dirname(file), 'stimuli');
  const hasStimuli = existsSync(stimuli);
  if (o.stimuli !== undefined || hasStimuli) stimulusFiles(r.stimulusIds, stimuli);
  const ext = path.extname(file).toLowerCase();
  return {
    identifier: o.identifier ?? a.attributes.identifier ?? path.basename(file).replace(/\.[^.]+$/, ''),
    sha256: await sha256File(file),
    path: path.resolve(file),
    stimuli: hasStimuli ? path.resolve(stimuli) : null,
    format: ext === '.csv' ? 'csv' : 'netcdf4',
    regions: a.region ? [...new Set(a.region)].sort() : [],
    stimulusCount: r.stimulusIds.length,
    neuroidCount: r.neuroidIds.length,
    repetitions: r.trials.repetitions,
    attributes: a.attributes,
  };
}

/** The file and stimuli of `--assembly`: a file, or the identifier (or sha256) of a registered assembly. */
export async function resolveAssembly(key: string): Promise<{ assembly: string; stimuli?: string }> {
  if (existsSync(key)) return { assembly: key };
  const row = await withDb(({ db }) => getAssembly(db, key));
  if (!row)
    throw new InputError(
      `--assembly ${key}: no such file and no registered assembly of that name (alignscope assemblies list)`,
    );
  return { assembly: row.path, ...(row.stimuli ? { stimuli: row.stimuli } : {}) };
}

export default function register(program: Command): void {
  const cmd = program
    .command('assemblies')
    .description('neural assemblies (recorded responses) for the neural benchmarks');
  cmd
    .command('add <file>')
    .description(
      'register a NetCDF4/HDF5 (Brain-Score) or CSV assembly: checked, summarised, stored with its sha256',
    )
    .option(
      '--identifier <name>',
      'name to use with evaluate --assembly (default: its identifier attribute or file name)',
    )
    .option('--stimuli <folder|csv>', 'the stimulus images (default: <file folder>/stimuli when it exists)')
    .option('--variable <name>', 'the data variable of a NetCDF file')
    .option('--time-bin <i>', 'the time bin to check of an assembly with several')
    .option('--json', 'print the registered row as JSON')
    .action(async (file: string, o: AddOptions) => {
      const row = await describeAssembly(file, o);
      const saved = await withDb(({ db }) => upsertAssembly(db, row));
      if (o.json) return write(JSON.stringify(saved, null, 2));
      await write(
        `registered ${saved.identifier} (${saved.format}, sha256 ${saved.sha256.slice(0, 12)}): ${saved.stimulusCount} stimuli, ${saved.neuroidCount} neuroids, ${saved.repetitions} repetition(s), regions ${saved.regions.join(', ') || '-'}`,
      );
    });
  cmd
    .command('list')
    .description('registered assemblies')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const rows = await withDb(({ db }) => listAssemblies(db));
      if (o.json) return write(JSON.stringify(rows, null, 2));
      if (rows.length === 0) return write('no assemblies registered (alignscope assemblies add <file>)');
      await write(
        rows
          .map(
            (r) =>
              `${r.identifier}  ${r.stimulusCount} stimuli x ${r.neuroidCount} neuroids x ${r.repetitions} reps  ${r.regions.join(',') || '-'}  ${r.path}`,
          )
          .join('\n'),
      );
    });
}
