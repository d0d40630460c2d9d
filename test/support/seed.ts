/**
 * Seed builders for API tests and the API benchmark: deterministic synthetic models and scores
 * written through the queries layer. Values are uniform in each benchmark's range (ceiled benchmarks
 * get a ceiled value in [0, 1] and a raw value); some scores are left missing, failed or not run.
 */
import type { Database } from '@alignscope/db';
import {
  type Benchmark,
  ensureBenchmark,
  insertModelsBulk,
  listBenchmarks,
  upsertScoresBulk,
} from '@alignscope/db/queries';

/** mulberry32: a small deterministic PRNG (uniform in [0, 1)). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const FAMILIES = ['ResNet', 'ViT', 'ConvNeXt', 'EfficientNet'] as const;
export const REGIMES = ['standard', 'adversarial', 'self-supervised', 'shape-biased'] as const;

export type SeedOptions = {
  /** Number of models (identifiers `${prefix}-0000`...). */
  models: number;
  prefix?: string;
  seed?: number;
  /** Share of (model, leaf) pairs with no score at all. */
  missingRate?: number;
  /** Share of pairs with status failed (the rest of the non-missing are scored). */
  failedRate?: number;
  /** Share of pairs with status not-run. */
  notRunRate?: number;
  /** Leaf benchmarks to score (default: every leaf of the catalog). */
  leaves?: string[];
};

export type Seeded = { models: { id: number; identifier: string }[]; leaves: Benchmark[] };

/** Leaf benchmarks of the catalog (nodes without children that are not aggregates). */
export async function leafBenchmarks(db: Database): Promise<Benchmark[]> {
  const all = await listBenchmarks(db);
  const parents = new Set(all.map((b) => b.parentId).filter((id) => id !== null));
  return all.filter((b) => b.domain !== 'aggregate' && !parents.has(b.id));
}

/** Adds `n` synthetic leaf benchmarks spread over the given parents (for a wide benchmark matrix). */
export async function addSyntheticBenchmarks(
  db: Database,
  n: number,
  parents: { identifier: string; domain: 'neural' | 'behavioral' | 'engineering' }[],
): Promise<void> {
  for (let i = 0; i < n; i++) {
    const p = parents[i % parents.length];
    if (!p) throw new Error('no parents given');
    await ensureBenchmark(db, {
      identifier: `Synthetic${String(i).padStart(3, '0')}.${p.identifier}`,
      parent: p.identifier,
      domain: p.domain,
      version: 1,
      metric: 'synthetic',
      ceiling: null,
      rangeMin: 0,
      rangeMax: 1,
    });
  }
}

export async function seedResults(db: Database, o: SeedOptions): Promise<Seeded> {
  const random = rng(o.seed ?? 1);
  const prefix = o.prefix ?? 'model';
  const allLeaves = await leafBenchmarks(db);
  const leaves = o.leaves ? allLeaves.filter((b) => o.leaves?.includes(b.identifier)) : allLeaves;
  const rows = Array.from({ length: o.models }, (_, i) => ({
    identifier: `${prefix}-${String(i).padStart(4, '0')}`,
    displayName: `${prefix} ${i}`,
    family: FAMILIES[i % FAMILIES.length] ?? null,
    trainingRegime: REGIMES[Math.floor(i / FAMILIES.length) % REGIMES.length] ?? null,
    architecture: `arch-${i % 7}`,
    parameters: 1_000_000 * (i + 1),
  }));
  const ids = await insertModelsBulk(db, rows);
  const models = rows.map((r) => ({ id: ids.get(r.identifier) as number, identifier: r.identifier }));
  const scores: Parameters<typeof upsertScoresBulk>[1] = [];
  const missing = o.missingRate ?? 0;
  const failed = o.failedRate ?? 0;
  const notRun = o.notRunRate ?? 0;
  for (const m of models) {
    for (const b of leaves) {
      const u = random();
      if (u < missing) continue;
      const base = { modelId: m.id, benchmarkId: b.id, benchmarkVersion: b.version };
      if (u < missing + failed) {
        scores.push({ ...base, status: 'failed' });
        continue;
      }
      if (u < missing + failed + notRun) {
        scores.push({ ...base, status: 'not-run' });
        continue;
      }
      const lo = b.rangeMin ?? 0;
      const hi = b.rangeMax ?? 1;
      const raw = lo + (hi - lo) * random();
      if (b.ceiling !== null && b.domain !== 'engineering') {
        scores.push({ ...base, status: 'scored', rawValue: raw, ceiledValue: random(), ceiling: b.ceiling });
      } else {
        scores.push({ ...base, status: 'scored', rawValue: raw, ceiling: b.ceiling });
      }
    }
  }
  await upsertScoresBulk(db, scores);
  return { models, leaves };
}
