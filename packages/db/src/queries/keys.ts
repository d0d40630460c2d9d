import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { apiKeys } from '../tables/index.ts';

export type ApiKey = Omit<typeof apiKeys.$inferSelect, 'keyHash'>;

const KEY_PREFIX = 'as_';

/** SHA-256 of the key. Keys are 192-bit random strings, so a fast hash is enough (no dictionary to guess from). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

const publicFields = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  isAdmin: apiKeys.isAdmin,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

/** Creates a key; the returned `key` is the only time the secret exists outside its holder. */
export async function createApiKey(
  db: Database,
  params: { name: string; isAdmin?: boolean },
): Promise<{ key: string; apiKey: ApiKey }> {
  const name = params.name.trim();
  if (name.length === 0 || name.length > 100) throw new Error('key name must be 1-100 characters');
  const key = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
  const [row] = await db
    .insert(apiKeys)
    .values({ name, prefix: key.slice(0, 8), keyHash: hashApiKey(key), isAdmin: params.isAdmin ?? false })
    .returning(publicFields);
  if (!row) throw new Error('key was not created');
  return { key, apiKey: row };
}

export async function listApiKeys(db: Database): Promise<ApiKey[]> {
  return db.select(publicFields).from(apiKeys).orderBy(asc(apiKeys.id));
}

/** The active (not revoked) key matching `key`, or undefined. Records its last use. */
export async function verifyApiKey(db: Database, key: string): Promise<ApiKey | undefined> {
  if (!key.startsWith(KEY_PREFIX) || key.length > 200) return undefined;
  const hash = hashApiKey(key);
  const [row] = await db
    .select({ ...publicFields, keyHash: apiKeys.keyHash })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row || !timingSafeEqual(Buffer.from(row.keyHash), Buffer.from(hash))) return undefined;
  await db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, row.id));
  const { keyHash: _omit, ...pub } = row;
  return pub;
}

export async function revokeApiKey(db: Database, id: number): Promise<boolean> {
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}
