import { GraphQLError } from 'graphql';
import type { Resolvers } from '../generated/resolvers.generated.ts';
import { runKindOut, runStatusOut, scoreStatusOut } from './enums.ts';

export const scoreResolvers: Resolvers = {
  Score: {
    async model(s, _, ctx) {
      const m = await ctx.loaders.modelById.load(s.modelId);
      if (!m) throw new GraphQLError(`model ${s.modelId} of a score vanished`);
      return m;
    },
    async benchmark(s, _, ctx) {
      const b = (await ctx.catalog()).byId.get(s.benchmarkId);
      if (!b) throw new GraphQLError(`benchmark ${s.benchmarkId} of a score is not in the catalog`);
      return b;
    },
    status: (s) => scoreStatusOut(s.status),
    value: (s) => s.ceiledValue ?? s.rawValue,
    run: (s, _, ctx) => (s.runId === null ? null : ctx.loaders.runById.load(s.runId)),
  },
  Run: {
    id: (r) => String(r.id),
    kind: (r) => runKindOut(r.kind),
    status: (r) => runStatusOut(r.status),
  },
};
