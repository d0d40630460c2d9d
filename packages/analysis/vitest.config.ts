import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'analysis', testTimeout: 60_000 },
});
