import type { Directory } from '../api/types';
import { PROVIDER_LABELS } from './use-directories';

/** Chooses which of the organization's directories a list shows. */
export function DirectoryPicker({ directories, value, onChange }: { directories: Directory[]; value: string; onChange: (id: string) => void }) {
  if (directories.length <= 1) return null;
  return (
    <div>
      <label htmlFor="directory-picker">Directory</label>
      <select id="directory-picker" value={value} onChange={(e) => onChange(e.target.value)}>
        {directories.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name} ({PROVIDER_LABELS[d.provider] ?? d.provider})
          </option>
        ))}
      </select>
    </div>
  );
}
