import { useEffect, useState, type FormEvent } from 'react';
import { gatehouse } from '../api/gatehouse';
import type { DirectoryGroup } from '../api/types';
import { ErrorNote, Loading, Notice } from '../components/notice';

interface Row {
  key: number;
  directoryGroupId: string;
  role: string;
}

let nextKey = 1;

/** The group → role mapping editor: rows of (group, role), the default role, saved as one set. */
export function RoleMappingPage({ orgId }: { orgId: string }) {
  const [groups, setGroups] = useState<DirectoryGroup[] | null>(null);
  const [rows, setRows] = useState<Row[]>([]);
  const [defaultRole, setDefaultRole] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    (async () => {
      const directories = (await gatehouse.directories(orgId, { limit: 500 })).data;
      const lists = await Promise.all(directories.map((d) => gatehouse.groups(d.id, { limit: 500 })));
      const set = await gatehouse.roleMappings(orgId);
      setGroups(lists.flatMap((l) => l.data));
      setRows(set.mappings.map((m) => ({ key: nextKey++, ...m })));
      setDefaultRole(set.defaultRole ?? '');
    })().catch(setError);
  }, [orgId]);

  const update = (key: number, change: Partial<Row>) => {
    setSaved(false);
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...change } : r)));
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const set = await gatehouse.saveRoleMappings(orgId, {
        mappings: rows.filter((r) => r.directoryGroupId && r.role.trim()).map((r) => ({ directoryGroupId: r.directoryGroupId, role: r.role.trim() })),
        defaultRole: defaultRole.trim() || null,
      });
      setRows(set.mappings.map((m) => ({ key: nextKey++, ...m })));
      setDefaultRole(set.defaultRole ?? '');
      setSaved(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (!groups) return error ? <ErrorNote error={error} /> : <Loading />;
  const known = new Set(groups.map((g) => g.id));

  return (
    <form onSubmit={(e) => void save(e)}>
      <h2>Role mapping</h2>
      <p className="muted">Members of a group get its roles. Every active user also gets the default role. Saving replaces the whole set.</p>
      {groups.length === 0 && <Notice>No groups have been provisioned yet; connect a directory first.</Notice>}
      <table className="table" data-testid="role-mapping-table">
        <caption className="visually-hidden">Group to role mappings</caption>
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col">Role</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={row.key}>
              <td>
                <label className="visually-hidden" htmlFor={`map-group-${row.key}`}>
                  Group of mapping {i + 1}
                </label>
                <select id={`map-group-${row.key}`} value={row.directoryGroupId} onChange={(e) => update(row.key, { directoryGroupId: e.target.value })}>
                  <option value="">Choose a group…</option>
                  {!known.has(row.directoryGroupId) && row.directoryGroupId && <option value={row.directoryGroupId}>{row.directoryGroupId}</option>}
                  {groups.map((g) => (
                    <option key={g.id} value={g.id}>
                      {g.name}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <label className="visually-hidden" htmlFor={`map-role-${row.key}`}>
                  Role of mapping {i + 1}
                </label>
                <input id={`map-role-${row.key}`} maxLength={100} value={row.role} onChange={(e) => update(row.key, { role: e.target.value })} />
              </td>
              <td>
                <button type="button" className="button secondary small" onClick={() => setRows((rs) => rs.filter((r) => r.key !== row.key))} aria-label={`Remove mapping ${i + 1}`}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="button secondary" onClick={() => setRows((rs) => [...rs, { key: nextKey++, directoryGroupId: '', role: '' }])}>
        Add mapping
      </button>
      <div className="field-narrow">
        <label htmlFor="default-role">Default role (optional)</label>
        <input id="default-role" maxLength={100} value={defaultRole} onChange={(e) => setDefaultRole(e.target.value)} />
      </div>
      <div className="actions">
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Saving…' : 'Save role mapping'}
        </button>
      </div>
      {saved && <Notice kind="success">Saved. Every user's roles follow.</Notice>}
      <ErrorNote error={error} />
    </form>
  );
}
