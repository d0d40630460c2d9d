import { defineProject } from 'vitest/config';

// Unit tests of the dashboard's pure modules; the browser tests are in test/e2e (project `integration`).
export default defineProject({
  test: { name: 'web', include: ['src/**/*.test.ts'] },
});
