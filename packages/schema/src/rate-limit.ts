/**
 * Request-rate limits of the GraphQL endpoint, per client address and per API key (fixed one-minute
 * windows of rate-limiter-flexible), checked before the request body is read: a refused request
 * costs no parsing and no database work, which is what keeps a flood from one client away from
 * everyone else's latency and from the job queue. Answered with HTTP 429 and Retry-After.
 *
 * The counters live in this process's memory (RateLimiterMemory). With several web/API processes
 * each enforces the limit on its own share of the traffic, so a client gets up to N times the limit
 * over N processes; that bound is known and needs no shared store on the hot path. A deployment
 * that must enforce one global number would swap in rate-limiter-flexible's RateLimiterPostgres on
 * the platform's database with `inMemoryBlockOnConsumed` set to the same limit, so that once a
 * client is over it, its further requests are refused from memory without touching Postgres.
 */
import { createHash } from 'node:crypto';
import type { RateLimits } from '@alignscope/config';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { bearerToken } from './context.ts';

export type { RateLimits };

export type RateDecision =
  | { ok: true }
  | { ok: false; scope: 'address' | 'key'; retryAfterSeconds: number; limit: number };

export type RateLimiter = {
  /** Counts one request of `address` (and of its bearer key, if any) and says whether it may go on. */
  check(request: { address: string | undefined; authorization?: string | null }): Promise<RateDecision>;
};

const WINDOW_SECONDS = 60;

/** A limiter with `limits` requests per minute (0: that limit is off). */
export function createRateLimiter(limits: RateLimits): RateLimiter {
  const make = (points: number, keyPrefix: string) =>
    points > 0 ? new RateLimiterMemory({ points, duration: WINDOW_SECONDS, keyPrefix }) : undefined;
  const byAddress = make(limits.perAddress, 'address');
  const byKey = make(limits.perKey, 'key');
  const consume = async (
    limiter: RateLimiterMemory | undefined,
    id: string,
    scope: 'address' | 'key',
    limit: number,
  ): Promise<RateDecision> => {
    if (!limiter) return { ok: true };
    try {
      await limiter.consume(id);
      return { ok: true };
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      return { ok: false, scope, limit, retryAfterSeconds: Math.max(1, Math.ceil(e.msBeforeNext / 1000)) };
    }
  };
  return {
    async check(request) {
      const token = bearerToken(request.authorization);
      if (token) {
        // keys are counted by a hash of the token: no database lookup, and no secret kept in memory
        const id = createHash('sha256').update(token).digest('hex');
        const k = await consume(byKey, id, 'key', limits.perKey);
        if (!k.ok) return k;
      }
      return consume(byAddress, request.address ?? 'unknown', 'address', limits.perAddress);
    },
  };
}

/** The JSON body and headers of a 429 answer. */
export function tooManyRequests(d: Extract<RateDecision, { ok: false }>): {
  body: string;
  headers: Record<string, string>;
} {
  const who = d.scope === 'key' ? 'this API key' : 'this client address';
  const body = JSON.stringify({
    errors: [
      {
        message: `too many requests from ${who} (limit ${d.limit} per minute); retry after ${d.retryAfterSeconds} s`,
        extensions: { code: 'RATE_LIMITED', retryAfterSeconds: d.retryAfterSeconds },
      },
    ],
  });
  return {
    body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'retry-after': String(d.retryAfterSeconds),
    },
  };
}
