import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'neural', testTimeout: 60_000 },
});
