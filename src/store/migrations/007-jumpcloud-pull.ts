import type { Dialect } from '../database.js';

/**
 * The JumpCloud directory pull (issue 7): connections (API key sealed), runs (one running run per
 * connection, enforced by a partial unique index; a lease lets another node resume a run whose node died),
 * the steps a run finished (resume after a crash), the inventory (entities upserted with tombstones, and
 * the relations between them, one row per list: memberships, app bindings, effective access), and findings.
 */
export function jumpcloudPullSchema(dialect: Dialect): string[] {
  const json = dialect === 'postgres' ? 'jsonb' : 'text';
  return [
    `create table jumpcloud_connections (
      id text primary key,
      organization_id text not null references organizations (id) on delete cascade,
      name text not null,
      api_base_url text not null,
      jc_org_id text,
      api_key_ciphertext text not null,
      api_key_hint text not null,
      sync_interval_minutes integer,
      links ${json} not null,
      created_at text not null,
      updated_at text not null
    )`,
    `create index jumpcloud_connections_org on jumpcloud_connections (organization_id, created_at, id)`,
    `create index jumpcloud_connections_created on jumpcloud_connections (created_at, id)`,

    `create table jumpcloud_runs (
      id text primary key,
      connection_id text not null references jumpcloud_connections (id) on delete cascade,
      state text not null,
      trigger text not null,
      progress ${json} not null,
      counts ${json} not null,
      error ${json},
      cancel_requested integer not null,
      node_id text,
      lease_until text,
      started_at text not null,
      finished_at text,
      updated_at text not null,
      created_at text not null
    )`,
    // one run at a time per connection, whichever node starts it
    `create unique index jumpcloud_runs_one_running on jumpcloud_runs (connection_id) where state = 'running'`,
    `create index jumpcloud_runs_list on jumpcloud_runs (connection_id, created_at, id)`,
    `create index jumpcloud_runs_lease on jumpcloud_runs (state, lease_until)`,

    `create table jumpcloud_run_steps (
      run_id text not null references jumpcloud_runs (id) on delete cascade,
      step text not null,
      done_at text not null,
      primary key (run_id, step)
    )`,

    `create table jumpcloud_entities (
      connection_id text not null references jumpcloud_connections (id) on delete cascade,
      kind text not null,
      jc_id text not null,
      name text not null,
      email text,
      data ${json} not null,
      seen_run_id text not null,
      first_seen_at text not null,
      last_seen_at text not null,
      deleted_at text,
      primary key (connection_id, kind, jc_id)
    )`,
    // no index on seen_run_id: the primary key's (connection_id, kind) prefix serves the per-run scans, and an
    // index would be rewritten by every upsert of every pull

    // one row per list: a group's members, an app's bound groups, an app's users with their paths… (a pull
    // replaces whole lists, so a list is the unit written; 2,000 groups are 4,000 rows, not 250,000)
    `create table jumpcloud_relations (
      connection_id text not null references jumpcloud_connections (id) on delete cascade,
      kind text not null,
      from_id text not null,
      targets ${json} not null,
      target_count integer not null,
      seen_run_id text not null,
      primary key (connection_id, kind, from_id)
    )`,
    `create index jumpcloud_relations_seen on jumpcloud_relations (connection_id, seen_run_id)`,

    `create table jumpcloud_findings (
      id text primary key,
      connection_id text not null references jumpcloud_connections (id) on delete cascade,
      organization_id text not null,
      finding_key text not null,
      type text not null,
      severity text not null,
      state text not null,
      subject_type text not null,
      subject_id text not null,
      subject_label text not null,
      evidence ${json} not null,
      first_seen_at text not null,
      last_seen_at text not null,
      resolved_at text
    )`,
    `create unique index jumpcloud_findings_key on jumpcloud_findings (connection_id, finding_key)`,
    `create index jumpcloud_findings_list on jumpcloud_findings (connection_id, first_seen_at, id)`,
  ];
}
