/**
 * The benchmark registry: definitions (@alignscope/benchmarks) and the plugins that compute them
 * (src/benchmarks/plugins) are one registry. Every evaluable definition has exactly one plugin,
 * registered against that very definition; every plugin has a definition; definition and plugin
 * files carry the same names; the definitions created on first use are unchanged from when the
 * plugins carried them (on-first-use-definitions.json, written out from the plugins' former
 * `catalogEntry` fields before the move).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type BenchmarkDefinition, catalog, definitions } from '@alignscope/benchmarks';
import { describe, expect, it } from 'vitest';
import { benchmarkPlugins } from '../src/benchmarks/registry.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const names = (dir: string) =>
  readdirSync(path.join(root, dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();

describe('benchmark registry', () => {
  it('gives every evaluable definition exactly one plugin and every plugin a definition', async () => {
    const plugins = await benchmarkPlugins();
    const evaluable = definitions.filter((d) => d.scoredBy === 'plugin');
    expect(evaluable.length).toBe(plugins.size);
    for (const d of evaluable) {
      expect(plugins.get(d.identifier)?.definition, d.identifier).toBe(d);
      expect(plugins.get(d.identifier)?.labelSpace, d.identifier).toBe(d.labelSpace);
      expect(plugins.get(d.identifier)?.version, d.identifier).toBe(d.version);
    }
    for (const p of plugins.values()) expect(definitions, p.identifier).toContain(p.definition);
    // 37 seeded rows: 12 aggregates, 25 leaves, of which Kar2019-ost and Rajalingham2018-i2n are
    // imported only; on first use: 5 CIFAR-10 behavioral variants and 4 regions x 3 neural metrics.
    expect(catalog.length).toBe(37);
    expect(evaluable.map((d) => d.identifier).filter((id) => !plugins.has(id))).toEqual([]);
    expect(plugins.size).toBe(23 + 5 + 12);
  });

  it('marks every leaf with who scores it and no aggregate', () => {
    const parents = new Set(definitions.map((d) => d.parent));
    for (const d of definitions) {
      if (d.domain === 'aggregate') expect(d.scoredBy, d.identifier).toBeUndefined();
      else expect(['plugin', 'import'], d.identifier).toContain(d.scoredBy);
      if (d.domain !== 'aggregate') expect(parents.has(d.identifier), d.identifier).toBe(false);
    }
    expect(definitions.filter((d) => d.scoredBy === 'import').map((d) => d.identifier)).toEqual([
      'Kar2019-ost',
      'Rajalingham2018-i2n',
    ]);
  });

  it('names each plugin file as its definition file', () => {
    const defs = names('packages/benchmarks/src/definitions');
    const plugins = names('apps/evaluator/src/benchmarks/plugins');
    expect(plugins.filter((p) => !defs.includes(p))).toEqual([]);
    // Definitions without a plugin: the tree's aggregates and the imported-only leaves.
    expect(defs.filter((d) => !plugins.includes(d))).toEqual(['Kar2019-ost', 'Rajalingham2018-i2n', 'tree']);
  });

  it('keeps the definitions created on first use as the plugins carried them', () => {
    const written = JSON.parse(
      readFileSync(path.join(import.meta.dirname, 'on-first-use-definitions.json'), 'utf8'),
    ) as BenchmarkDefinition[];
    const now = definitions
      .filter((d) => d.onFirstUse)
      .map(({ scoredBy: _s, labelSpace: _l, onFirstUse: _o, ...entry }) => entry);
    expect(now.map((d) => d.identifier).sort()).toEqual(written.map((d) => d.identifier).sort());
    for (const d of now) expect(d).toEqual(written.find((w) => w.identifier === d.identifier));
    expect(catalog.some((d) => d.onFirstUse)).toBe(false);
  });
});
