import type { Config } from './config.js';
import { DirectoryActivityTracker } from './core/directory-activity.js';
import { DirectoryGroups } from './core/directory-groups.js';
import { DirectoryUsers } from './core/directory-users.js';
import { Directories } from './core/directories.js';
import { EventFeed } from './core/events-feed.js';
import { Organizations } from './core/organizations.js';
import { RoleMappings } from './core/role-mappings.js';
import { SecretBox } from './core/secret-box.js';
import { SetupLinks } from './core/setup-links.js';
import { WebhookWorker } from './core/webhook-worker.js';
import { Webhooks } from './core/webhooks.js';
import type { Store } from './store/store.js';

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
  /** organization-scoped, expiring portal tokens for a customer's IT admin */
  readonly setupLinks: SetupLinks;
  private maintenance: { flush: NodeJS.Timeout; prune: NodeJS.Timeout } | undefined;
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
    this.webhookWorker = new WebhookWorker(store, this.webhooks, config.webhooks);
    this.setupLinks = new SetupLinks(store);
  }

  /**
   * Starts the background jobs of a serving node (idempotent): SCIM activity counters are flushed every
   * `activityFlushMs`, events older than the retention are pruned now and every `eventPruneIntervalMs`.
   * Failures are retried at the next tick (`onError` hears of them). Timers do not keep the process alive.
   */
  startMaintenance(onError: (error: unknown, job: string) => void = () => {}): void {
    if (this.maintenance) return;
    const prune = () => void this.pruneEvents().catch((error: unknown) => onError(error, 'event retention'));
    this.maintenance = {
      flush: setInterval(() => void this.activity.flush().catch((error: unknown) => onError(error, 'directory activity')), this.config.activityFlushMs).unref(),
      prune: setInterval(prune, this.config.eventPruneIntervalMs).unref(),
    };
    prune();
  }

  /** Stops the background jobs and writes the pending activity counters (call before closing the store). */
  async stopMaintenance(): Promise<void> {
    if (this.maintenance) {
      clearInterval(this.maintenance.flush);
      clearInterval(this.maintenance.prune);
      this.maintenance = undefined;
    }
    await this.pruning?.catch(() => {});
    await this.activity.flush();
  }

  /**
   * Deletes events that occurred more than GATEHOUSE_EVENT_RETENTION_DAYS before `now` (0 keeps every
   * event); returns how many. One run at a time per node; concurrent runs on several nodes are harmless.
   */
  pruneEvents(now: Date = new Date()): Promise<number> {
    const days = this.config.eventRetentionDays;
    if (days === 0) return Promise.resolve(0);
    if (this.pruning) return this.pruning;
    const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
    this.pruning = this.store.events.pruneBefore(cutoff).finally(() => {
      this.pruning = undefined;
    });
    return this.pruning;
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
