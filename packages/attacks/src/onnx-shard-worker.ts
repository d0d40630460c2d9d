/**
 * Worker thread of onnx-shards.ts: one OnnxClassifier (one onnxruntime thread, no shards of its own)
 * that runs the logits and loss gradients of the share of a batch it is sent, or a whole APGD or
 * FAB-T run, or a span of a Linf Square run's queries, on the share of the rows it is sent.
 * Requests are answered one at a time, in order.
 * Bundled by worker-bundle.ts (onnxruntime-node stays external).
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { type ApgdOptions, type ApgdRunResult, apgdFromStart } from './apgd.ts';
import { type FabOptions, fabTargetedSingleRun } from './fab.ts';
import {
  type BatchInvariance,
  OnnxClassifier,
  type OnnxClassifierOptions,
  type OnnxTimings,
} from './onnx.ts';
import { type SquareOptions, type SquareSpanResult, type SquareState, squareQueries } from './square.ts';
import type { LossName } from './types.ts';

export type ShardRequest =
  | { kind: 'logits'; x: Float32Array; n: number }
  | { kind: 'lossGrad'; x: Float32Array; n: number; loss: LossName; y: Int32Array; t?: Int32Array }
  | {
      kind: 'fabTargeted';
      x: Float32Array;
      y: Int32Array;
      t: Int32Array;
      n: number;
      opts: FabOptions;
    }
  | {
      kind: 'apgd';
      x: Float32Array;
      y: Int32Array;
      t?: Int32Array;
      n: number;
      loss: LossName;
      opts: ApgdOptions;
      xStart: Float32Array;
    }
  | {
      kind: 'square';
      x: Float32Array;
      y: Int32Array;
      n: number;
      opts: SquareOptions;
      st: SquareState;
      draws: Int32Array;
      from: number;
      to: number;
    }
  | { kind: 'layouts' };

export type ShardReply =
  | { kind: 'ready'; timings: OnnxTimings; batchInvariance: BatchInvariance }
  | { kind: 'error'; message: string }
  | { kind: 'logits'; logits: Float32Array; timings: OnnxTimings }
  | {
      kind: 'lossGrad';
      logits: Float32Array;
      loss: Float32Array;
      grad: Float32Array;
      timings: OnnxTimings;
    }
  | {
      kind: 'fabTargeted';
      adv: Float32Array;
      res2: Float64Array;
      forwards: number;
      gradients: number;
      timings: OnnxTimings;
    }
  | ({ kind: 'apgd'; timings: OnnxTimings } & ApgdRunResult)
  | ({ kind: 'square'; st: SquareState; timings: OnnxTimings } & SquareSpanResult)
  | { kind: 'layouts'; layouts: Awaited<ReturnType<OnnxClassifier['gradientLayouts']>> };

const { model, options, logLevel } = workerData as {
  model: Uint8Array;
  options: OnnxClassifierOptions;
  logLevel?: typeof ort.env.logLevel;
};
if (logLevel) ort.env.logLevel = logLevel;
const port = parentPort;
if (!port) throw new Error('onnx-shard-worker: not a worker thread');

const post = (r: ShardReply) => port.postMessage(r);
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

const opened = OnnxClassifier.open(model, options);
opened.then(
  (clf) => post({ kind: 'ready', timings: clf.timings, batchInvariance: clf.batchInvariance }),
  (e) => post({ kind: 'error', message: message(e) }),
);

async function answer(req: ShardRequest): Promise<ShardReply> {
  const clf = await opened;
  switch (req.kind) {
    case 'logits':
      return { kind: 'logits', logits: await clf.logits(req.x, req.n), timings: clf.timings };
    case 'lossGrad': {
      const r = await clf.lossGrad(req.x, req.n, req.loss, req.y, req.t);
      return { kind: 'lossGrad', ...r, timings: clf.timings };
    }
    case 'fabTargeted': {
      // the whole run on this share's rows, its steps on this thread (no step pool)
      const r = await fabTargetedSingleRun(clf, req.x, req.y, req.t, req.n, req.opts);
      return { kind: 'fabTargeted', ...r, timings: clf.timings };
    }
    case 'apgd': {
      const r = await apgdFromStart(clf, req.x, req.y, req.n, req.loss, req.opts, req.xStart, req.t);
      return { kind: 'apgd', ...r, timings: clf.timings };
    }
    case 'square': {
      // a span of a Linf Square run on this share's rows (their state changed in place and sent back)
      const r = await squareQueries(clf, req.x, req.y, req.n, req.opts, req.st, req.draws, req.from, req.to);
      return { kind: 'square', ...r, st: req.st, timings: clf.timings };
    }
    case 'layouts':
      return { kind: 'layouts', layouts: await clf.gradientLayouts() };
  }
}

let queue = Promise.resolve();
port.on('message', (req: ShardRequest) => {
  queue = queue.then(() => answer(req).then(post, (e) => post({ kind: 'error', message: message(e) })));
});
