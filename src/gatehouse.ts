import type { Config } from './config.js';
import { DirectoryActivityTracker } from './core/directory-activity.js';
import { DirectoryGroups } from './core/directory-groups.js';
import { DirectoryUsers } from './core/directory-users.js';
import { Directories } from './core/directories.js';
import { EventFeed } from './core/events-feed.js';
import { Metrics } from './core/metrics.js';
import { Organizations } from './core/organizations.js';
import { RoleMappings } from './core/role-mappings.js';
import { SecretBox } from './core/secret-box.js';
import { SetupLinks } from './core/setup-links.js';
import { WebhookWorker } from './core/webhook-worker.js';
import { Webhooks } from './core/webhooks.js';
import { JumpCloudService } from './jumpcloud/jumpcloud-service.js';
import type { Store } from './store/store.js';
import { SsoConnections } from './saml/connections.js';
import { SsoCertificateLifecycle } from './saml/certificate-lifecycle.js';
import { SigningKeys } from './oauth/signing-keys.js';

/** The domain services over one store: what the protocol layers (admin API, SCIM, CLI) talk to. */
export class Gatehouse {
  readonly organizations: Organizations;
  readonly directories: Directories;
  readonly users: DirectoryUsers;
  readonly groups: DirectoryGroups;
  readonly events: EventFeed;
  readonly roleMappings: RoleMappings;
  readonly activity: DirectoryActivityTracker;
  readonly webhooks: Webhooks;
  /** delivers webhooks from the outbox; started by the runtime of a serving node */
  readonly webhookWorker: WebhookWorker;
  /** Prometheus metrics of this process (src/core/metrics.ts; served at /metrics) */
  readonly metrics = new Metrics();
  /** JumpCloud pull connections, runs, inventory, findings and drift; its scheduler is started by the runtime */
  readonly jumpcloud: JumpCloudService;
  /** SAML SSO connections (src/saml) */
  readonly ssoConnections: SsoConnections;
  /** IdP certificate renewal, SP key rollover, expiry warnings, metadata refresh (src/saml/certificate-lifecycle.ts) */
  readonly ssoCertificates: SsoCertificateLifecycle;
  /** id_token signing keys of the OAuth hand-off (src/oauth) */
  readonly oauthSigningKeys: SigningKeys;
  /** organization-scoped, expiring portal tokens for a customer's IT admin */
  readonly setupLinks: SetupLinks;
  private maintenance: { flush: NodeJS.Timeout; prune: NodeJS.Timeout; sweep: NodeJS.Timeout } | undefined;
  private pruning: Promise<number> | undefined;

  constructor(
    readonly store: Store,
    readonly config: Config,
    /** the key of GATEHOUSE_SECRET_KEY (src/core/secret-key.ts) that seals secrets at rest */
    secretKey: Buffer,
  ) {
    this.organizations = new Organizations(store);
    this.directories = new Directories(store);
    this.users = new DirectoryUsers(store);
    this.groups = new DirectoryGroups(store);
    this.events = new EventFeed(store);
    this.roleMappings = new RoleMappings(store);
    this.activity = new DirectoryActivityTracker(store);
    const box = new SecretBox(secretKey);
    this.webhooks = new Webhooks(store, box, () => this.webhookWorker.wake());
    this.webhookWorker = new WebhookWorker(store, this.webhooks, config.webhooks, undefined, this.metrics);
    this.setupLinks = new SetupLinks(store);
    this.ssoConnections = new SsoConnections(store, box, config.sso, config.publicUrl);
    this.ssoCertificates = new SsoCertificateLifecycle(store, box, config.sso, config.ssoCertificates);
    this.oauthSigningKeys = new SigningKeys(store, box);
    this.jumpcloud = new JumpCloudService(store, box, config.jumpcloud, (directoryId, userId) => this.deactivateUser(directoryId, userId), this.metrics);
  }

  /** Sets a SCIM user inactive (with its events); false when the user or directory is gone or already inactive. */
  private async deactivateUser(directoryId: string, userId: string): Promise<boolean> {
    const directory = await this.store.directories.get(directoryId);
    if (!directory) return false;
    let changed = false;
    try {
      await this.users.update(directory, userId, (current) => {
        changed = current.attributes.active !== false;
        return { attributes: { ...current.attributes, active: false }, raw: current.raw };
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'not_found') return false;
      throw error;
    }
    return changed;
  }

  /**
   * Starts the background jobs of a serving node (idempotent): SCIM activity counters are flushed every
   * `activityFlushMs`, events older than the retention are pruned now and every `eventPruneIntervalMs`.
   * Failures are retried at the next tick (`onError` hears of them). Timers do not keep the process alive.
   */
  startMaintenance(onError: (error: unknown, job: string) => void = () => {}): void {
    if (this.maintenance) return;
    const prune = () => {
      void this.pruneEvents().catch((error: unknown) => onError(error, 'event retention'));
      void this.pruneSsoState().catch((error: unknown) => onError(error, 'SSO state cleanup'));
    };
    this.maintenance = {
      flush: setInterval(() => void this.activity.flush().catch((error: unknown) => onError(error, 'directory activity')), this.config.activityFlushMs).unref(),
      prune: setInterval(prune, this.config.eventPruneIntervalMs).unref(),
      sweep: setInterval(() => void this.sweepTestArtifacts().catch((error: unknown) => onError(error, 'test connection artifacts')), this.config.testArtifactSweepMs).unref(),
    };
    prune();
    this.ssoCertificates.start(onError);
  }

  /** Stops the background jobs and writes the pending activity counters (call before closing the store). */
  async stopMaintenance(): Promise<void> {
    if (this.maintenance) {
      clearInterval(this.maintenance.flush);
      clearInterval(this.maintenance.prune);
      clearInterval(this.maintenance.sweep);
      this.maintenance = undefined;
    }
    await this.pruning?.catch(() => {});
    await this.ssoCertificates.stop();
    await this.activity.flush();
  }

  /**
   * Deletes events that occurred more than GATEHOUSE_EVENT_RETENTION_DAYS before `now` (0 keeps every
   * event); returns how many. One run at a time per node, and across nodes on PostgreSQL (Store.exclusively).
   */
  pruneEvents(now: Date = new Date()): Promise<number> {
    const days = this.config.eventRetentionDays;
    if (days === 0) return Promise.resolve(0);
    if (this.pruning) return this.pruning;
    const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
    // one node at a time prunes (the others skip this round)
    this.pruning = this.store.exclusively('event-retention', () => this.store.events.pruneBefore(cutoff)).then((r) => (r.ran ? r.value : 0)).finally(() => {
      this.pruning = undefined;
    });
    return this.pruning;
  }

  /**
   * Purges Test Connection users and groups whose delete never came, in every directory whose settings
   * recognise them (README "SCIM behaviour, decided"); returns how many.
   */
  async sweepTestArtifacts(now: Date = new Date()): Promise<number> {
    // one node at a time sweeps (the others skip this round)
    const result = await this.store.exclusively('test-artifact-sweep', async () => {
      let purged = 0;
      for (const directory of await this.store.directories.listAll()) purged += await this.users.sweepTestArtifacts(directory, now);
      return purged;
    });
    return result.ran ? result.value : 0;
  }

  /**
   * Deletes expired SSO state: AuthnRequest ids, replay records (kept until their assertion's NotOnOrAfter
   * plus skew: a replay after that fails the time checks anyway), login requests, codes and access tokens.
   */
  async pruneSsoState(now: Date = new Date()): Promise<number> {
    const at = now.toISOString();
    return (await this.store.ssoConnections.pruneExpired(at)) + (await this.store.oauth.pruneExpired(at));
  }

  /** true when the database answers (readiness). */
  isReady(): Promise<boolean> {
    return this.store.ping();
  }

  /** The SCIM base URL an IT admin pastes into the identity provider. */
  scimEndpoint(directoryId: string): string {
    return `${this.config.publicUrl}/scim/v2/${directoryId}`;
  }
}
