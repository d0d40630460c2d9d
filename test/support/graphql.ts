/** A tiny typed GraphQL client over fetch for the integration tests. */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

export type GraphQLErrorShape = {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string } & Record<string, unknown>;
};
export type Response<R> = { status: number; data?: R | null; errors?: GraphQLErrorShape[] };

export async function post(
  url: string,
  body: string | object,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: { data?: unknown; errors?: GraphQLErrorShape[] } }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: { data?: unknown; errors?: GraphQLErrorShape[] };
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    throw new Error(`non-JSON response ${res.status}: ${text.slice(0, 200)}`);
  }
  return { status: res.status, json };
}

/** Runs a typed document; `key` becomes an Authorization: Bearer header. */
export async function request<R, V>(
  url: string,
  document: TypedDocumentNode<R, V>,
  variables?: V,
  opts: { key?: string; headers?: Record<string, string> } = {},
): Promise<Response<R>> {
  const headers = { ...opts.headers, ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}) };
  const { status, json } = await post(url, { query: print(document), variables: variables ?? {} }, headers);
  return { status, data: json.data as R | null | undefined, errors: json.errors };
}

/** Like request, but fails the test on any GraphQL error and returns the data. */
export async function query<R, V>(
  url: string,
  document: TypedDocumentNode<R, V>,
  variables?: V,
  opts: { key?: string } = {},
): Promise<R> {
  const r = await request(url, document, variables, opts);
  if (r.errors?.length || !r.data) {
    throw new Error(`GraphQL request failed (${r.status}): ${JSON.stringify(r.errors)}`);
  }
  return r.data;
}
