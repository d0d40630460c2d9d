import { defineProject } from 'vitest/config';

export default defineProject({
  // One graphql instance when a test starts the API (study-cancel.test.ts): Node loads graphql's
  // CommonJS entry for Apollo, so sources must not get its ESM build (test/vitest.config.ts does the same).
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    name: 'evaluator',
    globalSetup: ['../../packages/db/src/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
