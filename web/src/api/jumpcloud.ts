import { api, withQuery, type Query } from './client';
import type { Page } from './types';

/** The JumpCloud pull admin API (src/admin/jumpcloud-routes.ts): connections, runs, inventory, access, findings, drift. */
export interface JumpCloudConnection {
  id: string;
  organizationId: string;
  name: string;
  apiBaseUrl: string;
  orgId: string | null;
  /** the last four characters of the API key (the key is never returned) */
  apiKeyHint: string;
  syncIntervalMinutes: number | null;
  links: { directoryId: string; applicationId: string }[];
  lastRun?: JumpCloudRun | null;
  createdAt: string;
  updatedAt: string;
}

type DoneTotal = { done: number; total: number };

export interface RunProgress {
  phase: 'lists' | 'graph' | 'findings' | 'done';
  entities: DoneTotal;
  pages: DoneTotal;
  graph: DoneTotal;
  kinds: Record<'users' | 'groups' | 'admins' | 'roles' | 'applications', DoneTotal>;
  requests: number;
  retries: number;
}

export interface JumpCloudRun {
  id: string;
  connectionId: string;
  state: 'running' | 'succeeded' | 'failed' | 'cancelled';
  trigger: 'manual' | 'schedule';
  progress: Partial<RunProgress>;
  counts: Record<string, unknown>;
  error?: { code: string; message: string; status: number | null };
  cancelRequested: boolean;
  startedAt: string;
  finishedAt: string | null;
}

export type InventoryKind = 'users' | 'groups' | 'admins' | 'roles' | 'applications';

/** An inventory record: the JumpCloud fields the pull keeps, plus firstSeenAt, lastSeenAt, deletedAt. */
export type InventoryItem = Record<string, unknown> & { id: string; deletedAt?: string | null };

export interface Finding {
  id: string;
  type: string;
  severity: 'critical' | 'high' | 'medium' | 'low';
  state: 'open' | 'resolved';
  subject: { type: string; id: string; label: string };
  evidence: Record<string, unknown>;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
}

export interface AppAccess {
  application: Record<string, unknown>;
  boundGroups: { id: string; name: string | null }[];
  boundUsers: { id: string; username: string | null }[];
  groups: { id: string; name: string | null }[];
  users: { id: string; username: string | null; direct: boolean; viaGroups: string[] }[];
  counts: { boundGroups: number; boundUsers: number; groups: number; users: number };
}

export interface DriftReport {
  directoryId: string;
  applicationId: string | null;
  basedOnRunId: string;
  generatedAt: string;
  deactivate: { scimUserId: string; userName: string; jumpcloudUserId: string; reason: string }[];
  unmatched: { scimUserId: string; userName: string }[];
  missingInApp: { jumpcloudUserId: string; username: string | null; email: string | null }[];
  groups: { scimGroupId: string; name: string; jumpcloudGroupId: string; missingInApp: string[]; extraInApp: string[] }[];
  summary: { deactivate: number; unmatched: number; missingInApp: number; groups: number };
}

export interface HealResult {
  runId: string;
  dryRun: boolean;
  deactivated: { directoryId: string; scimUserId: string; userName: string; reason: string }[];
}

const enc = encodeURIComponent;
const conn = (id: string) => `/jumpcloud/${enc(id)}`;

export const jumpcloud = {
  list: (orgId: string) => api<Page<JumpCloudConnection>>('GET', withQuery('/jumpcloud', { organization: orgId, limit: 100 })),
  get: (id: string) => api<JumpCloudConnection>('GET', conn(id)),
  connect: (orgId: string, body: { apiKey: string; apiBaseUrl?: string; orgId?: string; name?: string }) => api<JumpCloudConnection>('POST', `/organizations/${enc(orgId)}/jumpcloud`, body),
  sync: (id: string) => api<{ runId: string }>('POST', `${conn(id)}/sync`),
  run: (id: string, runId: string) => api<JumpCloudRun>('GET', `${conn(id)}/runs/${enc(runId)}`),
  cancel: (id: string, runId: string) => api<JumpCloudRun>('POST', `${conn(id)}/runs/${enc(runId)}/cancel`),
  runs: (id: string, query: Query = {}) => api<Page<JumpCloudRun>>('GET', withQuery(`${conn(id)}/runs`, query)),
  inventory: (id: string, kind: InventoryKind, query: Query) => api<Page<InventoryItem>>('GET', withQuery(`${conn(id)}/inventory/${kind}`, query)),
  access: (id: string, appId: string) => api<AppAccess>('GET', `${conn(id)}/applications/${enc(appId)}/access`),
  findings: (id: string, query: Query) => api<Page<Finding>>('GET', withQuery(`${conn(id)}/findings`, query)),
  drift: (id: string) => api<{ runId: string; reports: DriftReport[] }>('GET', `${conn(id)}/drift`),
  heal: (id: string, body: { directoryId?: string; dryRun: boolean }) => api<HealResult>('POST', `${conn(id)}/drift/heal`, body),
};

/**
 * A run's progress as a fraction 0..1: the records of the five lists, then each group's and application's
 * graph (their totals grow as JumpCloud reports them). undefined before any total is known.
 */
export function runFraction(run: JumpCloudRun): number | undefined {
  if (run.state === 'succeeded' || run.progress.phase === 'done') return 1;
  const entities = run.progress.entities ?? { done: 0, total: 0 };
  const graph = run.progress.graph ?? { done: 0, total: 0 };
  const total = entities.total + graph.total;
  if (total <= 0) return undefined;
  // the graph's total is unknown until the lists are read: count the lists as the first half then
  const fraction = run.progress.phase === 'lists' ? (entities.done / Math.max(entities.total, 1)) * 0.5 : 0.5 + (graph.total > 0 ? (graph.done / graph.total) * 0.5 : 0);
  return Math.max(0, Math.min(1, run.progress.phase === 'findings' ? Math.max(fraction, 0.99) : fraction));
}
