/**
 * The side-by-side comparison with the reference implementation for `npm run bench:attack`: writes
 * the model's folded convolution weights, the images and onnxruntime's clean logits to a temporary
 * directory and runs scripts/reference-autoattack/run_reference.py (fra31/auto-attack on PyTorch)
 * with /usr/bin/python3 when it has torch and the reference's `autoattack` package is found under
 * ALIGNSCOPE_AUTOATTACK_REF (default /work/.mirror/fra31-auto-attack; see that script for how to
 * extract it from the fetched mirror). Nothing is downloaded.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseModel } from '@alignscope/onnx-grad';

export type ReferenceResult = {
  source: string;
  cleanAccuracy: number | null;
  /** Per stage: wall seconds and CPU seconds of the Python process (all threads). */
  stages: { attack: string; robustAccuracy: number; seconds: number; cpuSeconds?: number }[];
  robustFlags: string;
  seconds: number;
  cpuSeconds?: number;
  maxLogitDifferenceToOnnxruntime: number;
};

const SCRIPT = path.resolve(import.meta.dirname, '../../../scripts/reference-autoattack/run_reference.py');
const PYTHON = '/usr/bin/python3';

/** Why the reference cannot run here, or null when it can. */
export function referenceUnavailable(): string | null {
  const src = process.env.ALIGNSCOPE_AUTOATTACK_REF ?? '/work/.mirror/fra31-auto-attack';
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  if (!existsSync(path.join(src, 'autoattack', 'autoattack.py')))
    return `no fra31/auto-attack sources at ${src}/autoattack (set ALIGNSCOPE_AUTOATTACK_REF)`;
  const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) return `${PYTHON} cannot import torch and numpy`;
  return null;
}

function floats(t: { rawData: Uint8Array; floatData: number[]; dims: bigint[] }): Float32Array {
  const raw = t.rawData;
  if (raw.length === 0) return Float32Array.from(t.floatData);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return Float32Array.from({ length: raw.byteLength / 4 }, (_, i) => view.getFloat32(4 * i, true));
}

/** Ops a plain chain (each node takes the previous node's output) may hold for the Python rebuild. */
const CHAIN_OPS = new Set([
  'Mul',
  'Sub',
  'Div',
  'Add',
  'Conv',
  'Clip',
  'Relu',
  'GlobalAveragePool',
  'Flatten',
  'Gemm',
]);

/**
 * Runs the reference on the images (N x C x H x W, `shape` one sample); throws with the script's
 * stderr when it fails. The model is rebuilt in PyTorch from its ONNX initializers: the CIFAR
 * ResNet-20 (residual blocks, option-A shortcuts) or any plain chain of CHAIN_OPS whose other inputs
 * are initializers (MobileNet v1).
 */
export function runReference(
  onnx: Uint8Array,
  x: Float32Array,
  y: Int32Array,
  cleanLogits: Float32Array,
  eps: string,
  batchSize: number,
  shape: readonly number[] = [3, 32, 32],
): ReferenceResult {
  const g = parseModel(onnx).graph;
  if (!g) throw new Error('model has no graph');
  const inits = new Map(g.initializer.map((t) => [t.name, t]));
  const chunks: Float32Array[] = [];
  let offset = 0;
  const put = (name: string) => {
    const t = inits.get(name);
    if (!t) throw new Error(`initializer ${name} not found`);
    const data = floats(t);
    const entry = { shape: t.dims.map(Number), offset };
    chunks.push(data);
    offset += data.length * 4;
    return entry;
  };
  const ints = (n: (typeof g.node)[number], name: string, dflt: number[]) =>
    n.attribute.find((a) => a.name === name)?.ints.map(Number) ?? dflt;
  const int = (n: (typeof g.node)[number], name: string, dflt: number) =>
    Number(n.attribute.find((a) => a.name === name)?.i ?? dflt);
  const residual = g.node.some((n) => n.opType === 'Add' && n.input.every((i) => !inits.has(i)));
  let spec: Record<string, unknown>;
  if (residual) {
    const convs = g.node
      .filter((n) => n.opType === 'Conv')
      .map((n) => ({
        weight: put(n.input[1] as string),
        bias: put(n.input[2] as string),
        strides: ints(n, 'strides', [1, 1]),
        pads: ints(n, 'pads', [0, 0, 0, 0]),
      }));
    const gemm = g.node.find((n) => n.opType === 'Gemm');
    const sub = g.node.find((n) => n.opType === 'Sub');
    const div = g.node.find((n) => n.opType === 'Div');
    if (!gemm || !sub || !div) throw new Error('expected the Sub/Div normalisation and a final Gemm');
    spec = {
      kind: 'resnet20',
      mean: put(sub.input[1] as string),
      std: put(div.input[1] as string),
      convs,
      linear: { weight: put(gemm.input[1] as string), bias: put(gemm.input[2] as string) },
    };
  } else {
    let prev = g.input.find((i) => !inits.has(i.name))?.name;
    const ops = g.node.map((n) => {
      if (!CHAIN_OPS.has(n.opType) || n.input[0] !== prev)
        throw new Error(
          `the reference rebuilds a ResNet-20 or a plain chain; node ${n.name} (${n.opType}) is neither`,
        );
      prev = n.output[0];
      const consts = n.input
        .slice(1)
        .filter((i) => i !== '')
        .map(put);
      if (n.opType === 'Conv') {
        return {
          op: n.opType,
          consts,
          strides: ints(n, 'strides', [1, 1]),
          pads: ints(n, 'pads', [0, 0, 0, 0]),
          dilations: ints(n, 'dilations', [1, 1]),
          group: int(n, 'group', 1),
        };
      }
      if (n.opType === 'Gemm' && (int(n, 'transA', 0) !== 0 || int(n, 'transB', 0) !== 1))
        throw new Error('the reference rebuilds Gemm with transA 0, transB 1 only');
      if (n.opType === 'Flatten' && int(n, 'axis', 1) !== 1) throw new Error('Flatten with axis 1 only');
      return { op: n.opType, consts };
    });
    spec = { kind: 'chain', ops };
  }
  spec.inputShape = [...shape];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'alignscope-reference-'));
  try {
    const blob = new Float32Array(offset / 4);
    let o = 0;
    for (const c of chunks) {
      blob.set(c, o);
      o += c.length;
    }
    writeFileSync(path.join(dir, 'model.json'), JSON.stringify(spec));
    writeFileSync(path.join(dir, 'model.bin'), Buffer.from(blob.buffer));
    writeFileSync(path.join(dir, 'images.bin'), Buffer.from(x.buffer, x.byteOffset, x.byteLength));
    writeFileSync(path.join(dir, 'labels.json'), JSON.stringify(Array.from(y)));
    writeFileSync(
      path.join(dir, 'logits.bin'),
      Buffer.from(cleanLogits.buffer, cleanLogits.byteOffset, cleanLogits.byteLength),
    );
    const src = process.env.ALIGNSCOPE_AUTOATTACK_REF ?? '/work/.mirror/fra31-auto-attack';
    const r = spawnSync(
      PYTHON,
      [
        SCRIPT,
        '--data',
        dir,
        '--eps',
        eps,
        '--autoattack',
        src,
        '--bs',
        String(batchSize),
        // torch's intra-op threads: ALIGNSCOPE_BENCH_REFERENCE_THREADS, else the script's default (every core)
        ...(process.env.ALIGNSCOPE_BENCH_REFERENCE_THREADS
          ? ['--threads', process.env.ALIGNSCOPE_BENCH_REFERENCE_THREADS]
          : []),
      ],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    if (r.status !== 0) throw new Error(`reference run failed: ${r.stderr.trim().split('\n').at(-1)}`);
    const line = r.stdout.trim().split('\n').at(-1) as string;
    return JSON.parse(line) as ReferenceResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
