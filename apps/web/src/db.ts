import 'server-only';
import { createDb, type DbHandle } from '@alignscope/db';

let handle: Promise<DbHandle> | undefined;

/**
 * The web app's database: DATABASE_URL (set by `alignscope start` to its embedded server, or by the
 * operator). The web app never starts a database of its own.
 */
export function getDb(): Promise<DbHandle> {
  handle ??= createDb({ startEmbedded: false }).catch((e: unknown) => {
    handle = undefined;
    throw e;
  });
  return handle;
}
