import type { ScimUserFacts } from '../store/repositories/jumpcloud.js';
import type { Store } from '../store/store.js';
import { fromJson } from '../store/json.js';
import { EDGE } from './pull-runner.js';

/** A JumpCloud user of the inventory as the comparisons need it. */
export interface JcUser {
  id: string;
  username: string | null;
  email: string | null;
  alternateEmail: string | null;
  state: string;
  suspended: boolean;
  passwordExpired: boolean;
  /** tombstoned: gone from JumpCloud */
  deleted: boolean;
}

/** The pulled JumpCloud side of one connection, indexed for matching. */
export class JumpCloudSide {
  readonly users = new Map<string, JcUser>();
  readonly #byKey = new Map<string, JcUser[]>();
  /** group id → {name, deleted, direct member ids} */
  readonly groups = new Map<string, { name: string; deleted: boolean; members: Set<string> }>();
  readonly #groupByName = new Map<string, string>();
  /** app id → users reaching it */
  readonly access = new Map<string, Set<string>>();

  static async load(store: Store, connectionId: string): Promise<JumpCloudSide> {
    const side = new JumpCloudSide();
    for (const row of await store.jumpcloud.allEntities(connectionId, 'user')) {
      const d = fromJson<Record<string, unknown>>(row.data);
      const user: JcUser = {
        id: row.jc_id,
        username: typeof d.username === 'string' ? d.username : null,
        email: typeof d.email === 'string' ? d.email : null,
        alternateEmail: typeof d.alternateEmail === 'string' ? d.alternateEmail : null,
        state: String(d.state ?? 'ACTIVATED'),
        suspended: d.suspended === true,
        passwordExpired: d.passwordExpired === true,
        deleted: row.deleted_at !== null,
      };
      side.users.set(user.id, user);
      for (const key of [user.email, user.username, user.alternateEmail]) if (key) side.#index(key, user);
    }
    for (const row of await store.jumpcloud.allEntities(connectionId, 'group')) {
      side.groups.set(row.jc_id, { name: row.name, deleted: row.deleted_at !== null, members: new Set() });
      if (row.deleted_at === null) side.#groupByName.set(row.name.toLowerCase(), row.jc_id);
    }
    for (const row of await store.jumpcloud.relations(connectionId, EDGE.member)) {
      const group = side.groups.get(row.from_id);
      if (group) for (const id of fromJson<string[]>(row.targets)) group.members.add(id);
    }
    for (const row of await store.jumpcloud.relations(connectionId, EDGE.accessUser)) {
      side.access.set(row.from_id, new Set(fromJson<{ id: string }[]>(row.targets).map((t) => t.id)));
    }
    return side;
  }

  #index(key: string, user: JcUser): void {
    const k = key.trim().toLowerCase();
    const list = this.#byKey.get(k) ?? [];
    list.push(user);
    this.#byKey.set(k, list);
  }

  /**
   * The JumpCloud user a SCIM user stands for: by externalId (JumpCloud sends the user's `_id`), else by
   * userName or any email against JumpCloud's email, username and alternateEmail (case-insensitive). A live
   * user wins over a tombstoned one.
   */
  counterpart(user: ScimUserFacts): JcUser | null {
    if (user.externalId !== null) {
      const byId = this.users.get(user.externalId);
      if (byId) return byId;
    }
    const found: JcUser[] = [];
    for (const key of [user.userName, user.email, ...user.emails]) {
      if (!key) continue;
      for (const u of this.#byKey.get(key.trim().toLowerCase()) ?? []) found.push(u);
    }
    return found.find((u) => !u.deleted) ?? found[0] ?? null;
  }

  /** The live JumpCloud group a SCIM group stands for: by externalId, else by name (case-insensitive). */
  groupFor(externalId: string | null, name: string): string | null {
    if (externalId !== null && this.groups.get(externalId)?.deleted === false) return externalId;
    return this.#groupByName.get(name.toLowerCase()) ?? null;
  }
}

/** Why JumpCloud would not keep a user active in an app (null: it would). */
export function inactiveReason(user: JcUser | null, appId: string | null, side: JumpCloudSide): 'deleted' | 'suspended' | 'password_expired' | 'unbound' | null {
  if (user === null) return null;
  if (user.deleted) return 'deleted';
  if (user.suspended || user.state === 'SUSPENDED') return 'suspended';
  if (user.passwordExpired) return 'password_expired';
  if (appId !== null && !side.access.get(appId)?.has(user.id)) return 'unbound';
  return null;
}
