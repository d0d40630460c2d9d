/**
 * `table`: any wide results table (one row per model, one column per metric), read with a mapping
 * file that names the model column, the benchmarks to create, and for each metric column its
 * benchmark and scale factor (e.g. 0.01 for percent -> fraction). Shipped mappings live in
 * apps/evaluator/mappings/ and can be named without a path (`--mapping gavrikov2024`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchmarkDefinition, parseEps } from '@alignscope/benchmarks';
import type { Benchmark } from '@alignscope/db/queries';
import { z } from 'zod';
import { type FileContext, type Importer, RowError, sha256File } from './common.ts';
import { openCsv, parseDecimal } from './csv.ts';
import { csvSources, SourceError } from './files.ts';
import { readJson } from './json.ts';

/** Folder of the shipped mapping files. */
export const MAPPINGS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../mappings');

const modelFields = z
  .object({
    architecture: z.string(),
    family: z.string(),
    trainingRegime: z.string(),
    trainingData: z.string(),
    source: z.string(),
    license: z.string(),
  })
  .partial()
  .strict();

const attack = z
  .object({
    attack: z.string(),
    norm: z.enum(['Linf', 'L2']),
    /** On the [0,1] pixel scale, e.g. "4/255"; null when the source does not state it. */
    eps: z.string().nullable(),
    epsNote: z.string().optional(),
    steps: z.number().int().positive().optional(),
    stepSize: z.string().optional(),
    library: z.string().optional(),
    dataset: z.string().optional(),
  })
  .strict();

const newBenchmark = z
  .object({
    identifier: z.string().min(1),
    parent: z.string().min(1),
    domain: z.enum(['aggregate', 'neural', 'behavioral', 'engineering', 'robustness']),
    metric: z.string().min(1),
    displayName: z.string().optional(),
    description: z.string().optional(),
    reference: z.string().optional(),
    ceiling: z.number().nullable().optional(),
    rangeMin: z.number().optional(),
    rangeMax: z.number().optional(),
    attack: attack.optional(),
  })
  .strict()
  .refine((b) => b.domain !== 'robustness' || b.attack !== undefined, {
    message: 'a robustness benchmark needs "attack" (attack, norm, eps)',
  });

export const tableMapping = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    source: z.record(z.string(), z.string()).optional(),
    /** The column holding the model name. */
    modelColumn: z.string().min(1),
    models: z
      .object({
        /** Prepended to every model name to form its identifier. */
        prefix: z.string().optional(),
        defaults: modelFields.optional(),
        /** Per field, the first rule whose regular expression matches the model name sets it. */
        rules: z.array(z.object({ match: z.string(), set: modelFields }).strict()).optional(),
      })
      .strict()
      .optional(),
    /** Benchmarks to create when missing (parents before children). */
    benchmarks: z.array(newBenchmark).optional(),
    columns: z.record(
      z.string(),
      z
        .object({
          benchmark: z.string().min(1),
          scale: z.number().positive().default(1),
          /** Which value the column holds (default: ceiled for neural/behavioral, raw otherwise). */
          value: z.enum(['raw', 'ceiled']).optional(),
        })
        .strict(),
    ),
    /** Columns the mapping does not name: `report` lists them as problems, `ignore` only counts them. */
    unmappedColumns: z.enum(['ignore', 'report']).default('report'),
    /** Cell texts that mean "not measured". */
    missing: z.array(z.string()).default(['', 'NA', 'NaN', 'nan', '-']),
  })
  .strict();
export type TableMapping = z.infer<typeof tableMapping>;

/** Resolves `--mapping`: a path, or the name of a shipped mapping. */
export function mappingPath(spec: string): string {
  if (existsSync(spec)) return spec;
  const shipped = path.join(MAPPINGS_DIR, spec.endsWith('.json') ? spec : `${spec}.json`);
  if (existsSync(shipped)) return shipped;
  throw new SourceError(`mapping file not found: ${spec} (nor a shipped mapping in ${MAPPINGS_DIR})`);
}

export async function loadMapping(spec: string): Promise<{ file: string; mapping: TableMapping }> {
  const file = mappingPath(spec);
  let value: unknown;
  try {
    value = (await readJson(file)).value;
  } catch (e) {
    throw new SourceError(`mapping ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const parsed = tableMapping.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SourceError(`mapping ${file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  for (const r of parsed.data.models?.rules ?? []) {
    try {
      new RegExp(r.match);
    } catch {
      throw new SourceError(`mapping ${file}: invalid regular expression "${r.match}"`);
    }
  }
  return { file, mapping: parsed.data };
}

function entryOf(b: z.infer<typeof newBenchmark>): BenchmarkDefinition {
  const { attack: a, ...rest } = b;
  const parameters: Record<string, unknown> = {};
  if (a) {
    Object.assign(parameters, a);
    if (a.eps !== null) {
      parameters.epsLabel = a.eps;
      parameters.eps = parseEps(a.eps);
    }
  }
  return { ...rest, version: 1, parameters };
}

async function importTable(ctx: FileContext): Promise<void> {
  if (!ctx.options.mapping)
    throw new RowError(null, 'the table importer needs --mapping <file or shipped name>');
  const { file: mappingFile, mapping } = await loadMapping(ctx.options.mapping);
  const created: string[] = [];
  for (const b of mapping.benchmarks ?? []) {
    const r = await ctx.ensureBenchmark(entryOf(b));
    if (r.created) created.push(b.identifier);
  }
  const csv = openCsv(ctx.source.path);
  const header = await csv.header();
  const h = header.fields.map((f) => f.trim());
  const modelCol = h.indexOf(mapping.modelColumn);
  if (modelCol < 0) {
    throw new RowError(
      header.line,
      `unknown column layout: the mapping's model column "${mapping.modelColumn}" is not in the header`,
    );
  }
  const dupHeader = h.find((c, i) => h.indexOf(c) !== i);
  if (dupHeader !== undefined) throw new RowError(header.line, `column "${dupHeader}" appears twice`);
  type Col = { index: number; name: string; benchmark: Benchmark; scale: number; value: 'raw' | 'ceiled' };
  const cols: Col[] = [];
  for (const [name, spec] of Object.entries(mapping.columns)) {
    const index = h.indexOf(name);
    if (index < 0) {
      throw new RowError(header.line, `unknown column layout: mapped column "${name}" is not in the header`);
    }
    const benchmark = await ctx.benchmark(spec.benchmark);
    if (!benchmark) {
      throw new RowError(
        null,
        `mapping ${path.basename(mappingFile)}: unknown benchmark "${spec.benchmark}" for column "${name}"`,
      );
    }
    if (benchmark.domain === 'aggregate') {
      throw new RowError(
        null,
        `mapping: column "${name}" maps to the aggregate ${spec.benchmark}; aggregates are computed, not imported`,
      );
    }
    const value =
      spec.value ?? (benchmark.domain === 'neural' || benchmark.domain === 'behavioral' ? 'ceiled' : 'raw');
    cols.push({ index, name, benchmark, scale: spec.scale, value });
  }
  const unmapped = h.filter((c, i) => i !== modelCol && !(c in mapping.columns));
  if (mapping.unmappedColumns === 'report' && unmapped.length > 0) {
    ctx.problem(
      header.line,
      `${unmapped.length} columns not in the mapping, skipped: ${unmapped.slice(0, 20).join(', ')}${unmapped.length > 20 ? ', ...' : ''}`,
    );
  }
  const rules = (mapping.models?.rules ?? []).map((r) => ({ re: new RegExp(r.match), set: r.set }));
  const missing = new Set(mapping.missing);
  const seen = new Map<string, number>();
  let rows = 0;
  for await (const r of csv.rows()) {
    await ctx.row(r.line, async () => {
      csv.checkWidth(r);
      const name = (r.fields[modelCol] ?? '').trim();
      if (name === '') throw new RowError(r.line, 'empty model name');
      const first = seen.get(name);
      if (first !== undefined)
        throw new RowError(r.line, `duplicate model "${name}" (first at line ${first})`);
      const values: { col: Col; v: number }[] = [];
      for (const col of cols) {
        const text = (r.fields[col.index] ?? '').trim();
        if (missing.has(text)) continue;
        const parsed = parseDecimal(text);
        if (parsed === undefined)
          throw new RowError(r.line, `non-numeric value "${text}" in column "${col.name}"`);
        const v = parsed * col.scale;
        const { rangeMin, rangeMax } = col.benchmark;
        if ((rangeMin !== null && v < rangeMin - 1e-12) || (rangeMax !== null && v > rangeMax + 1e-12)) {
          throw new RowError(
            r.line,
            `value ${text} in column "${col.name}" is ${v} after scaling by ${col.scale}, outside [${rangeMin}, ${rangeMax}] of ${col.benchmark.identifier} (check the scale)`,
          );
        }
        values.push({ col, v });
      }
      seen.set(name, r.line);
      const fields: Record<string, string> = { ...(mapping.models?.defaults ?? {}) };
      const setByRule = new Set<string>();
      for (const rule of rules) {
        if (!rule.re.test(name)) continue;
        for (const [k, v] of Object.entries(rule.set)) {
          if (setByRule.has(k) || v === undefined) continue;
          fields[k] = v;
          setByRule.add(k);
        }
      }
      const m = await ctx.model({
        identifier: `${mapping.models?.prefix ?? ''}${name}`,
        displayName: name,
        ...fields,
        metadata: { [mapping.name]: { name, source: mapping.source?.title ?? mapping.description ?? null } },
      });
      for (const { col, v } of values) {
        const engineeringLike = col.benchmark.domain === 'engineering';
        await ctx.score({
          modelId: m.id,
          benchmark: col.benchmark,
          status: 'scored',
          rawValue: col.value === 'raw' ? v : null,
          ceiledValue: col.value === 'ceiled' || engineeringLike ? v : null,
        });
      }
      rows++;
    });
  }
  Object.assign(ctx.details, {
    mapping: { name: mapping.name, file: path.basename(mappingFile), source: mapping.source ?? null },
    rows,
    columns: cols.map((c) => ({
      column: c.name,
      benchmark: c.benchmark.identifier,
      scale: c.scale,
      value: c.value,
    })),
    unmappedColumns: unmapped.length,
    createdBenchmarks: created,
  });
}

export const table: Importer = {
  kind: 'table',
  version: '1.0.0',
  description: 'a wide results table (one row per model) with --mapping <file or shipped name>',
  sources: async (target, options) => {
    if (!options.mapping) throw new SourceError('the table importer needs --mapping <file or shipped name>');
    await loadMapping(options.mapping);
    return csvSources(target);
  },
  importSource: importTable,
  inputs: async (options) => {
    const file = mappingPath(options.mapping ?? '');
    return { mapping: path.basename(file), mappingSha256: await sha256File(file) };
  },
};
