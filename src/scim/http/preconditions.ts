import type { ExpectedVersion } from '../../core/resource-search.js';

/**
 * Parses If-Match / If-None-Match: `*`, or a list of (weak or strong) entity tags of the form "<version>".
 * A tag that is not one of ours can never match, so it maps to version -1.
 */
export function parseEntityTags(header: string | undefined): ExpectedVersion {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  if (trimmed === '*') return '*';
  const versions: number[] = [];
  for (const part of trimmed.split(',')) {
    const match = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(part);
    versions.push(match ? Number(match[1]) : -1);
  }
  return versions;
}

export function entityTagMatches(tags: ExpectedVersion, version: number): boolean {
  return tags === undefined || tags === '*' || tags.includes(version);
}
