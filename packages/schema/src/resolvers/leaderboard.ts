import { badInput } from '../errors.ts';
import type { Resolvers } from '../generated/resolvers.generated.ts';
import { decodeCursor, encodeCursor, leaderboardCursor, pageSize } from '../pagination.ts';
import { missingIn, missingOut, nodeStatusOut } from './enums.ts';
import { viewIn } from './view.ts';

export const leaderboardResolvers: Resolvers = {
  Query: {
    async leaderboard(_, args, ctx) {
      const first = pageSize(args.first, 50);
      const missing = missingIn(args.missing, 'zero');
      const view = viewIn(args);
      const board = await ctx.boardAt(view.asOf, view.sourceOrder);
      const root = board.byIdentifier.get(args.root);
      if (!root) throw badInput(`unknown benchmark ${JSON.stringify(args.root.slice(0, 200))}`, 'root');
      const cursor = decodeCursor(args.after, leaderboardCursor);
      if (cursor && (cursor.r !== root.identifier || cursor.m !== missing)) {
        throw badInput('the cursor belongs to another root or missing policy', 'after');
      }
      const start = cursor ? cursor.n + 1 : 0;
      const rows = board.leaderboard(root.identifier, missing);
      const nodes = rows.slice(start, start + first);
      return {
        root,
        missing,
        columns: board.children.get(root.id) ?? [],
        nodes,
        cursors: nodes.map((_, i) => encodeCursor({ r: root.identifier, m: missing, n: start + i })),
        hasNextPage: start + first < rows.length,
        totalCount: () => rows.length,
      };
    },
  },
  LeaderboardConnection: {
    missing: (p) => missingOut(p.missing),
    totalCount: (p) => p.totalCount(),
    pageInfo: (p) => ({
      hasNextPage: p.hasNextPage,
      hasPreviousPage: false,
      startCursor: p.cursors[0] ?? null,
      endCursor: p.cursors.at(-1) ?? null,
    }),
    edges: (p) => p.nodes.map((node, i) => ({ node, cursor: p.cursors[i] as string })),
  },
  LeaderboardRow: {
    // The row carries its model from the board it was ranked in (resolved synchronously, no query).
    model: (r) => r.model,
    status: (r) => nodeStatusOut(r.status),
  },
  LeaderboardCell: {
    status: (c) => nodeStatusOut(c.status),
  },
};
