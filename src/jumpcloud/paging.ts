import type { JumpCloudClient, JumpCloudResponse } from './client.js';
import { JumpCloudError } from './errors.js';

/** JumpCloud's largest page ("Limited to 100"). */
export const PAGE_LIMIT = 100;

/** One page of a list, whatever its wire shape, with the total when the answer told it. */
export interface ListPage {
  items: Record<string, unknown>[];
  /** v1 `totalCount`, or v2 `x-total-count`; null when neither was sent */
  total: number | null;
}

/**
 * Reads a list answer: a v1 body `{"totalCount": N, "results": [...]}` (also v2 /roles), or a v2 bare
 * array with the total in `x-total-count` (jumpcloud-wire.md §C.2). Anything else is an invalid response.
 */
export function parseListPage(response: Pick<JumpCloudResponse, 'body' | 'headers'>, path: string): ListPage {
  const body = response.body;
  const header = response.headers.get('x-total-count');
  const headerTotal = header !== null && /^\d+$/.test(header.trim()) ? Number(header.trim()) : null;
  const records = (items: unknown[]): Record<string, unknown>[] => {
    if (!items.every((item) => item !== null && typeof item === 'object' && !Array.isArray(item))) {
      throw new JumpCloudError('invalid_response', `JumpCloud's list ${path} holds entries that are not objects`, null, path);
    }
    return items as Record<string, unknown>[];
  };
  if (Array.isArray(body)) return { items: records(body), total: headerTotal };
  if (body !== null && typeof body === 'object' && Array.isArray((body as { results?: unknown }).results)) {
    const { results, totalCount } = body as { results: unknown[]; totalCount?: unknown };
    return { items: records(results), total: typeof totalCount === 'number' && Number.isInteger(totalCount) && totalCount >= 0 ? totalCount : headerTotal };
  }
  throw new JumpCloudError('invalid_response', `JumpCloud answered the list ${path} with neither an array nor {totalCount, results}`, null, path);
}

/** Hooks a caller gives a paged read. */
export interface PagingHooks {
  /** the number of pages, once the first page told the total (may be called again if the list grew) */
  onPageCount?: (pages: number) => void;
  /** the list's total as the first page reported it (its length when the answer had no total) */
  onTotal?: (total: number) => void;
  /** after each page's items were handled */
  onPageDone?: () => void;
}

/**
 * Reads every page of a list: `limit=100`, `skip`, and a stable `sort` (JumpCloud: "when paginating with skip
 * … add sort=_id"). The first page tells the total; the others are then requested at once (the client's
 * concurrency bounds them) and handed to `onPage` as they arrive, in any order. A list that grew meanwhile
 * (its last page came back full) is read on until a short page; a list whose answers carry no total is read
 * page after page until a short one.
 */
export async function readAllPages(
  client: JumpCloudClient,
  path: string,
  query: Record<string, string | number | string[]>,
  onPage: (items: Record<string, unknown>[]) => Promise<void> | void,
  hooks: PagingHooks = {},
): Promise<number> {
  const fetchPage = async (skip: number): Promise<ListPage> => parseListPage(await client.get(path, { ...query, limit: PAGE_LIMIT, skip }), path);
  const first = await fetchPage(0);
  hooks.onTotal?.(first.total ?? first.items.length);
  let seen = first.items.length;
  await onPage(first.items);
  hooks.onPageDone?.();
  if (first.items.length < PAGE_LIMIT) {
    hooks.onPageCount?.(1);
    return seen;
  }
  let next = PAGE_LIMIT;
  if (first.total !== null) {
    const pages = Math.max(1, Math.ceil(first.total / PAGE_LIMIT));
    hooks.onPageCount?.(pages);
    const skips: number[] = [];
    for (let p = 1; p < pages; p++) skips.push(p * PAGE_LIMIT);
    let lastFull = false;
    await Promise.all(
      skips.map(async (skip) => {
        const page = await fetchPage(skip);
        seen += page.items.length;
        if (skip === skips[skips.length - 1]) lastFull = page.items.length === PAGE_LIMIT;
        await onPage(page.items);
        hooks.onPageDone?.();
      }),
    );
    if (!lastFull) return seen;
    next = pages * PAGE_LIMIT;
  }
  // no total, or the list grew while it was read: on, one page at a time, until a short page
  for (;;) {
    const page = await fetchPage(next);
    seen += page.items.length;
    hooks.onPageCount?.(next / PAGE_LIMIT + 1);
    await onPage(page.items);
    hooks.onPageDone?.();
    if (page.items.length < PAGE_LIMIT) return seen;
    next += PAGE_LIMIT;
  }
}

/** Reads a whole list into memory (small lists: roles, admins, organizations). */
export async function readAll(client: JumpCloudClient, path: string, query: Record<string, string | number | string[]> = {}, hooks: PagingHooks = {}): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  await readAllPages(client, path, query, (items) => void out.push(...items), hooks);
  return out;
}

/** The total of a list from one request with limit=1 (counting what a pull skips). */
export async function countOf(client: JumpCloudClient, path: string): Promise<number> {
  const page = parseListPage(await client.get(path, { limit: 1, skip: 0 }), path);
  return page.total ?? page.items.length;
}
