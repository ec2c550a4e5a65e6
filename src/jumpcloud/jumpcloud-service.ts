import { randomBytes } from 'node:crypto';
import type { JumpCloudPullConfig } from '../config.js';
import { DomainError, notFound } from '../core/errors.js';
import type { EventType } from '../core/events.js';
import type { Metrics } from '../core/metrics.js';
import { newId } from '../core/ids.js';
import type { SecretBox } from '../core/secret-box.js';
import type { NewEvent, Page } from '../core/types.js';
import { fromJson, toJson } from '../store/json.js';
import type { ConnectionRow, FindingRow, RunRow } from '../store/repositories/jumpcloud.js';
import type { Repositories, Store } from '../store/store.js';
import { JumpCloudClient, resolveBaseUrl } from './client.js';
import { driftReport, type DriftReport } from './drift.js';
import { JumpCloudError } from './errors.js';
import { evaluateFindings, type DirectoryLink, type FindingDraft } from './findings.js';
import { ENTITY_KIND, type InventoryKind } from './inventory-mapping.js';
import { readAll } from './paging.js';
import { EDGE, emptyProgress, PullRunner, type PullCounts, type PullProgress } from './pull-runner.js';

/** A connection as the admin API shows it (never the key). */
export interface JumpCloudConnection {
  id: string;
  organizationId: string;
  name: string;
  apiBaseUrl: string;
  orgId: string | null;
  apiKeyHint: string;
  syncIntervalMinutes: number | null;
  links: DirectoryLink[];
  createdAt: string;
  updatedAt: string;
}

export interface ConnectionInput {
  apiKey?: string;
  apiBaseUrl?: string;
  orgId?: string | null;
  name?: string;
  syncIntervalMinutes?: number | null;
  links?: DirectoryLink[];
}

export type RunState = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** A run as GET …/runs/:runId shows it. */
export interface JumpCloudRun {
  id: string;
  connectionId: string;
  state: RunState;
  trigger: 'manual' | 'schedule';
  progress: PullProgress;
  counts: Partial<PullCounts>;
  error?: { code: string; message: string; status: number | null };
  cancelRequested: boolean;
  startedAt: string;
  finishedAt: string | null;
}

export interface JumpCloudFinding {
  id: string;
  connectionId: string;
  type: string;
  severity: string;
  state: 'open' | 'resolved';
  subject: { type: string; id: string; label: string };
  evidence: Record<string, unknown>;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
}

const OBJECT_ID = /^[0-9a-fA-F]{24}$/;

function presentConnection(row: ConnectionRow): JumpCloudConnection {
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    apiBaseUrl: row.api_base_url,
    orgId: row.jc_org_id,
    apiKeyHint: row.api_key_hint,
    syncIntervalMinutes: row.sync_interval_minutes,
    links: fromJson<DirectoryLink[]>(row.links),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function presentRun(row: RunRow): JumpCloudRun {
  const run: JumpCloudRun = {
    id: row.id,
    connectionId: row.connection_id,
    state: row.state as RunState,
    trigger: row.trigger === 'schedule' ? 'schedule' : 'manual',
    progress: fromJson<PullProgress>(row.progress),
    counts: fromJson<Partial<PullCounts>>(row.counts),
    cancelRequested: row.cancel_requested === 1,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
  if (row.error !== null) run.error = fromJson(row.error);
  return run;
}

function presentFinding(row: FindingRow): JumpCloudFinding {
  return {
    id: row.id,
    connectionId: row.connection_id,
    type: row.type,
    severity: row.severity,
    state: row.state === 'open' ? 'open' : 'resolved',
    subject: { type: row.subject_type, id: row.subject_id, label: row.subject_label },
    evidence: fromJson(row.evidence),
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    resolvedAt: row.resolved_at,
  };
}

function organizationEvent(organizationId: string, type: EventType, data: object, at: string): NewEvent {
  return { id: newId('evt'), type, organizationId, directoryId: null, occurredAt: at, data: data as Record<string, unknown>, previous: null };
}

/** The error a run stores: JumpCloud's kind and message, or a generic one for anything else. */
function runError(error: unknown): { code: string; message: string; status: number | null } {
  if (error instanceof JumpCloudError) return { code: error.kind, message: error.message, status: error.status };
  if (error instanceof DomainError) return { code: error.code, message: error.message, status: null };
  return { code: 'internal', message: `the pull stopped on an internal error: ${(error as Error)?.message ?? String(error)}`.slice(0, 500), status: null };
}

interface LocalRun {
  controller: AbortController;
  reason: 'cancel' | 'shutdown' | 'lost' | null;
  done: Promise<void>;
}

/** Logs what background work could not do. */
export interface JumpCloudLog {
  error(object: object, message: string): void;
  info(object: object, message: string): void;
}

/**
 * JumpCloud pull connections and their runs: create (the key sealed), sync (one run per connection, across
 * nodes: the database's partial unique index), progress, cancel, resume after a crash (leases), periodic
 * syncs, the inventory, findings, and drift with opt-in healing.
 */
export class JumpCloudService {
  /** this process, as run leases name it */
  readonly nodeId = `node_${randomBytes(6).toString('hex')}`;
  readonly #local = new Map<string, LocalRun>();
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #log: JumpCloudLog = { error: () => {}, info: () => {} };
  #stopped = false;

  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly config: JumpCloudPullConfig,
    /** deactivates a SCIM user (the domain's user service, so events follow) */
    private readonly deactivateUser: (directoryId: string, userId: string) => Promise<boolean>,
    /** gatehouse_pull_duration_seconds of the runs this node works on (a resumed run counts from its resumption) */
    private readonly metrics?: Metrics,
  ) {}

  // ---- connections

  async #validLinks(organizationId: string, links: unknown): Promise<DirectoryLink[]> {
    if (!Array.isArray(links)) throw new DomainError('invalid', 'links must be an array of {directoryId, applicationId}');
    const directories = new Set(await this.store.jumpcloud.directoryIdsOf(organizationId));
    const out: DirectoryLink[] = [];
    for (const link of links as DirectoryLink[]) {
      if (!directories.has(link.directoryId)) throw new DomainError('invalid', `links: ${link.directoryId} is not a directory of this organization`);
      if (out.some((l) => l.directoryId === link.directoryId)) throw new DomainError('invalid', `links: directory ${link.directoryId} is linked twice`);
      out.push({ directoryId: link.directoryId, applicationId: link.applicationId });
    }
    return out;
  }

  #baseUrl(value: string | undefined): string {
    try {
      return resolveBaseUrl(value);
    } catch (error) {
      throw new DomainError('invalid', `apiBaseUrl: ${(error as Error).message}`);
    }
  }

  #orgId(value: string | null | undefined): string | null {
    if (value === undefined || value === null || value === '') return null;
    if (!OBJECT_ID.test(value)) throw new DomainError('invalid', 'orgId must be a JumpCloud organization id (24 hexadecimal digits)');
    return value.toLowerCase();
  }

  async create(organizationId: string, input: ConnectionInput): Promise<JumpCloudConnection> {
    if (!(await this.store.organizations.get(organizationId))) throw notFound('organization');
    const apiKey = (input.apiKey ?? '').trim();
    if (apiKey === '') throw new DomainError('invalid', 'apiKey is required');
    const id = newId('jcc');
    const at = new Date().toISOString();
    const row: ConnectionRow = {
      id,
      organization_id: organizationId,
      name: (input.name ?? 'JumpCloud').trim() || 'JumpCloud',
      api_base_url: this.#baseUrl(input.apiBaseUrl),
      jc_org_id: this.#orgId(input.orgId),
      api_key_ciphertext: this.box.seal(apiKey, id),
      api_key_hint: apiKey.slice(-4),
      sync_interval_minutes: input.syncIntervalMinutes ?? null,
      links: toJson(await this.#validLinks(organizationId, input.links ?? [])),
      created_at: at,
      updated_at: at,
    };
    await this.store.jumpcloud.insertConnection(row);
    return presentConnection(row);
  }

  async #row(id: string): Promise<ConnectionRow> {
    const row = await this.store.jumpcloud.getConnection(id);
    if (!row) throw notFound('JumpCloud connection');
    return row;
  }

  async get(id: string): Promise<JumpCloudConnection & { lastRun: JumpCloudRun | null }> {
    const row = await this.#row(id);
    const last = await this.store.jumpcloud.latestRun(id);
    return { ...presentConnection(row), lastRun: last ? presentRun(last) : null };
  }

  async list(limit: number, cursor?: string, organizationId?: string): Promise<Page<JumpCloudConnection>> {
    const page = await this.store.jumpcloud.listConnections(limit, cursor, organizationId);
    if (!page) throw new DomainError('invalid', 'cursor is not valid');
    return { data: page.rows.map(presentConnection), next: page.next };
  }

  async update(id: string, input: ConnectionInput): Promise<JumpCloudConnection & { lastRun: JumpCloudRun | null }> {
    const row = await this.#row(id);
    const set: Partial<ConnectionRow> = { updated_at: new Date().toISOString() };
    if (input.apiKey !== undefined) {
      const apiKey = input.apiKey.trim();
      if (apiKey === '') throw new DomainError('invalid', 'apiKey must not be empty');
      set.api_key_ciphertext = this.box.seal(apiKey, id);
      set.api_key_hint = apiKey.slice(-4);
    }
    if (input.apiBaseUrl !== undefined) set.api_base_url = this.#baseUrl(input.apiBaseUrl);
    if (input.orgId !== undefined) set.jc_org_id = this.#orgId(input.orgId);
    if (input.name !== undefined) set.name = input.name.trim() || row.name;
    if (input.syncIntervalMinutes !== undefined) set.sync_interval_minutes = input.syncIntervalMinutes;
    if (input.links !== undefined) set.links = toJson(await this.#validLinks(row.organization_id, input.links));
    await this.store.jumpcloud.updateConnection(id, set);
    return this.get(id);
  }

  /** Deletes a connection with its runs, inventory and findings; a run in progress on this node stops. */
  async delete(id: string): Promise<void> {
    const running = await this.store.jumpcloud.runningRun(id);
    if (running) this.#local.get(running.id)?.controller.abort();
    if (!(await this.store.jumpcloud.deleteConnection(id))) throw notFound('JumpCloud connection');
  }

  /** A client for a connection (its key opened from the SecretBox). */
  #client(row: ConnectionRow, options: { signal?: AbortSignal; orgId?: string | null } = {}): JumpCloudClient {
    return new JumpCloudClient({
      apiKey: this.box.open(row.api_key_ciphertext, row.id),
      baseUrl: row.api_base_url,
      orgId: options.orgId !== undefined ? options.orgId : row.jc_org_id,
      timeoutMs: this.config.timeoutMs,
      concurrency: this.config.concurrency,
      ...(this.config.requestBudget > 0 ? { requestBudget: this.config.requestBudget } : {}),
      retry: { maxRetries: this.config.maxRetries, baseDelayMs: this.config.backoffMs, maxDelayMs: this.config.backoffMaxMs },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /** The organizations the connection's key reaches (several for a multi-tenant key), asked of JumpCloud now. */
  async organizations(id: string): Promise<{ id: string; displayName: string | null; logoUrl: string | null; created: string | null }[]> {
    const row = await this.#row(id);
    const client = this.#client(row, { orgId: null });
    try {
      const orgs = await readAll(client, '/api/organizations');
      return orgs.map((o) => ({
        id: String(o._id ?? o.id ?? ''),
        displayName: typeof o.displayName === 'string' ? o.displayName : null,
        logoUrl: typeof o.logoUrl === 'string' ? o.logoUrl : null,
        created: typeof o.created === 'string' ? o.created : null,
      }));
    } catch (error) {
      if (error instanceof JumpCloudError) throw new DomainError(error.kind === 'unauthorized' || error.kind === 'forbidden' ? 'invalid' : 'unavailable', error.message);
      throw error;
    } finally {
      client.close();
    }
  }

  // ---- runs

  /** Starts a run now (202); a connection with a run in progress → conflict. */
  async sync(id: string, trigger: 'manual' | 'schedule' = 'manual'): Promise<{ runId: string }> {
    const row = await this.#row(id);
    const run = await this.#insertRun(row, trigger);
    if (!run) throw new DomainError('conflict', 'a pull of this connection is already running; cancel it or wait for it to finish');
    return { runId: run.id };
  }

  async #insertRun(connection: ConnectionRow, trigger: 'manual' | 'schedule'): Promise<RunRow | null> {
    const at = new Date();
    const row: RunRow = {
      id: newId('jcr'),
      connection_id: connection.id,
      state: 'running',
      trigger,
      progress: toJson(emptyProgress()),
      counts: toJson({}),
      error: null,
      cancel_requested: 0,
      node_id: this.nodeId,
      lease_until: new Date(at.getTime() + this.config.leaseMs).toISOString(),
      started_at: at.toISOString(),
      finished_at: null,
      updated_at: at.toISOString(),
      created_at: at.toISOString(),
    };
    if (!(await this.store.jumpcloud.insertRun(row))) return null;
    this.#execute(row, connection);
    return row;
  }

  async run(connectionId: string, runId: string): Promise<JumpCloudRun> {
    await this.#row(connectionId);
    const row = await this.store.jumpcloud.getRun(connectionId, runId);
    if (!row) throw notFound('run');
    return presentRun(row);
  }

  async runs(connectionId: string, limit: number, cursor?: string, state?: string): Promise<Page<JumpCloudRun>> {
    await this.#row(connectionId);
    const page = await this.store.jumpcloud.listRuns(connectionId, limit, cursor, state);
    if (!page) throw new DomainError('invalid', 'cursor is not valid');
    return { data: page.rows.map(presentRun), next: page.next };
  }

  /** Asks a running run to stop: at once on this node, within a heartbeat on another. A finished run → conflict. */
  async cancel(connectionId: string, runId: string): Promise<JumpCloudRun> {
    await this.#row(connectionId);
    const row = await this.store.jumpcloud.getRun(connectionId, runId);
    if (!row) throw notFound('run');
    if (!(await this.store.jumpcloud.requestCancel(connectionId, runId, new Date().toISOString()))) throw new DomainError('conflict', `the run is ${row.state}, not running`);
    const local = this.#local.get(runId);
    if (local) {
      local.reason = 'cancel';
      local.controller.abort();
      await local.done;
    }
    return this.run(connectionId, runId);
  }

  /** Executes a run this node holds, in the background; resolves when it ended (or was let go). */
  #execute(run: RunRow, connection: ConnectionRow): void {
    const controller = new AbortController();
    const local: LocalRun = { controller, reason: null, done: Promise.resolve() };
    this.#local.set(run.id, local);
    local.done = this.#work(run, connection, local)
      .catch((error: unknown) => this.#log.error({ err: error, runId: run.id }, 'JumpCloud run bookkeeping failed'))
      .finally(() => this.#local.delete(run.id));
  }

  async #work(run: RunRow, connection: ConnectionRow, local: LocalRun): Promise<void> {
    const repo = this.store.jumpcloud;
    const doneSteps = await repo.doneSteps(run.id);
    let runner: PullRunner | null = null;
    let client: JumpCloudClient | null = null;
    const progress = (): PullProgress => runner?.progress ?? fromJson<PullProgress>(run.progress);
    const beat = async (): Promise<void> => {
      const at = new Date();
      const answer = await repo.heartbeat(run.id, this.nodeId, toJson(progress()), run.counts, new Date(at.getTime() + this.config.leaseMs).toISOString(), at.toISOString());
      if (answer === null) {
        local.reason ??= 'lost';
        local.controller.abort();
      } else if (answer.cancelRequested) {
        local.reason ??= 'cancel';
        local.controller.abort();
      }
    };
    let beating: Promise<void> | null = null;
    const timer = setInterval(() => {
      if (beating) return;
      beating = beat()
        .catch((error: unknown) => this.#log.error({ err: error, runId: run.id }, 'JumpCloud run heartbeat failed'))
        .finally(() => (beating = null));
    }, this.config.heartbeatMs);
    timer.unref();
    // no heartbeat may renew the lease after the run ended or was let go
    const stopBeating = async () => {
      clearInterval(timer);
      await beating;
    };
    const timed = this.metrics?.pullDuration.startTimer({ provider: 'jumpcloud' });
    try {
      client = this.#client(connection, { signal: local.controller.signal });
      runner = new PullRunner(this.store, client, { connectionId: connection.id, runId: run.id, doneSteps, signal: local.controller.signal });
      const counts = await runner.run();
      runner.progress.phase = 'findings';
      const drafts = await evaluateFindings(this.store, { id: connection.id, organizationId: connection.organization_id, links: fromJson<DirectoryLink[]>(connection.links) });
      runner.progress.phase = 'done';
      await stopBeating();
      await this.#finish(run, connection, 'succeeded', progress(), counts, null, drafts);
      timed?.({ result: 'ok' });
    } catch (error) {
      // stop the requests still in flight for this run (pages read in parallel with the one that failed)
      local.controller.abort();
      await stopBeating();
      if (local.reason === 'lost') return;
      if (local.reason === 'shutdown') {
        await repo.releaseRun(run.id, this.nodeId);
        return;
      }
      const cancelled = local.reason === 'cancel';
      const stats = (client as JumpCloudClient | null)?.stats;
      const counts = stats ? { requests: stats.requests, retries: stats.retries } : {};
      await this.#finish(run, connection, cancelled ? 'cancelled' : 'failed', progress(), counts, cancelled ? null : runError(error), null);
      timed?.({ result: cancelled ? 'cancelled' : 'error' });
    } finally {
      await stopBeating();
      (client as JumpCloudClient | null)?.close();
    }
  }

  /** Ends a run: its state, counts, findings and events in one transaction (nothing when the lease was lost). */
  async #finish(run: RunRow, connection: ConnectionRow, state: RunState, progress: PullProgress, counts: Partial<PullCounts>, error: ReturnType<typeof runError> | null, drafts: FindingDraft[] | null): Promise<void> {
    const at = new Date().toISOString();
    await this.store.transaction(async (tx) => {
      const events: NewEvent[] = [];
      if (drafts !== null) counts.findings = await this.#reconcileFindings(tx, connection, drafts, at, events);
      const ended = await tx.jumpcloud.finishRun(run.id, this.nodeId, {
        state,
        progress: toJson(progress),
        counts: toJson(counts),
        error: error === null ? null : toJson(error),
        finished_at: at,
        updated_at: at,
      });
      if (!ended) throw new LostLease();
      const row = await tx.jumpcloud.getRun(connection.id, run.id);
      const data = { connectionId: connection.id, run: row ? presentRun(row) : { id: run.id, state } };
      events.push(organizationEvent(connection.organization_id, state === 'failed' ? 'jumpcloud.sync_failed' : 'jumpcloud.sync_finished', data, at));
      await tx.events.append(events);
    }).catch((e: unknown) => {
      if (!(e instanceof LostLease)) throw e;
    });
  }

  /** Opens new findings, refreshes open ones, reopens returning ones, resolves vanished ones; with events. */
  async #reconcileFindings(tx: Repositories, connection: ConnectionRow, drafts: FindingDraft[], at: string, events: NewEvent[]): Promise<{ opened: number; resolved: number; open: number }> {
    const existing = new Map((await tx.jumpcloud.allFindings(connection.id)).map((f) => [f.finding_key, f]));
    const current = new Set<string>();
    const inserts: FindingRow[] = [];
    let opened = 0;
    let resolved = 0;
    const event = (type: EventType, row: FindingRow) => events.push(organizationEvent(connection.organization_id, type, presentFinding(row), at));
    for (const d of drafts) {
      if (current.has(d.key)) continue;
      current.add(d.key);
      const old = existing.get(d.key);
      const fields = { type: d.type, severity: d.severity, subject_type: d.subject.type, subject_id: d.subject.id, subject_label: d.subject.label, evidence: toJson(d.evidence), last_seen_at: at };
      if (!old) {
        const row: FindingRow = { id: newId('jcf'), connection_id: connection.id, organization_id: connection.organization_id, finding_key: d.key, state: 'open', first_seen_at: at, resolved_at: null, ...fields };
        inserts.push(row);
        event('jumpcloud.finding_opened', row);
        opened++;
      } else if (old.state !== 'open') {
        await tx.jumpcloud.updateFinding(old.id, { ...fields, state: 'open', resolved_at: null });
        event('jumpcloud.finding_opened', { ...old, ...fields, state: 'open', resolved_at: null });
        opened++;
      } else {
        await tx.jumpcloud.updateFinding(old.id, fields);
      }
    }
    await tx.jumpcloud.insertFindings(inserts);
    for (const old of existing.values()) {
      if (old.state !== 'open' || current.has(old.finding_key)) continue;
      await tx.jumpcloud.updateFinding(old.id, { state: 'resolved', resolved_at: at });
      event('jumpcloud.finding_resolved', { ...old, state: 'resolved', resolved_at: at });
      resolved++;
    }
    return { opened, resolved, open: current.size };
  }

  // ---- background: periodic syncs and resuming runs whose node died

  /** Starts the periodic work of a serving node (idempotent). On SQLite (one process) a run left running by a crash is resumed at once. */
  start(log: JumpCloudLog): void {
    if (this.#timer) return;
    this.#log = log;
    this.#stopped = false;
    const tick = () => {
      if (this.#ticking) return;
      this.#ticking = this.tick()
        .catch((error: unknown) => log.error({ err: error }, 'JumpCloud sync scheduler failed'))
        .finally(() => (this.#ticking = undefined));
    };
    this.#timer = setInterval(tick, this.config.tickMs);
    this.#timer.unref();
    const boot = this.store.dialect === 'sqlite' ? this.#releaseAll() : Promise.resolve();
    void boot.then(tick, (error: unknown) => log.error({ err: error }, 'JumpCloud run recovery failed'));
  }

  /** SQLite: a single process owns the database, so at start no other node can be executing a run. */
  async #releaseAll(): Promise<void> {
    const now = new Date(Date.now() + this.config.leaseMs * 10).toISOString();
    for (const run of await this.store.jumpcloud.staleRuns(now, 1000)) if (!this.#local.has(run.id)) await this.store.jumpcloud.releaseRun(run.id, run.node_id ?? '');
  }

  /** One pass: resume runs whose lease lapsed, then start the periodic syncs that are due. */
  async tick(now = new Date()): Promise<void> {
    if (this.#stopped) return;
    const repo = this.store.jumpcloud;
    for (const run of await repo.staleRuns(now.toISOString())) {
      if (this.#local.has(run.id)) continue;
      if (!(await repo.claimRun(run.id, this.nodeId, now.toISOString(), new Date(now.getTime() + this.config.leaseMs).toISOString()))) continue;
      const connection = await repo.getConnection(run.connection_id);
      if (!connection) continue;
      this.#log.info({ runId: run.id }, 'resuming a JumpCloud run');
      this.#execute({ ...run, node_id: this.nodeId }, connection);
    }
    for (const connection of await repo.scheduledConnections()) {
      if (this.#stopped) return;
      const latest = await repo.latestRun(connection.id);
      if (latest?.state === 'running') continue;
      const since = Date.parse(latest?.created_at ?? connection.created_at);
      if (since + (connection.sync_interval_minutes ?? 0) * 60_000 > now.getTime()) continue;
      await this.#insertRun(connection, 'schedule');
    }
  }

  /** Stops the periodic work; runs in flight on this node are let go (their lease released) so a restart or another node resumes them. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#ticking;
    const runs = [...this.#local.values()];
    for (const local of runs) {
      local.reason ??= 'shutdown';
      local.controller.abort();
    }
    await Promise.all(runs.map((r) => r.done));
  }

  // ---- inventory, findings, drift

  async inventory(connectionId: string, kind: InventoryKind, limit: number, cursor?: string, includeDeleted = false): Promise<Page<Record<string, unknown>>> {
    await this.#row(connectionId);
    const page = await this.store.jumpcloud.listEntities(connectionId, ENTITY_KIND[kind], limit, cursor, { includeDeleted });
    if (!page) throw new DomainError('invalid', 'cursor is not valid');
    // list sizes next to groups (members) and applications (users with access)
    const ids = page.rows.map((r) => r.jc_id);
    const repo = this.store.jumpcloud;
    const sizes: Record<string, Map<string, number>> =
      kind === 'groups'
        ? { memberCount: await repo.relationLengths(connectionId, EDGE.member, ids), effectiveMemberCount: await repo.relationLengths(connectionId, EDGE.effectiveMember, ids) }
        : kind === 'applications'
          ? { accessUserCount: await repo.relationLengths(connectionId, EDGE.accessUser, ids), accessGroupCount: await repo.relationLengths(connectionId, EDGE.accessGroup, ids) }
          : {};
    return {
      data: page.rows.map((r) => {
        const extra = Object.fromEntries(Object.entries(sizes).map(([name, map]) => [name, map.get(r.jc_id) ?? 0]));
        return { ...fromJson<Record<string, unknown>>(r.data), ...extra, firstSeenAt: r.first_seen_at, lastSeenAt: r.last_seen_at, deletedAt: r.deleted_at };
      }),
      next: page.next,
    };
  }

  /** Who can reach an app: bound groups and users, and every user with the groups that grant it. */
  async access(connectionId: string, appId: string): Promise<Record<string, unknown>> {
    await this.#row(connectionId);
    const app = await this.store.jumpcloud.getEntity(connectionId, 'application', appId);
    if (!app) throw notFound('application');
    const repo = this.store.jumpcloud;
    const list = async <T>(kind: string): Promise<T[]> => {
      const row = await repo.relation(connectionId, kind, appId);
      return row ? fromJson<T[]>(row.targets) : [];
    };
    const [boundGroups, boundUsers, users, groups] = await Promise.all([
      list<string>(EDGE.appGroup),
      list<string>(EDGE.appUser),
      list<{ id: string; direct: boolean; viaGroups: string[] }>(EDGE.accessUser),
      list<string>(EDGE.accessGroup),
    ]);
    const names = async (kind: string, ids: string[]) => {
      const out = new Map<string, string>();
      for (let i = 0; i < ids.length; i += 500) {
        const page = await repo.listEntities(connectionId, kind, 500, undefined, { includeDeleted: true, ids: ids.slice(i, i + 500) });
        for (const r of page?.rows ?? []) out.set(r.jc_id, r.name);
      }
      return out;
    };
    const groupNames = await names('group', [...new Set([...boundGroups, ...groups])]);
    const userNames = await names('user', [...new Set([...boundUsers, ...users.map((u) => u.id)])]);
    return {
      application: { ...fromJson<Record<string, unknown>>(app.data), deletedAt: app.deleted_at },
      boundGroups: boundGroups.map((id) => ({ id, name: groupNames.get(id) ?? null })),
      boundUsers: boundUsers.map((id) => ({ id, username: userNames.get(id) ?? null })),
      groups: groups.map((id) => ({ id, name: groupNames.get(id) ?? null })),
      users: users.map((u) => ({ id: u.id, username: userNames.get(u.id) ?? null, direct: u.direct, viaGroups: u.viaGroups })),
      counts: { boundGroups: boundGroups.length, boundUsers: boundUsers.length, groups: groups.length, users: users.length },
    };
  }

  async findings(connectionId: string, limit: number, cursor: string | undefined, filter: { severity?: string; state?: string; type?: string }): Promise<Page<JumpCloudFinding>> {
    await this.#row(connectionId);
    const page = await this.store.jumpcloud.listFindings(connectionId, limit, cursor, filter);
    if (!page) throw new DomainError('invalid', 'cursor is not valid');
    return { data: page.rows.map(presentFinding), next: page.next };
  }

  /** The drift of each of the organization's directories (or one), from the latest succeeded pull. */
  async drift(connectionId: string, directoryId?: string): Promise<{ runId: string; reports: DriftReport[] }> {
    const row = await this.#row(connectionId);
    const run = await this.store.jumpcloud.latestSucceededRun(connectionId);
    if (!run) throw new DomainError('conflict', 'no pull of this connection has succeeded yet; POST …/sync first');
    const directories = await this.store.jumpcloud.directoryIdsOf(row.organization_id);
    if (directoryId !== undefined && !directories.includes(directoryId)) throw new DomainError('invalid', 'directoryId is not a directory of this organization');
    const links = fromJson<DirectoryLink[]>(row.links);
    const reports: DriftReport[] = [];
    for (const id of directoryId !== undefined ? [directoryId] : directories) reports.push(await driftReport(this.store, { id: row.id, links }, id, run.id));
    return { runId: run.id, reports };
  }

  /**
   * Heals drift in the safe direction only: deactivates the active app users whom JumpCloud has deleted,
   * suspended, let the password expire, or unbound from the linked app. Refused while a pull is running or
   * when the latest run did not succeed (the inventory could be partial). `dryRun` only reports.
   */
  async heal(connectionId: string, input: { directoryId?: string; dryRun?: boolean }): Promise<{ runId: string; dryRun: boolean; deactivated: { directoryId: string; scimUserId: string; userName: string; reason: string }[] }> {
    const latest = await this.store.jumpcloud.latestRun(connectionId);
    await this.#row(connectionId);
    if (latest?.state === 'running') throw new DomainError('conflict', 'a pull is running; heal after it finished');
    if (latest && latest.state !== 'succeeded') throw new DomainError('conflict', `the latest pull ${latest.state}; heal only from a complete inventory (sync again)`);
    const { runId, reports } = await this.drift(connectionId, input.directoryId);
    const deactivated: { directoryId: string; scimUserId: string; userName: string; reason: string }[] = [];
    for (const report of reports) {
      for (const c of report.deactivate) {
        if (!input.dryRun && !(await this.deactivateUser(report.directoryId, c.scimUserId))) continue;
        deactivated.push({ directoryId: report.directoryId, scimUserId: c.scimUserId, userName: c.userName, reason: c.reason });
      }
    }
    return { runId, dryRun: input.dryRun === true, deactivated };
  }
}

class LostLease extends Error {}
