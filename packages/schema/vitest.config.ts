import { defineProject } from 'vitest/config';

export default defineProject({
  // One graphql instance: Node loads graphql's CommonJS entry for Apollo and @graphql-tools, so sources
  // must not get the ESM build (graphql 16 has no exports map; "Cannot use GraphQLObjectType from another realm").
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    name: 'schema',
    globalSetup: ['../db/src/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
