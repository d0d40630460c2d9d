import { randomUUID } from 'node:crypto';
import type { TestProject } from 'vitest/node';

/**
 * Vitest global setup: one id per test run, so that every browser-test file of the run shares one
 * production build of the web app (see `sharedWebBuild` in server.ts) instead of each building its own.
 */
export default function setup(project: TestProject) {
  project.provide('e2eRunId', randomUUID());
}
