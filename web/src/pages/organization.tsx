import { useEffect, useState } from 'react';
import type { Session } from '../api/client';
import { gatehouse } from '../api/gatehouse';
import type { Organization } from '../api/types';
import { ErrorNote } from '../components/notice';
import { Link, match } from '../router';
import { EventsPage } from './events';
import { GroupDetailPage } from './group-detail';
import { GroupsPage } from './groups';
import { JumpCloudPage } from './jumpcloud/jumpcloud-page';
import { OverviewPage } from './overview';
import { RoleMappingPage } from './role-mapping';
import { ScimProvisioningPage } from './scim/scim-provisioning';
import { SetupLinksPage } from './setup-links';
import { SsoPage } from './sso/sso-page';
import { UserDetailPage } from './user-detail';
import { UsersPage } from './users';
import { WebhooksPage } from './webhooks';

interface Tab {
  path: string;
  label: string;
  /** reachable with a setup link (the customer's IT admin) */
  setup: boolean;
}

const TABS: Tab[] = [
  { path: '/', label: 'Overview', setup: false },
  { path: '/scim', label: 'SCIM Provisioning', setup: true },
  { path: '/sso', label: 'SSO', setup: true },
  { path: '/users', label: 'Users', setup: true },
  { path: '/groups', label: 'Groups', setup: true },
  { path: '/roles', label: 'Role mapping', setup: true },
  { path: '/events', label: 'Events', setup: true },
  { path: '/webhooks', label: 'Webhooks', setup: false },
  { path: '/jumpcloud', label: 'JumpCloud inventory', setup: true },
  { path: '/setup-links', label: 'Setup links', setup: false },
];

/** One organization: its name and the tabs of its pages. */
export function OrganizationPage({ orgId, rest: path, session }: { orgId: string; rest: string; session: Session }) {
  // a setup link has no overview: its organization opens on SCIM Provisioning
  const rest = session.kind === 'setup' && path === '/' ? '/scim' : path;
  const [org, setOrg] = useState<Organization | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    gatehouse.organization(orgId).then(setOrg, setError);
  }, [orgId]);

  const base = `/orgs/${encodeURIComponent(orgId)}`;
  const tabs = TABS.filter((t) => session.kind === 'admin' || t.setup);
  const active = tabs.find((t) => (t.path === '/' ? rest === '/' : rest === t.path || rest.startsWith(`${t.path}/`)));

  return (
    <section>
      <p className="breadcrumb">{session.kind === 'admin' ? <Link to="/">Organizations</Link> : 'Organization'} /</p>
      <h1>{org?.name ?? orgId}</h1>
      <ErrorNote error={error} />
      <nav className="tabs" aria-label="Organization">
        {tabs.map((t) => (
          <Link key={t.path} to={`${base}${t.path === '/' ? '' : t.path}`} aria-current={active === t ? 'page' : undefined}>
            {t.label}
          </Link>
        ))}
      </nav>
      <div className="tab-panel">{active ? <Body orgId={orgId} rest={rest} session={session} /> : <p>This page is not available.</p>}</div>
    </section>
  );
}

function Body({ orgId, rest, session }: { orgId: string; rest: string; session: Session }) {
  if (rest === '/') return <OverviewPage orgId={orgId} />;
  if (rest === '/scim') return <ScimProvisioningPage orgId={orgId} />;
  if (rest === '/sso') return <SsoPage orgId={orgId} />;
  if (rest === '/users') return <UsersPage orgId={orgId} />;
  const user = match('/users/:dirId/:userId', rest);
  if (user) return <UserDetailPage orgId={orgId} dirId={user.dirId!} userId={user.userId!} />;
  if (rest === '/groups') return <GroupsPage orgId={orgId} />;
  const group = match('/groups/:dirId/:groupId', rest);
  if (group) return <GroupDetailPage orgId={orgId} dirId={group.dirId!} groupId={group.groupId!} />;
  if (rest === '/roles') return <RoleMappingPage orgId={orgId} />;
  if (rest === '/events') return <EventsPage organizationId={orgId} />;
  if (rest === '/webhooks' && session.kind === 'admin') return <WebhooksPage organizationId={orgId} />;
  if (rest === '/jumpcloud') return <JumpCloudPage orgId={orgId} />;
  if (rest === '/setup-links' && session.kind === 'admin') return <SetupLinksPage orgId={orgId} />;
  return <p>This page is not available.</p>;
}
