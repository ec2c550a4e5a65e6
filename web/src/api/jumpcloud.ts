import { api, withQuery, type Query } from './client';
import type { Page } from './types';

/**
 * The JumpCloud pull backend (issue 7), typed from CONTRACT.md "JumpCloud directory pull". Listing an
 * organization's connections, runs, findings and drift are not in the contract yet: they assume
 * `GET /api/organizations/:orgId/jumpcloud`, `GET /api/jumpcloud/:id/runs|findings|drift`; adapt here.
 */
export interface JumpCloudConnection {
  id: string;
  organizationId?: string;
  apiBaseUrl?: string;
  orgId?: string | null;
  createdAt?: string;
  lastRun?: JumpCloudRun | null;
}

export interface JumpCloudRun {
  id?: string;
  runId?: string;
  state: 'running' | 'succeeded' | 'failed';
  progress?: Record<string, unknown> & { done?: number; total?: number; phase?: string; percent?: number };
  counts?: Record<string, number>;
  error?: string | { message?: string };
  startedAt?: string;
  finishedAt?: string | null;
}

export type InventoryKind = 'users' | 'groups' | 'admins' | 'roles' | 'applications';

export type InventoryItem = Record<string, unknown> & { id?: string; _id?: string };

export interface Finding {
  id?: string;
  kind?: string;
  type?: string;
  severity?: string;
  message?: string;
  title?: string;
  subject?: unknown;
  [key: string]: unknown;
}

const enc = encodeURIComponent;

export const jumpcloud = {
  list: (orgId: string) => api<Page<JumpCloudConnection>>('GET', `/organizations/${enc(orgId)}/jumpcloud`),
  connect: (orgId: string, body: { apiKey: string; apiBaseUrl?: string; orgId?: string }) => api<JumpCloudConnection>('POST', `/organizations/${enc(orgId)}/jumpcloud`, body),
  sync: (id: string) => api<{ runId: string }>('POST', `/jumpcloud/${enc(id)}/sync`),
  run: (id: string, runId: string) => api<JumpCloudRun>('GET', `/jumpcloud/${enc(id)}/runs/${enc(runId)}`),
  runs: (id: string, query: Query = {}) => api<Page<JumpCloudRun>>('GET', withQuery(`/jumpcloud/${enc(id)}/runs`, query)),
  inventory: (id: string, kind: InventoryKind, query: Query) => api<Page<InventoryItem>>('GET', withQuery(`/jumpcloud/${enc(id)}/inventory/${kind}`, query)),
  access: (id: string, appId: string) => api<Record<string, unknown>>('GET', `/jumpcloud/${enc(id)}/applications/${enc(appId)}/access`),
  findings: (id: string, query: Query) => api<Page<Finding>>('GET', withQuery(`/jumpcloud/${enc(id)}/findings`, query)),
  drift: (id: string, query: Query) => api<Page<Finding>>('GET', withQuery(`/jumpcloud/${enc(id)}/drift`, query)),
};

/** A run's progress as a fraction 0..1, or undefined when the backend gives no measure. */
export function runFraction(run: JumpCloudRun): number | undefined {
  const p = run.progress;
  if (!p) return run.state === 'succeeded' ? 1 : undefined;
  if (typeof p.percent === 'number') return Math.max(0, Math.min(1, p.percent / 100));
  if (typeof p.done === 'number' && typeof p.total === 'number' && p.total > 0) return Math.max(0, Math.min(1, p.done / p.total));
  // per-kind progress: {users:{done,total},…}
  let done = 0;
  let total = 0;
  for (const value of Object.values(p)) {
    if (value && typeof value === 'object' && 'total' in value) {
      const v = value as { done?: number; fetched?: number; total?: number };
      done += v.done ?? v.fetched ?? 0;
      total += v.total ?? 0;
    }
  }
  if (total > 0) return Math.min(1, done / total);
  return run.state === 'succeeded' ? 1 : undefined;
}
