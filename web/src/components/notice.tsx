import type { ReactNode } from 'react';
import { ApiError, errorText } from '../api/client';

/** An error message in an alert region. */
export function ErrorNote({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  return (
    <div className="notice error" role="alert">
      {errorText(error)}
    </div>
  );
}

export function Notice({ kind = 'info', children }: { kind?: 'info' | 'warning' | 'success'; children: ReactNode }) {
  return (
    <div className={`notice ${kind}`} role={kind === 'warning' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** What a page shows when the backend it needs is not part of this server (a 404 for the route itself). */
export function NotAvailable({ feature }: { feature: string }) {
  return (
    <div className="notice info" role="status" data-testid="not-available">
      <strong>{feature} is not available on this server.</strong> This Gatehouse does not offer the API this page needs yet.
    </div>
  );
}

export function isRouteMissing(error: unknown): boolean {
  return error instanceof ApiError && error.routeMissing;
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="muted" role="status" aria-live="polite">
      {what}…
    </p>
  );
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
