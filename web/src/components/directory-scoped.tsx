import type { ReactNode } from 'react';
import { setQuery, useLocation } from '../router';
import { DirectoryPicker } from './directory-picker';
import { ErrorNote, Loading } from './notice';
import { useDirectories } from './use-directories';

/**
 * A page about one of the organization's directories: its heading, the directory picker (`?dir=`, the first
 * directory by default), and `children(dirId, query)` for the chosen directory.
 */
export function DirectoryScoped({ orgId, title, children }: { orgId: string; title: string; children: (dirId: string, query: URLSearchParams) => ReactNode }) {
  const { directories, error } = useDirectories(orgId);
  const { query } = useLocation();
  if (error) return <ErrorNote error={error} />;
  if (!directories) return <Loading />;
  if (directories.length === 0) return <p>No directory is connected yet.</p>;
  const dirId = query.get('dir') ?? directories[0]!.id;
  return (
    <div>
      <h2>{title}</h2>
      <DirectoryPicker directories={directories} value={dirId} onChange={(id) => setQuery({ dir: id })} />
      {children(dirId, query)}
    </div>
  );
}
