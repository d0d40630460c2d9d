/**
 * A standalone HTTP server for the API on node:http (used by `alignscope api`, the tests and the
 * benchmark): POST/GET at `path`, the request-rate limits (429), a request body limit, the local
 * landing page on GET. Responses of board reads that hold for every caller until the data version
 * changes (response-cache.ts marks them) are kept as bytes per request body: the same POST again at
 * the same data version is answered from them, without parsing, validating or executing it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap } from '@apollo/server';
import type { Context } from './context.ts';
import { tooManyRequests } from './rate-limit.ts';
import { type Api, type ApiOptions, createApi } from './server.ts';

export type ApiServer = {
  /** e.g. http://127.0.0.1:4000/graphql */
  url: string;
  api: Api;
  server: Server;
  close(): Promise<void>;
};

function sendError(res: ServerResponse, status: number, code: string, message: string, close = false): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(body);
}

/** Reads the body up to `limit` bytes; undefined when it is larger (the rest is drained). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

/** A serialised response and the board data version it holds for. */
type KeptResponse = { version: string; status: number; headers: Record<string, string>; body: string };

/** Request bodies up to this size have their board responses kept, and this many of them. */
const KEEP_BODY_BYTES = 16 * 1024;
const KEEP_RESPONSES = 200;

/** The request handler of the API at `path` (other paths: 404). */
export function createRequestHandler(api: Api, path = '/graphql') {
  /** By Accept header and request body, least recently used first. */
  const kept = new Map<string, KeptResponse>();
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== path) {
      req.resume();
      return sendError(res, 404, 'NOT_FOUND', `not found; the API is at ${path}`);
    }
    const rate = await api.rateLimiter.check({
      address: req.socket.remoteAddress,
      authorization: req.headers.authorization,
    });
    if (!rate.ok) {
      req.resume();
      const r = tooManyRequests(rate);
      res.writeHead(429, { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) });
      res.end(r.body);
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    let body: unknown;
    let keepAs: string | undefined;
    if (method === 'POST') {
      const raw = await readBody(req, api.maxBodyBytes);
      if (raw === undefined) {
        return sendError(
          res,
          413,
          'PAYLOAD_TOO_LARGE',
          `request body larger than ${api.maxBodyBytes} bytes`,
          true,
        );
      }
      const type = req.headers['content-type'] ?? '';
      if (type.includes('application/json') || type.includes('application/graphql-response+json')) {
        if (raw.length <= KEEP_BODY_BYTES) {
          keepAs = `${req.headers.accept ?? ''}\u0000${raw.toString('utf8')}`;
          const hit = kept.get(keepAs);
          if (hit && hit.version === (await api.cache.get()).version) {
            kept.delete(keepAs); // most recently used last
            kept.set(keepAs, hit);
            res.writeHead(hit.status, hit.headers);
            res.end(hit.body);
            return;
          }
        }
        try {
          body = raw.length === 0 ? undefined : JSON.parse(raw.toString('utf8'));
        } catch {
          return sendError(res, 400, 'BAD_REQUEST', 'the request body is not valid JSON');
        }
      } else {
        body = raw.toString('utf8');
      }
    } else {
      req.resume();
    }
    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    }
    const authorization = req.headers.authorization;
    let context: Context | undefined;
    const result = await api.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers, search: url.search, body },
      context: async () => {
        context = api.context({ authorization });
        return context;
      },
    });
    const out: Record<string, string> = {};
    for (const [k, v] of result.headers) out[k] = v;
    const status = result.status ?? 200;
    res.writeHead(status, out);
    if (result.body.kind === 'complete') {
      const version = context?.reusable.version;
      if (keepAs !== undefined && version !== undefined && status === 200) {
        kept.delete(keepAs);
        kept.set(keepAs, { version, status, headers: out, body: result.body.string });
        if (kept.size > KEEP_RESPONSES) kept.delete(kept.keys().next().value as string);
      }
      res.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  };
}

/** Starts the API on host:port (port 0: an ephemeral port). */
export async function startApiServer(
  options: ApiOptions & { port?: number; host?: string; path?: string },
): Promise<ApiServer> {
  const api = createApi(options);
  await api.apollo.start();
  const handler = createRequestHandler(api, options.path);
  const server = createServer((req, res) => {
    handler(req, res).catch((e: unknown) => {
      console.error('graphql: request failed:', e);
      if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      else res.end();
    });
  });
  server.keepAliveTimeout = 5000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}${options.path ?? '/graphql'}`,
    api,
    server,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await api.apollo.stop();
    },
  };
}
