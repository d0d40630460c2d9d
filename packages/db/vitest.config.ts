import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'db', globalSetup: ['./src/global-setup.ts'], testTimeout: 60_000, hookTimeout: 120_000 },
});
