/**
 * Model identity across sources: the shipped, reviewed map of which names of the public sources
 * (Brain-Score, RobustBench, Gavrikov & Keuper, model-vs-human) denote the same network, how it is
 * applied (separate models are merged, other names become aliases, each with its evidence), and the
 * suggestions for further links (`alignscope models link --suggest`), which are applied only when a
 * person confirms one with `alignscope models alias`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '@alignscope/db';
import {
  addModelAlias,
  boardData,
  getModel,
  listModels,
  type MergeResult,
  mergeModels,
  resolveModel,
} from '@alignscope/db/queries';
import { z } from 'zod';
import { MAPPINGS_DIR } from '../importers/table.ts';

const sourceName = z.enum(['brainscore', 'robustbench', 'gavrikov2024', 'model-vs-human']);

export const identityMapSchema = z
  .object({
    name: z.string().min(1),
    version: z.number().int().positive(),
    description: z.string(),
    sources: z.record(sourceName, z.string()),
    links: z.array(
      z
        .object({
          network: z.string().min(1),
          canonical: z.string().min(1),
          names: z.array(z.object({ name: z.string().min(1), source: sourceName }).strict()).min(2),
          evidence: z.array(z.string().min(1)).min(1),
        })
        .strict()
        .refine((l) => l.names.some((n) => n.name === l.canonical), {
          message: 'the canonical name must be one of the names',
        }),
    ),
    distinct: z.array(
      z.object({ names: z.array(z.string().min(1)).length(2), evidence: z.string().min(1) }).strict(),
    ),
  })
  .strict();

export type IdentityMap = z.infer<typeof identityMapSchema>;
export type IdentityLink = IdentityMap['links'][number];

export const IDENTITY_MAP_FILE = path.join(MAPPINGS_DIR, 'model-identity.json');

/** The shipped map (or another file), validated; a name in two links is an error. */
export function loadIdentityMap(file = IDENTITY_MAP_FILE): IdentityMap {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  const parsed = identityMapSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`${file}: ${i?.path.join('.') || '(root)'}: ${i?.message}`);
  }
  const seen = new Map<string, string>();
  for (const l of parsed.data.links) {
    for (const n of l.names) {
      const prev = seen.get(n.name);
      if (prev !== undefined) throw new Error(`${file}: ${n.name} is in two links (${prev}; ${l.network})`);
      seen.set(n.name, l.network);
    }
  }
  return parsed.data;
}

export type LinkOutcome = {
  network: string;
  /** The model the names now resolve to, or null when none of them is in the database yet. */
  model: string | null;
  merged: MergeResult[];
  aliased: string[];
  unchanged: string[];
  /** Names that already name another model through an alias (left alone). */
  conflicts: string[];
};

/**
 * Applies the map: for each link, the model of the canonical name (or, when that is absent, of the
 * first name present) absorbs every other name that is a separate model, and the remaining names
 * become its aliases. Idempotent: a second application changes nothing.
 */
export async function applyIdentityMap(db: Database, map: IdentityMap): Promise<LinkOutcome[]> {
  const out: LinkOutcome[] = [];
  for (const link of map.links) {
    const names = [link.canonical, ...link.names.map((n) => n.name).filter((n) => n !== link.canonical)];
    let target = null;
    for (const n of names) {
      target = await resolveModel(db, n);
      if (target) break;
    }
    const r: LinkOutcome = {
      network: link.network,
      model: target?.identifier ?? null,
      merged: [],
      aliased: [],
      unchanged: [],
      conflicts: [],
    };
    out.push(r);
    if (!target) continue;
    const evidence = { map: `${map.name} v${map.version}`, network: link.network, evidence: link.evidence };
    for (const n of names) {
      if (n === target.identifier) continue;
      const direct = await getModel(db, n);
      if (direct) {
        r.merged.push(
          await mergeModels(db, { into: target.identifier, from: n, source: map.name, evidence }),
        );
        continue;
      }
      const via = await resolveModel(db, n);
      if (via && via.id === target.id) r.unchanged.push(n);
      else if (via) r.conflicts.push(n);
      else {
        await addModelAlias(db, { model: target.identifier, alias: n, source: map.name, evidence });
        r.aliased.push(n);
      }
    }
  }
  return out;
}

export type LinkSuggestion = {
  a: string;
  b: string;
  /** Why the two may be one network; a person decides. */
  evidence: string[];
  /** Benchmarks on which both have exactly the same value (to 1e-9): the strongest evidence. */
  identicalValues: string[];
  top1: [number, number];
};

const sourcesOf = (metadata: unknown): string[] =>
  Object.keys((metadata ?? {}) as Record<string, unknown>).sort();

const norm = (s: string | null) => (s ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Pairs of models from different sources that may be one network: the same ImageNet top-1 within
 * `maxTop1Gap` (absolute, on the 0..1 scale) and a second sign (identical values on another shared
 * benchmark, the same stated architecture, or the same reference), no contradicting architecture or
 * training regime, not already one model and not declared distinct in the map. Names are never
 * compared. Each comes with its evidence; identical values rank first. Nothing is applied.
 */
export async function suggestLinks(
  db: Database,
  map: IdentityMap,
  opts: { maxTop1Gap?: number } = {},
): Promise<LinkSuggestion[]> {
  const gap = opts.maxTop1Gap ?? 0.005;
  const data = await boardData(db);
  const { models } = data;
  const all = await listModels(db);
  const meta = new Map(all.map((m) => [m.id, sourcesOf(m.metadata)]));
  const reference = new Map(all.map((m) => [m.id, m.source ? norm(m.source) : null]));
  const benchId = new Map(data.benchmarks.map((b) => [b.id, b.identifier]));
  const values = new Map<number, Map<string, number>>();
  for (const s of data.scores) {
    const v = s.rawValue ?? s.ceiledValue;
    if (v === null) continue;
    const m = values.get(s.modelId) ?? new Map<string, number>();
    m.set(benchId.get(s.benchmarkId) ?? String(s.benchmarkId), v);
    values.set(s.modelId, m);
  }
  const distinct = new Set(map.distinct.map((d) => [...d.names].sort().join('\u0000')));
  const withTop1 = models.filter((m) => values.get(m.id)?.has('ImageNet-top1'));
  const out: LinkSuggestion[] = [];
  for (let i = 0; i < withTop1.length; i++) {
    for (let j = i + 1; j < withTop1.length; j++) {
      const a = withTop1[i];
      const b = withTop1[j];
      if (!a || !b) continue;
      const sa = meta.get(a.id) ?? [];
      const sb = meta.get(b.id) ?? [];
      if (sa.some((s) => sb.includes(s))) continue; // same source: its own names are distinct
      if (distinct.has([a.identifier, b.identifier].sort().join('\u0000'))) continue;
      const va = values.get(a.id) as Map<string, number>;
      const vb = values.get(b.id) as Map<string, number>;
      const ta = va.get('ImageNet-top1') as number;
      const tb = vb.get('ImageNet-top1') as number;
      if (Math.abs(ta - tb) > gap) continue;
      const sameArch = !!a.architecture && !!b.architecture && norm(a.architecture) === norm(b.architecture);
      if (a.architecture && b.architecture && !sameArch) continue;
      if (a.trainingRegime && b.trainingRegime && a.trainingRegime !== b.trainingRegime) continue;
      const identical = [...va.keys()].filter(
        (k) =>
          k !== 'ImageNet-top1' &&
          vb.has(k) &&
          Math.abs((va.get(k) as number) - (vb.get(k) as number)) <= 1e-9,
      );
      const ra = reference.get(a.id);
      const sameReference = !!ra && ra === reference.get(b.id);
      // ImageNet top-1 agreement alone is a coincidence among hundreds of models: a suggestion needs
      // a second, independent sign (identical values elsewhere, the same architecture, the same paper).
      if (identical.length === 0 && !sameArch && !sameReference) continue;
      const evidence = [
        `ImageNet top-1 ${(ta * 100).toFixed(2)} % (${sa.join(', ') || 'no source'}) vs ${(tb * 100).toFixed(2)} % (${sb.join(', ') || 'no source'})`,
        `architecture ${a.architecture ?? 'unknown'} / ${b.architecture ?? 'unknown'}; training ${a.trainingRegime ?? 'unknown'} / ${b.trainingRegime ?? 'unknown'}`,
      ];
      if (sameReference) evidence.push(`the same reference: ${ra}`);
      if (identical.length > 0) evidence.push(`identical values on ${identical.join(', ')}`);
      out.push({ a: a.identifier, b: b.identifier, evidence, identicalValues: identical, top1: [ta, tb] });
    }
  }
  return out.sort(
    (x, y) =>
      y.identicalValues.length - x.identicalValues.length ||
      Math.abs(x.top1[0] - x.top1[1]) - Math.abs(y.top1[0] - y.top1[1]) ||
      x.a.localeCompare(y.a),
  );
}
