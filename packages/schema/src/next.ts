/**
 * Route handlers for a Next.js app router route (apps/web/app/api/graphql/route.ts), through Apollo's
 * Next.js integration (@as-integrations/next). Before the integration sees a request, the rate limits
 * are checked (429 with Retry-After), its body is read
 * up to the size limit (413 beyond it) and a JSON body is checked (400 when malformed) and passed on
 * with a plain `application/json` content type (the integration only parses that exact value).
 */
import { startServerAndCreateNextHandler } from '@as-integrations/next';
import { tooManyRequests } from './rate-limit.ts';
import type { Api } from './server.ts';

function errorResponse(status: number, code: string, message: string): Response {
  return Response.json({ errors: [{ message, extensions: { code } }] }, { status });
}

/** The body as text, or undefined when it exceeds `limit` bytes (reading stops there). */
export async function readBodyLimited(request: Request, limit: number): Promise<string | undefined> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) return undefined;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The client address of a request to the Next.js server: the last entry of X-Forwarded-For, which is
 * the one the nearest hop wrote (Next's own server sets the header to the socket's address when the
 * client sent none; behind one reverse proxy, the proxy appends the address it saw).
 */
export function clientAddress(request: Request): string | undefined {
  const xff = request.headers.get('x-forwarded-for');
  const last = xff?.split(',').at(-1)?.trim();
  return last || undefined;
}

async function limited(api: Api, request: Request): Promise<Response | undefined> {
  const rate = await api.rateLimiter.check({
    address: clientAddress(request),
    authorization: request.headers.get('authorization'),
  });
  if (rate.ok) return undefined;
  const r = tooManyRequests(rate);
  return new Response(r.body, { status: 429, headers: r.headers });
}

export type RouteHandlers = {
  GET(request: Request): Promise<Response>;
  POST(request: Request): Promise<Response>;
};

/** GET and POST handlers of the API; `getApi` is called once, on the first request. */
export function createNextRouteHandlers(getApi: () => Promise<Api>): RouteHandlers {
  let ready: Promise<{ api: Api; handle: (r: Request) => Promise<Response> }> | undefined;
  const init = () => {
    ready ??= getApi()
      .then((api) => ({
        api,
        handle: startServerAndCreateNextHandler<Request, ReturnType<Api['context']>>(api.apollo, {
          context: async (req) => api.context({ authorization: req.headers.get('authorization') }),
        }) as (r: Request) => Promise<Response>,
      }))
      .catch((e: unknown) => {
        ready = undefined;
        throw e;
      });
    return ready;
  };
  return {
    async GET(request) {
      const { api, handle } = await init();
      return (await limited(api, request)) ?? handle(request);
    },
    async POST(request) {
      const { api, handle } = await init();
      const refused = await limited(api, request);
      if (refused) {
        await request.body?.cancel().catch(() => {});
        return refused;
      }
      const body = await readBodyLimited(request, api.maxBodyBytes);
      if (body === undefined) {
        return errorResponse(413, 'PAYLOAD_TOO_LARGE', `request body larger than ${api.maxBodyBytes} bytes`);
      }
      const headers = new Headers(request.headers);
      headers.delete('content-length');
      const type = headers.get('content-type') ?? '';
      if (/^application\/(graphql-response\+)?json\b/i.test(type)) {
        try {
          JSON.parse(body);
        } catch {
          return errorResponse(400, 'BAD_REQUEST', 'the request body is not valid JSON');
        }
        headers.set('content-type', 'application/json');
      }
      return handle(new Request(request.url, { method: 'POST', headers, body }));
    },
  };
}
