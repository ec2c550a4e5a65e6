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
  /** rate limits, body limits and timeouts (README "Operations") */
  limits: LimitsConfig;
  /** bearer token that may read /metrics besides the admin key (GATEHOUSE_METRICS_TOKEN) */
  metricsToken: string | undefined;
  /** label SCIM operation metrics with the directory id (GATEHOUSE_METRICS_PER_DIRECTORY, default true) */
  metricsPerDirectory: boolean;
  /** Fastify `trustProxy` (GATEHOUSE_TRUST_PROXY): false, true, a hop count, or comma-separated addresses/CIDRs */
  trustProxy: boolean | number | string;
  /** how often leftover Test Connection users and groups are purged, in ms (GATEHOUSE_TEST_ARTIFACT_SWEEP_MS, default 60 s) */
  testArtifactSweepMs: number;
  /** the JumpCloud directory pull (README "JumpCloud directory pull, decided") */
  jumpcloud: JumpCloudPullConfig;
  sso: SsoConfig;
  ssoCertificates: SsoCertificateConfig;
}

/** Protection against overload and abuse (README "Operations → Limits"). */
export interface LimitsConfig {
  /** sustained SCIM requests per second per directory token (GATEHOUSE_SCIM_RATE_LIMIT, default 1000; 0 = off) */
  scimRatePerSecond: number;
  /** SCIM requests a directory may send at once above the rate (GATEHOUSE_SCIM_RATE_BURST, default 2 × rate) */
  scimBurst: number;
  /** failed authentications per client address per window before 429 (GATEHOUSE_AUTH_FAILURE_LIMIT, default 30; 0 = off) */
  authFailureLimit: number;
  /** the window of that limit, in ms (GATEHOUSE_AUTH_FAILURE_WINDOW_MS, default 60 s) */
  authFailureWindowMs: number;
  /** keys (directories, addresses) each limiter remembers; least recently seen are forgotten (GATEHOUSE_RATE_LIMIT_KEYS, default 10000) */
  maxKeys: number;
  /** largest body on /scim routes (GATEHOUSE_SCIM_BODY_LIMIT, default GATEHOUSE_BODY_LIMIT) */
  scimBodyLimit: number;
  /** largest body on /api routes (GATEHOUSE_ADMIN_BODY_LIMIT, default GATEHOUSE_BODY_LIMIT) */
  adminBodyLimit: number;
  /** a request without an answer after this long gets 503 (GATEHOUSE_HANDLER_TIMEOUT_MS, default 30 s) */
  handlerTimeoutMs: number;
  /** PostgreSQL: a statement (or a wait for a connection) longer than this fails (GATEHOUSE_DB_TIMEOUT_MS, default 10 s) */
  dbTimeoutMs: number;
}

/** JumpCloud pull tuning; the defaults are what production wants. */
export interface JumpCloudPullConfig {
  /** requests in flight per run (GATEHOUSE_JUMPCLOUD_CONCURRENCY, default 16) */
  concurrency: number;
  /** requests a run may send, retries included; 0 = no limit (GATEHOUSE_JUMPCLOUD_REQUEST_BUDGET, default 0) */
  requestBudget: number;
  /** per-request timeout (GATEHOUSE_JUMPCLOUD_TIMEOUT_MS, default 30 s) */
  timeoutMs: number;
  /** retries of 429/502/503/504/timeouts (GATEHOUSE_JUMPCLOUD_MAX_RETRIES, default 5) */
  maxRetries: number;
  /** first backoff, doubling (GATEHOUSE_JUMPCLOUD_BACKOFF_MS, default 500) */
  backoffMs: number;
  /** largest backoff and largest Retry-After honoured (GATEHOUSE_JUMPCLOUD_BACKOFF_MAX_MS, default 30 s) */
  backoffMaxMs: number;
  /** a run's lease; another node resumes a run whose lease lapsed (GATEHOUSE_JUMPCLOUD_LEASE_MS, default 60 s) */
  leaseMs: number;
  /** how often a running run saves progress, renews its lease and looks for a cancel (GATEHOUSE_JUMPCLOUD_HEARTBEAT_MS, default 1 s) */
  heartbeatMs: number;
  /** how often a serving node looks for due periodic syncs and runs to resume (GATEHOUSE_JUMPCLOUD_TICK_MS, default 15 s) */
  tickMs: number;
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
  /**
   * how long a claimed delivery is reserved for its node; a node that dies holds its deliveries this long
   * before another sends them again (GATEHOUSE_WEBHOOK_LEASE_MS, default 60 s; more than the request timeout)
   */
  leaseMs: number;
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
    leaseMs: whole('GATEHOUSE_WEBHOOK_LEASE_MS', 60_000, 1),
  };
  if (webhooks.leaseMs <= webhooks.timeoutMs) {
    throw new ConfigError(`GATEHOUSE_WEBHOOK_LEASE_MS (${webhooks.leaseMs}) must exceed GATEHOUSE_WEBHOOK_TIMEOUT_MS (${webhooks.timeoutMs}): a lease that lapses during its request is sent twice at once`);
  }
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
  const limits: LimitsConfig = {
    scimRatePerSecond: whole('GATEHOUSE_SCIM_RATE_LIMIT', 1000, 0),
    scimBurst: 0,
    authFailureLimit: whole('GATEHOUSE_AUTH_FAILURE_LIMIT', 30, 0),
    authFailureWindowMs: whole('GATEHOUSE_AUTH_FAILURE_WINDOW_MS', 60_000, 1000),
    maxKeys: whole('GATEHOUSE_RATE_LIMIT_KEYS', 10_000, 100),
    scimBodyLimit: whole('GATEHOUSE_SCIM_BODY_LIMIT', bodyLimit, 1024),
    adminBodyLimit: whole('GATEHOUSE_ADMIN_BODY_LIMIT', bodyLimit, 1024),
    handlerTimeoutMs: whole('GATEHOUSE_HANDLER_TIMEOUT_MS', 30_000, 100),
    dbTimeoutMs: whole('GATEHOUSE_DB_TIMEOUT_MS', 10_000, 100),
  };
  limits.scimBurst = whole('GATEHOUSE_SCIM_RATE_BURST', limits.scimRatePerSecond * 2, 1);
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
    limits,
    metricsToken: env.GATEHOUSE_METRICS_TOKEN || undefined,
    metricsPerDirectory: parseBoolean('GATEHOUSE_METRICS_PER_DIRECTORY', env.GATEHOUSE_METRICS_PER_DIRECTORY, true),
    trustProxy: parseTrustProxy(env.GATEHOUSE_TRUST_PROXY),
    testArtifactSweepMs: positiveMs('GATEHOUSE_TEST_ARTIFACT_SWEEP_MS', 60_000),
    jumpcloud: {
      concurrency: whole('GATEHOUSE_JUMPCLOUD_CONCURRENCY', 16, 1),
      requestBudget: whole('GATEHOUSE_JUMPCLOUD_REQUEST_BUDGET', 0, 0),
      timeoutMs: whole('GATEHOUSE_JUMPCLOUD_TIMEOUT_MS', 30_000, 1),
      maxRetries: whole('GATEHOUSE_JUMPCLOUD_MAX_RETRIES', 5, 0),
      backoffMs: whole('GATEHOUSE_JUMPCLOUD_BACKOFF_MS', 500, 1),
      backoffMaxMs: whole('GATEHOUSE_JUMPCLOUD_BACKOFF_MAX_MS', 30_000, 1),
      leaseMs: positiveMs('GATEHOUSE_JUMPCLOUD_LEASE_MS', 60_000),
      heartbeatMs: positiveMs('GATEHOUSE_JUMPCLOUD_HEARTBEAT_MS', 1_000),
      tickMs: positiveMs('GATEHOUSE_JUMPCLOUD_TICK_MS', 15_000),
    },
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

function parseBoolean(name: string, text: string | undefined, fallback: boolean): boolean {
  if (text === undefined || text === '') return fallback;
  if (/^(true|1|yes|on)$/i.test(text)) return true;
  if (/^(false|0|no|off)$/i.test(text)) return false;
  throw new ConfigError(`${name} must be true or false (got "${text}")`);
}

/** GATEHOUSE_TRUST_PROXY: unset/false → false; true; a hop count; or addresses/CIDRs of the proxies. */
function parseTrustProxy(text: string | undefined): boolean | number | string {
  if (text === undefined || text === '' || /^false$/i.test(text)) return false;
  if (/^true$/i.test(text)) return true;
  if (/^\d+$/.test(text)) return Number(text);
  if (/^[0-9a-f.:/, ]+$/i.test(text)) return text;
  throw new ConfigError(`GATEHOUSE_TRUST_PROXY must be true, false, a hop count, or comma-separated addresses/CIDRs (got "${text}")`);
}
