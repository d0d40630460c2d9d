/**
 * `npm run bench:analysis`: the full correlation analysis on 1,000 models x 150 benchmarks with 10% of the
 * cells missing (seeded synthetic data: a latent "robustness" factor plus noise, values rounded to 3
 * decimals so that ties occur), with every statistic: the coefficient and p-value, OLS, ranking accuracy,
 * partial Spearman against a clean-accuracy covariate, BH q-values and a 1,000-resample percentile bootstrap.
 * Prints the wall time and its ratio to a plain single-pass Spearman (rho only) over the same columns,
 * measured in the same run. Goal: < 1 s for the full Spearman analysis.
 */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { correlate, spearman } from '../src/index.ts';
import { createRng } from '../src/random.ts';

const MODELS = 1000;
const BENCHMARKS = 150;
const MISSING = 0.1;

function syntheticData() {
  const rng = createRng(2025, 'bench');
  const normal = () => {
    const u = 1 - rng.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat());
  };
  const models = Array.from({ length: MODELS }, (_, i) => `model-${i}`);
  const latent = models.map(() => normal());
  const cell = (v: number) => (rng.nextFloat() < MISSING ? null : Math.round(v * 1000) / 1000);
  const columns: Record<string, (number | null)[]> = {
    'AutoAttack-Linf-1/255': latent.map((l) => cell(0.3 + 0.1 * l + 0.05 * normal())),
    'ImageNet-top1': latent.map((l) => cell(0.75 - 0.05 * l + 0.05 * normal())),
  };
  for (let b = 0; b < BENCHMARKS - 2; b++) {
    const loading = (b % 7) / 10 - 0.2;
    columns[`benchmark-${b}`] = latent.map((l) => cell(0.5 + loading * l + 0.2 * normal()));
  }
  return { models, columns };
}

/** Wall and CPU time of one run (CPU time is less disturbed by other processes on a shared machine). */
function time(f: () => unknown): { ms: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  f();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000 };
}

const data = syntheticData();
const target = 'AutoAttack-Linf-1/255';
const names = Object.keys(data.columns).filter((c) => c !== target);
const plain = () => names.map((c) => spearman(data.columns[c] ?? [], data.columns[target] ?? []).coefficient);
const full = (method: 'spearman' | 'pearson' | 'kendall') => () =>
  correlate(data, { target, method, covariate: 'ImageNet-top1', bootstrap: { resamples: 1000, seed: 0 } });

// Warm up the JIT on both paths once (not timed), then take the best of a few runs.
plain();
full('spearman')();
const best = (f: () => unknown, runs: number) => {
  const all = Array.from({ length: runs }, () => time(f));
  return { ms: Math.min(...all.map((t) => t.ms)), cpuMs: Math.min(...all.map((t) => t.cpuMs)) };
};
const base = best(plain, 5);
const fmt = (t: { ms: number; cpuMs: number }) => `${t.ms.toFixed(0)} ms wall (${t.cpuMs.toFixed(0)} ms CPU)`;
console.log(
  `data: ${MODELS} models x ${BENCHMARKS} benchmarks (target + ${names.length} others), ${MISSING * 100}% missing`,
);
console.log(`load average (1 min) on ${availableParallelism()} cores: ${loadavg()[0]?.toFixed(2)}`);
console.log(`plain single-pass Spearman (rho only): ${fmt(base)}`);
for (const method of ['spearman', 'pearson', 'kendall'] as const) {
  const t = best(full(method), method === 'spearman' ? 3 : 1);
  const goal = method === 'spearman' ? (t.ms < 1000 ? '; goal < 1 s: met' : '; goal < 1 s: NOT met') : '';
  console.log(
    `full analysis, ${method}, 1000-resample bootstrap: ${fmt(t)} = ${(t.ms / base.ms).toFixed(1)} x plain (wall), ${(t.cpuMs / base.cpuMs).toFixed(1)} x (CPU)${goal}`,
  );
}
