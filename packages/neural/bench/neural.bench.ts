/**
 * `npm run bench:neural`: Brain-Score's PLS neural predictivity (25 components, no scaling, 10 splits of
 * 90/10) at the scale of MajajHong2015 IT: 3,200 stimuli x 20,000 features x 300 neuroids (seeded synthetic
 * data: a rank-40 linear map of the features plus noise).
 *
 * Formulation: kernel PLS on the 3,200 x 3,200 Gram matrix (src/pls.ts). The Gram matrix (O(N^2 p)) and
 * G Y (O(N^2 q)) are computed once and shared by the 10 splits; each split then costs O(m^2 (q + k)).
 * Prints wall and CPU time per phase, and checks split 0 against sklearn's NIPALS transcription (src/nipals.ts)
 * on a reduced problem (first 300 stimuli, 1,000 features, 30 neuroids), where NIPALS is affordable; the
 * baseline timed in the same run is that NIPALS fit, so the ratio says how much the kernel form saves at the
 * reduced size. `--size small` runs the whole bench at the reduced size only.
 */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  defaultSplits,
  gram,
  matrix,
  neuralMetric,
  nipalsPls,
  nipalsPredict,
  plsPredictFromGram,
  selectRows,
} from '../src/index.ts';
import { mul, normals, randomMatrix } from '../test/synthetic.ts';

const small = process.argv.includes('--size') && process.argv[process.argv.indexOf('--size') + 1] === 'small';
const N = small ? 400 : 3200;
const P = small ? 2000 : 20_000;
const Q = small ? 50 : 300;

function timed<T>(label: string, f: () => T): { value: T; wallS: number; cpuS: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  console.log(
    `${label.padEnd(44)} wall ${wallS.toFixed(2).padStart(8)} s   cpu ${cpuS.toFixed(2).padStart(8)} s`,
  );
  return { value, wallS, cpuS };
}

console.log(`PLS bench: ${N} stimuli x ${P} features x ${Q} neuroids, 25 components, 10 splits`);
console.log(
  `machine: ${availableParallelism()} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const next = normals(2026, 'bench-neural');
const features = timed('synthetic features (float32)', () => {
  const d = new Float32Array(N * P);
  for (let i = 0; i < d.length; i++) d[i] = next();
  return matrix(N, P, d);
}).value;
const responses = timed('synthetic responses', () => {
  // (X A) B with A: P x 40, B: 40 x Q, so the rank-40 map costs N P 40, not N P Q
  const signal = mul(mul(features, randomMatrix(P, 40, next, 1 / Math.sqrt(P))), randomMatrix(40, Q, next));
  const noisy = new Float64Array(N * Q);
  for (let i = 0; i < noisy.length; i++) noisy[i] = (signal.data[i] as number) + next();
  return matrix(N, Q, noisy);
}).value;
const splits = defaultSplits('pls', N, { seed: 1 });

let lastPct = -1;
const g = timed('Gram matrix X X^T (once)', () =>
  gram(features, (done, total) => {
    const pct = Math.floor((100 * done) / total);
    if (pct >= lastPct + 10) {
      lastPct = pct;
      process.stderr.write(`  gram ${pct}%\n`);
    }
  }),
);
const fit = timed('G Y (once) + 10 splits: fit, predict, Pearson', () =>
  neuralMetric({ metric: 'pls', features, responses, splits, gram: g.value }),
);
console.log(
  `score: ${fit.value.raw.toFixed(4)} ± ${fit.value.error.toFixed(4)} (median r over neuroids, mean over splits)`,
);
const total = g.wallS + fit.wallS;
console.log(
  `total PLS neural predictivity: wall ${total.toFixed(1)} s (Gram ${((100 * g.wallS) / total).toFixed(0)}%)`,
);

// Check against sklearn's NIPALS on a reduced problem (split 0 restricted to the first 300 stimuli).
const n = 300;
const p = Math.min(P, 1000);
const q = Math.min(Q, 30);
const sub = matrix(
  n,
  p,
  Float64Array.from({ length: n * p }, (_, k) => features.data[Math.floor(k / p) * P + (k % p)] as number),
);
const ysub = matrix(
  n,
  q,
  Float64Array.from({ length: n * q }, (_, k) => responses.data[Math.floor(k / q) * Q + (k % q)] as number),
);
const [s0] = defaultSplits('pls', n, { seed: 1 });
if (!s0) throw new Error('no split');
const kernel = timed(`kernel PLS, reduced ${n} x ${p} x ${q}, one split`, () =>
  plsPredictFromGram({ gram: gram(sub), size: n, features: p, y: ysub, train: s0.train, test: s0.test }),
);
const nipals = timed(`NIPALS (sklearn transcription), same split`, () =>
  nipalsPredict(
    nipalsPls(selectRows(sub, s0.train), selectRows(ysub, s0.train), 25),
    selectRows(sub, s0.test),
  ),
);
let diff = 0;
let scale = 0;
for (let i = 0; i < nipals.value.data.length; i++) {
  diff = Math.max(
    diff,
    Math.abs((kernel.value.prediction.data[i] as number) - (nipals.value.data[i] as number)),
  );
  scale = Math.max(scale, Math.abs(nipals.value.data[i] as number));
}
console.log(
  `max |kernel - NIPALS| / max |NIPALS| = ${(diff / scale).toExponential(2)} (NIPALS stops at sklearn's tol 1e-6)`,
);
console.log(`NIPALS / kernel time at the reduced size: ${(nipals.cpuS / kernel.cpuS).toFixed(1)}x (cpu)`);
