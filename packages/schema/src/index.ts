/**
 * @alignscope/schema: the GraphQL results API — schema-first SDL (src/modules), typed resolvers, the
 * server factory (createApi) for integrations, and a standalone HTTP server (startApiServer).
 */
export type { Context } from './context.ts';
export { type ApiServer, createRequestHandler, startApiServer } from './http.ts';
export { defaultLimits, type Limits } from './limits.ts';
export { createNextRouteHandlers, type RouteHandlers, readBodyLimited } from './next.ts';
export { API_VERSION } from './resolvers/index.ts';
export { type Api, type ApiOptions, createApi, DEFAULT_MAX_BODY_BYTES } from './server.ts';
export { printedSchema, typeDefs } from './typeDefs.ts';
