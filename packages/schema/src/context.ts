/** The per-request context: the database, one DataLoader set, the shared board and the caller's key. */
import type { Board, BoardCache, Catalog } from '@alignscope/board';
import type { Quotas } from '@alignscope/config';
import type { Database } from '@alignscope/db';
import {
  type ApiKey,
  getApiKeyNamesByIds,
  getModelsByIds,
  getPublicModelsByIdentifiers,
  getRunsByIds,
  getScoresForModels,
  type Model,
  type Run,
  type Score,
  type ScoreSource,
  verifyApiKey,
} from '@alignscope/db/queries';
import DataLoader from 'dataloader';

export type Loaders = {
  /** Any model by id (private ones too: scores and runs only point at models a caller reached). */
  modelById: DataLoader<number, Model | null>;
  /** Public models by identifier. */
  modelByIdentifier: DataLoader<string, Model | null>;
  /** Current-version scores of a model, in catalog order. */
  scoresByModelId: DataLoader<number, Score[]>;
  runById: DataLoader<number, Run | null>;
  /** API key names by id (a model's submittedBy). */
  keyNameById: DataLoader<number, string | null>;
};

export type Auth = { ok: true; key: ApiKey } | { ok: false; reason: 'missing' | 'invalid' };

export type Context = {
  db: Database;
  loaders: Loaders;
  /** The board (leaderboard, correlations, scatter), once per request at most. */
  board(): Promise<Board>;
  /**
   * The board as of a time and/or under another source order (the current board when both are null
   * or undefined).
   */
  boardAt(asOf: Date | null | undefined, sourceOrder?: readonly ScoreSource[]): Promise<Board>;
  /** The benchmark catalog, once per request at most. */
  catalog(): Promise<Catalog>;
  /** The caller's API key from `Authorization: Bearer <key>`, verified once per request. */
  auth(): Promise<Auth>;
  /** Drops the shared caches after a write. */
  invalidate(): void;
  /** Per-key evaluation quotas (admin keys are exempt). */
  quotas: Quotas;
  /**
   * `version` is set by the board response cache (response-cache.ts) when this request's response
   * holds for any caller until the board's data version changes: that version (the HTTP layer keeps
   * its bytes). An object, so that it is shared with the shallow copy Apollo makes of the context.
   */
  reusable: { version?: string };
};

function byKey<K, V>(keys: readonly K[], rows: V[], keyOf: (v: V) => K): (V | null)[] {
  const map = new Map(rows.map((r) => [keyOf(r), r]));
  return keys.map((k) => map.get(k) ?? null);
}

export function createLoaders(db: Database): Loaders {
  return {
    modelById: new DataLoader(async (ids) => byKey(ids, await getModelsByIds(db, ids), (m) => m.id)),
    modelByIdentifier: new DataLoader(async (ids) =>
      byKey(ids, await getPublicModelsByIdentifiers(db, ids), (m) => m.identifier),
    ),
    scoresByModelId: new DataLoader(async (ids) => {
      const rows = await getScoresForModels(db, ids);
      const map = new Map<number, Score[]>(ids.map((id) => [id, []]));
      for (const r of rows) map.get(r.modelId)?.push(r);
      return ids.map((id) => map.get(id) ?? []);
    }),
    runById: new DataLoader(async (ids) => byKey(ids, await getRunsByIds(db, ids), (r) => r.id)),
    keyNameById: new DataLoader(async (ids) =>
      byKey(ids, await getApiKeyNamesByIds(db, ids), (k) => k.id).map((k) => k?.name ?? null),
    ),
  };
}

/** The bearer token of an Authorization header, or undefined. */
export function bearerToken(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => {
    p ??= fn();
    return p;
  };
}

export function createContext(
  db: Database,
  cache: BoardCache,
  request: { authorization?: string | null },
  quotas: Quotas,
): Context {
  return {
    db,
    quotas,
    loaders: createLoaders(db),
    board: once(() => cache.get()),
    boardAt(asOf, sourceOrder) {
      return asOf || sourceOrder ? cache.at(asOf ?? undefined, sourceOrder) : this.board();
    },
    catalog: once(() => cache.catalog()),
    auth: once(async (): Promise<Auth> => {
      const token = bearerToken(request.authorization);
      if (!token) return { ok: false, reason: 'missing' };
      const key = await verifyApiKey(db, token);
      return key ? { ok: true, key } : { ok: false, reason: 'invalid' };
    }),
    invalidate: () => cache.invalidate(),
    reusable: {},
  };
}
