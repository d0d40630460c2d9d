import { badInput } from '../errors.ts';
import type { Resolvers } from '../generated/resolvers.generated.ts';
import { methodIn, missingIn } from './enums.ts';
import { viewIn } from './view.ts';

export const correlationResolvers: Resolvers = {
  Query: {
    async correlations(_, args, ctx) {
      const view = viewIn(args);
      const board = await ctx.boardAt(view.asOf, view.sourceOrder);
      const { byIdentifier } = board;
      if (!byIdentifier.has(args.target)) {
        throw badInput(`unknown benchmark ${JSON.stringify(args.target.slice(0, 200))}`, 'target');
      }
      if (args.covariate && !byIdentifier.has(args.covariate)) {
        throw badInput(`unknown benchmark ${JSON.stringify(args.covariate.slice(0, 200))}`, 'covariate');
      }
      const minN = args.minN ?? 8;
      if (!Number.isInteger(minN) || minN < 3 || minN > 100_000)
        throw badInput('minN must be 3 to 100000', 'minN');
      const bootstrap = args.bootstrap ?? 1000;
      if (!Number.isInteger(bootstrap) || bootstrap < 0 || bootstrap > 2000) {
        throw badInput('bootstrap must be 0 to 2000 resamples', 'bootstrap');
      }
      // Computed in the board's worker threads when the board has them (never on this thread).
      const rows = await board.correlationsAsync({
        target: args.target,
        method: methodIn(args.method),
        covariate: args.covariate ?? null,
        minN,
        missing: missingIn(args.missing, 'skip'),
        bootstrap,
        includeRelated: args.includeRelated ?? false,
      });
      return rows.flatMap((r) => {
        const benchmark = byIdentifier.get(r.benchmark);
        return benchmark ? [{ ...r, benchmark }] : [];
      });
    },
    async scatter(_, args, ctx) {
      const view = viewIn(args);
      const board = await ctx.boardAt(view.asOf, view.sourceOrder);
      for (const [name, id] of [
        ['x', args.x],
        ['y', args.y],
      ] as const) {
        if (!board.byIdentifier.has(id)) {
          throw badInput(`unknown benchmark ${JSON.stringify(id.slice(0, 200))}`, name);
        }
      }
      return board.pairs(args.x, args.y, missingIn(args.missing, 'skip'));
    },
  },
  CorrelationRow: {
    partialCoefficient: (r) => r.partialCoefficient ?? null,
    partialPValue: (r) => r.partialPValue ?? null,
    relation: (r) => (r.relation === null ? null : r.relation === 'ancestor' ? 'ANCESTOR' : 'SIBLING'),
  },
  ScatterPoint: {
    model: (p) => p.model,
  },
};
