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
  ALIGNSCOPE_BOARD_WORKERS: z.enum(['0', '1']).optional(),
});

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
