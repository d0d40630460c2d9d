import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'evaluator',
    globalSetup: ['../../packages/db/src/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
