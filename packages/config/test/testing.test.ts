import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { needsDataBundle, underCi } from '../src/testing.ts';

describe('needsDataBundle', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'alignscope-bundle-'));
  writeFileSync(path.join(dir, 'README.md'), 'bundle');
  afterEach(() => vi.restoreAllMocks());

  it('finds the files a suite needs', () => {
    const b = needsDataBundle('README.md', 'suite', { ALIGNSCOPE_DATA_DIR: dir });
    expect(b).toMatchObject({ dir, missing: false });
    expect(b.path('a', 'b')).toBe(path.join(dir, 'a', 'b'));
  });

  it('fails under CI when the bundle lacks a file', () => {
    expect(() => needsDataBundle('models/x.onnx', 'suite', { ALIGNSCOPE_DATA_DIR: dir, CI: 'true' })).toThrow(
      `suite: the data bundle is missing ${path.join(dir, 'models/x.onnx')} (set ALIGNSCOPE_DATA_DIR); CI is set, so this fails instead of skipping`,
    );
  });

  it('skips locally and says why', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const b = needsDataBundle(['README.md', 'human'], 'suite', { ALIGNSCOPE_DATA_DIR: dir });
    expect(b.missing).toBe(true);
    expect(write).toHaveBeenCalledWith(
      `SKIPPED suite: the data bundle is missing ${path.join(dir, 'human')} (set ALIGNSCOPE_DATA_DIR)\n`,
    );
  });

  it('reads CI the way CI services set it', () => {
    expect(underCi({ CI: 'true' })).toBe(true);
    expect(underCi({ CI: '1' })).toBe(true);
    expect(underCi({ CI: 'false' })).toBe(false);
    expect(underCi({ CI: '' })).toBe(false);
    expect(underCi({})).toBe(false);
  });
});
