/**
 * Every onnxruntime session an OnnxClassifier opens (the plain model, the check's and each loss's
 * gradient graphs) gets SESSION_CONFIG (session.force_spinning_stop). onnxruntime accepts any config
 * key silently, so the test reads what onnxruntime itself reports: at log level 'verbose' it traces
 * each session's options, config entries included ("config_options: { session.force_spinning_stop: 1 }").
 * That trace goes to the native stderr, so the sessions are opened in a child process. (onnx-grad's
 * shape probes while it builds a graph, one run each with optimisation off, are not counted.)
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SESSION_CONFIG, sessionThreadOptions } from './onnx.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/** A child that opens a small conv net (dynamic batch) and runs logits and two gradient losses. */
const child = (config: string) => `
import * as ort from 'onnxruntime-node';
import { graph } from '@alignscope/onnx-grad';
import { OnnxClassifier } from ${JSON.stringify(path.join(here, 'onnx.ts'))};
ort.env.logLevel = 'verbose';
const w = Float32Array.from({ length: 4 * 3 * 3 * 3 }, (_, i) => Math.sin(i));
const fc = Float32Array.from({ length: 4 * 4 * 4 * 3 }, (_, i) => Math.cos(i));
const model = graph({ opset: 13 })
  .input('x', ['n', 3, 4, 4])
  .init('w', [4, 3, 3, 3], w)
  .init('fc', [64, 3], fc)
  .node('Conv', ['x', 'w'], 'c', { pads: [1, 1, 1, 1] })
  .node('Relu', ['c'], 'r')
  .node('Flatten', ['r'], 'f')
  .node('MatMul', ['f', 'fc'], 'z')
  .output('z')
  .build();
const clf = await OnnxClassifier.open(model, { inputShape: [3, 4, 4], numClasses: 3, intraOpNumThreads: 2${config} });
const x = new Float32Array(2 * 48).fill(0.5);
await clf.logits(x, 2);
await clf.lossGrad(x, 2, 'ce', Int32Array.of(0, 1));
await clf.lossGrad(x, 2, 'logit-diff', Int32Array.of(0, 1), Int32Array.of(1, 2));
await clf.release();
`;

function traces(config: string): string[] {
  // The child's stderr is a file, not a pipe: node makes a piped stderr non-blocking, and onnxruntime's
  // native writes to it were then dropped once the pipe was full (3 to 14 traces of the same child).
  const dir = mkdtempSync(path.join(tmpdir(), 'alignscope-session-config-'));
  const file = path.join(dir, 'stderr.log');
  const fd = openSync(file, 'w');
  let r: ReturnType<typeof spawnSync>;
  let stderr: string;
  try {
    r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child(config)], {
      cwd: here,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', fd],
    });
  } finally {
    closeSync(fd);
    stderr = readFileSync(file, 'utf8');
    rmSync(dir, { recursive: true, force: true });
  }
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${stderr.slice(-2000)}`);
  return (
    `${r.stdout}\n${stderr}`
      .split('\n')
      .filter((l) => l.includes('TraceSessionOptions'))
      // not onnx-grad's shape probes: a session with optimisation off, run once while a graph is built
      .filter((l) => !l.includes('graph_optimization_level:0 '))
      .map((l) => /config_options: \{([^}]*)\}/.exec(l)?.[1]?.trim() ?? '<no config_options>')
  );
}

describe('session config of our onnxruntime sessions', () => {
  it('puts session.force_spinning_stop on every session an OnnxClassifier opens', { timeout: 60_000 }, () => {
    expect(SESSION_CONFIG).toEqual({ 'session.force_spinning_stop': '1' });
    expect(sessionThreadOptions(2)).toEqual({
      intraOpNumThreads: 2,
      extra: { session: { force_spinning_stop: '1' } },
    });
    const ours = traces('');
    // the plain session, the CE graph at 'extended' and at 'all' (the level check), their per-batch
    // graphs and the logit-diff loss: at least 5 sessions
    expect(ours.length).toBeGreaterThanOrEqual(5);
    for (const entries of ours) expect(entries).toBe('session.force_spinning_stop: 1');
    // and onnxruntime's defaults when asked: no entries (so the check above can fail)
    const plain = traces(', sessionConfig: {}');
    expect(plain.length).toBe(ours.length);
    for (const entries of plain) expect(entries).toBe('');
  });
});
