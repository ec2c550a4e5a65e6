import type { Config } from './config.js';
import { DirectoryGroups } from './core/directory-groups.js';
import { DirectoryUsers } from './core/directory-users.js';
import { Directories } from './core/directories.js';
import { EventFeed } from './core/events-feed.js';
import { Organizations } from './core/organizations.js';
import type { Store } from './store/store.js';

/** The domain services over one store: what the protocol layers (admin API, SCIM, CLI) talk to. */
export class Gatehouse {
  readonly organizations: Organizations;
  readonly directories: Directories;
  readonly users: DirectoryUsers;
  readonly groups: DirectoryGroups;
  readonly events: EventFeed;

  constructor(
    readonly store: Store,
    readonly config: Config,
  ) {
    this.organizations = new Organizations(store);
    this.directories = new Directories(store);
    this.users = new DirectoryUsers(store);
    this.groups = new DirectoryGroups(store);
    this.events = new EventFeed(store);
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
