import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'integration',
    include: ['integration/**/*.test.ts', 'e2e/**/*.test.ts'],
    globalSetup: ['../packages/db/src/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
