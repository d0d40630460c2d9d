import {
  benchmarkVersionAt,
  countBenchmarkScores,
  isCurrentView,
  listBenchmarkScoresPage,
  scoresInView,
} from '@alignscope/db/queries';
import { badInput } from '../errors.ts';
import type { Resolvers } from '../generated/resolvers.generated.ts';
import { decodeCursor, encodeCursor, pageSize, scoreCursor } from '../pagination.ts';
import { domainOut } from './enums.ts';
import { viewIn } from './view.ts';

export const benchmarkResolvers: Resolvers = {
  Query: {
    async benchmarks(_, args, ctx) {
      const catalog = await ctx.catalog();
      if (args.root === null || args.root === undefined) {
        return catalog.benchmarks.filter((b) => b.parentId === null);
      }
      const root = catalog.byIdentifier.get(args.root);
      if (!root) throw badInput(`unknown benchmark ${JSON.stringify(args.root.slice(0, 200))}`, 'root');
      return [root];
    },
    async benchmark(_, args, ctx) {
      const view = viewIn(args);
      const b = (await ctx.catalog()).byIdentifier.get(args.identifier) ?? null;
      if (!b || isCurrentView(view)) return b;
      if (view.asOf && b.createdAt > view.asOf) return null;
      const version = view.asOf ? await benchmarkVersionAt(ctx.db, b, view.asOf) : b.version;
      return { ...b, version, view };
    },
  },
  Benchmark: {
    displayName: (b) => b.displayName ?? b.identifier,
    domain: (b) => domainOut(b.domain),
    parent: async (b, _, ctx) =>
      b.parentId === null ? null : ((await ctx.catalog()).byId.get(b.parentId) ?? null),
    children: async (b, _, ctx) => (await ctx.catalog()).children.get(b.id) ?? [],
    isLeaf: async (b, _, ctx) => b.domain !== 'aggregate' && !(await ctx.catalog()).children.has(b.id),
    parameters: (b) => b.parameters,
    async scores(b, args, ctx) {
      const first = pageSize(args.first, 20);
      const cursor = decodeCursor(args.after, scoreCursor);
      if (cursor && cursor.b !== b.id) throw badInput('the cursor belongs to another benchmark', 'after');
      const view = b.view;
      const current = isCurrentView(view);
      const page = { benchmarkId: b.id, after: cursor?.k, limit: first + 1 };
      const rows = current
        ? await listBenchmarkScoresPage(ctx.db, page)
        : await scoresInView(ctx.db, { ...view, ...page });
      const nodes = rows.slice(0, first);
      return {
        nodes: nodes.map(({ modelIdentifier: _m, ...score }) => score),
        cursors: nodes.map((r) => encodeCursor({ b: b.id, k: r.modelIdentifier })),
        hasNextPage: rows.length > first,
        totalCount: () =>
          current
            ? countBenchmarkScores(ctx.db, b.id)
            : scoresInView(ctx.db, { ...view, benchmarkId: b.id }).then((r) => r.length),
      };
    },
  },
  ScoreConnection: {
    totalCount: (p) => p.totalCount(),
    pageInfo: (p) => ({
      hasNextPage: p.hasNextPage,
      hasPreviousPage: false,
      startCursor: p.cursors[0] ?? null,
      endCursor: p.cursors.at(-1) ?? null,
    }),
    edges: (p) => p.nodes.map((node, i) => ({ node, cursor: p.cursors[i] as string })),
  },
};
