import { columns, correlationRows } from '../analysis.ts';
import { badInput } from '../errors.ts';
import type { Resolvers } from '../generated/resolvers.generated.ts';
import { methodIn, missingIn } from './enums.ts';

export const correlationResolvers: Resolvers = {
  Query: {
    async correlations(_, args, ctx) {
      const snapshot = await ctx.snapshot();
      const { byIdentifier } = snapshot.catalog;
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
      const rows = correlationRows(snapshot, {
        target: args.target,
        method: methodIn(args.method),
        covariate: args.covariate ?? null,
        minN,
        missing: missingIn(args.missing, 'skip'),
        bootstrap,
      });
      return rows.flatMap((r) => {
        const benchmark = byIdentifier.get(r.benchmark);
        return benchmark ? [{ ...r, benchmark }] : [];
      });
    },
    async scatter(_, args, ctx) {
      const snapshot = await ctx.snapshot();
      for (const [name, id] of [
        ['x', args.x],
        ['y', args.y],
      ] as const) {
        if (!snapshot.catalog.byIdentifier.has(id)) {
          throw badInput(`unknown benchmark ${JSON.stringify(id.slice(0, 200))}`, name);
        }
      }
      const all = columns(snapshot, missingIn(args.missing, 'skip'));
      const xs = all.get(args.x) ?? [];
      const ys = all.get(args.y) ?? [];
      return snapshot.models.flatMap((m, i) => {
        const x = xs[i];
        const y = ys[i];
        return typeof x === 'number' && typeof y === 'number' ? [{ modelId: m.id, x, y }] : [];
      });
    },
  },
  CorrelationRow: {
    partialCoefficient: (r) => r.partialCoefficient ?? null,
    partialPValue: (r) => r.partialPValue ?? null,
  },
  ScatterPoint: {
    async model(p, _, ctx) {
      const m =
        (await ctx.snapshot()).modelRows.get(p.modelId) ?? (await ctx.loaders.modelById.load(p.modelId));
      if (!m) throw new Error(`model ${p.modelId} vanished`);
      return m;
    },
  },
};
