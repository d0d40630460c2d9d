import type { TestProject } from 'vitest/node';
import { startEphemeralPostgres } from './embedded.ts';

/**
 * Vitest global setup: the server that test databases are created on. DATABASE_URL when set (CI uses
 * the machine's PostgreSQL), otherwise a throw-away embedded PostgreSQL for this run.
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    project.provide('testServerUrl', url);
    return;
  }
  const server = await startEphemeralPostgres();
  project.provide('testServerUrl', server.url);
  return async () => server.stop();
}
