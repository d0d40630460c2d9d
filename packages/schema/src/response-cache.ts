/**
 * A response cache for the read operations computed from the shared board (leaderboard,
 * correlations, scatter): the result of an operation is kept per (query, variables, board data
 * version), so it is as fresh as the board itself and recomputed after any change of the data.
 * Nothing in these operations depends on the caller (no field reads the API key), so entries are
 * shared. Results with errors are never stored. A response that holds for every caller until the
 * data version changes is marked on its context (`reusable.version`), so that the HTTP layer (http.ts) can
 * keep its serialised bytes and answer the same request again without executing it.
 */
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Kind } from 'graphql';
import type { Context } from './context.ts';

/** Root query fields answered from the board. */
const BOARD_FIELDS = new Set(['leaderboard', 'correlations', 'scatter']);

export type ResponseCacheOptions = { maxEntries?: number };

export function boardResponseCache(options: ResponseCacheOptions = {}): ApolloServerPlugin<Context> {
  const maxEntries = options.maxEntries ?? 500;
  const entries = new Map<string, { version: string; data: Record<string, unknown> }>();
  return {
    async requestDidStart(): Promise<GraphQLRequestListener<Context>> {
      let key: string | undefined;
      let version: string | undefined;
      return {
        async responseForOperation(rc) {
          if (rc.operation.operation !== 'query') return null;
          const cacheable = rc.operation.selectionSet.selections.every(
            (s) => s.kind === Kind.FIELD && BOARD_FIELDS.has(s.name.value) && !s.directives?.length,
          );
          if (!cacheable) return null;
          version = (await rc.contextValue.board()).version;
          key = `${rc.queryHash}\u0000${rc.operationName ?? ''}\u0000${JSON.stringify(rc.request.variables ?? {})}`;
          const hit = entries.get(key);
          if (!hit || hit.version !== version) return null;
          return { http: rc.response.http, body: { kind: 'single', singleResult: { data: hit.data } } };
        },
        async willSendResponse(rc) {
          if (key === undefined || version === undefined) return;
          const body = rc.response.body;
          if (body.kind !== 'single' || body.singleResult.errors || !body.singleResult.data) return;
          rc.contextValue.reusable.version = version;
          if (entries.get(key)?.version === version) return;
          entries.delete(key);
          entries.set(key, { version, data: body.singleResult.data });
          if (entries.size > maxEntries) {
            const oldest = entries.keys().next().value;
            if (oldest !== undefined) entries.delete(oldest);
          }
        },
      };
    },
  };
}
