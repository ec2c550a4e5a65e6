import { DomainError } from './errors.js';
import type { Filter } from '../scim/filter/ast.js';

/** A query over a directory's users or groups: a SCIM filter AST, sort, and an offset window. */
export interface ResourceSearch {
  filter?: Filter;
  sortBy?: string;
  descending?: boolean;
  /** 0-based */
  offset: number;
  limit: number;
}

/** The versions a client accepts (If-Match): a list, `*` (any), or undefined (no precondition). */
export type ExpectedVersion = number[] | '*' | undefined;

/** Throws precondition_failed unless `actual` is one of the expected versions. */
export function checkVersion(expected: ExpectedVersion, actual: number): void {
  if (expected !== undefined && expected !== '*' && !expected.includes(actual)) {
    throw new DomainError('precondition_failed', `the resource is at version ${actual}, not the one given in If-Match`);
  }
}
