import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'attacks', testTimeout: 60_000 },
});
