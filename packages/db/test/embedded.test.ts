import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@alignscope/config';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, DatabaseUnavailableError } from '../src/client.ts';
import { findRunningServer, SERVER_FILE, startEmbeddedPostgres } from '../src/embedded.ts';

// The embedded PostgreSQL itself, whatever DATABASE_URL says: it is what `npm start` uses on a
// machine with no configuration. As root the server runs as the `postgres` user.
describe('embedded PostgreSQL', () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'alignscope-home-'));
  chmodSync(home, 0o755);
  const dataDir = path.join(home, 'pgdata');
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  async function query(url: string, text: string) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return await c.query(text);
    } finally {
      await c.end();
    }
  }

  it('keeps its data across a stop and a restart, and is found by other processes while it runs', async () => {
    const first = await startEmbeddedPostgres({ dataDir, persistent: true, home });
    expect(existsSync(path.join(home, SERVER_FILE))).toBe(true);
    await query(first.url, "create table kept (v text); insert into kept values ('across restarts')");
    expect(await findRunningServer(home)).toBe(first.url);

    const config = loadConfig({ ALIGNSCOPE_HOME: home });
    const shared = await createDb({ config });
    expect(shared.source).toBe('embedded (shared)');
    expect((await shared.pool.query('select v from kept')).rows).toEqual([{ v: 'across restarts' }]);
    await shared.close(); // closes only its pool: the server belongs to `first`
    expect(await findRunningServer(home)).toBe(first.url);

    await first.stop();
    expect(existsSync(path.join(home, SERVER_FILE))).toBe(false);
    expect(await findRunningServer(home)).toBeUndefined();
    await expect(createDb({ config, startEmbedded: false })).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await expect(createDb({ config, startEmbedded: false })).rejects.toThrow(
      `no database: DATABASE_URL is not set and no embedded database is running in ${home}`,
    );

    const second = await startEmbeddedPostgres({ dataDir, persistent: true, home });
    try {
      expect((await query(second.url, 'select v from kept')).rows).toEqual([{ v: 'across restarts' }]);
    } finally {
      await second.stop();
    }
  });

  it('reports an unreachable DATABASE_URL as one line naming it, without the password', async () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://someone:secret@127.0.0.1:1/nowhere' });
    const err = await createDb({ config }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseUnavailableError);
    const message = (err as Error).message;
    expect(message).toMatch(
      /^cannot reach the database at postgres:\/\/someone:\*\*\*@127\.0\.0\.1:1\/nowhere \(ECONNREFUSED/,
    );
    expect(message).not.toContain('secret');
    expect(message).not.toContain('\n');
  });
});
