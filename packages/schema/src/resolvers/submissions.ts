import {
  applySubmission,
  checkEvaluable,
  createEvaluationRequestWithJobs,
  getModel,
  QuotaExceededError,
} from '@alignscope/db/queries';
import type { Context } from '../context.ts';
import type { Resolvers } from '../generated/resolvers.generated.ts';
import { validateEvaluationRequest, validateSubmission } from '../submit.ts';
import type { UserErrorParent } from '../types.ts';

export async function authenticate(
  ctx: Context,
): Promise<{ ok: true; id: number; name: string; isAdmin: boolean } | { ok: false; error: UserErrorParent }> {
  const auth = await ctx.auth();
  if (auth.ok) return { ok: true, id: auth.key.id, name: auth.key.name, isAdmin: auth.key.isAdmin };
  const message =
    auth.reason === 'missing'
      ? 'this mutation needs an API key: send the header Authorization: Bearer <key>'
      : 'the API key is unknown or revoked';
  return { ok: false, error: { code: 'UNAUTHENTICATED', message, path: [] } };
}

const refused = (errors: UserErrorParent[]) => ({
  ok: false,
  duplicate: false,
  model: null,
  scores: [],
  submission: null,
  errors,
});

export const submissionResolvers: Resolvers = {
  Mutation: {
    async submitResults(_, args, ctx) {
      const key = await authenticate(ctx);
      if (!key.ok) return refused([key.error]);
      const checked = validateSubmission(args.input, await ctx.catalog());
      if (!checked.ok) return refused(checked.errors);
      const outcome = await applySubmission(ctx.db, {
        ...checked.value,
        apiKey: { id: key.id, isAdmin: key.isAdmin },
      });
      if (outcome.kind === 'forbidden') {
        return refused([
          { code: 'FORBIDDEN', message: outcome.message, path: ['input', 'model', 'identifier'] },
        ]);
      }
      if (!outcome.duplicate) ctx.invalidate();
      ctx.loaders.modelById.prime(outcome.model.id, outcome.model);
      return {
        ok: true,
        duplicate: outcome.duplicate,
        model: outcome.model,
        scores: outcome.scores,
        submission: { id: outcome.submissionId, payloadSha256: checked.value.payloadSha256 },
        errors: [],
      };
    },
    async requestEvaluation(_, args, ctx) {
      const no = (errors: UserErrorParent[]) => ({ ok: false, request: null, errors });
      const key = await authenticate(ctx);
      if (!key.ok) return no([key.error]);
      const checked = validateEvaluationRequest(args, await ctx.catalog());
      if (!checked.ok) return no(checked.errors);
      const model = await getModel(ctx.db, checked.model);
      const path = ['model'];
      if (!model || (model.visibility !== 'public' && !key.isAdmin && model.ownerKeyId !== key.id)) {
        return no([
          { code: 'UNKNOWN_MODEL', message: `unknown model ${JSON.stringify(checked.model)}`, path },
        ]);
      }
      if (!key.isAdmin && model.ownerKeyId !== key.id) {
        return no([
          {
            code: 'FORBIDDEN',
            message: `model ${model.identifier} belongs to another key; only its owner or an admin key may request evaluations`,
            path,
          },
        ]);
      }
      if (model.onnxSha256 === null) {
        return no([
          {
            code: 'MODEL_NOT_EVALUABLE',
            message: `the platform holds no ONNX file of ${model.identifier}`,
            path,
          },
        ]);
      }
      // Refused with a message naming each benchmark the evaluator cannot run for this model; nothing queued.
      const refusals = await checkEvaluable(ctx.db, model, checked.benchmarks);
      if (refusals.length > 0) {
        return no(
          refusals.map((r) => ({
            code: 'NOT_EVALUABLE',
            message: r.message,
            path: ['benchmarks', String(args.benchmarks.indexOf(r.benchmark))],
          })),
        );
      }
      // One job per benchmark (a benchmark already scored for this model file is not run again
      // unless forced); within the key's daily quota, checked where the request is recorded.
      let created: Awaited<ReturnType<typeof createEvaluationRequestWithJobs>>;
      try {
        created = await createEvaluationRequestWithJobs(ctx.db, {
          modelId: model.id,
          apiKeyId: key.id,
          benchmarks: checked.benchmarks,
          force: args.force === true,
          ...(key.isAdmin ? {} : { quota: ctx.quotas }),
        });
      } catch (e) {
        if (e instanceof QuotaExceededError)
          return no([{ code: 'QUOTA_EXCEEDED', message: e.message, path: [] }]);
        throw e;
      }
      const { request } = created;
      ctx.loaders.modelById.prime(model.id, model);
      return { ok: true, request, errors: [] };
    },
  },
  SubmitResultsPayload: {},
  Submission: { id: (s) => String(s.id) },
  EvaluationRequest: {
    id: (r) => String(r.id),
    async model(r, _, ctx) {
      const m = await ctx.loaders.modelById.load(r.modelId);
      if (!m) throw new Error(`model ${r.modelId} of an evaluation request vanished`);
      return m;
    },
    async benchmarks(r, _, ctx) {
      const catalog = await ctx.catalog();
      return r.benchmarks.flatMap((id) => catalog.byIdentifier.get(id) ?? []);
    },
  },
};
