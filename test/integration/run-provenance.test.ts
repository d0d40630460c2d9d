/**
 * Issue 17 item 3: GraphQL `Run.provenance` reads the provenance an evaluation run records
 * (apps/evaluator/src/evaluate/provenance.ts); runs without one answer null.
 */
import { completeEvaluationRun, createRun, getBenchmark, upsertModel } from '@alignscope/db/queries';
import { createTestDb, type TestDb } from '@alignscope/db/testing';
import { type ApiServer, startApiServer } from '@alignscope/schema';
import { graphql } from '@alignscope/schema/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../support/graphql.ts';

const RunProvenance = graphql(`
  query RunProvenance($identifier: String!) {
    model(identifier: $identifier) {
      scores {
        benchmark { identifier }
        standardError
        run {
          errorMessage
          provenance {
            evaluatorVersion sourceCommit sourceDirty dataBundleVersion imageSetSha256 imageCount
            humanTrialFiles { file sha256 }
            decisionFiles { file sha256 }
          }
        }
      }
    }
  }
`);

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const C = 'c'.repeat(64);

let t: TestDb;
let server: ApiServer;
beforeAll(async () => {
  t = await createTestDb();
  server = await startApiServer({ db: t.db });
  const { model } = await upsertModel(t.db, { identifier: 'prov-model', displayName: 'prov-model' });
  const write = async (benchmark: string, configuration: Record<string, unknown>) => {
    const b = await getBenchmark(t.db, benchmark);
    if (!b) throw new Error(`no benchmark ${benchmark} in the catalog`);
    const run = await createRun(t.db, {
      kind: 'evaluation',
      modelId: model.id,
      producer: 'alignscope evaluate',
      configuration,
    });
    await completeEvaluationRun(t.db, {
      runId: run.id,
      modelId: model.id,
      benchmarkId: b.id,
      benchmarkVersion: b.version,
      status: 'succeeded',
      value: {
        raw: 0.5,
        ceiled: 0.5,
        error: 0.05,
        ceiling: null,
        interval: { low: null, high: null, method: 'none: test' },
      },
    });
  };
  await write('Geirhos2021cueconflict-error_consistency', {
    provenance: {
      evaluator: { version: '0.1.0', sourceCommit: '0123456789abcdef0123456789abcdef01234567', dirty: false },
      dataBundle: { version: A, versionSource: 'sha256 of README.md' },
      imageSet: { count: 1280, sha256: B, manifest: '…' },
      humanTrials: [{ file: 'human/cue-conflict/s1.csv', sha256: C }],
      decisions: [],
    },
  });
  await write('ImageNet-top1', { seed: 0 });
});
afterAll(async () => {
  await server?.close();
  await t?.close();
});

describe('Run.provenance', () => {
  it('returns the recorded provenance, and null for a run without one', async () => {
    const r = await query(server.url, RunProvenance, { identifier: 'prov-model' });
    const byBenchmark = Object.fromEntries(
      (r.model?.scores ?? []).map((s) => [s.benchmark.identifier, s.run?.provenance ?? null]),
    );
    expect(byBenchmark).toEqual({
      'Geirhos2021cueconflict-error_consistency': {
        evaluatorVersion: '0.1.0',
        sourceCommit: '0123456789abcdef0123456789abcdef01234567',
        sourceDirty: false,
        dataBundleVersion: A,
        imageSetSha256: B,
        imageCount: 1280,
        humanTrialFiles: [{ file: 'human/cue-conflict/s1.csv', sha256: C }],
        decisionFiles: [],
      },
      'ImageNet-top1': null,
    });
  });
});

// Issue 17 item 8: one meaning per name in the API — `standardError` on scores, `errorMessage` on
// runs; the old `error` fields stay, deprecated.
const Names = graphql(`
  query ErrorNames {
    score: __type(name: "Score") { fields(includeDeprecated: true) { name isDeprecated } }
    run: __type(name: "Run") { fields(includeDeprecated: true) { name isDeprecated } }
  }
`);

describe('error names', () => {
  it('score.standardError is the standard error; run.errorMessage the message; error is deprecated', async () => {
    const r = await query(server.url, RunProvenance, { identifier: 'prov-model' });
    expect(r.model?.scores.map((s) => [s.standardError, s.run?.errorMessage])).toEqual([
      [0.05, null],
      [0.05, null],
    ]);
    const n = await query(server.url, Names, {});
    const flags = (fields: { name: string; isDeprecated: boolean }[] | null | undefined) =>
      Object.fromEntries(
        (fields ?? []).filter((f) => /rror/.test(f.name)).map((f) => [f.name, f.isDeprecated]),
      );
    expect(flags(n.score?.fields)).toEqual({ standardError: false, error: true });
    expect(flags(n.run?.fields)).toEqual({ errorMessage: false, error: true });
  });
});
