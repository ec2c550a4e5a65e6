import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DatabaseHandle, Dialect } from './database.js';
import { isRetryable, mapUniqueViolation } from './errors.js';
import { migrate } from './migrate.js';
import { DirectoriesRepository } from './repositories/directories.js';
import { DirectoryActivityRepository } from './repositories/directory-activity.js';
import { EventsRepository } from './repositories/events.js';
import { JumpCloudRepository } from './repositories/jumpcloud.js';
import { OrganizationsRepository } from './repositories/organizations.js';
import { RoleMappingsRepository } from './repositories/role-mappings.js';
import { ScimGroupsRepository } from './repositories/scim-groups.js';
import { ScimUsersRepository } from './repositories/scim-users.js';
import { SettingsRepository } from './repositories/settings.js';
import { SetupLinksRepository } from './repositories/setup-links.js';
import { WebhooksRepository } from './repositories/webhooks.js';
import { SsoConnectionsRepository } from './repositories/sso-connections.js';
import { OAuthRepository } from './repositories/oauth.js';
import { SsoCertificateLifecycleRepository } from './repositories/sso-certificate-lifecycle.js';
import type { Database } from './schema.js';
import { toResourceQuery } from './scim-search.js';
import type { ResourceSearch } from '../core/resource-search.js';
import type { GroupRef, StoredGroup, UserDocument } from '../core/types.js';
import type { ResourceQuery } from './repositories/scim-users.js';
import { ssoConnectionWrites } from './sso-connection-writes.js';

/** Every repository, bound to one executor: the database, or one transaction. */
export class Repositories {
  readonly organizations: OrganizationsRepository;
  readonly directories: DirectoriesRepository;
  readonly users: ScimUsersRepository;
  readonly groups: ScimGroupsRepository;
  readonly events: EventsRepository;
  readonly settings: SettingsRepository;
  readonly webhooks: WebhooksRepository;
  readonly roleMappings: RoleMappingsRepository;
  readonly directoryActivity: DirectoryActivityRepository;
  readonly jumpcloud: JumpCloudRepository;
  readonly ssoConnections: SsoConnectionsRepository;
  readonly oauth: OAuthRepository;
  readonly ssoCertificates: SsoCertificateLifecycleRepository;
  readonly setupLinks: SetupLinksRepository;

  constructor(db: Kysely<Database>, readonly dialect: Dialect) {
    this.organizations = new OrganizationsRepository(db);
    this.directories = new DirectoriesRepository(db);
    this.users = new ScimUsersRepository(db, dialect);
    this.groups = new ScimGroupsRepository(db, dialect);
    this.events = new EventsRepository(db, dialect);
    this.settings = new SettingsRepository(db);
    this.webhooks = new WebhooksRepository(db, dialect);
    this.roleMappings = new RoleMappingsRepository(db, dialect);
    this.directoryActivity = new DirectoryActivityRepository(db, dialect);
    this.jumpcloud = new JumpCloudRepository(db, dialect);
    this.ssoConnections = new SsoConnectionsRepository(db);
    this.oauth = new OAuthRepository(db);
    this.ssoCertificates = new SsoCertificateLifecycleRepository(db);
    this.setupLinks = new SetupLinksRepository(db);
  }
}

const MAX_ATTEMPTS = 4;

/**
 * Fetches a page, and counts the filtered total only when the page cannot tell it: a non-empty page that
 * is not full ends the result, so total = offset + its length (the common `userName eq` lookup then
 * costs one query, not two).
 */
async function pageWithTotal<T>(
  search: ResourceSearch,
  fetch: (query: ResourceQuery) => Promise<T[]>,
  count: () => Promise<number>,
  query: ResourceQuery,
): Promise<{ total: number; rows: T[] }> {
  if (search.limit === 0) return { total: await count(), rows: [] };
  const rows = await fetch(query);
  if (rows.length > 0 && rows.length < search.limit) return { total: search.offset + rows.length, rows };
  return { total: await count(), rows };
}

/**
 * The storage facade the domain uses: repositories for reads, `transaction` for every change (a change
 * and its events commit together). Unique violations surface as DomainError('conflict').
 */
export class Store extends Repositories {
  constructor(readonly handle: DatabaseHandle) {
    super(handle.db, handle.dialect);
  }

  migrate(): Promise<string[]> {
    return migrate(this.handle.db, this.handle.dialect);
  }

  async transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const writes = ssoConnectionWrites.generation;
      try {
        const result = await this.handle.db.transaction().execute((trx) => work(new Repositories(trx, this.dialect)));
        // SSO connection data changed in it: caches that read the state from before the commit drop it
        if (ssoConnectionWrites.generation !== writes) ssoConnectionWrites.bump();
        return result;
      } catch (error) {
        if (ssoConnectionWrites.generation !== writes) ssoConnectionWrites.bump();
        if (isRetryable(error) && attempt < MAX_ATTEMPTS) continue;
        throw mapUniqueViolation(error);
      }
    }
  }

  /** A SCIM search over a directory's users: one page (each user with its groups) and the filtered total. */
  async searchUsers(directoryId: string, search: ResourceSearch): Promise<{ total: number; users: { user: UserDocument; groups: GroupRef[] }[] }> {
    const query = toResourceQuery(search, 'User', this.dialect);
    const { total, rows } = await pageWithTotal(search, (q) => this.users.search(directoryId, q), () => this.users.count(directoryId, query.where), query);
    return { total, users: rows };
  }

  async searchGroups(directoryId: string, search: ResourceSearch): Promise<{ total: number; groups: StoredGroup[] }> {
    const query = toResourceQuery(search, 'Group', this.dialect);
    const { total, rows: groups } = await pageWithTotal(search, (q) => this.groups.search(directoryId, q), () => this.groups.count(directoryId, query.where), query);
    return { total, groups };
  }

  /** true when the database answers a trivial query within `timeoutMs` (readiness; a probe must not hang). */
  async ping(timeoutMs = 2000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const answered = sql`select 1`.execute(this.handle.db).then(() => true, () => false);
    try {
      return await Promise.race([answered, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** names of the jobs this process runs under `exclusively` (the SQLite guard; PostgreSQL also uses it locally) */
  readonly #exclusiveJobs = new Set<string>();

  /**
   * Runs `work` unless another node (or this one) already runs the job `name` — for periodic jobs that
   * one node at a time should do, such as a directory pull. PostgreSQL: a session advisory lock
   * (`pg_try_advisory_lock(727274, hash(name))`) held on a dedicated connection while `work` runs, released
   * after it (or by PostgreSQL if that connection or the node dies). SQLite: one process, an in-memory guard.
   * Never waits: `{ ran: false }` when the job is busy elsewhere.
   */
  async exclusively<T>(name: string, work: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    if (this.#exclusiveJobs.has(name)) return { ran: false };
    this.#exclusiveJobs.add(name);
    try {
      if (this.dialect !== 'postgres') return { ran: true, value: await work() };
      const key = createHash('sha256').update(name).digest().readInt32BE(0);
      return await this.handle.db.connection().execute(async (conn) => {
        const got = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${EXCLUSIVE_JOB_CLASS}, ${key}) as ok`.execute(conn);
        if (!got.rows[0]?.ok) return { ran: false } as const;
        try {
          return { ran: true, value: await work() } as const;
        } finally {
          await sql`select pg_advisory_unlock(${EXCLUSIVE_JOB_CLASS}, ${key})`.execute(conn).catch(() => {});
        }
      });
    } finally {
      this.#exclusiveJobs.delete(name);
    }
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** the first key of Store.exclusively's two-key advisory locks (the second is a hash of the job's name) */
const EXCLUSIVE_JOB_CLASS = 727274;
