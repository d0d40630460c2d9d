/**
 * The server factory: an Apollo Server 5 over the schema with the endpoint's protections, and the
 * per-request context factory. Integrations (apps/web's Next.js route, the standalone server of
 * http.ts) pass requests to it.
 */
import { type BoardCache, createBoardCache, dbBoardSource, workerBoardSource } from '@alignscope/board';
import { loadConfig, type Quotas, type RateLimits } from '@alignscope/config';
import type { Database } from '@alignscope/db';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLFormattedError } from 'graphql';
import { type Context, createContext } from './context.ts';
import { landingPageHtml } from './landing.ts';
import { createLimitsRule, defaultLimits, type Limits } from './limits.ts';
import { createRateLimiter, type RateLimiter } from './rate-limit.ts';
import { resolvers } from './resolvers/index.ts';
import { boardResponseCache } from './response-cache.ts';
import { typeDefs } from './typeDefs.ts';

export type ApiOptions = {
  db: Database;
  /** How long leaderboard/correlation data is shared across requests (default 5000 ms; 0: per request). */
  cacheTtlMs?: number;
  /**
   * The board cache to read from, when the process already has one (the web app shares its own with
   * its pages, so both faces answer from the same snapshot); default: a new one over `db`.
   */
  board?: BoardCache;
  /**
   * The database URL of `db`: with it, boards are built and correlation tables computed in worker
   * threads (@alignscope/board's workerBoardSource), so no request waits behind a rebuild's
   * aggregation; without it, in line.
   */
  databaseUrl?: string;
  limits?: Partial<Limits>;
  /** Largest request body accepted by the HTTP layers (default 1 MiB). */
  maxBodyBytes?: number;
  /** Where unexpected errors are logged (default console.error). */
  logError?: (error: unknown) => void;
  /** Per-key evaluation quotas (default: the configuration's; admin keys are exempt). */
  quotas?: Quotas;
  /** Requests per minute per client address and per key (default: the configuration's). */
  rateLimits?: RateLimits;
};

export type Api = {
  apollo: ApolloServer<Context>;
  /** A fresh context for one request. */
  context(request: { authorization?: string | null }): Context;
  cache: BoardCache;
  maxBodyBytes: number;
  /** Checked by the HTTP layers before they read a request (429 when refused). */
  rateLimiter: RateLimiter;
};

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Codes a client may see; anything else is an unexpected error and is masked. */
const PUBLIC_CODES = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'QUERY_TOO_DEEP',
  'TOO_MANY_ALIASES',
  'QUERY_TOO_COMPLEX',
]);

/** Masks unexpected errors (message and details) and gives limit violations their own code. */
export function formatError(logError: (e: unknown) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const ext = formatted.extensions ?? {};
    const limit = typeof ext.limit === 'string' ? ext.limit : undefined;
    const code = limit ?? (typeof ext.code === 'string' ? ext.code : 'INTERNAL_SERVER_ERROR');
    if (!PUBLIC_CODES.has(code)) {
      logError(error);
      return {
        message: 'Internal server error',
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      };
    }
    const { stacktrace: _s, limit: _l, ...rest } = ext;
    return { ...formatted, extensions: { ...rest, code } };
  };
}

function localLandingPage(): ApolloServerPlugin<Context> {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html: landingPageHtml() };
        },
      };
    },
  };
}

export function createApi(options: ApiOptions): Api {
  const limits = { ...defaultLimits, ...options.limits };
  const logError = options.logError ?? ((e: unknown) => console.error('graphql: unexpected error:', e));
  const schema = makeExecutableSchema<Context>({ typeDefs, resolvers });
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    validationRules: [createLimitsRule(limits)],
    // A document of more tokens is refused before validation (a cheap guard against huge queries).
    parseOptions: { maxTokens: 20_000 },
    formatError: formatError(logError),
    // No HTTP cache hints are computed per field (nothing here sets them) and nothing is reported out.
    plugins: [
      localLandingPage(),
      boardResponseCache(),
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
    ],
  });
  const source = options.databaseUrl
    ? workerBoardSource(options.db, options.databaseUrl)
    : dbBoardSource(options.db);
  const cache = options.board ?? createBoardCache(source, options.cacheTtlMs ?? 5000);
  const config = options.quotas && options.rateLimits ? undefined : loadConfig();
  const quotas = options.quotas ?? (config as NonNullable<typeof config>).quotas;
  return {
    apollo,
    context: (request) => createContext(options.db, cache, request, quotas),
    cache,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    rateLimiter: createRateLimiter(options.rateLimits ?? (config as NonNullable<typeof config>).rateLimits),
  };
}
