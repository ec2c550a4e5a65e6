import { TenantError } from '../tenant/errors.js';
import type { TenantEvent } from '../tenant/events.js';
import type { Tenant } from '../tenant/tenant.js';
import type { SystemUser, UserGroup } from '../tenant/types.js';
import { ConnectorState, type PushedGroup, type PushedUser } from './connector-state.js';
import { groupCreateBody, groupPutBody, groupRenamePatch, memberPatch, type GroupBodyInput } from './group-body.js';
import { fillFilter, filterQuery } from './lookup-filter.js';
import { PushQueue } from './push-queue.js';
import { ScimRequestLog, type ScimExchange } from './request-log.js';
import { ScimClient, ScimTransportError, type ScimResponse } from './scim-client.js';
import { listResources, patchMessage, resourceId } from './scim-schema.js';
import { presentSettings, type ConnectorSettings } from './settings.js';
import { captureView, liveView, type TenantView } from './tenant-view.js';
import { runTestConnection, type TestConnectionResult } from './test-connection.js';
import { lookupValues, userBody, userPatchOperations } from './user-body.js';

/**
 * - `inactive`: configured, not pushing (never activated, or deactivated);
 * - `testing`: Test Connection is running;
 * - `active`: tenant changes are pushed;
 * - `failed`: the last activation's Test Connection failed (nothing is pushed);
 * - `stopped`: the app was deleted, or the simulator stopped.
 */
export type ConnectorStatus = 'inactive' | 'testing' | 'active' | 'failed' | 'stopped';

/** A push that did not succeed (after the retries). */
export interface PushFailure {
  at: string;
  /** e.g. "user.create" */
  operation: string;
  method: string;
  url: string;
  /** null when no response came */
  status: number | null;
  message: string;
}

/** What a full sync did. */
export interface SyncReport {
  startedAt: string;
  finishedAt: string;
  /** JumpCloud users and groups reconciled */
  users: number;
  groups: number;
  /** HTTP attempts made and pushes that failed during the sync */
  requests: number;
  failures: number;
}

/** The connector as the control API shows it. */
export interface ConnectorView {
  appId: string;
  status: ConnectorStatus;
  settings: ReturnType<typeof presentSettings>;
  lastTest: TestConnectionResult | null;
  lastSync: SyncReport | null;
  queue: { running: string | null; pending: number };
  counts: { users: number; groups: number; requests: number; failures: number };
  /** the last 100 failures, oldest first */
  failures: PushFailure[];
  mappings?: ReturnType<ConnectorState['snapshot']>;
}

const FAILURES_KEPT = 100;

function ok(response: ScimResponse): boolean {
  return response.status >= 200 && response.status < 300;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function path(kind: 'Users' | 'Groups', id: string): string {
  return `/${kind}/${encodeURIComponent(id)}`;
}

/**
 * The Identity Management (custom SCIM) connector of one SSO application: JumpCloud's SCIM client,
 * pushing the app's users and groups to a service provider (jumpcloud-wire.md §A).
 *
 * Who is pushed: users that reach the app (bound directly or through a bound group) and are ACTIVATED;
 * STAGED users are skipped. Every tenant change becomes one task on a serial queue, and each task
 * converges the users and groups it touches to what the tenant holds when the task runs:
 * - a user that should be pushed and is not: lookup (`userLookupFilter`), adopt the match (then update it)
 *   or `POST /Users` with the JumpCloud body; one that is: full-body PUT (or PATCH ops) when its body changed;
 * - a pushed user that is suspended, or no longer reaches the app: `active:false`; reactivated: `active:true`;
 *   deleted in JumpCloud: `DELETE` (see `deleteUserOn`);
 * - a bound group with at least one pushed member (no empty groups): lookup by displayName and take it
 *   over, or `POST /Groups` with its members; then member PATCHes with value arrays, rename, delete;
 * - an unbound group: the unbind strategy (empty it, deactivate members nothing else keeps, keep it).
 *
 * The mapping JumpCloud id → SCIM id lives in `state`; every HTTP attempt is in `log`.
 */
export class ScimConnector {
  readonly appId: string;
  readonly state = new ConnectorState();
  readonly log: ScimRequestLog;
  status: ConnectorStatus = 'inactive';
  lastTest: TestConnectionResult | null = null;
  lastSync: SyncReport | null = null;
  readonly #failures: PushFailure[] = [];
  #failureCount = 0;
  readonly #tenant: Tenant;
  readonly #queue = new PushQueue();
  readonly #client: ScimClient;
  #settings: ConnectorSettings;

  constructor(tenant: Tenant, appId: string, settings: ConnectorSettings) {
    this.#tenant = tenant;
    this.appId = appId;
    this.#settings = settings;
    this.log = new ScimRequestLog(settings.logLimit);
    this.#client = new ScimClient(() => this.#settings, this.log);
    this.#queue.onError = (error, task) => {
      this.#fail({ operation: task.label, method: '', url: '', status: null, message: (error as Error)?.message ?? String(error) });
    };
  }

  /** The settings in effect (the token included: do not serve this; see presentSettings). */
  get settings(): ConnectorSettings {
    return this.#settings;
  }

  /**
   * Replaces the settings. Pushing stops (status `inactive`, queued pushes dropped, the one in flight
   * finishes) until `activate()`; the mappings are forgotten when the base URL changes (another service
   * provider).
   */
  async configure(settings: ConnectorSettings): Promise<void> {
    this.deactivate();
    await this.#queue.idle();
    if (settings.baseUrl !== this.#settings.baseUrl) this.state.clear();
    this.#settings = settings;
    this.log.limit = settings.logLimit;
  }

  /**
   * "Activate": runs Test Connection (after the pushes already queued); on success the connector becomes
   * `active` and, with `syncOnActivate`, queues a full sync (await `idle()` for it); on failure it is
   * `failed` and pushes nothing. Returns the test result.
   */
  activate(): Promise<TestConnectionResult> {
    return this.#testTask(true);
  }

  /** "Test Connection" alone: runs the test and records it, without changing the status. */
  testConnection(): Promise<TestConnectionResult> {
    return this.#testTask(false);
  }

  #testTask(activate: boolean): Promise<TestConnectionResult> {
    if (this.status === 'stopped') return Promise.reject(new Error('the connector is stopped'));
    let result: TestConnectionResult | undefined;
    const previous = this.status;
    if (activate) this.status = 'testing';
    return this.#queue
      .push('test', async () => {
        result = await runTestConnection(this.#client, this.#settings);
        this.lastTest = result;
        if (!activate) return;
        this.status = result.ok ? 'active' : 'failed';
        if (result.ok && this.#settings.syncOnActivate) void this.#queue.push('sync', async () => void (await this.#sync()));
      })
      .then(() => {
        if (result === undefined) {
          if (activate && this.status === 'testing') this.status = previous;
          throw new Error('Test Connection did not run (the connector was reconfigured or stopped)');
        }
        return result;
      });
  }

  /** Stops pushing (status `inactive`) and drops queued pushes; settings and mappings are kept. */
  deactivate(): void {
    if (this.status === 'stopped') return;
    this.status = 'inactive';
    this.#queue.clear();
  }

  /** Stops for good: aborts the request in flight, drops the queue. */
  stop(): void {
    this.status = 'stopped';
    this.#queue.clear();
    this.#client.stop();
  }

  /** Resolves when every queued push is done (for tests: mutate, `await idle()`, assert). */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  /** true while a push is queued or running. */
  get busy(): boolean {
    return this.#queue.running !== null || this.#queue.pending > 0;
  }

  /**
   * A full sync of an active connector (TenantError 'conflict' otherwise): reconciles every user and group
   * bound to the app, and every one pushed before, reading each back (users by a forced PUT or PATCH,
   * groups by a GET) and repairing what differs.
   */
  sync(): Promise<SyncReport> {
    if (this.status !== 'active') return Promise.reject(new TenantError('conflict', `the connector is ${this.status}, not active`));
    let report: SyncReport | undefined;
    return this.#queue
      .push('sync', async () => {
        report = await this.#sync();
      })
      .then(() => {
        if (report === undefined) throw new Error('the sync did not run (the connector was reconfigured or stopped)');
        return report;
      });
  }

  /** The exchanges recorded (oldest first): `after` a seq, at most `limit`. */
  requests(options: { after?: number; limit?: number } = {}): ScimExchange[] {
    return this.log.list(options);
  }

  /** The last failures (at most 100), oldest first. */
  get failures(): PushFailure[] {
    return [...this.#failures];
  }

  /** The JSON view of the control API; `mappings` adds the JumpCloud id → SCIM id tables. */
  view(options: { mappings?: boolean } = {}): ConnectorView {
    return {
      appId: this.appId,
      status: this.status,
      settings: presentSettings(this.#settings),
      lastTest: this.lastTest,
      lastSync: this.lastSync,
      queue: { running: this.#queue.running, pending: this.#queue.pending },
      counts: { users: this.state.users.size, groups: this.state.groups.size, requests: this.log.lastSeq, failures: this.#failureCount },
      failures: this.failures,
      ...(options.mappings ? { mappings: this.state.snapshot() } : {}),
    };
  }

  /** Takes one tenant change event: queues its push when active (called by the registry's subscription). */
  handle(event: TenantEvent): void {
    if (event.type === 'app.deleted' && event.app._id === this.appId) {
      this.stop();
      return;
    }
    if (this.status !== 'active') return;
    const plan = this.#plan(event);
    if (plan) void this.#queue.push(event.type, plan);
  }

  // ---- event → pushes -------------------------------------------------------------------------------

  /**
   * The push of one change, with a snapshot of the tenant facts it needs taken now (see tenant-view.ts);
   * null when the change does not concern the app.
   */
  #plan(event: TenantEvent): (() => Promise<void>) | null {
    const tenant = this.#tenant;
    const pushedUser = (id: string) => this.state.users.has(id);
    const pushedGroup = (id: string) => this.state.groups.has(id);
    const reaches = (id: string) => tenant.users.has(id) && tenant.canReach(this.appId, id);
    const bound = (id: string) => tenant.graph.bindings('application', this.appId, 'user_group').has(id);
    const capture = (users: Iterable<string>, groups: Iterable<string>) => captureView(tenant, this.appId, { users, groups });
    const userGroups = (id: string) => (tenant.users.has(id) ? [...tenant.graph.groupsOf(id)].filter((g) => bound(g) || pushedGroup(g)) : []);
    switch (event.type) {
      case 'user.updated':
      case 'user.suspended':
      case 'user.activated': {
        const userId = event.user._id;
        if (!pushedUser(userId) && !reaches(userId)) return null;
        const view = capture([userId], userGroups(userId));
        return () => this.#userChanged(view, userId);
      }
      case 'user.bound':
      case 'user.unbound': {
        if (event.appId !== this.appId) return null;
        const view = capture([event.userId], userGroups(event.userId));
        return () => this.#userChanged(view, event.userId);
      }
      case 'user.deleted': {
        const userId = event.user._id;
        if (!pushedUser(userId) && !event.appIds.includes(this.appId)) return null;
        const view = capture([userId], []);
        return () => this.#step(() => this.#reconcileUser(view, userId));
      }
      case 'member.added':
      case 'member.removed': {
        const { groupId, userId } = event;
        if (!bound(groupId) && !pushedGroup(groupId) && !pushedUser(userId) && !reaches(userId)) return null;
        const view = capture([userId], [groupId]);
        if (event.type === 'member.added') {
          return async () => {
            await this.#step(() => this.#reconcileUser(view, userId));
            await this.#step(() => this.#reconcileGroup(view, groupId));
          };
        }
        return async () => {
          await this.#step(() => this.#reconcileGroup(view, groupId));
          await this.#step(() => this.#reconcileUser(view, userId));
        };
      }
      case 'group.bound': {
        if (event.appId !== this.appId) return null;
        const members = [...tenant.graph.members(event.groupId)];
        const view = capture(members, [event.groupId]);
        return async () => {
          for (const userId of members) await this.#step(() => this.#reconcileUser(view, userId));
          await this.#step(() => this.#reconcileGroup(view, event.groupId));
        };
      }
      case 'group.unbound': {
        if (event.appId !== this.appId) return null;
        const members = [...tenant.graph.members(event.groupId)];
        const view = capture([...members, ...(this.state.groups.get(event.groupId)?.members.keys() ?? [])], [event.groupId]);
        return async () => {
          await this.#step(() => this.#reconcileGroup(view, event.groupId));
          if (this.#settings.manageGroups && this.#settings.unbindStrategy.orphanedUsers === 'none') return;
          for (const userId of members) await this.#step(() => this.#reconcileUser(view, userId));
        };
      }
      case 'group.renamed':
      case 'group.updated': {
        const groupId = event.group.id;
        if (!bound(groupId) && !pushedGroup(groupId)) return null;
        const view = capture([], [groupId]);
        return () => this.#step(() => this.#reconcileGroup(view, groupId));
      }
      case 'group.deleted': {
        const groupId = event.group.id;
        if (!event.appIds.includes(this.appId) && !pushedGroup(groupId)) return null;
        const view = capture(event.memberIds, [groupId]);
        return async () => {
          await this.#step(() => this.#reconcileGroup(view, groupId));
          for (const userId of event.memberIds) await this.#step(() => this.#reconcileUser(view, userId));
        };
      }
      case 'tenant.seeded':
        return async () => {
          if (!this.#tenant.apps.has(this.appId)) return this.stop();
          await this.#sync();
        };
      default:
        return null;
    }
  }

  async #userChanged(view: TenantView, userId: string): Promise<void> {
    await this.#step(() => this.#reconcileUser(view, userId));
    if (!view.user(userId)) return;
    for (const groupId of view.groupsOf(userId)) {
      if (view.isBound(groupId) || this.state.groups.has(groupId)) await this.#step(() => this.#reconcileGroup(view, groupId));
    }
  }

  async #sync(): Promise<SyncReport> {
    const startedAt = new Date().toISOString();
    const requestsBefore = this.log.lastSeq;
    const failuresBefore = this.#failureCount;
    const view = liveView(this.#tenant, this.appId);
    const users = new Set([...this.#tenant.appUsers(this.appId).map((e) => e.userId), ...this.state.users.keys()]);
    for (const userId of users) await this.#step(() => this.#reconcileUser(view, userId, true));
    const groups = new Set([...this.#tenant.graph.bindings('application', this.appId, 'user_group').keys(), ...this.state.groups.keys()]);
    for (const groupId of groups) await this.#step(() => this.#reconcileGroup(view, groupId, true));
    this.lastSync = {
      startedAt,
      finishedAt: new Date().toISOString(),
      users: users.size,
      groups: this.#settings.manageGroups ? groups.size : 0,
      requests: this.log.lastSeq - requestsBefore,
      failures: this.#failureCount - failuresBefore,
    };
    return this.lastSync;
  }

  // ---- users ----------------------------------------------------------------------------------------

  /** Converges one user to the view (`force`: send the update even when nothing changed, as a sync does). */
  async #reconcileUser(view: TenantView, userId: string, force = false): Promise<void> {
    const user = view.user(userId);
    const pushed = this.state.users.get(userId);
    if (!user) {
      if (!pushed) return;
      if (this.#settings.deleteUserOn === 'never') await this.#deactivateUser(userId, pushed, null, force);
      else await this.#deleteUser(userId, pushed, null);
      return;
    }
    const reaches = view.reaches(userId);
    if (reaches && user.state === 'ACTIVATED') {
      if (!pushed) await this.#provisionUser(user);
      else await this.#updateUser(user, pushed, force);
      return;
    }
    if (!pushed) return;
    if (!reaches && this.#settings.deleteUserOn === 'access-lost') await this.#deleteUser(userId, pushed, user);
    else await this.#deactivateUser(userId, pushed, user, force);
  }

  /** Lookup before create: adopts the user the filter finds (and updates it), else creates one. */
  async #provisionUser(user: SystemUser, again = false): Promise<void> {
    const s = this.#settings;
    const filter = fillFilter(s.userLookupFilter, lookupValues(user, s));
    const found = await this.#send('user.lookup', 'GET', `/Users${filterQuery(filter)}`);
    if (!ok(found)) return this.#failed('user.lookup', found);
    const match = listResources(found.body)[0];
    const matchId = match ? resourceId(match) : null;
    if (match && matchId) {
      const entry: PushedUser = { scimId: matchId, active: match.active !== false, body: null, origin: 'adopted' };
      this.state.users.set(user._id, entry);
      return this.#updateUser(user, entry, true, again);
    }
    const body = userBody(user, s);
    const created = await this.#send('user.create', 'POST', '/Users', body);
    if (!ok(created)) return this.#failed('user.create', created);
    const scimId = resourceId(created.body);
    if (scimId === null) return this.#failed('user.create', created, 'the created user has no id');
    this.state.users.set(user._id, { scimId, active: body.active === true, body: userBody(user, s, { id: scimId }), origin: 'created' });
  }

  /** Full-body PUT (or PATCH ops) when the body differs from the last one sent; a 404 re-provisions. */
  async #updateUser(user: SystemUser, pushed: PushedUser, force: boolean, again = false): Promise<void> {
    const s = this.#settings;
    const next = userBody(user, s, { id: pushed.scimId });
    if (!force && pushed.body !== null && same(next, pushed.body)) return;
    const operation = next.active === true && !pushed.active ? 'user.reactivate' : next.active !== true && pushed.active ? 'user.deactivate' : 'user.update';
    let response: ScimResponse;
    if (s.updateMethod === 'patch') {
      const ops = userPatchOperations(force ? null : pushed.body, next);
      if (ops.length === 0) return;
      response = await this.#send(operation, 'PATCH', path('Users', pushed.scimId), patchMessage(ops));
    } else {
      response = await this.#send(operation, 'PUT', path('Users', pushed.scimId), next);
    }
    if (response.status === 404 && !again) {
      // gone from the service provider: forget it and provision it again
      this.state.forgetUser(user._id);
      return this.#provisionUser(user, true);
    }
    if (!ok(response)) return this.#failed(operation, response);
    pushed.body = next;
    pushed.active = next.active === true;
  }

  /** `active:false` by PUT (the full body) or PATCH (one replace op); nothing when already inactive. */
  async #deactivateUser(userId: string, pushed: PushedUser, user: SystemUser | null, force: boolean): Promise<void> {
    if (!pushed.active && !force) return;
    const s = this.#settings;
    const putBody = user ? userBody(user, s, { id: pushed.scimId, active: false }) : pushed.body ? { ...pushed.body, active: false } : null;
    const response =
      s.updateMethod === 'patch' || putBody === null
        ? await this.#send('user.deactivate', 'PATCH', path('Users', pushed.scimId), patchMessage([{ op: 'replace', path: 'active', value: false }]))
        : await this.#send('user.deactivate', 'PUT', path('Users', pushed.scimId), putBody);
    if (response.status === 404) return this.state.forgetUser(userId);
    if (!ok(response)) return this.#failed('user.deactivate', response);
    pushed.active = false;
    pushed.body = putBody !== null && s.updateMethod === 'put' ? putBody : pushed.body && { ...pushed.body, active: false };
  }

  /** `DELETE /Users/{id}` (404: already gone); a 405/501 falls back to deactivation. */
  async #deleteUser(userId: string, pushed: PushedUser, user: SystemUser | null): Promise<void> {
    const response = await this.#send('user.delete', 'DELETE', path('Users', pushed.scimId));
    if (response.status === 405 || response.status === 501) {
      await this.#deactivateUser(userId, pushed, user, false);
      return;
    }
    if (!ok(response) && response.status !== 404) return this.#failed('user.delete', response);
    this.state.forgetUser(userId);
  }

  // ---- groups ---------------------------------------------------------------------------------------

  #groupInput(group: UserGroup): GroupBodyInput {
    return { name: group.name, jumpcloudId: group.id, sendExternalId: this.#settings.sendGroupExternalId };
  }

  /** Converges one group (`force`: read it back first and repair what differs, as a sync does). */
  async #reconcileGroup(view: TenantView, groupId: string, force = false, again = false): Promise<void> {
    if (!this.#settings.manageGroups) return;
    const group = view.group(groupId);
    let pushed = this.state.groups.get(groupId);
    if (!group) {
      if (!pushed) return;
      if (pushed.managed) await this.#deleteGroup(groupId, pushed);
      else this.state.groups.delete(groupId);
      return;
    }
    if (!view.isBound(groupId)) {
      if (pushed?.managed) await this.#unbindGroup(view, group, pushed);
      return;
    }
    const desired = new Map<string, string>();
    for (const userId of view.members(groupId)) {
      const user = this.state.users.get(userId);
      if (user) desired.set(userId, user.scimId);
    }
    if (!pushed) {
      if (desired.size > 0) await this.#createGroup(view, group, desired);
      return;
    }
    pushed.managed = true;
    if (force) {
      const read = await this.#send('group.read', 'GET', path('Groups', pushed.scimId));
      if (read.status === 404 && !again) {
        this.state.groups.delete(groupId);
        return this.#reconcileGroup(view, groupId, false, true);
      }
      if (!ok(read)) return this.#failed('group.read', read);
      const body = read.body as { displayName?: unknown; members?: { value?: unknown }[] } | null;
      const actual = new Set((Array.isArray(body?.members) ? body.members : []).map((m) => String(m.value)));
      if (typeof body?.displayName === 'string') pushed.name = body.displayName;
      const known = new Map([...pushed.members, ...desired]);
      pushed.members = new Map([...known].filter(([, scimId]) => actual.has(scimId)));
    }
    if (pushed.name !== group.name && !(await this.#renameGroup(group, pushed))) return;
    const add = [...desired].filter(([userId]) => !pushed.members.has(userId));
    const remove = [...pushed.members].filter(([userId]) => !desired.has(userId));
    if (add.length > 0) {
      const response = await this.#send('group.members.add', 'PATCH', path('Groups', pushed.scimId), memberPatch('add', add.map(([, scimId]) => scimId)));
      if (response.status === 404 && !again) {
        this.state.groups.delete(groupId);
        return this.#reconcileGroup(view, groupId, false, true);
      }
      if (!ok(response)) return this.#failed('group.members.add', response);
      for (const [userId, scimId] of add) pushed.members.set(userId, scimId);
    }
    if (remove.length > 0) {
      const response = await this.#send('group.members.remove', 'PATCH', path('Groups', pushed.scimId), memberPatch('remove', remove.map(([, scimId]) => scimId)));
      if (!ok(response)) return this.#failed('group.members.remove', response);
      for (const [userId] of remove) pushed.members.delete(userId);
    }
  }

  /** Takeover by displayName (`groupLookupFilter`), else `POST /Groups` with the members. */
  async #createGroup(view: TenantView, group: UserGroup, members: Map<string, string>): Promise<void> {
    const s = this.#settings;
    const found = await this.#send('group.lookup', 'GET', `/Groups${filterQuery(fillFilter(s.groupLookupFilter, { name: group.name, id: group.id }))}`);
    if (!ok(found)) return this.#failed('group.lookup', found);
    const match = listResources(found.body)[0];
    const matchId = match ? resourceId(match) : null;
    if (match && matchId) {
      const pushed: PushedGroup = { scimId: matchId, name: typeof match.displayName === 'string' ? match.displayName : group.name, members: new Map(), managed: true, origin: 'taken-over' };
      this.state.groups.set(group.id, pushed);
      // the takeover: from now on JumpCloud manages the membership it knows; members it does not know stay
      await this.#reconcileGroup(view, group.id, false, true);
      return;
    }
    const created = await this.#send('group.create', 'POST', '/Groups', groupCreateBody(this.#groupInput(group), [...members.values()]));
    if (!ok(created)) return this.#failed('group.create', created);
    const scimId = resourceId(created.body);
    if (scimId === null) return this.#failed('group.create', created, 'the created group has no id');
    this.state.groups.set(group.id, { scimId, name: group.name, members: new Map(members), managed: true, origin: 'created' });
  }

  /** Rename by PUT `{schemas, id, displayName}` or PATCH replace displayName; false when it failed. */
  async #renameGroup(group: UserGroup, pushed: PushedGroup): Promise<boolean> {
    const response =
      this.#settings.groupRenameMethod === 'patch'
        ? await this.#send('group.rename', 'PATCH', path('Groups', pushed.scimId), groupRenamePatch(group.name))
        : await this.#send('group.rename', 'PUT', path('Groups', pushed.scimId), groupPutBody(this.#groupInput(group), pushed.scimId));
    if (!ok(response)) {
      this.#failed('group.rename', response);
      return false;
    }
    pushed.name = group.name;
    return true;
  }

  async #deleteGroup(groupId: string, pushed: PushedGroup): Promise<void> {
    const response = await this.#send('group.delete', 'DELETE', path('Groups', pushed.scimId));
    if (!ok(response) && response.status !== 404) return this.#failed('group.delete', response);
    this.state.groups.delete(groupId);
  }

  /** The unbind strategy: empty the group, keep (or delete) it, then handle the members nothing else keeps. */
  async #unbindGroup(view: TenantView, group: UserGroup, pushed: PushedGroup): Promise<void> {
    const strategy = this.#settings.unbindStrategy;
    const former = [...pushed.members.keys()];
    if (strategy.removeMembers === 'patch' && pushed.members.size > 0) {
      const response = await this.#send('group.unbind', 'PATCH', path('Groups', pushed.scimId), memberPatch('remove', [...pushed.members.values()]));
      if (ok(response)) pushed.members.clear();
      else this.#failed('group.unbind', response);
    } else if (strategy.removeMembers === 'put') {
      const response = await this.#send('group.unbind', 'PUT', path('Groups', pushed.scimId), groupPutBody(this.#groupInput(group), pushed.scimId, []));
      if (ok(response)) pushed.members.clear();
      else this.#failed('group.unbind', response);
    }
    if (strategy.group === 'delete') await this.#deleteGroup(group.id, pushed);
    else pushed.managed = false;
    for (const userId of former) {
      const entry = this.state.users.get(userId);
      if (!entry || view.reaches(userId)) continue;
      if (strategy.orphanedUsers === 'deactivate') await this.#step(() => this.#reconcileUser(view, userId));
      else if (strategy.orphanedUsers === 'delete') await this.#step(() => this.#deleteUser(userId, entry, view.user(userId) ?? null));
      else this.state.forgetUser(userId);
    }
  }

  // ---- plumbing -------------------------------------------------------------------------------------

  #send(operation: string, method: string, url: string, body?: unknown): Promise<ScimResponse> {
    return this.#client.request(operation, method, url, body);
  }

  /** Runs one convergence step; a request that got no response is recorded and the next step goes on. */
  async #step(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      if (!(error instanceof ScimTransportError)) throw error;
      this.#fail({ operation: 'request', method: error.method, url: error.url, status: null, message: error.message });
    }
  }

  #failed(operation: string, response: ScimResponse, why?: string): void {
    const last = this.log.list({ limit: 1 })[0];
    const detail = (response.body as { detail?: unknown } | null)?.detail;
    this.#fail({
      operation,
      method: last?.method ?? '',
      url: last?.url ?? '',
      status: response.status,
      message: why ?? (typeof detail === 'string' ? detail : `answered ${response.status}`),
    });
  }

  #fail(failure: Omit<PushFailure, 'at'>): void {
    this.#failureCount++;
    this.#failures.push({ at: new Date().toISOString(), ...failure });
    if (this.#failures.length > FAILURES_KEPT) this.#failures.splice(0, this.#failures.length - FAILURES_KEPT);
  }
}
