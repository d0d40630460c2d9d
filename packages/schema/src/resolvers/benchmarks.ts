import { countBenchmarkScores, listBenchmarkScoresPage } from '@alignscope/db/queries';
import { badInput } from '../errors.ts';
import type { Resolvers } from '../generated/resolvers.generated.ts';
import { decodeCursor, encodeCursor, pageSize, scoreCursor } from '../pagination.ts';
import { domainOut } from './enums.ts';

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
    benchmark: async (_, args, ctx) => (await ctx.catalog()).byIdentifier.get(args.identifier) ?? null,
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
      const rows = await listBenchmarkScoresPage(ctx.db, {
        benchmarkId: b.id,
        after: cursor?.k,
        limit: first + 1,
      });
      const page = rows.slice(0, first);
      return {
        nodes: page.map(({ modelIdentifier: _m, ...score }) => score),
        cursors: page.map((r) => encodeCursor({ b: b.id, k: r.modelIdentifier })),
        hasNextPage: rows.length > first,
        totalCount: () => countBenchmarkScores(ctx.db, b.id),
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
