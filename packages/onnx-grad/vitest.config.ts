import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'onnx-grad', testTimeout: 60_000 },
});
