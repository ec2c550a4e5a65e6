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
 * `scimRatePerSecond`), and failed authentications per client address and scope (`authFailureLimit` per
 * `authFailureWindowMs`; an address over it gets 429 on that scope's routes — the right credential included —
 * until a failure has aged out, so a guesser learns nothing from the answers). Scopes: `admin` (the admin
 * key: /api and /metrics) and one per SCIM directory, because identity providers push for many tenants from
 * shared addresses: one tenant's stale token must not lock the others out. Each node counts on its own:
 * with N nodes behind a balancer the effective limits are up to N times these.
 */
export class RequestLimits {
  readonly #scim: TokenBuckets | undefined;
  /** failures with the admin key, and with SCIM tokens: apart, so that a spray of SCIM failures cannot evict the admin buckets */
  readonly #authFailures: { admin: TokenBuckets; scim: TokenBuckets } | undefined;

  constructor(
    config: LimitsConfig,
    private readonly metrics: Metrics,
  ) {
    if (config.scimRatePerSecond > 0) this.#scim = new TokenBuckets(Math.max(1, config.scimBurst), config.scimRatePerSecond, config.maxKeys);
    if (config.authFailureLimit > 0) {
      const buckets = () => new TokenBuckets(config.authFailureLimit, config.authFailureLimit / (config.authFailureWindowMs / 1000), config.maxKeys);
      this.#authFailures = { admin: buckets(), scim: buckets() };
    }
  }

  /** Seconds the address must wait before it may try to authenticate in `scope` again (0 = go ahead). */
  authBlockedFor(address: string, scope: string): number {
    return this.#failures(scope)?.waitFor(`${scope} ${address}`) ?? 0;
  }

  /** Counts a failed authentication from `address` in `scope` (api, the metrics label: admin, scim, metrics, sso, oauth). */
  authFailed(address: string, api: string, scope: string): void {
    this.metrics.authFailures.inc({ api });
    this.#failures(scope)?.take(`${scope} ${address}`);
  }

  #failures(scope: string): TokenBuckets | undefined {
    return scope === ADMIN_SCOPE ? this.#authFailures?.admin : this.#authFailures?.scim;
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

/** The failure-limit scope of the admin key (/api, /metrics). */
export const ADMIN_SCOPE = 'admin';

/** The failure-limit scope of one SCIM directory. */
export function scimScope(directoryId: string): string {
  return `scim:${directoryId}`;
}

/** The failure-limit scope of one SSO connection's ACS (refused SAML responses, per browser address). */
export function ssoScope(connectionId: string): string {
  return `sso:${connectionId}`;
}

/** The failure-limit scope of the OAuth token endpoint (failed client authentications). */
export const OAUTH_TOKEN_SCOPE = 'oauth-token';

/**
 * Guards an authenticated route: an address over its failure limit in `scope` gets 429 before any
 * credential is checked. Returns the reply when it answered, else undefined.
 */
export function refuseBlockedAddress(request: FastifyRequest, reply: FastifyReply, scope: string): FastifyReply | undefined {
  const limits = request.server.limits;
  const wait = limits.authBlockedFor(request.ip, scope);
  return wait > 0 ? limits.tooMany(request, reply, wait, 'auth_failures') : undefined;
}

export function registerLimits(app: FastifyInstance, limits: RequestLimits): void {
  app.decorate('limits', limits);
}
