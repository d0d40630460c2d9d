import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root (this file lives in packages/config/src). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Raised for configuration that cannot work; the CLI prints its message as one line. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const schema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .min(1)
    .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL')
    .optional(),
  ALIGNSCOPE_HOME: z.string().trim().min(1).optional(),
  ALIGNSCOPE_DATA_DIR: z.string().trim().min(1).optional(),
  PORT: z.coerce.number().int().min(1).max(65535).optional(),
  ALIGNSCOPE_EXECUTION_PROVIDER: z.enum(['cpu', 'cuda', 'webgpu']).optional(),
  ALIGNSCOPE_QUOTA_JOBS_PER_DAY: z.coerce.number().int().min(0).optional(),
  ALIGNSCOPE_QUOTA_COMPUTE_SECONDS: z.coerce.number().min(0).optional(),
  ALIGNSCOPE_RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(0).optional(),
  ALIGNSCOPE_RATE_LIMIT_PER_KEY: z.coerce.number().int().min(0).optional(),
  ALIGNSCOPE_BOARD_WORKERS: z.enum(['0', '1']).optional(),
});

/** Per-key limits on evaluation requests through the API (admin keys are exempt). */
export type Quotas = {
  /** Jobs (benchmarks of evaluation requests) a key may request per 24 hours. */
  jobsPerDay: number;
  /** Compute seconds a key's jobs may use per 24 hours. */
  computeSecondsPerDay: number;
};

/** Requests per minute to the GraphQL endpoint; 0 turns a limit off. */
export type RateLimits = { perAddress: number; perKey: number };

export const defaultQuotas: Quotas = { jobsPerDay: 500, computeSecondsPerDay: 24 * 3600 };
export const defaultRateLimits: RateLimits = { perAddress: 600, perKey: 1200 };

export type Config = {
  /** An existing Postgres; when absent an embedded one is used. */
  databaseUrl: string | undefined;
  /** Where the embedded database and the model store live. */
  home: string;
  /** The public data bundle (read-only). */
  dataDir: string;
  /** Port of the web app. */
  port: number;
  /** onnxruntime execution provider. */
  executionProvider: 'cpu' | 'cuda' | 'webgpu';
  /** ALIGNSCOPE_QUOTA_JOBS_PER_DAY, ALIGNSCOPE_QUOTA_COMPUTE_SECONDS (per 24 hours). */
  quotas: Quotas;
  /** ALIGNSCOPE_RATE_LIMIT_PER_ADDRESS, ALIGNSCOPE_RATE_LIMIT_PER_KEY (requests per minute). */
  rateLimits: RateLimits;
  /**
   * Whether the web app and `alignscope api` build the board and its correlation tables in worker
   * threads (default) or on the thread that answers requests (`ALIGNSCOPE_BOARD_WORKERS=0`, the
   * benchmarks' baseline).
   */
  boardWorkers: boolean;
};

/**
 * Reads and validates the configuration. This is the only place that reads these environment
 * variables.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([k, v]) => k in schema.shape && v !== '')),
  );
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid configuration: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const e = parsed.data;
  const defaultData = path.resolve(/*turbopackIgnore: true*/ repoRoot, '../shared/data');
  return {
    databaseUrl: e.DATABASE_URL,
    home: path.resolve(/*turbopackIgnore: true*/ e.ALIGNSCOPE_HOME ?? path.join(repoRoot, '.alignscope')),
    dataDir: path.resolve(/*turbopackIgnore: true*/ e.ALIGNSCOPE_DATA_DIR ?? defaultData),
    port: e.PORT ?? 3000,
    executionProvider: e.ALIGNSCOPE_EXECUTION_PROVIDER ?? 'cpu',
    quotas: {
      jobsPerDay: e.ALIGNSCOPE_QUOTA_JOBS_PER_DAY ?? defaultQuotas.jobsPerDay,
      computeSecondsPerDay: e.ALIGNSCOPE_QUOTA_COMPUTE_SECONDS ?? defaultQuotas.computeSecondsPerDay,
    },
    rateLimits: {
      perAddress: e.ALIGNSCOPE_RATE_LIMIT_PER_ADDRESS ?? defaultRateLimits.perAddress,
      perKey: e.ALIGNSCOPE_RATE_LIMIT_PER_KEY ?? defaultRateLimits.perKey,
    },
    boardWorkers: e.ALIGNSCOPE_BOARD_WORKERS !== '0',
  };
}

/** The data bundle directory, checked to exist; a clear error otherwise. */
export function requireDataDir(config: Config = loadConfig()): string {
  if (!existsSync(/*turbopackIgnore: true*/ config.dataDir)) {
    throw new ConfigError(
      `data directory not found: ${config.dataDir} (set ALIGNSCOPE_DATA_DIR to the AlignScope data bundle)`,
    );
  }
  return config.dataDir;
}
