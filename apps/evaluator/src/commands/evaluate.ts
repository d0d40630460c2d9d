import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { withDb } from '../db.ts';
import { InputError } from '../errors.ts';
import { type EvaluateOptions, type EvaluationRecord, evaluate } from '../evaluate/evaluate.ts';
import { closeModels } from '../models/session.ts';
import { resolveAssembly } from './assemblies.ts';

type CliOptions = {
  model: string;
  card?: string;
  decisions?: string;
  benchmark: string;
  dataDir?: string;
  json?: boolean;
  db: boolean;
  batchSize: string;
  threads?: string;
  executionProvider?: string;
  skipBadImages?: boolean;
  images?: string;
  limit?: string;
  limitSeed?: string;
  assembly?: string;
  stimuli?: string;
  layer?: string;
  layers?: string;
  pool?: boolean;
  project?: string;
  seed?: string;
  ceilingConvention?: string;
  variable?: string;
  timeBin?: string;
};

function seedOption(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n))
    throw new InputError(`--limit-seed must be an integer >= 0, got "${v}"`);
  return n;
}

function intOption(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`${name} must be a positive integer, got "${v}"`);
  return n;
}

const fmt = (v: number | null) => (v === null ? '-' : v.toFixed(4));

/** A progress bar on stderr when it is a terminal; otherwise one line per benchmark. */
function progressReporter() {
  const tty = process.stderr.isTTY === true;
  let bar: SingleBar | undefined;
  let phase = '';
  return {
    progress(benchmark: string, p: { phase: string; done: number; total: number }) {
      if (!tty) return;
      if (!bar || phase !== `${benchmark}/${p.phase}`) {
        bar?.stop();
        phase = `${benchmark}/${p.phase}`;
        bar = new SingleBar(
          {
            format: `${benchmark} ${p.phase} [{bar}] {value}/{total} {eta_formatted}`,
            stream: process.stderr,
            hideCursor: true,
            clearOnComplete: true,
          },
          undefined,
        );
        bar.start(p.total, p.done);
      } else bar.update(p.done);
    },
    event(e: { benchmark: string; phase: 'start' | 'end'; record?: EvaluationRecord }) {
      if (e.phase === 'end') {
        bar?.stop();
        bar = undefined;
        const r = e.record;
        if (r?.status === 'failed') process.stderr.write(`${e.benchmark}: FAILED: ${r.message}\n`);
        else if (r) process.stderr.write(`${e.benchmark}: done (${r.imageCount} images)\n`);
      } else if (!tty) process.stderr.write(`${e.benchmark}: running...\n`);
    },
  };
}

export default function register(program: Command): void {
  program
    .command('evaluate')
    .description('run benchmarks on a model and record scores with their runs (provenance)')
    .requiredOption(
      '--model <id|file.onnx>',
      'a registered model (identifier or alias), or an ONNX file with --card',
    )
    .option('--card <card.json>', 'model card of an ONNX file')
    .option(
      '--decisions <csv|dir>',
      'score recorded decisions (model-vs-human trial CSVs) instead of running a model',
    )
    .requiredOption('--benchmark <id[,id...]>', 'benchmark identifier(s), comma-separated')
    .option('--data-dir <dir>', 'the data bundle (default: ALIGNSCOPE_DATA_DIR or ../shared/data)')
    .option('--images <folder|manifest.csv>', 'image set for the top-1 benchmarks (default: the bundle set)')
    .option(
      '--limit <n>',
      'only n images/stimuli, stratified by class and seeded (a quick check: a partial run, recorded but never stored as the score)',
    )
    .option('--limit-seed <n>', 'seed of the --limit subset (recorded with the run)', '0')
    .option('--batch-size <n>', 'images per inference batch', '16')
    .option('--threads <n>', 'onnxruntime intra-op threads (default: all cores)')
    .option(
      '--execution-provider <ep>',
      'cpu, cuda or webgpu (default: ALIGNSCOPE_EXECUTION_PROVIDER or cpu)',
    )
    .option('--skip-bad-images', 'skip images that fail to decode (counted in the run) instead of failing')
    .option('--json', 'print the results as JSON')
    .option('--no-db', 'do not write to the database')
    .option(
      '--assembly <file>',
      'neural benchmarks: recorded responses (NetCDF4/HDF5 as Brain-Score stores them, or CSV stimulus,neuroid,repetition,value)',
    )
    .option(
      '--stimuli <folder|csv>',
      'neural benchmarks: the stimulus images (default: <assembly folder>/stimuli)',
    )
    .option('--layer <name>', 'neural benchmarks: score this layer (no layer commitment)')
    .option('--layers <a,b,...>', 'neural benchmarks: candidate layers for the commitment (default: all)')
    .option('--pool', 'neural benchmarks: spatial mean pooling of 4-D layer outputs')
    .option('--project <dim>', 'neural benchmarks: seeded random projection of each layer to dim features')
    .option(
      '--seed <n>',
      'neural benchmarks: seed of splits, commitment halves, ceiling and projection (default 1)',
    )
    .option(
      '--ceiling-convention <c>',
      'neural benchmarks: stored ceiled score, squared-ratio (r/c)^2 or explained-variance r^2/c',
      'squared-ratio',
    )
    .option('--variable <name>', 'neural benchmarks: the data variable of a NetCDF assembly')
    .option('--time-bin <i>', 'neural benchmarks: the time bin of an assembly with several')
    .action(async (o: CliOptions) => {
      const ep = o.executionProvider;
      if (ep !== undefined && ep !== 'cpu' && ep !== 'cuda' && ep !== 'webgpu') {
        throw new InputError(`--execution-provider must be cpu, cuda or webgpu, got "${ep}"`);
      }
      const cc = o.ceilingConvention;
      if (cc !== undefined && cc !== 'squared-ratio' && cc !== 'explained-variance') {
        throw new InputError(`--ceiling-convention must be squared-ratio or explained-variance, got "${cc}"`);
      }
      const seed = o.seed === undefined ? undefined : Number(o.seed);
      if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0)) {
        throw new InputError(`--seed must be a non-negative integer, got "${o.seed}"`);
      }
      const timeBin = o.timeBin === undefined ? undefined : Number(o.timeBin);
      if (timeBin !== undefined && !(Number.isInteger(timeBin) && timeBin >= 0)) {
        throw new InputError(`--time-bin must be a non-negative integer, got "${o.timeBin}"`);
      }
      const reporter = progressReporter();
      const opts: EvaluateOptions = {
        model: o.model,
        card: o.card,
        decisions: o.decisions,
        benchmarks: o.benchmark
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        dataDir: o.dataDir,
        batchSize: intOption('--batch-size', o.batchSize),
        threads: intOption('--threads', o.threads),
        executionProvider: ep,
        onImageError: o.skipBadImages ? 'skip' : 'fail',
        images: o.images,
        limit: intOption('--limit', o.limit),
        limitSeed: o.limitSeed === undefined ? undefined : seedOption(o.limitSeed),
        ...(o.assembly || o.layer || o.layers || o.pool || o.project || o.seed || o.stimuli
          ? {
              neural: {
                ...(o.assembly ? await resolveAssembly(o.assembly) : {}),
                ...(o.stimuli !== undefined ? { stimuli: o.stimuli } : {}),
                layer: o.layer,
                layers: o.layers
                  ?.split(',')
                  .map((l) => l.trim())
                  .filter(Boolean),
                pool: o.pool,
                project: intOption('--project', o.project),
                seed,
                convention: cc as 'squared-ratio' | 'explained-variance' | undefined,
                variable: o.variable,
                timeBin,
              },
            }
          : {}),
        progress: reporter.progress,
        onBenchmark: reporter.event,
      };
      let records: EvaluationRecord[];
      try {
        records = o.db ? await withDb(({ db }) => evaluate(opts, db)) : await evaluate(opts, null);
      } finally {
        await closeModels();
      }
      if (o.json) {
        console.log(
          JSON.stringify(
            records.map((r) => ({
              model: r.model,
              benchmark: r.benchmark,
              version: r.version,
              status: r.status,
              raw: r.raw,
              ceiled: r.ceiled,
              error: r.error,
              ceiling: r.ceiling,
              ciLow: r.interval?.low ?? null,
              ciHigh: r.interval?.high ?? null,
              ciMethod: r.interval?.method ?? null,
              imageCount: r.imageCount,
              ...(r.message ? { message: r.message } : {}),
              ...(r.runId !== undefined ? { runId: r.runId } : {}),
              timings: r.timings,
              configuration: r.configuration,
              artifacts: r.artifacts,
            })),
            null,
            2,
          ),
        );
      } else {
        console.log(
          [
            'model',
            'benchmark',
            'version',
            'raw',
            'ceiled',
            'error',
            'ceiling',
            'ci95',
            'images',
            'status',
          ].join('\t'),
        );
        for (const r of records) {
          console.log(
            [
              r.model,
              r.benchmark,
              r.version,
              fmt(r.raw),
              fmt(r.ceiled),
              fmt(r.error),
              fmt(r.ceiling),
              r.interval && r.interval.low !== null && r.interval.high !== null
                ? `${fmt(r.interval.low)}..${fmt(r.interval.high)}`
                : '-',
              r.imageCount ?? '-',
              r.status +
                (r.stored === 'kept' ? ' (earlier score kept)' : '') +
                (r.stored === 'partial' ? ' (partial run: not stored as the score)' : '') +
                (r.runId !== undefined ? ` run ${r.runId}` : ''),
            ].join('\t'),
          );
        }
      }
      const failed = records.filter((r) => r.status === 'failed');
      if (failed.length > 0) {
        throw new InputError(
          `${failed.length} of ${records.length} benchmark(s) failed: ${failed.map((r) => `${r.benchmark}: ${r.message}`).join('; ')}`,
          1,
        );
      }
    });
}
