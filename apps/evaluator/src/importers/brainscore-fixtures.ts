/**
 * `brainscore-fixtures`: the Django fixtures of the Brain-Score website (brain-score/brain-score.web
 * `benchmarks/fixtures/fixture-*.json`): benchmark types with parents, benchmark instances with
 * ceilings and versions, models, and scores (raw, ceiled, error). The fixture files reference each
 * other, so the folder is imported as one unit (one transaction, one run).
 *
 * The report checks, per benchmark, which closed form links score_ceiled to score_raw and the
 * instance ceiling: (raw/ceiling)^2 (Brain-Score's explained-variance normalisation before 2026),
 * raw/ceiling, raw/sqrt(ceiling) or raw itself — checked, not assumed.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { BenchmarkDefinition, Domain } from '@alignscope/benchmarks';
import type { Benchmark } from '@alignscope/db/queries';
import { normalizeBrainScoreIdentifier } from './brainscore-names.ts';
import { type FileContext, type Importer, RowError, type Source } from './common.ts';
import { SourceError } from './files.ts';
import { arrayElementLines, readJson } from './json.ts';

const FILES = {
  types: 'fixture-benchmarktypes.json',
  instances: 'fixture-benchmarkinstances.json',
  models: 'fixture-models.json',
  scores: 'fixture-scores.json',
} as const;

type Fixture = { model?: unknown; pk?: unknown; fields?: Record<string, unknown> };

async function readFixture(file: string): Promise<{ records: Fixture[]; lines: number[] }> {
  let parsed: Awaited<ReturnType<typeof readJson>>;
  try {
    parsed = await readJson(file, { allowNaN: true });
  } catch (e) {
    if (e instanceof RowError) throw new RowError(e.line, e.message, path.basename(file));
    throw e;
  }
  if (!Array.isArray(parsed.value)) {
    throw new RowError(1, 'expected a JSON array of Django fixture records', path.basename(file));
  }
  return { records: parsed.value as Fixture[], lines: arrayElementLines(parsed.text) };
}

/** A finite number, or null for NaN / absent. */
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function field<T>(
  rec: Fixture,
  key: string,
  check: (v: unknown) => v is T,
  where: { file: string; line: number },
  what: string,
): T {
  const v = rec.fields?.[key];
  if (!check(v)) {
    throw new RowError(
      where.line,
      v === undefined ? `missing required field "${key}"` : `field "${key}" must be ${what}`,
      where.file,
    );
  }
  return v;
}
const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isNumber = (v: unknown): v is number => typeof v === 'number';
const isArray = (v: unknown): v is unknown[] => Array.isArray(v) && v.length > 0;

type CeilingCheck = {
  benchmark: string;
  scores: number;
  squared: number;
  linear: number;
  sqrt: number;
  identity: number;
  none: number;
  noValue: number;
  /** The closed form every scored value satisfies, when there is one. */
  form: 'squared' | 'linear' | 'sqrt' | 'identity' | null;
};

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

function domainUnder(parent: Benchmark): Domain {
  if (parent.domain !== 'aggregate') return parent.domain;
  if (['V1', 'V2', 'V4', 'IT', 'neural_vision'].includes(parent.identifier)) return 'neural';
  if (parent.identifier === 'behavior_vision') return 'behavioral';
  if (parent.identifier === 'engineering_vision') return 'engineering';
  return 'neural';
}

async function importFixtures(ctx: FileContext): Promise<void> {
  const dir = ctx.source.path;
  const p = (f: string) => path.join(dir, f);
  const types = await readFixture(p(FILES.types));
  const instances = await readFixture(p(FILES.instances));
  const models = await readFixture(p(FILES.models));
  const scores = await readFixture(p(FILES.scores));

  // Benchmark types: AlignScope identifier and (for new ones) parent.
  const typeParent = new Map<string, string | null>();
  types.records.forEach((r, i) => {
    const where = { file: FILES.types, line: types.lines[i] ?? 1 };
    const id = field(r, 'identifier', isString, where, 'a benchmark identifier');
    const parent = r.fields?.parent;
    typeParent.set(id, typeof parent === 'string' ? parent : null);
  });

  // Instances: (source identifier, version) -> ceiling, benchmark.
  type Inst = {
    benchmark: Benchmark;
    ceiling: number | null;
    ceilingError: number | null;
    sourceVersion: number;
  };
  const inst = new Map<string, Inst>();
  const versionMap: { source: string; sourceVersion: number; benchmark: string; version: number }[] = [];
  for (let i = 0; i < instances.records.length; i++) {
    const r = instances.records[i] as Fixture;
    const where = { file: FILES.instances, line: instances.lines[i] ?? 1 };
    const type = field(r, 'benchmark_type', isString, where, 'a benchmark identifier');
    const version = field(r, 'version', isNumber, where, 'a number');
    const id = normalizeBrainScoreIdentifier(type).identifier;
    let benchmark = await ctx.benchmark(id);
    if (!benchmark) {
      const parentSource = typeParent.get(type);
      const parentId = parentSource ? normalizeBrainScoreIdentifier(parentSource).identifier : undefined;
      const parent = parentId ? await ctx.benchmark(parentId) : undefined;
      if (!parent) {
        throw new RowError(
          where.line,
          `benchmark ${type}: its parent ${parentSource ?? '(none)'} is not in the benchmark tree`,
          FILES.instances,
        );
      }
      const entry: BenchmarkDefinition = {
        identifier: id,
        parent: parent.identifier,
        domain: domainUnder(parent),
        version: 1,
        ceiling: num(r.fields?.ceiling),
        description: 'Created by a Brain-Score fixtures import.',
      };
      benchmark = (await ctx.ensureBenchmark(entry)).benchmark;
      ctx.note(where.line, `created benchmark ${id} under ${parent.identifier}`, FILES.instances);
    }
    inst.set(`${type}\u0000${version}`, {
      benchmark,
      ceiling: num(r.fields?.ceiling),
      ceilingError: num(r.fields?.ceiling_error),
      sourceVersion: version,
    });
    versionMap.push({ source: type, sourceVersion: version, benchmark: id, version: benchmark.version });
  }

  // Models.
  const modelIds = new Map<string, number>();
  for (let i = 0; i < models.records.length; i++) {
    const r = models.records[i] as Fixture;
    const where = { file: FILES.models, line: models.lines[i] ?? 1 };
    const name = field(r, 'name', isString, where, 'a model name');
    if (modelIds.has(name)) throw new RowError(where.line, `duplicate model "${name}"`, FILES.models);
    const f = r.fields ?? {};
    const reference =
      Array.isArray(f.reference) && typeof f.reference[0] === 'string' ? f.reference[0] : null;
    const m = await ctx.model({
      identifier: name,
      displayName: name,
      source: reference,
      visibility: f.public === 'False' || f.public === false ? 'private' : 'public',
      metadata: {
        brainscore: {
          reference,
          competition: f.competition ?? null,
          visualDegrees: f.visual_degrees ?? null,
          submissionId: f.submission_id ?? null,
        },
      },
    });
    modelIds.set(name, m.id);
  }

  // Scores.
  const checks = new Map<string, CeilingCheck>();
  const seen = new Map<string, number>();
  for (let i = 0; i < scores.records.length; i++) {
    const r = scores.records[i] as Fixture;
    const line = scores.lines[i] ?? 1;
    const where = { file: FILES.scores, line };
    await ctx.row(line, async () => {
      const bench = field(r, 'benchmark', isArray, where, 'a [identifier, version] pair');
      const modelRef = field(r, 'model', isArray, where, 'a [name] or [name, owner] reference');
      const type = bench[0];
      const version = bench[1];
      const name = modelRef[0];
      if (typeof type !== 'string' || typeof version !== 'number') {
        throw new RowError(line, 'field "benchmark" must be a [identifier, version] pair', FILES.scores);
      }
      if (typeof name !== 'string')
        throw new RowError(line, 'field "model" must start with a model name', FILES.scores);
      const instance = inst.get(`${type}\u0000${version}`);
      if (!instance) {
        throw new RowError(
          line,
          `benchmark ${type} version ${version} is not in ${FILES.instances}`,
          FILES.scores,
        );
      }
      const modelId = modelIds.get(name);
      if (modelId === undefined)
        throw new RowError(line, `model "${name}" is not in ${FILES.models}`, FILES.scores);
      const key = `${name}\u0000${type}`;
      const first = seen.get(key);
      if (first !== undefined) {
        throw new RowError(
          line,
          `duplicate score of ${name} on ${type} (first at line ${first})`,
          FILES.scores,
        );
      }
      for (const k of ['score_raw', 'score_ceiled'] as const) {
        if (!(k in (r.fields ?? {}))) throw new RowError(line, `missing required field "${k}"`, FILES.scores);
        const v = r.fields?.[k];
        if (v !== null && typeof v !== 'number')
          throw new RowError(line, `field "${k}" must be a number`, FILES.scores);
      }
      seen.set(key, line);
      const raw = num(r.fields?.score_raw);
      const ceiled = num(r.fields?.score_ceiled);
      const error = num(r.fields?.error);
      const id = instance.benchmark.identifier;
      const c =
        checks.get(id) ??
        ({
          benchmark: id,
          scores: 0,
          squared: 0,
          linear: 0,
          sqrt: 0,
          identity: 0,
          none: 0,
          noValue: 0,
          form: null,
        } as CeilingCheck);
      checks.set(id, c);
      c.scores++;
      if (raw === null || ceiled === null || instance.ceiling === null) c.noValue++;
      else {
        const q = raw / instance.ceiling;
        if (close(ceiled, q * q)) c.squared++;
        else if (close(ceiled, q)) c.linear++;
        else if (close(ceiled, raw / Math.sqrt(instance.ceiling))) c.sqrt++;
        else if (close(ceiled, raw)) c.identity++;
        else c.none++;
      }
      await ctx.score(
        raw === null && ceiled === null
          ? {
              modelId,
              benchmark: instance.benchmark,
              status: 'failed',
              ceiling: instance.ceiling,
              sourceBenchmarkVersion: String(instance.sourceVersion),
            }
          : {
              modelId,
              benchmark: instance.benchmark,
              status: 'scored',
              rawValue: raw,
              ceiledValue: ceiled,
              error,
              ceiling: instance.ceiling,
              // The benchmark version the fixture names (its instance's version), kept with the value.
              sourceBenchmarkVersion: String(instance.sourceVersion),
            },
      );
    });
  }
  const ceilingChecks = [...checks.values()].map((c) => {
    const valued = c.scores - c.noValue;
    const form =
      valued === 0
        ? null
        : ((['squared', 'linear', 'sqrt', 'identity'] as const).find((k) => c[k] === valued) ?? null);
    return { ...c, form };
  });
  const formText = {
    squared: 'ceiled = (raw/ceiling)^2',
    linear: 'ceiled = raw/ceiling',
    sqrt: 'ceiled = raw/sqrt(ceiling)',
    identity: 'ceiled = raw',
  } as const;
  for (const c of ceilingChecks) {
    const valued = c.scores - c.noValue;
    if (valued === 0) continue;
    ctx.note(
      null,
      c.form
        ? `${c.benchmark}: ${formText[c.form]} for all ${valued} scores with values (checked to 1e-9)`
        : `${c.benchmark}: ${c.none} of ${valued} ceiled scores match none of (raw/ceiling)^2, raw/ceiling, raw/sqrt(ceiling), raw (to 1e-9)`,
      FILES.scores,
    );
  }
  Object.assign(ctx.details, {
    files: Object.values(FILES),
    models: models.records.length,
    scoreRecords: scores.records.length,
    versions: versionMap,
    ceilingChecks,
  });
}

/** The fixture folder of `target` (the folder itself, or the folder of one of its files). */
async function fixtureSources(target: string): Promise<Source[]> {
  let dir = target;
  if (target.endsWith('.json')) dir = path.dirname(target);
  const files = Object.values(FILES).map((f) => path.join(dir, f));
  for (const f of files) {
    try {
      await access(f);
    } catch {
      throw new SourceError(
        `${dir} is not a Brain-Score fixtures folder: ${path.basename(f)} is missing (needs ${Object.values(FILES).join(', ')})`,
      );
    }
  }
  return [{ path: dir, files }];
}

export const brainscoreFixtures: Importer = {
  kind: 'brainscore-fixtures',
  version: '1.0.0',
  description: 'Brain-Score website Django fixtures (a folder with fixture-*.json)',
  sources: fixtureSources,
  importSource: importFixtures,
};
