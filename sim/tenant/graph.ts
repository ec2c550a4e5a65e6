import type { AppTargetType, ServerType } from './types.js';

/** Attributes carried by a graph edge (JumpCloud's GraphAttributes), or null. */
export type EdgeAttributes = Record<string, unknown> | null;

/** Edges from one source (an app or a server) to user groups and to users, with their attributes. */
class Bindings {
  readonly user_group = new Map<string, EdgeAttributes>();
  readonly user = new Map<string, EdgeAttributes>();
}

function addTo(index: Map<string, Set<string>>, key: string, value: string): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(value);
}

function removeFrom(index: Map<string, Set<string>>, key: string, value: string): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) index.delete(key);
}

const EMPTY: ReadonlySet<string> = new Set();

/**
 * The association graph of a tenant: static group membership (user_group → user), application bindings
 * (application → user_group | user) and directory-server bindings (ldap_server | radius_server →
 * user_group | user), each indexed both ways. Ids only; the tenant checks that the ends exist.
 */
export class Graph {
  readonly #members = new Map<string, Set<string>>();
  readonly #memberOf = new Map<string, Set<string>>();
  readonly #sources = new Map<string, Bindings>();
  /** target key ("user_group:<id>" / "user:<id>") → source keys ("application:<id>", "ldap_server:<id>"…) */
  readonly #boundTo = new Map<string, Set<string>>();

  /** Adds a user to a group; false when already a member. */
  addMember(groupId: string, userId: string): boolean {
    if (this.#members.get(groupId)?.has(userId)) return false;
    addTo(this.#members, groupId, userId);
    addTo(this.#memberOf, userId, groupId);
    return true;
  }

  /** Removes a user from a group; false when not a member. */
  removeMember(groupId: string, userId: string): boolean {
    if (!this.#members.get(groupId)?.has(userId)) return false;
    removeFrom(this.#members, groupId, userId);
    removeFrom(this.#memberOf, userId, groupId);
    return true;
  }

  /** The user ids of a group, in the order they were added. */
  members(groupId: string): ReadonlySet<string> {
    return this.#members.get(groupId) ?? EMPTY;
  }

  /** The group ids a user is a member of. */
  groupsOf(userId: string): ReadonlySet<string> {
    return this.#memberOf.get(userId) ?? EMPTY;
  }

  /**
   * Binds a target to a source (an application or a directory server). Returns "added", "updated" (the
   * edge existed with other attributes) or "unchanged".
   */
  bind(sourceType: 'application' | ServerType, sourceId: string, targetType: AppTargetType, targetId: string, attributes: EdgeAttributes): 'added' | 'updated' | 'unchanged' {
    const key = `${sourceType}:${sourceId}`;
    let bindings = this.#sources.get(key);
    if (!bindings) this.#sources.set(key, (bindings = new Bindings()));
    const edges = bindings[targetType];
    if (edges.has(targetId)) {
      const before = edges.get(targetId) ?? null;
      if (JSON.stringify(before) === JSON.stringify(attributes)) return 'unchanged';
      edges.set(targetId, attributes);
      return 'updated';
    }
    edges.set(targetId, attributes);
    addTo(this.#boundTo, `${targetType}:${targetId}`, key);
    return 'added';
  }

  /** Removes a binding; false when there was none. */
  unbind(sourceType: 'application' | ServerType, sourceId: string, targetType: AppTargetType, targetId: string): boolean {
    const key = `${sourceType}:${sourceId}`;
    const edges = this.#sources.get(key)?.[targetType];
    if (!edges?.has(targetId)) return false;
    edges.delete(targetId);
    removeFrom(this.#boundTo, `${targetType}:${targetId}`, key);
    return true;
  }

  /** The direct bindings of a source to one target type: target id → edge attributes, in binding order. */
  bindings(sourceType: 'application' | ServerType, sourceId: string, targetType: AppTargetType): ReadonlyMap<string, EdgeAttributes> {
    return this.#sources.get(`${sourceType}:${sourceId}`)?.[targetType] ?? new Map();
  }

  /** The sources of one type a target is directly bound to. */
  sourcesOf(targetType: AppTargetType, targetId: string, sourceType: 'application' | ServerType): string[] {
    const out: string[] = [];
    for (const key of this.#boundTo.get(`${targetType}:${targetId}`) ?? EMPTY) {
      const [type, id] = key.split(':') as [string, string];
      if (type === sourceType) out.push(id);
    }
    return out;
  }

  /** Removes a user with all its memberships and bindings. */
  removeUser(userId: string): void {
    for (const groupId of [...this.groupsOf(userId)]) this.removeMember(groupId, userId);
    this.#removeTarget('user', userId);
  }

  /** Removes a group with all its memberships and bindings. */
  removeGroup(groupId: string): void {
    for (const userId of [...this.members(groupId)]) this.removeMember(groupId, userId);
    this.#removeTarget('user_group', groupId);
  }

  /** Removes a source (an application or a server) with all its bindings. */
  removeSource(sourceType: 'application' | ServerType, sourceId: string): void {
    const key = `${sourceType}:${sourceId}`;
    const bindings = this.#sources.get(key);
    if (!bindings) return;
    for (const targetType of ['user_group', 'user'] as const) {
      for (const targetId of bindings[targetType].keys()) removeFrom(this.#boundTo, `${targetType}:${targetId}`, key);
    }
    this.#sources.delete(key);
  }

  /** Forgets everything. */
  clear(): void {
    this.#members.clear();
    this.#memberOf.clear();
    this.#sources.clear();
    this.#boundTo.clear();
  }

  /** Counts, for inspection. */
  counts(): { memberships: number; appBindings: number; serverBindings: number } {
    let memberships = 0;
    for (const set of this.#members.values()) memberships += set.size;
    let appBindings = 0;
    let serverBindings = 0;
    for (const [key, b] of this.#sources) {
      const n = b.user_group.size + b.user.size;
      if (key.startsWith('application:')) appBindings += n;
      else serverBindings += n;
    }
    return { memberships, appBindings, serverBindings };
  }

  #removeTarget(targetType: AppTargetType, targetId: string): void {
    const targetKey = `${targetType}:${targetId}`;
    for (const sourceKey of this.#boundTo.get(targetKey) ?? EMPTY) this.#sources.get(sourceKey)?.[targetType].delete(targetId);
    this.#boundTo.delete(targetKey);
  }
}
