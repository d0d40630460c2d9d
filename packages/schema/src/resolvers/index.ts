import type { Resolvers } from '../generated/resolvers.generated.ts';
import { benchmarkResolvers } from './benchmarks.ts';
import { correlationResolvers } from './correlations.ts';
import { jobResolvers } from './jobs.ts';
import { leaderboardResolvers } from './leaderboard.ts';
import { modelResolvers } from './models.ts';
import { DateTime, JSONScalar } from './scalars.ts';
import { scoreResolvers } from './scores.ts';
import { studyResolvers } from './studies.ts';
import { submissionResolvers } from './submissions.ts';

export const API_VERSION = '1';

/** Every module's resolvers, merged per type. */
export const resolvers: Resolvers[] = [
  { DateTime, JSON: JSONScalar, Query: { apiVersion: () => API_VERSION } },
  modelResolvers,
  benchmarkResolvers,
  scoreResolvers,
  leaderboardResolvers,
  correlationResolvers,
  submissionResolvers,
  jobResolvers,
  studyResolvers,
];
