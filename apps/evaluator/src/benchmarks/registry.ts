/**
 * The benchmark registry: every file in ./plugins default-exports one BenchmarkPlugin, or an array of
 * them for a family of parametrised benchmarks (the AutoAttack configurations, the neural metrics),
 * each registered against its definition in @alignscope/benchmarks (the file of the same name in
 * packages/benchmarks/src/definitions). Adding a benchmark is adding its definition and its plugin.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { definitionOf } from '@alignscope/benchmarks';
import type { BenchmarkPlugin } from './types.ts';

const pluginsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'plugins');

let loaded: Promise<Map<string, BenchmarkPlugin>> | undefined;

async function load(): Promise<Map<string, BenchmarkPlugin>> {
  const out = new Map<string, BenchmarkPlugin>();
  const files = readdirSync(pluginsDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort();
  for (const f of files) {
    const mod = (await import(pathToFileURL(path.join(pluginsDir, f)).href)) as {
      default?: BenchmarkPlugin | BenchmarkPlugin[];
    };
    const exported = Array.isArray(mod.default) ? mod.default : [mod.default];
    if (exported.length === 0) throw new Error(`benchmark plugin file ${f} exports no plugin`);
    for (const p of exported) {
      if (!p || typeof p.run !== 'function' || typeof p.identifier !== 'string') {
        throw new Error(`benchmark plugin ${f} has no default-exported plugin`);
      }
      if (out.has(p.identifier)) throw new Error(`benchmark ${p.identifier} is registered twice (${f})`);
      if (definitionOf(p.identifier) !== p.definition || p.identifier !== p.definition.identifier) {
        throw new Error(`benchmark plugin ${f}: ${p.identifier} is not registered against its definition`);
      }
      out.set(p.identifier, p);
    }
  }
  return out;
}

/** Every registered benchmark plugin, by identifier. */
export function benchmarkPlugins(): Promise<Map<string, BenchmarkPlugin>> {
  loaded ??= load();
  return loaded;
}

/** The plugin of `identifier`, or undefined. */
export async function getBenchmarkPlugin(identifier: string): Promise<BenchmarkPlugin | undefined> {
  return (await benchmarkPlugins()).get(identifier);
}
