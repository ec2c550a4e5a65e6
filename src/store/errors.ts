import { DomainError } from '../core/errors.js';

/** Which unique index a violation hit, from SQLite's or PostgreSQL's error. */
const UNIQUE_FIELDS: [pattern: RegExp, field: string][] = [
  [/scim_users_user_name|scim_users\.user_name_key/, 'userName'],
  [/scim_groups_display_name|scim_groups\.display_name_key/, 'displayName'],
  [/directories_token_hash|directories\.token_hash/, 'token'],
  [/events_id_key|events\.id/, 'event'],
];

interface DriverError {
  code?: string;
  constraint?: string;
  message?: string;
}

export function isUniqueViolation(error: unknown): boolean {
  const e = error as DriverError;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** PostgreSQL serialization failure or deadlock: the transaction may simply be retried. */
export function isRetryable(error: unknown): boolean {
  const code = (error as DriverError)?.code;
  return code === '40001' || code === '40P01';
}

/** Rethrows a unique violation as a domain conflict naming the attribute; other errors unchanged. */
export function mapUniqueViolation(error: unknown): unknown {
  if (!isUniqueViolation(error)) return error;
  const e = error as DriverError;
  const text = `${e.constraint ?? ''} ${e.message ?? ''}`;
  const hit = UNIQUE_FIELDS.find(([pattern]) => pattern.test(text));
  const field = hit?.[1] ?? 'id';
  return new DomainError('conflict', `${field} is already in use`, field);
}
