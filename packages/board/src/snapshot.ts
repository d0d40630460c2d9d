/**
 * The board as plain data that crosses threads cheaply: the models and benchmark rows, and for each
 * `missing` rule every node's aggregated value per model in typed arrays (model-major, in tree order),
 * plus the leaf scores. A worker thread builds it (the aggregation is the expensive part) and
 * transfers the arrays to the main thread without copying; `boardFromSnapshot` (board.ts) serves
 * every derived number from it. Correlation tables computed with it travel alongside.
 */
import {
  aggregate,
  type BenchmarkTreeNode,
  type ModelScores,
  type NodeStatus,
  type ScoreStatus,
} from '@alignscope/analysis';
import type { Benchmark, BoardData, Model } from '@alignscope/db/queries';

export type Missing = 'zero' | 'skip';

/** Status codes of the arrays; ABSENT: the aggregation gave the node no entry at all. */
export const NODE_STATUSES: readonly NodeStatus[] = ['missing', 'scored', 'partial', 'failed', 'not-run'];
export const ABSENT = 255;
const LEAF_STATUSES: readonly ScoreStatus[] = ['scored', 'failed', 'not-run'];

/** Every node's values under one `missing` rule: index model * nodes + node. */
export type ValueArrays = {
  /** 1 where the value is a number (else null). */
  present: Uint8Array;
  value: Float64Array;
  /** Index into NODE_STATUSES, or ABSENT. */
  status: Uint8Array;
  nScored: Int32Array;
  nChildren: Int32Array;
};

export type BoardSnapshot = {
  version: string;
  models: Model[];
  benchmarks: Benchmark[];
  /** Node identifiers in tree order (the column order of the arrays). */
  nodeOrder: string[];
  values: Record<Missing, ValueArrays>;
  /** Leaf scores: status index into LEAF_STATUSES + 1 (0: no score), raw and ceiled (NaN: null). */
  leaves: { status: Uint8Array; raw: Float64Array; ceiled: Float64Array };
};

/** The buffers of a snapshot, for postMessage's transfer list. */
export function snapshotBuffers(s: BoardSnapshot): ArrayBuffer[] {
  const arrays = [
    ...Object.values(s.values).flatMap((v) => [v.present, v.value, v.status, v.nScored, v.nChildren]),
    s.leaves.status,
    s.leaves.raw,
    s.leaves.ceiled,
  ];
  return arrays.map((a) => a.buffer as ArrayBuffer);
}

/** Tree order of `benchmarks`: depth-first from the roots, children in catalog order. */
export function treeOrder(benchmarks: readonly Benchmark[]): { identifier: string; parent: string | null }[] {
  const byId = new Map(benchmarks.map((b) => [b.id, b]));
  const kids = new Map<string | null, string[]>();
  for (const b of benchmarks) {
    const parent = b.parentId === null ? undefined : byId.get(b.parentId);
    const key = parent?.identifier ?? null;
    const names = kids.get(key) ?? [];
    names.push(b.identifier);
    kids.set(key, names);
  }
  const out: { identifier: string; parent: string | null }[] = [];
  const visit = (identifier: string, parent: string | null) => {
    out.push({ identifier, parent });
    for (const k of kids.get(identifier) ?? []) visit(k, identifier);
  };
  for (const r of kids.get(null) ?? []) visit(r, null);
  return out;
}

/** The leaf scores per model, as `aggregate` takes them. */
export function modelScores(data: BoardData): ModelScores[] {
  const identifierOf = new Map(data.benchmarks.map((b) => [b.id, b.identifier]));
  const byModel = new Map<number, ModelScores>();
  const scores = data.models.map((m) => {
    const s: ModelScores = { model: m.identifier, scores: {} };
    byModel.set(m.id, s);
    return s;
  });
  for (const c of data.scores) {
    const target = byModel.get(c.modelId);
    const b = identifierOf.get(c.benchmarkId);
    if (target && b) target.scores[b] = { status: c.status, raw: c.rawValue, ceiled: c.ceiledValue };
  }
  return scores;
}

/** Aggregates `data` under both rules into a snapshot labelled `version`. */
export function encodeSnapshot(data: BoardData, version: string): BoardSnapshot {
  const order = treeOrder(data.benchmarks);
  const domainOf = new Map(data.benchmarks.map((b) => [b.identifier, b.domain]));
  const tree: BenchmarkTreeNode[] = order.map((n) => ({
    identifier: n.identifier,
    parent: n.parent,
    domain: domainOf.get(n.identifier) as Benchmark['domain'],
  }));
  const scores = modelScores(data);
  const M = data.models.length;
  const N = order.length;
  const column = new Map(order.map((n, j) => [n.identifier, j]));
  const statusCode = new Map(NODE_STATUSES.map((s, i) => [s, i]));
  const encode = (missing: Missing): ValueArrays => {
    const out: ValueArrays = {
      present: new Uint8Array(M * N),
      value: new Float64Array(M * N),
      status: new Uint8Array(M * N).fill(ABSENT),
      nScored: new Int32Array(M * N),
      nChildren: new Int32Array(M * N),
    };
    aggregate(tree, scores, { missing }).forEach((r, i) => {
      for (const [id, v] of Object.entries(r.values)) {
        const j = column.get(id);
        if (j === undefined) continue;
        const k = i * N + j;
        if (v.value !== null) {
          out.present[k] = 1;
          out.value[k] = v.value;
        }
        out.status[k] = statusCode.get(v.status) ?? ABSENT;
        out.nScored[k] = v.nScored;
        out.nChildren[k] = v.nChildren;
      }
    });
    return out;
  };
  const leaves = {
    status: new Uint8Array(M * N),
    raw: new Float64Array(M * N).fill(Number.NaN),
    ceiled: new Float64Array(M * N).fill(Number.NaN),
  };
  scores.forEach((s, i) => {
    for (const [id, v] of Object.entries(s.scores)) {
      const j = column.get(id);
      if (j === undefined) continue;
      const k = i * N + j;
      leaves.status[k] = LEAF_STATUSES.indexOf(v.status) + 1;
      if (v.raw !== null) leaves.raw[k] = v.raw;
      if (v.ceiled !== null) leaves.ceiled[k] = v.ceiled;
    }
  });
  return {
    version,
    models: data.models,
    benchmarks: data.benchmarks,
    nodeOrder: order.map((n) => n.identifier),
    values: { skip: encode('skip'), zero: encode('zero') },
    leaves,
  };
}

/** The leaf scores of model `i` back as `aggregate` took them. */
export function decodeModelScores(s: BoardSnapshot, i: number): ModelScores {
  const N = s.nodeOrder.length;
  const out: ModelScores = { model: (s.models[i] as Model).identifier, scores: {} };
  for (let j = 0; j < N; j++) {
    const k = i * N + j;
    const code = s.leaves.status[k] as number;
    if (code === 0) continue;
    const raw = s.leaves.raw[k] as number;
    const ceiled = s.leaves.ceiled[k] as number;
    out.scores[s.nodeOrder[j] as string] = {
      status: LEAF_STATUSES[code - 1] as ScoreStatus,
      raw: Number.isNaN(raw) ? null : raw,
      ceiled: Number.isNaN(ceiled) ? null : ceiled,
    };
  }
  return out;
}
