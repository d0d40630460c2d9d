import { makeExecutableSchema } from '@graphql-tools/schema';
import { type GraphQLSchema, printSchema } from 'graphql';
import { typeDefs as benchmarks } from './modules/benchmarks.ts';
import { typeDefs as common } from './modules/common.ts';
import { typeDefs as correlations } from './modules/correlations.ts';
import { typeDefs as jobs } from './modules/jobs.ts';
import { typeDefs as leaderboard } from './modules/leaderboard.ts';
import { typeDefs as models } from './modules/models.ts';
import { typeDefs as scores } from './modules/scores.ts';
import { typeDefs as studies } from './modules/studies.ts';
import { typeDefs as submissions } from './modules/submissions.ts';

/** The SDL of every module (schema-first: the resolvers are typed from these). */
export const typeDefs = [
  common,
  models,
  benchmarks,
  scores,
  leaderboard,
  correlations,
  submissions,
  jobs,
  studies,
];

/** The schema without resolvers, printed: the committed packages/schema/schema.graphql. */
export function printedSchema(): string {
  const schema: GraphQLSchema = makeExecutableSchema({ typeDefs });
  return `${printSchema(schema)}\n`;
}
