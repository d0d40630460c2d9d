import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed resolvers from the printed schema, and typed documents (client preset) for tests and the web app.
// Run `npm run codegen -w @alignscope/schema` after changing the SDL or a document; commit the output.
const parents = '../types.ts';
const config: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: true,
  generates: {
    'src/generated/resolvers.generated.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        contextType: '../context.ts#Context',
        mapperTypeSuffix: 'Parent',
        scalars: { DateTime: 'Date | string', JSON: 'unknown' },
        mappers: {
          Model: `${parents}#ModelRow`,
          Benchmark: `${parents}#BenchmarkRow`,
          Score: `${parents}#ScoreRow`,
          Run: `${parents}#RunRow`,
          ScoreVersion: `${parents}#ScoreVersionRow`,
          ScoreChange: `${parents}#ScoreChangeRow`,
          ModelConnection: `${parents}#ModelConnectionParent`,
          ModelEdge: `${parents}#ModelEdgeParent`,
          ScoreConnection: `${parents}#ScoreConnectionParent`,
          ScoreEdge: `${parents}#ScoreEdgeParent`,
          LeaderboardConnection: `${parents}#LeaderboardConnectionParent`,
          LeaderboardEdge: `${parents}#LeaderboardEdgeParent`,
          LeaderboardRow: `${parents}#LeaderboardRowParent`,
          LeaderboardCell: `${parents}#LeaderboardCellParent`,
          CorrelationRow: `${parents}#CorrelationRowParent`,
          ScatterPoint: `${parents}#ScatterPointParent`,
          RobustnessResult: `${parents}#RobustnessResultParent`,
          Submission: `${parents}#SubmissionParent`,
          SubmitResultsPayload: `${parents}#SubmitResultsPayloadParent`,
          RequestEvaluationPayload: `${parents}#RequestEvaluationPayloadParent`,
          EvaluationRequest: `${parents}#EvaluationRequestRow`,
          UserError: `${parents}#UserErrorParent`,
          Job: `${parents}#JobRow`,
          JobPayload: `${parents}#JobPayloadParent`,
          Study: `${parents}#StudyRow`,
          StudyResult: `${parents}#StudyResultParent`,
          StudyColumn: `${parents}#StudyColumnParent`,
          RunStudyPayload: `${parents}#RunStudyPayloadParent`,
        },
      },
    },
    // Typed documents for tests and scripts (DocumentNode, printed by the caller).
    'src/client/': {
      documents: [
        '../../test/integration/**/*.ts',
        '../../test/support/**/*.ts',
        'test/**/*.ts',
        'bench/**/*.ts',
      ],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string', JSON: 'unknown' } },
    },
    // The web app's operations, typed, as strings (no GraphQL parser in the browser bundle).
    '../../apps/web/src/generated/': {
      documents: [
        '../../apps/web/app/**/*.{ts,tsx}',
        '../../apps/web/src/**/*.{ts,tsx}',
        '!../../apps/web/src/generated/**',
      ],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        documentMode: 'string',
        scalars: { DateTime: 'string', JSON: 'unknown' },
      },
    },
  },
};

export default config;
