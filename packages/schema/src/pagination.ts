/** Relay pagination helpers: page-size caps and opaque cursors (base64url JSON, checked on decode). */
import { z } from 'zod';
import { badInput } from './errors.ts';
import { MAX_PAGE } from './limits.ts';

/** Validates `first` (0..100). */
export function pageSize(first: number | null | undefined, fallback: number): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 0 || n > MAX_PAGE) {
    throw badInput(`first must be an integer from 0 to ${MAX_PAGE} (got ${n})`, 'first');
  }
  return n;
}

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Decodes a cursor of the given shape, or throws BAD_USER_INPUT. */
export function decodeCursor<T>(cursor: string | null | undefined, shape: z.ZodType<T>): T | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  if (cursor.length > 1000) throw badInput('invalid cursor', 'after');
  try {
    const parsed = shape.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  throw badInput('invalid cursor (use an endCursor or cursor returned by this connection)', 'after');
}

export const modelCursor = z.union([
  z.object({ o: z.enum(['identifier_asc', 'identifier_desc']), k: z.string().max(200) }),
  z.object({ o: z.literal('created_desc'), t: z.iso.datetime(), i: z.number().int() }),
]);
export const scoreCursor = z.object({ b: z.number().int(), k: z.string().max(200) });
export const leaderboardCursor = z.object({
  r: z.string().max(200),
  m: z.enum(['zero', 'skip']),
  n: z.number().int().min(0),
});
