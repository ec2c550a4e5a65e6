import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '../api/types';

/**
 * One page at a time of an admin API cursor list. `fetchPage(cursor)` loads a page; `key` changes (filters)
 * restart from the first page. Previous pages are reached through the stack of cursors seen so far.
 */
export function useCursorList<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, key: string) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<Page<T> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [reloads, setReloads] = useState(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  useEffect(() => setCursors([undefined]), [key]);

  const cursor = cursors[cursors.length - 1];
  useEffect(() => {
    let live = true;
    setLoading(true);
    fetchRef
      .current(cursor)
      .then((result) => {
        if (!live) return;
        setPage(result);
        setError(null);
      })
      .catch((e: unknown) => live && setError(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [cursor, key, reloads]);

  return {
    items: page?.data ?? [],
    loading,
    error,
    pageNumber: cursors.length,
    hasPrev: cursors.length > 1,
    hasNext: Boolean(page?.next),
    next: useCallback(() => page?.next && setCursors((c) => [...c, page.next ?? undefined]), [page]),
    prev: useCallback(() => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)), []),
    reload: useCallback(() => setReloads((n) => n + 1), []),
  };
}

/** Calls `load` now and every `ms` while mounted (for live status). */
export function usePolling(load: () => void, ms: number, deps: unknown[]): void {
  useEffect(() => {
    load();
    const timer = setInterval(load, ms);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
}
