import { sql, type Kysely } from 'kysely';
import type { DatabaseHandle, Dialect } from './database.js';
import { isRetryable, mapUniqueViolation } from './errors.js';
import { migrate } from './migrate.js';
import { DirectoriesRepository } from './repositories/directories.js';
import { EventsRepository } from './repositories/events.js';
import { OrganizationsRepository } from './repositories/organizations.js';
import { ScimGroupsRepository } from './repositories/scim-groups.js';
import { ScimUsersRepository } from './repositories/scim-users.js';
import { SettingsRepository } from './repositories/settings.js';
import type { Database } from './schema.js';
import { toResourceQuery } from './scim-search.js';
import type { ResourceSearch } from '../core/resource-search.js';
import type { StoredGroup, StoredUser } from '../core/types.js';

/** Every repository, bound to one executor: the database, or one transaction. */
export class Repositories {
  readonly organizations: OrganizationsRepository;
  readonly directories: DirectoriesRepository;
  readonly users: ScimUsersRepository;
  readonly groups: ScimGroupsRepository;
  readonly events: EventsRepository;
  readonly settings: SettingsRepository;

  constructor(db: Kysely<Database>, readonly dialect: Dialect) {
    this.organizations = new OrganizationsRepository(db);
    this.directories = new DirectoriesRepository(db);
    this.users = new ScimUsersRepository(db);
    this.groups = new ScimGroupsRepository(db);
    this.events = new EventsRepository(db);
    this.settings = new SettingsRepository(db);
  }
}

const MAX_ATTEMPTS = 4;

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
      try {
        return await this.handle.db.transaction().execute((trx) => work(new Repositories(trx, this.dialect)));
      } catch (error) {
        if (isRetryable(error) && attempt < MAX_ATTEMPTS) continue;
        throw mapUniqueViolation(error);
      }
    }
  }

  /** A SCIM search over a directory's users: one page and the filtered total. */
  async searchUsers(directoryId: string, search: ResourceSearch): Promise<{ total: number; users: StoredUser[] }> {
    const query = toResourceQuery(search, 'User', this.dialect);
    const total = await this.users.count(directoryId, query.where);
    const users = search.limit > 0 && total > search.offset ? await this.users.search(directoryId, query) : [];
    return { total, users };
  }

  async searchGroups(directoryId: string, search: ResourceSearch): Promise<{ total: number; groups: StoredGroup[] }> {
    const query = toResourceQuery(search, 'Group', this.dialect);
    const total = await this.groups.count(directoryId, query.where);
    const groups = search.limit > 0 && total > search.offset ? await this.groups.search(directoryId, query) : [];
    return { total, groups };
  }

  /** true when the database answers a trivial query (readiness). */
  async ping(): Promise<boolean> {
    try {
      await sql`select 1`.execute(this.handle.db);
      return true;
    } catch {
      return false;
    }
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
