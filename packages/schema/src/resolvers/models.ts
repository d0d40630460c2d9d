import { parseRobustnessIdentifier } from '@alignscope/benchmarks';
import {
  countModels,
  isCurrentView,
  listModelsPage,
  type ModelKeyset,
  type ModelOrder,
  scoresInView,
} from '@alignscope/db/queries';
import type { Context } from '../context.ts';
import { badInput } from '../errors.ts';
import type { Resolvers } from '../generated/resolvers.generated.ts';
import { decodeCursor, encodeCursor, modelCursor, pageSize } from '../pagination.ts';
import type { ModelRow } from '../types.ts';
import { domainIn, scoreStatusIn } from './enums.ts';
import { viewIn } from './view.ts';

/** A model's scores: the current ones, or those its view (model(asOf, sourceOrder)) chooses. */
function modelScores(m: ModelRow, ctx: Context) {
  return isCurrentView(m.view)
    ? ctx.loaders.scoresByModelId.load(m.id)
    : scoresInView(ctx.db, { ...m.view, modelId: m.id }).then((rows) =>
        rows.map(({ modelIdentifier: _, ...s }) => s),
      );
}

const orders: Record<string, ModelOrder> = {
  IDENTIFIER_ASC: 'identifier_asc',
  IDENTIFIER_DESC: 'identifier_desc',
  CREATED_AT_DESC: 'created_desc',
};

export const modelResolvers: Resolvers = {
  Query: {
    async models(_, args, ctx) {
      const first = pageSize(args.first, 20);
      const order = orders[args.orderBy ?? 'IDENTIFIER_ASC'] ?? 'identifier_asc';
      const cursor = decodeCursor(args.after, modelCursor);
      if (cursor && cursor.o !== order) throw badInput('the cursor belongs to another orderBy', 'after');
      const after: ModelKeyset | undefined =
        cursor === undefined
          ? undefined
          : 'k' in cursor
            ? { identifier: cursor.k }
            : { createdAt: new Date(cursor.t), id: cursor.i };
      const filter = {
        search: args.filter?.search?.slice(0, 200),
        family: args.filter?.family,
        trainingRegime: args.filter?.trainingRegime,
        hasScoreFor: args.filter?.hasScoreFor,
      };
      const rows = await listModelsPage(ctx.db, { filter, order, after, limit: first + 1 });
      const nodes = rows.slice(0, first);
      for (const m of nodes) ctx.loaders.modelById.prime(m.id, m);
      return {
        nodes,
        cursors: nodes.map((m) =>
          encodeCursor(
            order === 'created_desc'
              ? { o: order, t: m.createdAt.toISOString(), i: m.id }
              : { o: order, k: m.identifier },
          ),
        ),
        hasNextPage: rows.length > first,
        totalCount: () => countModels(ctx.db, filter),
      };
    },
    async model(_, args, ctx) {
      const view = viewIn(args);
      const model = await ctx.loaders.modelByIdentifier.load(args.identifier);
      if (!model || isCurrentView(view)) return model;
      if (view.asOf && model.createdAt > view.asOf) return null;
      return { ...model, view };
    },
  },
  ModelConnection: {
    totalCount: (p) => p.totalCount(),
    pageInfo: (p) => ({
      hasNextPage: p.hasNextPage,
      hasPreviousPage: false,
      startCursor: p.cursors[0] ?? null,
      endCursor: p.cursors.at(-1) ?? null,
    }),
    edges: (p) => p.nodes.map((node, i) => ({ node, cursor: p.cursors[i] as string })),
  },
  Model: {
    submittedBy: (m, _, ctx) => (m.ownerKeyId === null ? null : ctx.loaders.keyNameById.load(m.ownerKeyId)),
    evaluable: (m) => m.onnxSha256 !== null,
    async scores(m, args, ctx) {
      const [all, catalog] = await Promise.all([modelScores(m, ctx), ctx.catalog()]);
      const f = args.filter;
      if (!f) return all;
      const wanted = f.benchmarks ? new Set(f.benchmarks) : undefined;
      const domain = f.domain ? domainIn(f.domain) : undefined;
      const status = f.status ? scoreStatusIn(f.status) : undefined;
      return all.filter((s) => {
        const b = catalog.byId.get(s.benchmarkId);
        if (!b) return false;
        if (wanted && !wanted.has(b.identifier)) return false;
        if (domain && b.domain !== domain) return false;
        return !status || s.status === status;
      });
    },
    async robustness(m, _, ctx) {
      const [all, catalog] = await Promise.all([modelScores(m, ctx), ctx.catalog()]);
      return all.flatMap((score) => {
        const benchmark = catalog.byId.get(score.benchmarkId);
        return benchmark?.domain === 'robustness' ? [{ benchmark, score }] : [];
      });
    },
  },
  RobustnessResult: {
    robustAccuracy: (r) => (r.score.status === 'scored' ? (r.score.rawValue ?? r.score.ceiledValue) : null),
    norm: (r) => parseRobustnessIdentifier(r.benchmark.identifier)?.norm ?? null,
    eps: (r) => parseRobustnessIdentifier(r.benchmark.identifier)?.eps ?? null,
    epsLabel: (r) => parseRobustnessIdentifier(r.benchmark.identifier)?.epsLabel ?? null,
    profile: (r) => parseRobustnessIdentifier(r.benchmark.identifier)?.profile ?? null,
    dataset: (r) => parseRobustnessIdentifier(r.benchmark.identifier)?.dataset ?? null,
  },
};
