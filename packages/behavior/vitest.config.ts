import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'behavior', testTimeout: 60_000 },
});
