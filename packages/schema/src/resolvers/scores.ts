import { scoreChanges, scoreHistory } from '@alignscope/db/queries';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { badInput } from '../errors.ts';
import type { Resolvers } from '../generated/resolvers.generated.ts';
import { asDate } from './dates.ts';
import { runKindOut, runStatusOut, scoreSourceOut, scoreStatusOut } from './enums.ts';

const fileHash = z.object({ file: z.string(), sha256: z.string() });
/** The `provenance` object the evaluator writes into a run's configuration (evaluate/provenance.ts). */
const provenanceSchema = z.object({
  evaluator: z.object({ version: z.string(), sourceCommit: z.string(), dirty: z.boolean().optional() }),
  dataBundle: z.object({ version: z.string() }),
  imageSet: z.object({ count: z.number().int(), sha256: z.string() }).nullable(),
  humanTrials: z.array(fileHash),
  decisions: z.array(fileHash),
});

function runProvenance(configuration: unknown) {
  const p = provenanceSchema.safeParse((configuration as { provenance?: unknown } | null)?.provenance);
  if (!p.success) return null;
  const v = p.data;
  return {
    evaluatorVersion: v.evaluator.version,
    sourceCommit: v.evaluator.sourceCommit,
    sourceDirty: v.evaluator.dirty ?? null,
    dataBundleVersion: v.dataBundle.version,
    imageSetSha256: v.imageSet?.sha256 ?? null,
    imageCount: v.imageSet?.count ?? null,
    humanTrialFiles: v.humanTrials,
    decisionFiles: v.decisions,
  };
}

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
    standardError: (s) => s.error,
    run: (s, _, ctx) => (s.runId === null ? null : ctx.loaders.runById.load(s.runId)),
    source: (s) => (s.source === null ? null : scoreSourceOut(s.source)),
    async history(s, args, ctx) {
      const cell = { modelId: s.modelId, benchmarkId: s.benchmarkId, benchmarkVersion: s.benchmarkVersion };
      const h = await scoreHistory(ctx.db, [cell], asDate(args.asOf));
      return h.get(`${s.modelId}:${s.benchmarkId}:${s.benchmarkVersion}`) ?? [];
    },
  },
  ScoreVersion: {
    source: (v) => (v.source === null ? null : scoreSourceOut(v.source)),
    status: (v) => scoreStatusOut(v.status),
    value: (v) => v.ceiledValue ?? v.rawValue,
    run: (v, _, ctx) => (v.runId === null ? null : ctx.loaders.runById.load(v.runId)),
  },
  ScoreChange: {
    async model(c, _, ctx) {
      const m = await ctx.loaders.modelById.load(c.modelId);
      if (!m) throw new GraphQLError(`model ${c.modelId} of a change vanished`);
      return m;
    },
    async benchmark(c, _, ctx) {
      const b = (await ctx.catalog()).byId.get(c.benchmarkId);
      if (!b) throw new GraphQLError(`benchmark ${c.benchmarkId} of a change is not in the catalog`);
      return b;
    },
    reason: (c) => c.reason.toUpperCase().replace(/-/g, '_') as 'FIRST_VALUE',
  },
  Query: {
    async changes(_, args, ctx) {
      const first = args.first ?? 100;
      if (!Number.isInteger(first) || first < 1 || first > 1000)
        throw badInput('first must be 1 to 1000', 'first');
      const since = asDate(args.since) as Date;
      const until = asDate(args.until) ?? new Date();
      if (until < since) throw badInput('until is before since', 'until');
      return scoreChanges(ctx.db, { since, until, limit: first });
    },
  },
  Run: {
    id: (r) => String(r.id),
    kind: (r) => runKindOut(r.kind),
    status: (r) => runStatusOut(r.status),
    errorMessage: (r) => r.error,
    provenance: (r) => runProvenance(r.configuration),
  },
};
