/**
 * Worker thread of fab-pool.ts: runs fabStepRows on the rows it is sent, on the run's shared
 * buffers (x1 and the original points by state row, the gradient and logit difference by batch row).
 * Bundled to plain JavaScript by fab-pool.ts (esbuild), so it needs no TypeScript loader.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type FabStepParams, FabStepWork, fabStepRows } from './fab-step.ts';

type Buffers = { x1: Float32Array; x0: Float32Array; grad: Float32Array; loss: Float32Array };
export type FabWorkerMessage =
  | {
      kind: 'buffers';
      x1: SharedArrayBuffer;
      x0: SharedArrayBuffer;
      grad: SharedArrayBuffer;
      loss: SharedArrayBuffer;
    }
  | { kind: 'step'; from: number; to: number; states: number[] };

const { d, params } = workerData as { d: number; params: FabStepParams };
const work = new FabStepWork(d);
let buffers: Buffers | undefined;

parentPort?.on('message', (msg: FabWorkerMessage) => {
  if (msg.kind === 'buffers') {
    buffers = {
      x1: new Float32Array(msg.x1),
      x0: new Float32Array(msg.x0),
      grad: new Float32Array(msg.grad),
      loss: new Float32Array(msg.loss),
    };
    return;
  }
  try {
    if (!buffers) throw new Error('FAB worker: a step before its buffers');
    const { x1, x0, grad, loss } = buffers;
    fabStepRows(x1, x0, grad, loss, msg.states, msg.from, msg.to, params, work);
    parentPort?.postMessage({ ok: true });
  } catch (e) {
    parentPort?.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
