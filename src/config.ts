/** Configuration from the environment, exactly as CONTRACT.md lists it. Parsed once at start. */
export interface Config {
  host: string;
  port: number;
  databaseUrl: string;
  publicUrl: string;
  adminKey: string | undefined;
  secretKey: string | undefined;
  logLevel: string;
  /** largest request body accepted on any route, in bytes */
  bodyLimit: number;
  webhooks: WebhookConfig;
  /** events older than this many days are pruned (GATEHOUSE_EVENT_RETENTION_DAYS, default 30; 0 = keep forever) */
  eventRetentionDays: number;
  /** how often the server prunes old events, in ms (GATEHOUSE_EVENT_PRUNE_INTERVAL_MS, default 1 hour) */
  eventPruneIntervalMs: number;
  /** how often in-memory SCIM activity counters are written, in ms (GATEHOUSE_ACTIVITY_FLUSH_MS, default 5 s) */
  activityFlushMs: number;
  sso: SsoConfig;
  ssoCertificates: SsoCertificateConfig;
}

/** Certificate lifecycle of SSO connections: metadata refresh and expiry warnings (README "Certificate renewal and expiry"). */
export interface SsoCertificateConfig {
  /** how often a metadata-URL connection re-reads its IdP metadata (GATEHOUSE_SSO_METADATA_REFRESH_MS, default 6 h) */
  metadataRefreshMs: number;
  /** how often it re-reads while a renewal waits for the new certificate (GATEHOUSE_SSO_RENEWAL_POLL_MS, default 60 s) */
  renewalPollMs: number;
  /** timeout of one metadata fetch (GATEHOUSE_SSO_METADATA_TIMEOUT_MS, default 5 s) */
  metadataTimeoutMs: number;
  /** largest metadata document read (GATEHOUSE_SSO_METADATA_MAX_BYTES, default and maximum 1 MiB) */
  metadataMaxBytes: number;
  /** how often a serving node checks certificate expiry (GATEHOUSE_SSO_CERT_CHECK_MS, default 12 h; also at start) */
  expiryCheckMs: number;
  /** how often a serving node looks for due metadata refreshes (GATEHOUSE_SSO_JOB_TICK_MS, default 15 s) */
  jobTickMs: number;
}

/** SAML SSO tuning (README "SSO and the OAuth hand-off, decided"). */
export interface SsoConfig {
  /** accepted clock difference with an IdP (GATEHOUSE_SSO_CLOCK_SKEW_MS, default 60 s) */
  clockSkewMs: number;
  /** oldest accepted assertion, by IssueInstant (GATEHOUSE_SSO_MAX_ASSERTION_AGE_MS, default 10 min) */
  maxAssertionAgeMs: number;
  /** let metadata URLs point at loopback/private addresses and plain http (GATEHOUSE_SSO_METADATA_ALLOW_PRIVATE=1; tests, the offline demo) */
  metadataAllowPrivate: boolean;
}

/** Webhook delivery tuning (README "Webhooks"); the defaults are what production wants. */
export interface WebhookConfig {
  /** first retry delay; doubles per attempt (GATEHOUSE_WEBHOOK_BACKOFF_MS, default 10 s) */
  backoffBaseMs: number;
  /** largest single retry delay (GATEHOUSE_WEBHOOK_BACKOFF_MAX_MS, default 6 h) */
  backoffMaxMs: number;
  /** how long a delivery is retried, and how long an endpoint may fail before it is disabled (GATEHOUSE_WEBHOOK_RETRY_WINDOW_MS, default 3 days) */
  retryWindowMs: number;
  /** consecutive failed attempts needed, besides the window, to disable an endpoint (GATEHOUSE_WEBHOOK_DISABLE_AFTER_FAILURES, default 10) */
  disableAfterFailures: number;
  /** per-request timeout (GATEHOUSE_WEBHOOK_TIMEOUT_MS, default 10 s) */
  timeoutMs: number;
  /** deliveries in flight per process (GATEHOUSE_WEBHOOK_CONCURRENCY, default 16) */
  concurrency: number;
  /** idle poll interval (GATEHOUSE_WEBHOOK_POLL_MS, default 200 ms) */
  pollMs: number;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const host = env.HOST || '127.0.0.1';
  const portText = env.PORT || '8080';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number (got "${portText}")`);
  const publicUrl = (env.PUBLIC_URL || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '');
  try {
    const u = new URL(publicUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute http(s) URL (got "${publicUrl}")`);
  }
  const bodyLimitText = env.GATEHOUSE_BODY_LIMIT || String(1024 * 1024);
  const bodyLimit = Number(bodyLimitText);
  if (!Number.isInteger(bodyLimit) || bodyLimit < 1024) throw new ConfigError('GATEHOUSE_BODY_LIMIT must be a whole number of bytes ≥ 1024');
  const whole = (name: string, fallback: number, min: number): number => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be a whole number ≥ ${min}`);
    return n;
  };
  const webhooks: WebhookConfig = {
    backoffBaseMs: whole('GATEHOUSE_WEBHOOK_BACKOFF_MS', 10_000, 1),
    backoffMaxMs: whole('GATEHOUSE_WEBHOOK_BACKOFF_MAX_MS', 6 * 3600_000, 1),
    retryWindowMs: whole('GATEHOUSE_WEBHOOK_RETRY_WINDOW_MS', 3 * 24 * 3600_000, 1),
    disableAfterFailures: whole('GATEHOUSE_WEBHOOK_DISABLE_AFTER_FAILURES', 10, 1),
    timeoutMs: whole('GATEHOUSE_WEBHOOK_TIMEOUT_MS', 10_000, 1),
    concurrency: whole('GATEHOUSE_WEBHOOK_CONCURRENCY', 16, 1),
    pollMs: whole('GATEHOUSE_WEBHOOK_POLL_MS', 200, 1),
  };
  const retentionText = env.GATEHOUSE_EVENT_RETENTION_DAYS || '30';
  const eventRetentionDays = Number(retentionText);
  if (!Number.isFinite(eventRetentionDays) || eventRetentionDays < 0) {
    throw new ConfigError(`GATEHOUSE_EVENT_RETENTION_DAYS must be a number of days ≥ 0, 0 = keep forever (got "${retentionText}")`);
  }
  const positiveMs = (name: string, fallback: number): number => {
    const text = env[name] || String(fallback);
    const value = Number(text);
    if (!Number.isInteger(value) || value < 10 || value > 2_147_483_647) throw new ConfigError(`${name} must be a whole number of milliseconds ≥ 10 (got "${text}")`);
    return value;
  };
  return {
    host,
    port,
    databaseUrl: env.DATABASE_URL || 'sqlite:./data/gatehouse.db',
    publicUrl,
    adminKey: env.GATEHOUSE_ADMIN_KEY || undefined,
    secretKey: env.GATEHOUSE_SECRET_KEY || undefined,
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    bodyLimit,
    webhooks,
    eventRetentionDays,
    eventPruneIntervalMs: positiveMs('GATEHOUSE_EVENT_PRUNE_INTERVAL_MS', 60 * 60 * 1000),
    activityFlushMs: positiveMs('GATEHOUSE_ACTIVITY_FLUSH_MS', 5_000),
    sso: {
      clockSkewMs: whole('GATEHOUSE_SSO_CLOCK_SKEW_MS', 60_000, 0),
      maxAssertionAgeMs: whole('GATEHOUSE_SSO_MAX_ASSERTION_AGE_MS', 600_000, 1_000),
      metadataAllowPrivate: env.GATEHOUSE_SSO_METADATA_ALLOW_PRIVATE === '1' || env.GATEHOUSE_SSO_METADATA_ALLOW_PRIVATE === 'true',
    },
    ssoCertificates: {
      metadataRefreshMs: positiveMs('GATEHOUSE_SSO_METADATA_REFRESH_MS', 6 * 3600_000),
      renewalPollMs: positiveMs('GATEHOUSE_SSO_RENEWAL_POLL_MS', 60_000),
      metadataTimeoutMs: positiveMs('GATEHOUSE_SSO_METADATA_TIMEOUT_MS', 5_000),
      metadataMaxBytes: Math.min(whole('GATEHOUSE_SSO_METADATA_MAX_BYTES', 1024 * 1024, 1024), 1024 * 1024),
      expiryCheckMs: positiveMs('GATEHOUSE_SSO_CERT_CHECK_MS', 12 * 3600_000),
      jobTickMs: positiveMs('GATEHOUSE_SSO_JOB_TICK_MS', 15_000),
    },
  };
}
