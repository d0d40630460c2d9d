/**
 * Issue 16's layout rules, checked on the source tree: the drizzle tables are used only inside
 * packages/db (everything else goes through its queries layer), no engine package (analysis,
 * behavior, neural, onnx-grad, attacks) depends on the database package or on configuration, and the
 * benchmark definitions live in one dependency-free package (packages/benchmarks) whose files pair
 * with the evaluator's plugin files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SKIP = new Set(['node_modules', '.next', '.git', 'test-results', 'dist', '.alignscope', 'drizzle']);

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name) || name.startsWith('.next')) continue;
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.(ts|tsx|mjs)$/.test(name)) out.push(p);
  }
  return out;
}

describe('layout', () => {
  it('imports the drizzle tables only inside packages/db', () => {
    const offenders = ['apps', 'packages', 'test']
      .flatMap((d) => sources(path.join(root, d)))
      .filter((f) => !f.startsWith(path.join(root, 'packages/db') + path.sep))
      .filter((f) =>
        /from '(@alignscope\/db\/(tables|schema)|[^']*packages\/db\/src\/tables[^']*)'/.test(
          readFileSync(f, 'utf8'),
        ),
      )
      .map((f) => path.relative(root, f));
    expect(offenders).toEqual([]);
    const db = JSON.parse(readFileSync(path.join(root, 'packages/db/package.json'), 'utf8'));
    expect(Object.keys(db.exports)).not.toContain('./tables');
  });

  it('keeps the engines free of the database package and of configuration', () => {
    for (const engine of ['analysis', 'behavior', 'neural', 'onnx-grad', 'attacks']) {
      const pkg = JSON.parse(readFileSync(path.join(root, 'packages', engine, 'package.json'), 'utf8'));
      const deps = { ...pkg.dependencies, ...pkg.devDependencies };
      expect(Object.keys(deps), engine).not.toContain('@alignscope/db');
      expect(Object.keys(pkg.dependencies ?? {}), engine).not.toContain('@alignscope/config');
      // Their tests and bench scripts may find the data bundle through configuration (a dev dependency).
      const imports = sources(path.join(root, 'packages', engine, 'src'))
        .filter((f) => !f.endsWith('.test.ts'))
        .filter((f) => /from '@alignscope\/(db|config)[^']*'/.test(readFileSync(f, 'utf8')))
        .map((f) => path.relative(root, f));
      expect(imports, engine).toEqual([]);
    }
  });

  it('keeps the benchmark definitions in packages/benchmarks, free of every other package', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'packages/benchmarks/package.json'), 'utf8'));
    expect(pkg.dependencies ?? {}).toEqual({});
    const imports = sources(path.join(root, 'packages/benchmarks/src'))
      .filter((f) => /from '(@alignscope\/|node:)[^']*'/.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(root, f));
    expect(imports).toEqual([]);
    // No second catalog: the database package seeds the definitions and exports none of its own.
    const db = JSON.parse(readFileSync(path.join(root, 'packages/db/package.json'), 'utf8'));
    expect(Object.keys(db.exports)).not.toContain('./catalog');
    expect(db.dependencies).toHaveProperty('@alignscope/benchmarks');
    const stray = ['apps', 'packages', 'test']
      .flatMap((d) => sources(path.join(root, d)))
      .filter((f) => /from '[^']*(db\/catalog|db\/src\/catalog)[^']*'/.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(root, f));
    expect(stray).toEqual([]);
  });
});
