import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

export default defineProject({
  // One graphql instance: Node loads graphql's CommonJS entry for Apollo and @graphql-tools, so sources
  // must not get the ESM build (graphql 16 has no exports map; "Cannot use GraphQLObjectType from another realm").
  // The web app's server modules (apps/web/src) are imported by the board consistency test; their
  // `server-only` marker is a no-op here.
  resolve: {
    alias: [
      { find: /^graphql$/, replacement: 'graphql/index.js' },
      {
        find: /^server-only$/,
        replacement: fileURLToPath(new URL('./support/server-only.ts', import.meta.url)),
      },
    ],
  },
  test: {
    name: 'integration',
    include: ['integration/**/*.test.ts', 'e2e/**/*.test.ts'],
    globalSetup: ['../packages/db/src/global-setup.ts', './e2e/run-id.ts'],
    testTimeout: 180_000,
    // A browser-test file's beforeAll may wait for the run's one web build (up to 600 s on a loaded machine).
    hookTimeout: 720_000,
  },
});
