import type { FaultInjector } from '../faults/fault-injector.js';
import type { Cloud } from '../tenant/cloud.js';
import type { ErrorStyle } from './errors.js';
import type { LimitPolicy } from './query.js';
import type { SelectionCache } from './selection-cache.js';

/**
 * Behaviours of the console API where the evidence is missing; each is an option with a documented default.
 */
export interface ConsoleOptions {
  /** error body shape; default "observed" (`{"message":"<Reason>: <detail>"}`), see errors.ts */
  errorStyle: ErrorStyle;
  /** `limit` above 100: "reject" (400, default, as observed on v1) or "clamp" to 100 */
  limitPolicy: LimitPolicy;
  /**
   * An MTP key sending a non-empty x-org-id to a provider-level route (`GET /api/organizations`, which
   * lists the key's organizations): "forbid" → 403 "ID included on unsupported route" (default), or
   * "ignore" the header.
   */
  orgIdOnProviderRoutes: 'forbid' | 'ignore';
}

/** The default console options. */
export const DEFAULT_CONSOLE_OPTIONS: ConsoleOptions = { errorStyle: 'observed', limitPolicy: 'reject', orgIdOnProviderRoutes: 'forbid' };

/** What every console route needs. */
export interface ConsoleContext {
  cloud: Cloud;
  faults: FaultInjector;
  cache: SelectionCache;
  options: ConsoleOptions;
  /** the origin the apps' ssoUrl point at (`{ssoBaseUrl}/saml2/<slug>`); the simulator's URL by default */
  ssoBaseUrl: () => string;
}
