import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LimitsConfig } from '../config.js';
import type { Metrics } from '../core/metrics.js';
import { isScimRequest, sendScimError } from './error-handler.js';
import { TokenBuckets } from './rate-limit.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** the rate limits of this server (src/http/limits.ts) */
    limits: RequestLimits;
  }
}

/**
 * The per-process rate limits: SCIM requests per directory token (a token bucket of `scimBurst` refilled at
 * `scimRatePerSecond`), and failed authentications per client address (`authFailureLimit` per
 * `authFailureWindowMs`; an address over it gets 429 for every authenticated route until a failure has
 * aged out, so a guesser learns nothing from the answers). Each node counts on its own: with N nodes behind
 * a balancer the effective limits are up to N times these.
 */
export class RequestLimits {
  readonly #scim: TokenBuckets | undefined;
  readonly #authFailures: TokenBuckets | undefined;

  constructor(
    config: LimitsConfig,
    private readonly metrics: Metrics,
  ) {
    if (config.scimRatePerSecond > 0) this.#scim = new TokenBuckets(Math.max(1, config.scimBurst), config.scimRatePerSecond, config.maxKeys);
    if (config.authFailureLimit > 0) {
      this.#authFailures = new TokenBuckets(config.authFailureLimit, config.authFailureLimit / (config.authFailureWindowMs / 1000), config.maxKeys);
    }
  }

  /** Seconds the address must wait before it may try to authenticate again (0 = go ahead). */
  authBlockedFor(address: string): number {
    return this.#authFailures?.waitFor(address) ?? 0;
  }

  /** Counts a failed authentication from `address` (api: admin, scim, metrics, …). */
  authFailed(address: string, api: string): void {
    this.metrics.authFailures.inc({ api });
    this.#authFailures?.take(address);
  }

  /** Takes one SCIM request from the directory's budget: 0 when admitted, else seconds to wait. */
  scimRequest(directoryId: string): number {
    return this.#scim?.take(directoryId) ?? 0;
  }

  /**
   * Answers 429 with Retry-After in the wire shape of the request's API (SCIM Error on /scim, the admin
   * error object elsewhere) and counts it under `limit`.
   */
  tooMany(request: FastifyRequest, reply: FastifyReply, retryAfterSeconds: number, limit: 'scim_directory' | 'auth_failures'): FastifyReply {
    this.metrics.rateLimited.inc({ limit });
    void reply.header('retry-after', String(retryAfterSeconds));
    const message =
      limit === 'auth_failures'
        ? `too many failed authentications from this address; try again in ${retryAfterSeconds} s`
        : `this directory sends more requests than this server accepts; try again in ${retryAfterSeconds} s`;
    if (isScimRequest(request)) return sendScimError(reply, 429, message);
    return reply.code(429).send({ error: { code: 'rate_limited', message } });
  }
}

/**
 * Guards an authenticated route: an address over its failure limit gets 429 before any credential is
 * checked. Returns the reply when it answered, else undefined.
 */
export function refuseBlockedAddress(request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  const limits = request.server.limits;
  const wait = limits.authBlockedFor(request.ip);
  return wait > 0 ? limits.tooMany(request, reply, wait, 'auth_failures') : undefined;
}

export function registerLimits(app: FastifyInstance, limits: RequestLimits): void {
  app.decorate('limits', limits);
}
