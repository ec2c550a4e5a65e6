import type { EntityRow, RelationRow } from '../store/repositories/jumpcloud.js';
import type { Store } from '../store/store.js';
import { toJson } from '../store/json.js';
import type { JumpCloudClient } from './client.js';
import { JumpCloudError } from './errors.js';
import { connectionTarget, mapAdmin, mapApplication, mapGroup, mapRole, mapUser, objectWithPaths, type MappedEntity } from './inventory-mapping.js';
import { countOf, readAllPages } from './paging.js';
import { forEachLimited } from './semaphore.js';

/** Where a run stands; saved with every heartbeat and shown by GET …/runs/:runId. */
export interface PullProgress {
  phase: 'lists' | 'graph' | 'findings' | 'done';
  /** records pulled (users, groups, admins, roles, applications) / their totals as JumpCloud reported them */
  entities: { done: number; total: number };
  /** list pages read / known so far (totals grow as lists report theirs) */
  pages: { done: number; total: number };
  /** groups and applications whose memberships / bindings / access were read */
  graph: { done: number; total: number };
  kinds: Record<'users' | 'groups' | 'admins' | 'roles' | 'applications', { done: number; total: number }>;
  requests: number;
  retries: number;
}

/** What a finished run counts. */
export interface PullCounts {
  users: number;
  groups: number;
  admins: number;
  roles: number;
  applications: number;
  memberships: number;
  effectiveMemberships: number;
  appGroupBindings: number;
  appUserBindings: number;
  appAccessUsers: number;
  appAccessGroups: number;
  /** records a directory pull leaves out (LDAP and RADIUS), null when the key may not read them */
  skipped: { ldapServers: number | null; radiusServers: number | null };
  /** records gone from JumpCloud since the previous run (tombstoned now) */
  tombstoned: Record<string, number>;
  requests: number;
  retries: number;
  findings?: { opened: number; resolved: number; open: number };
}

/** Relation kinds of the inventory (each a list per group or app). */
export const EDGE = {
  member: 'member',
  effectiveMember: 'effective_member',
  appGroup: 'app_group',
  appUser: 'app_user',
  accessUser: 'access_user',
  accessGroup: 'access_group',
} as const;

type ListSpec = {
  step: string;
  kind: keyof PullProgress['kinds'];
  entity: string;
  path: string;
  map: (r: Record<string, unknown>) => MappedEntity | null;
  /** v1 `fields` (space-separated): only what the mapping reads (smaller pages; never SSH keys or certificates) */
  fields?: string;
};

const USER_FIELDS =
  '_id username email alternateEmail recoveryEmail firstname lastname displayname state activated suspended password_expired account_locked mfa totp_enabled employeeIdentifier department jobTitle externally_managed created';
const APP_FIELDS = '_id name displayName displayLabel logo ssoUrl sso active created';

const LISTS: ListSpec[] = [
  { step: 'list:users', kind: 'users', entity: 'user', path: '/api/systemusers', map: mapUser, fields: USER_FIELDS },
  { step: 'list:groups', kind: 'groups', entity: 'group', path: '/api/v2/usergroups', map: mapGroup },
  { step: 'list:admins', kind: 'admins', entity: 'admin', path: '/api/users', map: mapAdmin },
  { step: 'list:roles', kind: 'roles', entity: 'role', path: '/api/v2/roles', map: mapRole },
  { step: 'list:applications', kind: 'applications', entity: 'application', path: '/api/applications', map: mapApplication, fields: APP_FIELDS },
];

/** Every entity kind a complete run refreshes (what is not seen is tombstoned). */
export const ENTITY_KINDS = LISTS.map((l) => l.entity);

export function emptyProgress(): PullProgress {
  const zero = () => ({ done: 0, total: 0 });
  return {
    phase: 'lists',
    entities: zero(),
    pages: zero(),
    graph: zero(),
    kinds: { users: zero(), groups: zero(), admins: zero(), roles: zero(), applications: zero() },
    requests: 0,
    retries: 0,
  };
}

/** The identity of a run and what it already finished (a resumed run skips those steps). */
export interface RunContext {
  connectionId: string;
  runId: string;
  doneSteps: Set<string>;
  /** graph tasks (groups, apps) in flight at once; default twice the client's concurrency */
  graphConcurrency?: number;
  signal?: AbortSignal;
}

/**
 * One pull of a JumpCloud organization into the inventory:
 * 1. the five lists (users, groups, admins, roles, applications) at once, each page upserted as it arrives;
 *    LDAP and RADIUS servers are only counted;
 * 2. for every group, its direct members and effective membership; for every application, its bindings
 *    (user groups and users) and effective access (users with the groups that grant it, and groups) —
 *    a group's or app's edges are replaced in one transaction with its finished step;
 * 3. (complete runs) entities not seen are tombstoned and edges not seen deleted.
 * Every finished step is recorded, so a run resumed after a crash redoes only the unfinished ones.
 */
export class PullRunner {
  readonly progress: PullProgress = emptyProgress();
  readonly #store: Store;
  readonly #client: JumpCloudClient;
  readonly #ctx: RunContext;

  constructor(store: Store, client: JumpCloudClient, ctx: RunContext) {
    this.#store = store;
    this.#client = client;
    this.#ctx = ctx;
  }

  /** Runs the pull; throws a JumpCloudError (or a database error) on failure. */
  async run(): Promise<PullCounts> {
    const skipped = { ldapServers: null as number | null, radiusServers: null as number | null };
    await Promise.all([
      ...LISTS.map((list) => this.#list(list)),
      this.#countSkipped('/api/v2/ldapservers').then((n) => (skipped.ldapServers = n)),
      this.#countSkipped('/api/radiusservers').then((n) => (skipped.radiusServers = n)),
    ]);
    this.#check();

    this.progress.phase = 'graph';
    const repo = this.#store.jumpcloud;
    const groups = await repo.seenIds(this.#ctx.connectionId, 'group', this.#ctx.runId);
    const apps = await repo.seenIds(this.#ctx.connectionId, 'application', this.#ctx.runId);
    const tasks: (() => Promise<void>)[] = [
      ...apps.map((id) => () => this.#step(`app:${id}`, () => this.#application(id))),
      ...groups.map((id) => () => this.#step(`group:${id}`, () => this.#group(id))),
    ];
    this.progress.graph.total = tasks.length;
    await forEachLimited(tasks, this.#ctx.graphConcurrency ?? this.#client.concurrency * 2, async (task) => {
      this.#check();
      await task();
      this.progress.graph.done++;
    });
    this.#check();

    const at = new Date().toISOString();
    const tombstoned: Record<string, number> = {};
    for (const kind of ENTITY_KINDS) {
      const n = await repo.tombstoneUnseen(this.#ctx.connectionId, kind, this.#ctx.runId, at);
      if (n > 0) tombstoned[kind] = n;
    }
    await repo.deleteUnseenRelations(this.#ctx.connectionId, this.#ctx.runId);
    return this.#counts(skipped, tombstoned);
  }

  #check(): void {
    if (this.#ctx.signal?.aborted) throw new JumpCloudError('cancelled', 'the pull was cancelled');
  }

  #syncStats(): void {
    this.progress.requests = this.#client.stats.requests;
    this.progress.retries = this.#client.stats.retries;
  }

  /** Runs a step unless a previous attempt of this run finished it. */
  async #step(step: string, work: () => Promise<void>): Promise<void> {
    if (this.#ctx.doneSteps.has(step)) return;
    await work();
    this.#ctx.doneSteps.add(step);
  }

  async #list(list: ListSpec): Promise<void> {
    const kind = this.progress.kinds[list.kind];
    if (this.#ctx.doneSteps.has(list.step)) {
      const n = (await this.#store.jumpcloud.seenIds(this.#ctx.connectionId, list.entity, this.#ctx.runId)).length;
      kind.done = kind.total = n;
      this.progress.entities.done += n;
      this.progress.entities.total += n;
      return;
    }
    let pages = 0;
    await readAllPages(
      this.#client,
      list.path,
      list.fields === undefined ? { sort: '_id' } : { sort: '_id', fields: list.fields },
      async (items) => {
        this.#check();
        const at = new Date().toISOString();
        const rows: EntityRow[] = [];
        for (const item of items) {
          const mapped = list.map(item);
          if (mapped === null) continue;
          rows.push({
            connection_id: this.#ctx.connectionId,
            kind: list.entity,
            jc_id: mapped.id,
            name: mapped.name,
            email: mapped.email,
            data: toJson(mapped.data),
            seen_run_id: this.#ctx.runId,
            first_seen_at: at,
            last_seen_at: at,
            deleted_at: null,
          });
        }
        await this.#store.jumpcloud.upsertEntities(rows);
        kind.done += items.length;
        this.progress.entities.done += items.length;
        if (kind.done > kind.total) {
          this.progress.entities.total += kind.done - kind.total;
          kind.total = kind.done;
        }
      },
      {
        onTotal: (total) => {
          if (total > kind.total) {
            this.progress.entities.total += total - kind.total;
            kind.total = total;
          }
        },
        onPageCount: (n) => {
          this.progress.pages.total += n - pages;
          pages = n;
        },
        onPageDone: () => {
          this.progress.pages.done++;
          this.#syncStats();
        },
      },
    );
    await this.#store.jumpcloud.markStep(this.#ctx.runId, list.step, new Date().toISOString());
    this.#ctx.doneSteps.add(list.step);
  }

  /** Counts LDAP or RADIUS servers (what a directory pull skips); null when the key may not list them. */
  async #countSkipped(path: string): Promise<number | null> {
    try {
      return await countOf(this.#client, path);
    } catch (error) {
      if (error instanceof JumpCloudError && (error.kind === 'forbidden' || error.kind === 'not_found' || error.kind === 'bad_request')) return null;
      throw error;
    }
  }

  /**
   * Every record of a graph list, each page reduced by `pick` as it arrives (a 50,000-member group keeps
   * 50,000 small values, not 50,000 parsed GraphConnections); pages are counted in the progress.
   */
  async #graphList<T>(path: string, pick: (record: Record<string, unknown>) => T | null, query: Record<string, string | string[]> = {}): Promise<T[]> {
    const out: T[] = [];
    let pages = 0;
    await readAllPages(
      this.#client,
      path,
      query,
      (items) => {
        for (const item of items) {
          const value = pick(item);
          if (value !== null) out.push(value);
        }
      },
      {
        onPageCount: (n) => {
          this.progress.pages.total += n - pages;
          pages = n;
        },
        onPageDone: () => {
          this.progress.pages.done++;
          this.#syncStats();
        },
      },
    );
    return out;
  }

  #relation(kind: string, from: string, targets: unknown[]): RelationRow {
    return { connection_id: this.#ctx.connectionId, kind, from_id: from, targets: toJson(targets), target_count: targets.length, seen_run_id: this.#ctx.runId };
  }

  /** A group's direct members and effective membership (users only; JumpCloud user groups hold users). */
  async #group(groupId: string): Promise<void> {
    const id = encodeURIComponent(groupId);
    const userTarget = (m: Record<string, unknown>) => {
      const to = connectionTarget(m);
      return to?.type === 'user' ? to.id : null;
    };
    const userObject = (m: Record<string, unknown>) => {
      const o = objectWithPaths(m);
      return o?.type === 'user' ? o.id : null;
    };
    const [members, membership] = await Promise.all([this.#graphList(`/api/v2/usergroups/${id}/members`, userTarget), this.#graphList(`/api/v2/usergroups/${id}/membership`, userObject)]);
    const direct = new Set(members);
    const effective = new Set(membership);
    await this.#saveGraph(`group:${groupId}`, [this.#relation(EDGE.member, groupId, [...direct]), this.#relation(EDGE.effectiveMember, groupId, [...effective])]);
  }

  /** An application's bindings (user groups, users) and effective access (users with the groups granting it; groups). */
  async #application(appId: string): Promise<void> {
    const id = encodeURIComponent(appId);
    const [bindings, users, groups] = await Promise.all([
      this.#graphList(`/api/v2/applications/${id}/associations`, connectionTarget, { targets: ['user_group', 'user'] }),
      this.#graphList(`/api/v2/applications/${id}/users`, (r) => {
        const o = objectWithPaths(r);
        return o?.type === 'user' ? { id: o.id, direct: o.direct, viaGroups: o.viaGroups } : null;
      }),
      this.#graphList(`/api/v2/applications/${id}/usergroups`, (r) => {
        const o = objectWithPaths(r);
        return o?.type === 'user_group' ? o.id : null;
      }),
    ]);
    const boundGroups = new Set<string>();
    const boundUsers = new Set<string>();
    for (const to of bindings) {
      if (to.type === 'user_group') boundGroups.add(to.id);
      else if (to.type === 'user') boundUsers.add(to.id);
    }
    const access = new Map(users.map((u) => [u.id, u]));
    const accessGroups = new Set(groups);
    await this.#saveGraph(`app:${appId}`, [
      this.#relation(EDGE.appGroup, appId, [...boundGroups]),
      this.#relation(EDGE.appUser, appId, [...boundUsers]),
      this.#relation(EDGE.accessUser, appId, [...access.values()]),
      this.#relation(EDGE.accessGroup, appId, [...accessGroups]),
    ]);
  }

  /** Replaces the lists of one group or app and records its step, in one transaction. */
  async #saveGraph(step: string, relations: RelationRow[]): Promise<void> {
    this.#check();
    const at = new Date().toISOString();
    await this.#store.transaction(async (tx) => {
      await tx.jumpcloud.upsertRelations(relations);
      await tx.jumpcloud.markStep(this.#ctx.runId, step, at);
    });
  }

  async #counts(skipped: PullCounts['skipped'], tombstoned: Record<string, number>): Promise<PullCounts> {
    const entities = await this.#store.jumpcloud.entityCounts(this.#ctx.connectionId);
    const edges = await this.#store.jumpcloud.relationCounts(this.#ctx.connectionId);
    this.#syncStats();
    return {
      users: entities.user ?? 0,
      groups: entities.group ?? 0,
      admins: entities.admin ?? 0,
      roles: entities.role ?? 0,
      applications: entities.application ?? 0,
      memberships: edges[EDGE.member] ?? 0,
      effectiveMemberships: edges[EDGE.effectiveMember] ?? 0,
      appGroupBindings: edges[EDGE.appGroup] ?? 0,
      appUserBindings: edges[EDGE.appUser] ?? 0,
      appAccessUsers: edges[EDGE.accessUser] ?? 0,
      appAccessGroups: edges[EDGE.accessGroup] ?? 0,
      skipped,
      tombstoned,
      requests: this.#client.stats.requests,
      retries: this.#client.stats.retries,
    };
  }
}
