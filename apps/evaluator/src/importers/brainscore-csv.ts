/**
 * `brainscore-csv`: the leaderboard CSV of brain-score.org, streamed row by row.
 * - Older export (brain-score.web `_build_scores_dataframe`, used by Hoak et al. 2025): `model_name`,
 *   then one column per benchmark identifier; values are ceiled scores, `X` or empty for no score.
 * - Newer export (`csv-export.js`): `rank, model, Model ID, filtered_score, average_vision_v0, ...`,
 *   benchmark columns in tree order with a `_v<N>` suffix.
 * Leaves are stored as scores; aggregate columns are not stored but compared with aggregates
 * recomputed from the row's leaves (report `details.aggregates`).
 */
import type { Benchmark } from '@alignscope/db/queries';
import { listBenchmarks } from '@alignscope/db/queries';
import { AggregateComparison, type TreeNode } from './aggregates.ts';
import { normalizeBrainScoreIdentifier, placeUnknownBenchmark } from './brainscore-names.ts';
import { type FileContext, type Importer, RowError } from './common.ts';
import { openCsv, parseDecimal } from './csv.ts';
import { csvSources } from './files.ts';

const NEW_LAYOUT = ['rank', 'model', 'Model ID', 'filtered_score'];

type Column = { index: number; header: string; benchmark: Benchmark; sourceVersion: number | null };

/** A cell: undefined for no score (`X`, empty), NaN for a failed score, else the number. */
function cell(text: string, line: number, column: string): number | undefined {
  const s = text.trim();
  if (s === '' || s === 'X' || s === 'x') return undefined;
  if (s === 'NaN' || s === 'nan') return Number.NaN;
  const v = parseDecimal(s);
  if (v === undefined) throw new RowError(line, `non-numeric score "${s}" in column "${column}"`);
  return v;
}

async function importBrainScoreCsv(ctx: FileContext): Promise<void> {
  const csv = openCsv(ctx.source.path);
  const header = await csv.header();
  const h = header.fields.map((f) => f.trim());
  let modelCol: number;
  let modelIdCol = -1;
  let firstBenchmark: number;
  let layout: 'old' | 'new';
  if (h[0] === 'model_name') {
    layout = 'old';
    modelCol = 0;
    firstBenchmark = 1;
  } else if (NEW_LAYOUT.every((c, i) => h[i] === c)) {
    layout = 'new';
    modelCol = 1;
    modelIdCol = 2;
    firstBenchmark = NEW_LAYOUT.length;
  } else {
    throw new RowError(
      header.line,
      `unknown column layout: expected a first column "model_name" (Brain-Score leaderboard CSV) or the columns "${NEW_LAYOUT.join(', ')}" (newer export), found "${h.slice(0, 4).join(', ')}"`,
    );
  }
  const leaves: Column[] = [];
  const aggregates: Column[] = [];
  const created: string[] = [];
  const seenColumns = new Map<string, string>();
  for (let i = firstBenchmark; i < h.length; i++) {
    const name = h[i] as string;
    if (name === '') throw new RowError(header.line, `column ${i + 1} has no name`);
    const norm = normalizeBrainScoreIdentifier(name);
    const dup = seenColumns.get(norm.identifier);
    if (dup !== undefined) {
      throw new RowError(
        header.line,
        `columns "${dup}" and "${name}" name the same benchmark ${norm.identifier}`,
      );
    }
    seenColumns.set(norm.identifier, name);
    let benchmark = await ctx.benchmark(norm.identifier);
    if (!benchmark) {
      const entries = placeUnknownBenchmark(norm.identifier);
      if (!entries) {
        ctx.problem(
          header.line,
          `unknown benchmark "${name}": its place in the benchmark tree is not known; column skipped`,
        );
        continue;
      }
      for (const e of entries) {
        const r = await ctx.ensureBenchmark(e);
        if (r.created) {
          created.push(e.identifier);
          ctx.note(header.line, `created benchmark ${e.identifier} under ${e.parent}`);
        }
        benchmark = r.benchmark;
      }
    }
    if (!benchmark) continue;
    const col = { index: i, header: name, benchmark, sourceVersion: norm.sourceVersion };
    (benchmark.domain === 'aggregate' ? aggregates : leaves).push(col);
  }

  // The tree spanned by the file's columns (and their ancestors), for recomputing aggregates.
  const all = await listBenchmarks(ctx.db);
  const byId = new Map(all.map((b) => [b.id, b]));
  const tree = new Map<string, TreeNode>();
  for (const c of [...leaves, ...aggregates]) {
    let b: Benchmark | undefined = c.benchmark;
    while (b && !tree.has(b.identifier)) {
      const parent: Benchmark | undefined = b.parentId === null ? undefined : byId.get(b.parentId);
      tree.set(b.identifier, {
        identifier: b.identifier,
        parent: parent?.identifier ?? null,
        domain: b.domain,
      });
      b = parent;
    }
  }
  const treeNodes = [...tree.values()];
  const comparison = new AggregateComparison();
  const seenModels = new Map<string, number>();
  let rows = 0;

  type Parsed = {
    line: number;
    model: string;
    modelId: string;
    values: { c: Column; v: number | undefined }[];
    aggValues: { c: Column; v: number | undefined }[];
  };
  let pending: Parsed[] = [];
  // Rows are checked one by one (a bad row aborts the file or is skipped) and written in batches.
  const flush = async () => {
    const batch = pending;
    pending = [];
    const models = await ctx.models(
      batch.map((p) => ({
        identifier: p.model,
        displayName: p.model,
        ...(p.modelId ? { metadata: { brainscore: { modelId: p.modelId } } } : {}),
      })),
    );
    for (const [i, p] of batch.entries()) {
      const m = models[i] as (typeof models)[number];
      const leafMap = new Map<string, number>();
      for (const { c, v } of p.values) {
        if (v === undefined) continue;
        leafMap.set(c.benchmark.identifier, v);
        const engineeringLike = c.benchmark.domain === 'engineering' || c.benchmark.domain === 'robustness';
        // The `_vN` of the column: the benchmark version Brain-Score names, kept with the value.
        const sourceBenchmarkVersion = c.sourceVersion === null ? null : String(c.sourceVersion);
        await ctx.score(
          Number.isNaN(v)
            ? { modelId: m.id, benchmark: c.benchmark, status: 'failed', sourceBenchmarkVersion }
            : {
                modelId: m.id,
                benchmark: c.benchmark,
                status: 'scored',
                ceiledValue: v,
                rawValue: engineeringLike ? v : null,
                sourceBenchmarkVersion,
              },
        );
      }
      const fileAgg = new Map<string, number>();
      for (const { c, v } of p.aggValues) {
        if (v !== undefined && !Number.isNaN(v)) fileAgg.set(c.benchmark.identifier, v);
      }
      comparison.add(p.model, p.line, treeNodes, leafMap, fileAgg);
    }
  };

  for await (const r of csv.rows()) {
    await ctx.row(r.line, () => {
      csv.checkWidth(r);
      const model = (r.fields[modelCol] ?? '').trim();
      if (model === '') throw new RowError(r.line, 'empty model name');
      const first = seenModels.get(model);
      if (first !== undefined)
        throw new RowError(r.line, `duplicate model "${model}" (first at line ${first})`);
      const values = leaves.map((c) => ({ c, v: cell(r.fields[c.index] ?? '', r.line, c.header) }));
      const aggValues = aggregates.map((c) => ({ c, v: cell(r.fields[c.index] ?? '', r.line, c.header) }));
      seenModels.set(model, r.line);
      const modelId = modelIdCol >= 0 ? (r.fields[modelIdCol] ?? '').trim() : '';
      pending.push({ line: r.line, model, modelId, values, aggValues });
      rows++;
    });
    if (pending.length >= 500) await flush();
  }
  await flush();
  const agg = comparison.toJSON();
  if (agg.compared > 0) {
    ctx.note(
      null,
      `aggregates: ${agg.compared} values of the file compared with values recomputed from its leaves (${agg.aggregator}; mean of children, missing = 0): ${agg.withinTolerance} within ${agg.tolerance}, ${agg.outsideTolerance} outside (max difference ${agg.maxAbsDiff.toPrecision(3)}); see details.aggregates`,
    );
  }
  Object.assign(ctx.details, {
    layout,
    rows,
    leafColumns: leaves.map((c) => ({
      column: c.header,
      benchmark: c.benchmark.identifier,
      sourceVersion: c.sourceVersion,
    })),
    aggregateColumns: aggregates.map((c) => ({ column: c.header, benchmark: c.benchmark.identifier })),
    createdBenchmarks: created,
    aggregates: agg,
  });
}

export const brainscoreCsv: Importer = {
  kind: 'brainscore-csv',
  version: '1.0.0',
  description:
    'brain-score.org leaderboard CSV (older `model_name` form or newer `rank, model, Model ID` form)',
  sources: (target) => csvSources(target),
  importSource: importBrainScoreCsv,
};
