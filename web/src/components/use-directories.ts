import { useCallback, useEffect, useState } from 'react';
import { gatehouse } from '../api/gatehouse';
import type { Directory } from '../api/types';

/** An organization's directories (first 500: an organization has a handful). */
export function useDirectories(orgId: string) {
  const [directories, setDirectories] = useState<Directory[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    let live = true;
    gatehouse
      .directories(orgId, { limit: 500 })
      .then((page) => live && setDirectories(page.data))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [orgId, reloads]);
  return { directories, error, reload: useCallback(() => setReloads((n) => n + 1), []) };
}

export const PROVIDER_LABELS: Record<string, string> = { jumpcloud: 'JumpCloud', okta: 'Okta', entra: 'Microsoft Entra ID', generic: 'Other SCIM 2.0 client' };
