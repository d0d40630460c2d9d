export {
  connect,
  createDb,
  type Database,
  DatabaseUnavailableError,
  type DbHandle,
  ignoreClientErrors,
  redactUrl,
} from './client.ts';
export { findRunningServer, freePort, startEmbeddedPostgres, startEphemeralPostgres } from './embedded.ts';
export { migrate, migrationsFolder } from './migrate.ts';
export { setupDatabase } from './setup.ts';
