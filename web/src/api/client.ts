/** The portal's only way to the server: JSON calls to the admin API with the session's bearer token. */

const STORAGE_KEY = 'gatehouse.session';
const ENDED_KEY = 'gatehouse.session-ended';

/** Whether the last session was a setup link the server stopped accepting (expired or revoked); clears it. */
export function takeEndedSetupSession(): boolean {
  const ended = sessionStorage.getItem(ENDED_KEY) === 'setup';
  sessionStorage.removeItem(ENDED_KEY);
  return ended;
}

/** Who is signed in: the admin (admin key) or a customer's IT admin (a setup link's token, one organization). */
export interface Session {
  token: string;
  kind: 'admin' | 'setup';
  organizationId: string | null;
  expiresAt: string | null;
}

type Listener = (session: Session | null) => void;
const listeners = new Set<Listener>();

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(STORAGE_KEY);
  for (const listener of listeners) listener(session);
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** An admin API error: `{error:{code,message}}` with its status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  /** true when the server has no such route at all (a backend this server does not have yet) */
  get routeMissing(): boolean {
    return this.status === 404 && this.message.startsWith('no route for');
  }
}

export type Query = Record<string, string | number | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** Calls `/api{path}`; throws ApiError on any non-2xx (a 401 also ends the session). */
export async function api<T>(method: string, path: string, body?: unknown, token = loadSession()?.token): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`/api${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch {
    throw new ApiError(0, 'network', 'the server could not be reached');
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    if (response.status === 401 && token === loadSession()?.token) {
      // remembered for the sign-in page: a setup link that ran out is not a wrong admin key
      if (loadSession()?.kind === 'setup') sessionStorage.setItem(ENDED_KEY, 'setup');
      saveSession(null);
    }
    throw new ApiError(response.status, error?.code ?? 'error', error?.message ?? `the server answered ${response.status}`);
  }
  return parsed as T;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
