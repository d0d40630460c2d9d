/**
 * What every importer shares: one transaction and one run record per file, idempotent model and score
 * writes with counts, bad-row handling (abort the file, or skip and report), dry runs, summaries.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { BenchmarkDefinition } from '@alignscope/benchmarks';
import type { Database } from '@alignscope/db';
import {
  type Benchmark,
  compareImportWithEvaluations,
  createRun,
  ensureBenchmark,
  findImportRun,
  finishRun,
  getBenchmark,
  type ImportComparison,
  type ImportedModel,
  inTransaction,
  type Model,
  mergeImportedModels,
  type Run,
  runProducers,
  type ScoreInput,
  sourceInterval,
  upsertScoresBatch,
} from '@alignscope/db/queries';

/** A row or file that cannot be imported; `line` is 1-based (null when the file as a whole is bad). */
export class RowError extends Error {
  override name = 'RowError';
  constructor(
    readonly line: number | null,
    message: string,
    /** The file, when it is not the one being imported (fixture sets). */
    readonly file?: string,
  ) {
    super(message);
  }
}

export type Problem = { file: string; line: number | null; message: string };

export type Counts = {
  models_created: number;
  models_updated: number;
  scores_created: number;
  scores_updated: number;
  scores_unchanged: number;
};

export type FileReport = Counts & {
  file: string;
  kind: string;
  sha256: string | null;
  /**
   * imported: committed; dry-run: rolled back as asked; failed: rolled back because of an error;
   * skipped: imported before (skipImported), not read again.
   */
  status: 'imported' | 'dry-run' | 'failed' | 'skipped';
  /** The run the scores link to (an earlier run when the same content was imported before). */
  run: number | null;
  runReused: boolean;
  problems: Problem[];
  notes: Problem[];
  details: Record<string, unknown>;
  /**
   * Imported values that disagree with our own evaluation of the same model, benchmark and benchmark
   * version beyond their uncertainty (see compareImportWithEvaluations), and how many were compared.
   */
  disagreements: { compared: number; notJudged: number; cells: ImportComparison[] };
};

export type ImportSummary = Counts & {
  kind: string;
  dryRun: boolean;
  files: FileReport[];
  problems: Problem[];
  notes: Problem[];
  /** Every file's disagreements with our own evaluations. */
  disagreements: (ImportComparison & { file: string })[];
};

/** At most this many disagreeing cells are kept per file (the counts are exact). */
const MAX_DISAGREEMENTS = 1000;

export type ImportOptions = {
  dryRun?: boolean;
  /** Skip rows that cannot be imported (reported as problems) instead of aborting their file. */
  skipBadRows?: boolean;
  /** Mapping file for the `table` importer. */
  mapping?: string;
  /** Human trial folder for the `trials` importer. */
  humanDir?: string;
  /** The import date recorded in new runs (tests pin it). */
  now?: Date;
  /**
   * Skip a source whose content was imported before (a succeeded import run with its fingerprint)
   * without reading it: how an interrupted first start resumes.
   */
  skipImported?: boolean;
  /** Called after each file (or fixture set) with how many of how many are done. */
  onProgress?: (done: number, total: number, file: string) => void;
};

/** One unit of import: usually a file; a fixture set is several files imported together. */
export type Source = { path: string; files: string[] };

export type FileContext = {
  /** The transaction of this file. */
  db: Database;
  source: Source;
  /** The name problems are reported under (the file's base name). */
  name: string;
  run: Run;
  options: ImportOptions;
  /** Importer-specific report (kept in the run's artifacts and printed with --json). */
  details: Record<string, unknown>;
  problem(line: number | null, message: string, file?: string): void;
  note(line: number | null, message: string, file?: string): void;
  /** Runs one row; a RowError aborts the file, or, with skipBadRows, is reported and the row skipped. */
  row<T>(line: number, fn: () => Promise<T> | T): Promise<T | undefined>;
  model(m: ImportedModel): Promise<Model>;
  /** ctx.model for many models in a few queries (results in input order). */
  models(list: readonly ImportedModel[]): Promise<Model[]>;
  benchmark(identifier: string): Promise<Benchmark | undefined>;
  ensureBenchmark(e: BenchmarkDefinition): Promise<{ benchmark: Benchmark; created: boolean }>;
  /** Buffers a score (written in batches at the benchmark's current version, linked to the run). */
  score(
    s: Omit<ScoreInput, 'benchmarkId' | 'benchmarkVersion' | 'runId'> & { benchmark: Benchmark },
  ): Promise<void>;
};

export type Importer = {
  kind: string;
  version: string;
  description: string;
  /** The sources under `target` (a file, or a folder to search). */
  sources(target: string, options: ImportOptions): Promise<Source[]>;
  importSource(ctx: FileContext): Promise<void>;
  /** Other inputs of an import (e.g. the mapping file and its sha256), recorded in the run and part of its fingerprint. */
  inputs?(options: ImportOptions): Promise<Record<string, string>>;
};

export const zeroCounts = (): Counts => ({
  models_created: 0,
  models_updated: 0,
  scores_created: 0,
  scores_updated: 0,
  scores_unchanged: 0,
});

export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** The hash of a source: of its file, or of its files' names and hashes. */
async function sourceHash(src: Source): Promise<string> {
  if (src.files.length === 1 && src.files[0] === src.path) return sha256File(src.path);
  const h = createHash('sha256');
  for (const f of src.files) h.update(`${path.basename(f)} ${await sha256File(f)}\n`);
  return h.digest('hex');
}

class DryRunRollback extends Error {}

const SCORE_BATCH = 2000;
const MODEL_CACHE = 5_000;

/** Imports one source in one transaction; never throws for bad input (the report says failed). */
export async function importSource(
  db: Database,
  importer: Importer,
  src: Source,
  options: ImportOptions,
): Promise<FileReport> {
  const name = path.basename(src.path);
  const report: FileReport = {
    file: name,
    kind: importer.kind,
    sha256: null,
    status: 'failed',
    run: null,
    runReused: false,
    ...zeroCounts(),
    problems: [],
    notes: [],
    details: {},
    disagreements: { compared: 0, notJudged: 0, cells: [] },
  };
  try {
    const st = await stat(src.path);
    if (st.isFile() && st.size === 0) throw new RowError(null, 'empty file');
    report.sha256 = await sourceHash(src);
  } catch (e) {
    report.problems.push({
      file: name,
      line: null,
      message: `${messageOf(e)}; nothing was imported from this file`,
    });
    return report;
  }
  const sha256 = report.sha256;
  const inputs = importer.inputs ? await importer.inputs(options) : {};
  const fingerprint =
    Object.keys(inputs).length === 0
      ? sha256
      : createHash('sha256')
          .update(`${sha256}\n${JSON.stringify(inputs)}`)
          .digest('hex');
  if (options.skipImported && !options.dryRun) {
    const earlier = await findImportRun(db, { producer: `alignscope-import/${importer.kind}`, fingerprint });
    if (earlier) return { ...report, status: 'skipped', run: earlier.id, runReused: true };
  }
  const counts = zeroCounts();
  const problems: Problem[] = [];
  const notes: Problem[] = [];
  const details: Record<string, unknown> = {};
  try {
    await inTransaction(db, async (tx) => {
      const producer = `alignscope-import/${importer.kind}`;
      const earlier = await findImportRun(tx, { producer, fingerprint });
      const run =
        earlier ??
        (await createRun(tx, {
          kind: 'import',
          producer,
          producerVersion: importer.version,
          configuration: {
            source: name,
            ...(src.files.length > 1 || src.files[0] !== src.path
              ? { files: src.files.map((f) => path.basename(f)) }
              : {}),
            sha256,
            ...inputs,
            fingerprint,
            importer: importer.kind,
            importerVersion: importer.version,
            importedAt: (options.now ?? new Date()).toISOString(),
          },
        }));
      report.run = run.id;
      report.runReused = earlier !== undefined;
      const modelCache = new Map<string, Model>();
      const benchCache = new Map<string, Benchmark | undefined>();
      let buffer: ScoreInput[] = [];
      const replaced: number[] = [];
      const flush = async () => {
        if (buffer.length === 0) return;
        const r = await upsertScoresBatch(tx, buffer);
        buffer = [];
        counts.scores_created += r.created;
        counts.scores_updated += r.updated;
        counts.scores_unchanged += r.unchanged;
        replaced.push(...r.otherRuns);
      };
      const ctx: FileContext = {
        db: tx,
        source: src,
        name,
        run,
        options,
        details,
        problem: (line, message, file) => problems.push({ file: file ?? name, line, message }),
        note: (line, message, file) => notes.push({ file: file ?? name, line, message }),
        async row(line, fn) {
          try {
            return await fn();
          } catch (e) {
            if (e instanceof RowError && options.skipBadRows) {
              problems.push({
                file: e.file ?? name,
                line: e.line ?? line,
                message: `${e.message} (row skipped)`,
              });
              return undefined;
            }
            if (e instanceof RowError && e.line === null) throw new RowError(line, e.message, e.file);
            throw e;
          }
        },
        async model(m) {
          const [model] = await ctx.models([m]);
          if (!model) throw new Error(`model ${m.identifier} was not written`);
          return model;
        },
        async models(list) {
          const out = new Map<string, Model>();
          for (const m of list) {
            const cached = modelCache.get(m.identifier);
            if (cached) out.set(m.identifier, cached);
          }
          const todo = list.filter((m) => !out.has(m.identifier));
          if (todo.length > 0) {
            const written = await mergeImportedModels(tx, todo);
            todo.forEach((m, i) => {
              const w = written[i];
              if (!w || out.has(m.identifier)) return;
              if (w.outcome === 'created') counts.models_created++;
              if (w.outcome === 'updated') counts.models_updated++;
              out.set(m.identifier, w.model);
            });
            // Bounded, so that a file of millions of models streams in constant memory; a model
            // merged again after eviction is "unchanged", so the counts stay right.
            if (modelCache.size + out.size > MODEL_CACHE) modelCache.clear();
            for (const [k, v] of out) modelCache.set(k, v);
          }
          return list.map((m) => {
            const model = out.get(m.identifier);
            if (!model) throw new Error(`model ${m.identifier} was not written`);
            return model;
          });
        },
        async benchmark(identifier) {
          if (!benchCache.has(identifier)) benchCache.set(identifier, await getBenchmark(tx, identifier));
          return benchCache.get(identifier);
        },
        async ensureBenchmark(e) {
          const found = await ctx.benchmark(e.identifier);
          if (found) return { benchmark: found, created: false };
          const benchmark = await ensureBenchmark(tx, e);
          benchCache.set(e.identifier, benchmark);
          return { benchmark, created: true };
        },
        async score(s) {
          const { benchmark, ...rest } = s;
          buffer.push({
            ...(rest.ciMethod === undefined ? sourceInterval(importer.kind, rest) : {}),
            ...rest,
            benchmarkId: benchmark.id,
            benchmarkVersion: benchmark.version,
            runId: run.id,
          });
          if (buffer.length >= SCORE_BATCH) await flush();
        },
      };
      await importer.importSource(ctx);
      await flush();
      // Where the imported values disagree with our own evaluations beyond their uncertainty.
      const compared = await compareImportWithEvaluations(tx, run.id);
      const disagreeing = compared.filter((c) => c.disagrees === true);
      report.disagreements = {
        compared: compared.length,
        notJudged: compared.filter((c) => c.disagrees === null).length,
        cells: disagreeing.slice(0, MAX_DISAGREEMENTS),
      };
      if (compared.length > 0) {
        ctx.note(
          null,
          `${compared.length} imported value${compared.length === 1 ? '' : 's'} compared with our own evaluation of the same model, benchmark and benchmark version: ${disagreeing.length} disagree${disagreeing.length === 1 ? 's' : ''} beyond the uncertainty, ${report.disagreements.notJudged} without an interval on either side not judged`,
        );
      }
      // Scores that another source wrote before (e.g. ImageNet top-1 of a model known to two sources).
      const producers = await runProducers(tx, replaced);
      const bySource = new Map<string, number>();
      for (const id of replaced) {
        const p = producers.get(id) ?? 'an earlier run';
        if (p !== producer) bySource.set(p, (bySource.get(p) ?? 0) + 1);
      }
      for (const [p, n] of bySource) {
        ctx.note(
          null,
          `${n} score${n === 1 ? '' : 's'} written earlier by ${p} kept as earlier versions beside this file's values (the current value follows the rule)`,
        );
      }
      if (!earlier) {
        await finishRun(tx, run.id, {
          status: 'succeeded',
          artifacts: { counts, problems, notes, details },
        });
      }
      if (options.dryRun) throw new DryRunRollback();
    });
    report.status = 'imported';
  } catch (e) {
    if (e instanceof DryRunRollback) {
      report.status = 'dry-run';
      // The run (like everything else) was rolled back, unless it was an earlier one.
      if (!report.runReused) report.run = null;
    } else {
      report.status = 'failed';
      report.run = null;
      report.runReused = false;
      report.disagreements = { compared: 0, notJudged: 0, cells: [] };
      report.problems = [
        ...problems,
        {
          file: e instanceof RowError && e.file ? e.file : name,
          line: e instanceof RowError ? e.line : null,
          message: `${messageOf(e)}; nothing was imported from this file`,
        },
      ];
      report.notes = notes;
      report.details = details;
      return report;
    }
  }
  Object.assign(report, counts);
  report.problems = problems;
  report.notes = notes;
  report.details = details;
  return report;
}

function messageOf(e: unknown): string {
  if (e instanceof RowError) return e.message;
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') return `no such file: ${err.path ?? ''}`.trim();
  if (err?.code === 'EISDIR') return 'is a folder, not a file';
  if (err?.code === 'EACCES') return `cannot read ${err.path ?? 'the file'} (permission denied)`;
  return e instanceof Error ? e.message : String(e);
}

/** Imports every source under `target` with `importer`; one transaction per source. */
export async function runImport(
  db: Database,
  importer: Importer,
  target: string,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const sources = await importer.sources(target, options);
  const files: FileReport[] = [];
  for (const src of sources) {
    files.push(await importSource(db, importer, src, options));
    options.onProgress?.(files.length, sources.length, src.path);
  }
  const summary: ImportSummary = {
    kind: importer.kind,
    dryRun: options.dryRun ?? false,
    files,
    ...zeroCounts(),
    problems: files.flatMap((f) => f.problems),
    notes: files.flatMap((f) => f.notes),
    disagreements: files.flatMap((f) => f.disagreements.cells.map((c) => ({ file: f.file, ...c }))),
  };
  for (const f of files) {
    for (const k of Object.keys(zeroCounts()) as (keyof Counts)[]) summary[k] += f[k];
  }
  return summary;
}
