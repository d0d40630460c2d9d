import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, repoRoot, requireDataDir } from '../src/config.ts';

describe('loadConfig', () => {
  it('rejects configuration that cannot work, as one line naming the variable', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/^invalid configuration: PORT: /);
    expect(() => loadConfig({ ALIGNSCOPE_EXECUTION_PROVIDER: 'tpu' })).toThrow(ConfigError);
    // The variable, then zod's enum message listing the allowed providers.
    expect(() => loadConfig({ ALIGNSCOPE_EXECUTION_PROVIDER: 'tpu' })).toThrow(
      /^invalid configuration: ALIGNSCOPE_EXECUTION_PROVIDER: .*"cpu"\|"cuda"\|"webgpu"/,
    );
  });

  it('fills the documented defaults and reads what is set', () => {
    expect(loadConfig({})).toEqual({
      databaseUrl: undefined,
      home: path.join(repoRoot, '.alignscope'),
      dataDir: path.resolve(repoRoot, '../shared/data'),
      port: 3000,
      executionProvider: 'cpu',
      quotas: { jobsPerDay: 500, computeSecondsPerDay: 86_400 },
      rateLimits: { perAddress: 600, perKey: 1200 },
      boardWorkers: true,
    });
    expect(loadConfig({ ALIGNSCOPE_BOARD_WORKERS: '0' }).boardWorkers).toBe(false);
    expect(() => loadConfig({ ALIGNSCOPE_BOARD_WORKERS: 'yes' })).toThrow(
      /^invalid configuration: ALIGNSCOPE_BOARD_WORKERS: /,
    );
    expect(
      loadConfig({
        ALIGNSCOPE_QUOTA_JOBS_PER_DAY: '5',
        ALIGNSCOPE_QUOTA_COMPUTE_SECONDS: '60',
        ALIGNSCOPE_RATE_LIMIT_PER_ADDRESS: '0',
        ALIGNSCOPE_RATE_LIMIT_PER_KEY: '30',
      }),
    ).toMatchObject({
      quotas: { jobsPerDay: 5, computeSecondsPerDay: 60 },
      rateLimits: { perAddress: 0, perKey: 30 },
    });
    expect(() => loadConfig({ ALIGNSCOPE_QUOTA_JOBS_PER_DAY: '-1' })).toThrow(
      /^invalid configuration: ALIGNSCOPE_QUOTA_JOBS_PER_DAY: /,
    );
    expect(loadConfig({ PORT: '3005', ALIGNSCOPE_HOME: '/tmp/x', DATABASE_URL: '' })).toMatchObject({
      port: 3005,
      home: '/tmp/x',
      databaseUrl: undefined,
    });
  });

  it('names a missing data directory and the variable that sets it', () => {
    const config = loadConfig({ ALIGNSCOPE_DATA_DIR: '/nonexistent/alignscope-data' });
    expect(() => requireDataDir(config)).toThrow(
      'data directory not found: /nonexistent/alignscope-data (set ALIGNSCOPE_DATA_DIR to the AlignScope data bundle)',
    );
  });
});
