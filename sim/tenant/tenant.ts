import { appsOfUser, canReach, effectiveUsers, type EffectiveUser } from './access.js';
import { buildAdmin, buildRole, builtInRoles, type AdminInput, type AdminPatch, type RoleInput } from './admin-record.js';
import { buildApplication, certificateWindow, patchApplication, slugify, type AppInput, type AppPatch } from './app-record.js';
import { Collection } from './collection.js';
import { TenantError } from './errors.js';
import { TenantEventBus, type TenantEvent, type TenantEventBody, type TenantEventOf, type TenantEventType, type TenantListener } from './events.js';
import { Graph, type EdgeAttributes } from './graph.js';
import { isObjectId, ObjectIdFactory } from './object-id.js';
import type { Admin, Application, AppTargetType, LdapServer, Organization, RadiusServer, Role, ServerType, SystemUser, UserGroup, UserState } from './types.js';
import { buildUser, patchUser, type RecordContext, type UserInput, type UserPatch } from './user-record.js';


/** How to create a tenant. */
export interface TenantOptions {
  organization: Organization;
  /** seeds the id factory (ids are deterministic for a given seed and clock) */
  idSeed?: number;
  /** the time source; default the real clock */
  clock?: () => Date;
  /** state of a user created without one; JumpCloud takes it from an organization setting. Default ACTIVATED. */
  defaultUserState?: UserState;
}

/** What a new user group may be given. */
export interface GroupInput {
  id?: string;
  name: string;
  description?: string;
  email?: string;
  attributes?: Record<string, unknown> | null;
  created?: string;
}

/** Input of a new LDAP server. */
export type LdapServerInput = Partial<LdapServer> & { name: string };
/** Input of a new RADIUS server. */
export type RadiusServerInput = Partial<RadiusServer> & { name: string };

function copy<T>(value: T): T {
  return structuredClone(value);
}

/**
 * One simulated JumpCloud organization: its system users, static user groups, console admins and roles,
 * SSO applications, LDAP and RADIUS servers, and the association graph between them. Every mutation goes
 * through a method here, validates its input (throwing TenantError), bumps `version`, and then emits a
 * typed change event (see events.ts) that the SCIM connector can subscribe to with `on()`.
 */
export class Tenant {
  readonly orgId: string;
  organization: Organization;
  readonly users = new Collection<SystemUser>((u) => u._id);
  readonly groups = new Collection<UserGroup>((g) => g.id);
  readonly admins = new Collection<Admin>((a) => a._id);
  /** custom roles only; builtInRoles holds the others */
  readonly customRoles = new Collection<Role>((r) => r.id);
  readonly builtInRoles: readonly Role[] = builtInRoles();
  readonly apps = new Collection<Application>((a) => a._id);
  readonly ldapServers = new Collection<LdapServer>((s) => s.id);
  readonly radiusServers = new Collection<RadiusServer>((s) => s._id);
  readonly graph = new Graph();
  readonly events = new TenantEventBus();
  /** increases on every change; caches key on it */
  version = 0;
  clock: () => Date;
  defaultUserState: UserState;

  readonly #byUsername = new Map<string, string>();
  readonly #byEmail = new Map<string, string>();
  readonly #byEmployeeId = new Map<string, string>();
  readonly #groupByName = new Map<string, string>();
  readonly #appBySlug = new Map<string, string>();
  #ids: ObjectIdFactory;
  #idSeed: number;
  #nextUnixId = 5001;
  #quiet = false;
  readonly #ctx: RecordContext = { newId: (atMs) => this.newId(atMs), now: () => this.clock() };

  constructor(options: TenantOptions) {
    this.organization = options.organization;
    this.orgId = options.organization._id;
    this.#idSeed = options.idSeed ?? 1;
    this.#ids = new ObjectIdFactory(this.#idSeed);
    this.clock = options.clock ?? (() => new Date());
    this.defaultUserState = options.defaultUserState ?? 'ACTIVATED';
  }

  // ---- events -------------------------------------------------------------------------------------

  /** Subscribes to every change event; returns the unsubscribe function. */
  on(listener: TenantListener): () => void;
  /** Subscribes to one event type; returns the unsubscribe function. */
  on<T extends TenantEventType>(type: T, listener: TenantListener<TenantEventOf<T>>): () => void;
  on(a: TenantEventType | TenantListener, b?: TenantListener<never>): () => void {
    return typeof a === 'function' ? this.events.on(a) : this.events.on(a, b as TenantListener<TenantEventOf<typeof a>>);
  }

  /** A fresh ObjectId stamped with the given time (ms since the epoch) or else the tenant clock. */
  newId(atMs?: number): string {
    return this.#ids.next(atMs ?? this.clock().getTime());
  }

  #changed(body: () => TenantEventBody): void {
    this.version++;
    if (!this.#quiet) this.events.emit(body(), this.orgId, this.clock());
  }

  // ---- bulk loading ---------------------------------------------------------------------------------

  /**
   * Replaces everything with what `load` creates, without one event per record: the methods called inside
   * emit nothing, and one `tenant.seeded` event follows. The id factory restarts from `idSeed`, so a
   * deterministic loader (fixed clock, fixed inputs) produces the same ids every time.
   */
  reseed(name: string, load: (tenant: Tenant) => void, idSeed = this.#idSeed): void {
    this.#clear(idSeed);
    this.#quiet = true;
    try {
      load(this);
    } finally {
      this.#quiet = false;
    }
    this.#changed(() => ({ type: 'tenant.seeded', seed: name, counts: this.counts() }));
  }

  #clear(idSeed: number): void {
    for (const c of [this.users, this.groups, this.admins, this.customRoles, this.apps, this.ldapServers, this.radiusServers] as Collection<unknown>[]) c.clear();
    this.graph.clear();
    for (const m of [this.#byUsername, this.#byEmail, this.#byEmployeeId, this.#groupByName, this.#appBySlug]) m.clear();
    this.#idSeed = idSeed;
    this.#ids = new ObjectIdFactory(idSeed);
    this.#nextUnixId = 5001;
  }

  /** How many records of each kind the tenant holds. */
  counts(): Record<string, number> {
    return {
      users: this.users.size,
      groups: this.groups.size,
      apps: this.apps.size,
      admins: this.admins.size,
      customRoles: this.customRoles.size,
      ldapServers: this.ldapServers.size,
      radiusServers: this.radiusServers.size,
      ...this.graph.counts(),
    };
  }

  // ---- lookups --------------------------------------------------------------------------------------

  /** The user with this id, or throws not_found. */
  user(id: string): SystemUser {
    const user = this.users.get(id);
    if (!user) throw new TenantError('not_found', `no system user has id ${id}`);
    return user;
  }

  /** The group with this id, or throws not_found. */
  group(id: string): UserGroup {
    const group = this.groups.get(id);
    if (!group) throw new TenantError('not_found', `no user group has id ${id}`);
    return group;
  }

  /** The application with this id, or throws not_found. */
  app(id: string): Application {
    const app = this.apps.get(id);
    if (!app) throw new TenantError('not_found', `no application has id ${id}`);
    return app;
  }

  /** The user with this username, if any. */
  userByUsername(username: string): SystemUser | undefined {
    const id = this.#byUsername.get(username);
    return id === undefined ? undefined : this.users.get(id);
  }

  /** The user with this e-mail, if any (exact match). */
  userByEmail(email: string): SystemUser | undefined {
    const id = this.#byEmail.get(email);
    return id === undefined ? undefined : this.users.get(id);
  }

  /** The group with this name, if any. */
  groupByName(name: string): UserGroup | undefined {
    const id = this.#groupByName.get(name);
    return id === undefined ? undefined : this.groups.get(id);
  }

  /** The application whose ssoUrl ends in /saml2/<slug>, if any (for the SAML IdP). */
  appBySlug(slug: string): Application | undefined {
    const id = this.#appBySlug.get(slug);
    return id === undefined ? undefined : this.apps.get(id);
  }

  /** Every role: the built-in ones, then the custom ones. */
  roles(): Role[] {
    return [...this.builtInRoles, ...this.customRoles.list()];
  }

  /** The role with this name (built-in or custom), if any. */
  roleByName(name: string): Role | undefined {
    return this.roles().find((r) => r.name === name);
  }

  /** The user ids of a group (direct members; JumpCloud user groups do not nest). */
  membersOf(groupId: string): string[] {
    this.group(groupId);
    return [...this.graph.members(groupId)];
  }

  /** The group ids a user is a member of. */
  groupsOfUser(userId: string): string[] {
    this.user(userId);
    return [...this.graph.groupsOf(userId)];
  }

  /** The groups and users directly bound to an application, with the edge attributes. */
  appBindings(appId: string): { groups: Map<string, EdgeAttributes>; users: Map<string, EdgeAttributes> } {
    this.app(appId);
    return { groups: new Map(this.graph.bindings('application', appId, 'user_group')), users: new Map(this.graph.bindings('application', appId, 'user')) };
  }

  /** Every user that can reach the application, with the paths that grant it (any state: callers filter). */
  appUsers(appId: string): EffectiveUser[] {
    this.app(appId);
    return effectiveUsers(this.graph, 'application', appId);
  }

  /** The applications a user reaches, directly or through groups. */
  appsOfUser(userId: string): string[] {
    this.user(userId);
    return appsOfUser(this.graph, userId);
  }

  /** true when the user reaches the application. */
  canReach(appId: string, userId: string): boolean {
    return canReach(this.graph, appId, userId);
  }

  // ---- system users ---------------------------------------------------------------------------------

  /** Creates a system user (username, email and employeeIdentifier are unique) → `user.created`. */
  createUser(input: UserInput): SystemUser {
    this.#checkNewId(input._id, this.users);
    const user = buildUser(input, this.#nextUnixId, this.#ctx, this.defaultUserState);
    this.#checkUnique(user, null);
    this.#nextUnixId = Math.max(this.#nextUnixId, user.unix_uid) + 1;
    this.users.set(user);
    this.#index(user);
    this.#changed(() => ({ type: 'user.created', user: copy(user) }));
    return user;
  }

  /**
   * Updates fields of a user → `user.updated` with the changed field names (nothing when nothing changed).
   * A `state` (or `suspended`) in the patch is applied first through suspendUser / activateUser, with
   * their own events. STAGED can be reached only on creation.
   */
  updateUser(id: string, patch: UserPatch): SystemUser {
    const current = this.user(id);
    const wanted = patch.state ?? (patch.suspended === true ? 'SUSPENDED' : patch.suspended === false && current.state === 'SUSPENDED' ? 'ACTIVATED' : undefined);
    if (wanted === 'STAGED' && current.state !== 'STAGED') throw new TenantError('invalid', 'a user cannot go back to STAGED');
    if (wanted === 'SUSPENDED') this.suspendUser(id);
    else if (wanted === 'ACTIVATED') this.activateUser(id);
    const before = this.user(id);
    const { user, changed } = patchUser(before, patch, this.#ctx);
    if (changed.length === 0) return before;
    this.#checkUnique(user, before);
    this.#unindex(before);
    this.users.set(user);
    this.#index(user);
    this.#changed(() => ({ type: 'user.updated', user: copy(user), changed }));
    return user;
  }

  /** Sets a user SUSPENDED → `user.suspended` (nothing when already suspended). */
  suspendUser(id: string): SystemUser {
    const before = this.user(id);
    if (before.state === 'SUSPENDED') return before;
    const user: SystemUser = { ...before, state: 'SUSPENDED', suspended: true };
    this.users.set(user);
    this.#changed(() => ({ type: 'user.suspended', user: copy(user), previousState: before.state }));
    return user;
  }

  /**
   * Sets a STAGED or SUSPENDED user ACTIVATED → `user.activated` (nothing when already ACTIVATED).
   * `activated` (password set) is left as it was, except that a STAGED user has none yet.
   */
  activateUser(id: string): SystemUser {
    const before = this.user(id);
    if (before.state === 'ACTIVATED') return before;
    const user: SystemUser = { ...before, state: 'ACTIVATED', suspended: false };
    this.users.set(user);
    this.#changed(() => ({ type: 'user.activated', user: copy(user), previousState: before.state }));
    return user;
  }

  /** Deletes a user with its memberships and bindings → `user.deleted` (with its former groups and apps). */
  deleteUser(id: string): SystemUser {
    const user = this.user(id);
    const groupIds = [...this.graph.groupsOf(id)];
    const appIds = appsOfUser(this.graph, id);
    this.graph.removeUser(id);
    this.users.delete(id);
    this.#unindex(user);
    this.#changed(() => ({ type: 'user.deleted', user: copy(user), groupIds, appIds }));
    return user;
  }

  /** A caller-chosen id must be an ObjectId (invalid) that no record of the kind has (conflict). */
  #checkNewId(id: string | undefined, collection: { has(id: string): boolean }): void {
    if (id === undefined) return;
    if (!isObjectId(id)) throw new TenantError('invalid', `${id} is not a 24-hex ObjectId`);
    if (collection.has(id)) throw new TenantError('conflict', `the id ${id} is taken`);
  }

  #checkUnique(user: SystemUser, previous: SystemUser | null): void {
    const clash = (index: Map<string, string>, key: string | null, what: string): void => {
      if (key === null) return;
      const owner = index.get(key);
      if (owner !== undefined && owner !== previous?._id) throw new TenantError('conflict', `${what} "${key}" already exists`);
    };
    clash(this.#byUsername, user.username, 'username');
    clash(this.#byEmail, user.email, 'email');
    clash(this.#byEmployeeId, user.employeeIdentifier, 'employeeIdentifier');
    if (user.manager !== null && user.manager !== user._id && !this.users.has(user.manager)) throw new TenantError('invalid', `manager ${user.manager} is not a system user`);
  }

  #index(user: SystemUser): void {
    this.#byUsername.set(user.username, user._id);
    this.#byEmail.set(user.email, user._id);
    if (user.employeeIdentifier !== null) this.#byEmployeeId.set(user.employeeIdentifier, user._id);
  }

  #unindex(user: SystemUser): void {
    this.#byUsername.delete(user.username);
    this.#byEmail.delete(user.email);
    if (user.employeeIdentifier !== null) this.#byEmployeeId.delete(user.employeeIdentifier);
  }

  // ---- user groups ----------------------------------------------------------------------------------

  /** Creates a static user group (names are unique) → `group.created`. */
  createGroup(input: GroupInput): UserGroup {
    if (typeof input.name !== 'string' || input.name.trim() === '') throw new TenantError('invalid', 'group name is required');
    if (this.#groupByName.has(input.name)) throw new TenantError('conflict', `a user group named "${input.name}" already exists`);
    this.#checkNewId(input.id, this.groups);
    const created = input.created ?? this.clock().toISOString();
    const group: UserGroup = {
      id: input.id ?? this.newId(Date.parse(created)),
      name: input.name,
      description: input.description ?? '',
      email: input.email ?? '',
      attributes: input.attributes ?? null,
      membershipMethod: 'STATIC',
      created,
    };
    this.groups.set(group);
    this.#groupByName.set(group.name, group.id);
    this.#changed(() => ({ type: 'group.created', group: copy(group) }));
    return group;
  }

  /** Renames a group → `group.renamed` (nothing when the name is the same). */
  renameGroup(id: string, name: string): UserGroup {
    const before = this.group(id);
    if (before.name === name) return before;
    if (typeof name !== 'string' || name.trim() === '') throw new TenantError('invalid', 'group name is required');
    if (this.#groupByName.has(name)) throw new TenantError('conflict', `a user group named "${name}" already exists`);
    const group = { ...before, name };
    this.groups.set(group);
    this.#groupByName.delete(before.name);
    this.#groupByName.set(name, id);
    this.#changed(() => ({ type: 'group.renamed', group: copy(group), previousName: before.name }));
    return group;
  }

  /** Changes description, email or attributes → `group.updated`; a name in the patch goes to renameGroup. */
  updateGroup(id: string, patch: Partial<Pick<UserGroup, 'name' | 'description' | 'email' | 'attributes'>>): UserGroup {
    if (patch.name !== undefined) this.renameGroup(id, patch.name);
    const before = this.group(id);
    const group = { ...before };
    const changed: string[] = [];
    for (const key of ['description', 'email', 'attributes'] as const) {
      if (patch[key] === undefined || JSON.stringify(patch[key]) === JSON.stringify(before[key])) continue;
      (group as Record<string, unknown>)[key] = patch[key];
      changed.push(key);
    }
    if (changed.length === 0) return before;
    this.groups.set(group);
    this.#changed(() => ({ type: 'group.updated', group: copy(group), changed }));
    return group;
  }

  /** Deletes a group with its memberships and bindings → `group.deleted` (with its former members and apps). */
  deleteGroup(id: string): UserGroup {
    const group = this.group(id);
    const memberIds = [...this.graph.members(id)];
    const appIds = this.graph.sourcesOf('user_group', id, 'application');
    this.graph.removeGroup(id);
    this.groups.delete(id);
    this.#groupByName.delete(group.name);
    this.#changed(() => ({ type: 'group.deleted', group: copy(group), memberIds, appIds }));
    return group;
  }

  /** Adds a user to a group → `member.added` (nothing when already a member). */
  addMember(groupId: string, userId: string): boolean {
    this.group(groupId);
    this.user(userId);
    if (!this.graph.addMember(groupId, userId)) return false;
    this.#changed(() => ({ type: 'member.added', groupId, userId }));
    return true;
  }

  /** Removes a user from a group → `member.removed` (nothing when not a member). */
  removeMember(groupId: string, userId: string): boolean {
    this.group(groupId);
    this.user(userId);
    if (!this.graph.removeMember(groupId, userId)) return false;
    this.#changed(() => ({ type: 'member.removed', groupId, userId }));
    return true;
  }

  // ---- applications ---------------------------------------------------------------------------------

  /** Creates an SSO application (slugs are unique) and issues its certificate → `app.created`. */
  createApp(input: AppInput): Application {
    const slug = input.slug ?? this.#freeSlug(slugify(input.displayLabel ?? input.name ?? 'app'));
    if (!/^[a-z0-9][a-z0-9._-]*$/i.test(slug)) throw new TenantError('invalid', `"${slug}" is not a valid SSO URL slug`);
    if (this.#appBySlug.has(slug)) throw new TenantError('conflict', `an application already uses the SSO URL slug "${slug}"`);
    this.#checkNewId(input._id, this.apps);
    const app = buildApplication(input, slug, this.#ctx);
    this.apps.set(app);
    this.#appBySlug.set(slug, app._id);
    this.#changed(() => ({ type: 'app.created', app: copy(app) }));
    return app;
  }

  /** Changes an application's labels or SAML settings → `app.updated` with the changed fields. */
  updateApp(id: string, patch: AppPatch): Application {
    const before = this.app(id);
    const { app, changed } = patchApplication(before, patch);
    if (changed.length === 0) return before;
    this.apps.set(app);
    this.#changed(() => ({ type: 'app.updated', app: copy(app), changed }));
    return app;
  }

  /** Deletes an application with its bindings → `app.deleted`. */
  deleteApp(id: string): Application {
    const app = this.app(id);
    const groupIds = [...this.graph.bindings('application', id, 'user_group').keys()];
    const userIds = [...this.graph.bindings('application', id, 'user').keys()];
    this.graph.removeSource('application', id);
    this.apps.delete(id);
    this.#appBySlug.delete(app.slug);
    this.#changed(() => ({ type: 'app.deleted', app: copy(app), groupIds, userIds }));
    return app;
  }

  /**
   * "Regenerate certificate": a new 5-year window and a new certificate and key; the old pair stops at once
   * → `app.cert_regenerated`.
   */
  regenerateAppCert(id: string): Application {
    const before = this.app(id);
    const app: Application = { ...before, cert: certificateWindow(this.clock(), before.cert.generation + 1) };
    this.apps.set(app);
    this.#changed(() => ({ type: 'app.cert_regenerated', app: copy(app), previousGeneration: before.cert.generation }));
    return app;
  }

  /**
   * Records the PEMs the SAML IdP made for an app's certificate window (keys are made asynchronously, on
   * first use). Ignored when the app has since been regenerated or deleted: those PEMs are already stale.
   */
  recordCertificate(appId: string, window: { generation: number; notBefore: string }, pems: { certificatePem: string; privateKeyPem: string }): void {
    const current = this.apps.get(appId);
    if (!current || current.cert.generation !== window.generation || current.cert.notBefore !== window.notBefore) return;
    if (current.cert.certificatePem === pems.certificatePem && current.cert.privateKeyPem === pems.privateKeyPem) return;
    this.apps.set({ ...current, cert: { ...current.cert, ...pems } });
    this.version++;
  }


  #freeSlug(base: string): string {
    let slug = base;
    for (let i = 2; this.#appBySlug.has(slug); i++) slug = `${base}-${i}`;
    return slug;
  }

  /** Binds a user group to an application → `group.bound` (nothing when bound with the same attributes). */
  bindGroup(appId: string, groupId: string, attributes: EdgeAttributes = null): boolean {
    this.app(appId);
    this.group(groupId);
    if (this.graph.bind('application', appId, 'user_group', groupId, attributes) === 'unchanged') return false;
    this.#changed(() => ({ type: 'group.bound', appId, groupId, attributes: copy(attributes) }));
    return true;
  }

  /** Unbinds a user group from an application → `group.unbound` (nothing when not bound). */
  unbindGroup(appId: string, groupId: string): boolean {
    this.app(appId);
    this.group(groupId);
    if (!this.graph.unbind('application', appId, 'user_group', groupId)) return false;
    this.#changed(() => ({ type: 'group.unbound', appId, groupId }));
    return true;
  }

  /** Binds a user directly to an application → `user.bound`. */
  bindUser(appId: string, userId: string, attributes: EdgeAttributes = null): boolean {
    this.app(appId);
    this.user(userId);
    if (this.graph.bind('application', appId, 'user', userId, attributes) === 'unchanged') return false;
    this.#changed(() => ({ type: 'user.bound', appId, userId, attributes: copy(attributes) }));
    return true;
  }

  /** Removes a direct user binding → `user.unbound`. */
  unbindUser(appId: string, userId: string): boolean {
    this.app(appId);
    this.user(userId);
    if (!this.graph.unbind('application', appId, 'user', userId)) return false;
    this.#changed(() => ({ type: 'user.unbound', appId, userId }));
    return true;
  }

  // ---- LDAP and RADIUS ------------------------------------------------------------------------------

  /** Creates an LDAP server (graph type ldap_server). */
  createLdapServer(input: LdapServerInput): LdapServer {
    const server: LdapServer = {
      id: input.id ?? this.newId(),
      name: input.name,
      userLockoutAction: input.userLockoutAction ?? 'disable',
      userPasswordExpirationAction: input.userPasswordExpirationAction ?? 'disable',
    };
    this.ldapServers.set(server);
    this.version++;
    return server;
  }

  /** Creates a RADIUS server (graph type radius_server). */
  createRadiusServer(input: RadiusServerInput): RadiusServer {
    const server: RadiusServer = {
      _id: input._id ?? this.newId(),
      name: input.name,
      networkSourceIp: input.networkSourceIp ?? '203.0.113.10',
      sharedSecret: input.sharedSecret ?? 'simulated-shared-secret',
      mfa: input.mfa ?? 'DISABLED',
      authIdp: input.authIdp ?? 'JUMPCLOUD',
      userLockoutAction: input.userLockoutAction ?? 'REMOVE',
      userPasswordExpirationAction: input.userPasswordExpirationAction ?? 'REMOVE',
    };
    this.radiusServers.set(server);
    this.version++;
    return server;
  }

  /** Binds a group or user to an LDAP or RADIUS server → `server.bound`. */
  bindServer(serverType: ServerType, serverId: string, targetType: AppTargetType, targetId: string): boolean {
    this.#server(serverType, serverId);
    if (targetType === 'user_group') this.group(targetId);
    else this.user(targetId);
    if (this.graph.bind(serverType, serverId, targetType, targetId, null) === 'unchanged') return false;
    this.#changed(() => ({ type: 'server.bound', serverType, serverId, targetType, targetId }));
    return true;
  }

  /** Removes a server binding → `server.unbound`. */
  unbindServer(serverType: ServerType, serverId: string, targetType: AppTargetType, targetId: string): boolean {
    this.#server(serverType, serverId);
    if (!this.graph.unbind(serverType, serverId, targetType, targetId)) return false;
    this.#changed(() => ({ type: 'server.unbound', serverType, serverId, targetType, targetId }));
    return true;
  }

  #server(serverType: ServerType, id: string): void {
    const exists = serverType === 'ldap_server' ? this.ldapServers.has(id) : this.radiusServers.has(id);
    if (!exists) throw new TenantError('not_found', `no ${serverType} has id ${id}`);
  }

  // ---- admins and roles -----------------------------------------------------------------------------

  /** Creates a console admin with a built-in or custom role (default "Administrator") → `admin.created`. */
  createAdmin(input: AdminInput): Admin {
    if (this.admins.find((a) => a.email === input.email)) throw new TenantError('conflict', `an admin with e-mail "${input.email}" already exists`);
    const admin = buildAdmin(input, this.#role(input.roleName ?? 'Administrator'), this.#ctx);
    this.admins.set(admin);
    this.#changed(() => ({ type: 'admin.created', admin: copy(admin) }));
    return admin;
  }

  /** Changes an admin (role by name, MFA flags, suspension, names) → `admin.updated`. */
  updateAdmin(id: string, patch: AdminPatch): Admin {
    const before = this.admins.get(id);
    if (!before) throw new TenantError('not_found', `no admin has id ${id}`);
    const admin: Admin = { ...before };
    const changed: string[] = [];
    const set = <K extends keyof Admin>(key: K, value: Admin[K] | undefined): void => {
      if (value === undefined || value === before[key]) return;
      admin[key] = value;
      changed.push(key);
    };
    set('email', patch.email);
    set('firstname', patch.firstname);
    set('lastname', patch.lastname);
    set('enableMultiFactor', patch.enableMultiFactor);
    set('totpEnrolled', patch.totpEnrolled);
    set('suspended', patch.suspended);
    set('apiKeyAllowed', patch.apiKeyAllowed);
    if (patch.roleName !== undefined && patch.roleName !== before.roleName) {
      const role = this.#role(patch.roleName);
      admin.roleName = role.name;
      admin.role = role.id;
      changed.push('roleName', 'role');
    }
    if (changed.length === 0) return before;
    this.admins.set(admin);
    this.#changed(() => ({ type: 'admin.updated', admin: copy(admin), changed }));
    return admin;
  }

  /** Deletes an admin → `admin.deleted`. */
  deleteAdmin(id: string): Admin {
    const admin = this.admins.delete(id);
    if (!admin) throw new TenantError('not_found', `no admin has id ${id}`);
    this.#changed(() => ({ type: 'admin.deleted', admin: copy(admin) }));
    return admin;
  }

  /** Creates a custom role (names are unique among all roles) → `role.created`. */
  createRole(input: RoleInput): Role {
    if (this.roleByName(input.name)) throw new TenantError('conflict', `a role named "${input.name}" already exists`);
    const role = buildRole(input, this.orgId, this.#ctx);
    this.customRoles.set(role);
    this.#changed(() => ({ type: 'role.created', role: copy(role) }));
    return role;
  }

  /** Deletes a custom role no admin holds → `role.deleted`. */
  deleteRole(id: string): Role {
    const role = this.customRoles.get(id);
    if (!role) throw new TenantError('not_found', `no custom role has id ${id}`);
    if (this.admins.find((a) => a.role === id)) throw new TenantError('conflict', `the role "${role.name}" is still held by an admin`);
    this.customRoles.delete(id);
    this.#changed(() => ({ type: 'role.deleted', role: copy(role) }));
    return role;
  }

  #role(name: string): Role {
    const role = this.roleByName(name);
    if (!role) throw new TenantError('invalid', `no role is named "${name}"`);
    return role;
  }

  /** Changes the organization's display name or logo. */
  updateOrganization(patch: Partial<Pick<Organization, 'displayName' | 'logoUrl'>>): Organization {
    this.organization = { ...this.organization, ...patch };
    this.version++;
    return this.organization;
  }

  /** The event feed (oldest first), optionally only events after a seq. */
  history(afterSeq = 0): TenantEvent[] {
    return this.events.history(afterSeq);
  }
}
