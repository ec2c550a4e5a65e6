import { useEffect, useState } from 'react';
import { loadSession, onSessionChange, saveSession, type Session } from './api/client';
import { Link, match, navigate, useLocation } from './router';
import { EventsPage } from './pages/events';
import { OrganizationPage } from './pages/organization';
import { OrganizationsPage } from './pages/organizations';
import { SetupLanding } from './pages/setup-landing';
import { SignIn } from './pages/sign-in';
import { SsoCallback } from './pages/sso/sso-callback';
import { WebhookDetailPage } from './pages/webhook-detail';
import { WebhooksPage } from './pages/webhooks';

/** The portal: sign-in, then the admin's pages, or one organization's setup pages for a setup link. */
export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const location = useLocation();
  useEffect(() => onSessionChange(setSession), []);

  if (match('/setup', location.path)) return <SetupLanding />;
  if (match('/sso-callback', location.path)) return <SsoCallback />;
  if (!session) return <SignIn />;

  // a setup link reaches only its organization
  if (session.kind === 'setup' && session.organizationId && !location.path.startsWith(`/orgs/${encodeURIComponent(session.organizationId)}`)) {
    return <Redirect to={`/orgs/${encodeURIComponent(session.organizationId)}/scim`} />;
  }

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Gatehouse</span>
        {session.kind === 'admin' ? (
          <nav aria-label="Main" className="topnav">
            <Link to="/" aria-current={location.path === '/' || location.path.startsWith('/orgs') ? 'page' : undefined}>
              Organizations
            </Link>
            <Link to="/events" aria-current={location.path === '/events' ? 'page' : undefined}>
              Events
            </Link>
            <Link to="/webhooks" aria-current={location.path.startsWith('/webhooks') ? 'page' : undefined}>
              Webhooks
            </Link>
          </nav>
        ) : (
          <span className="muted small">Setup for your organization{session.expiresAt ? ` · link expires ${new Date(session.expiresAt).toLocaleString()}` : ''}</span>
        )}
        <button type="button" className="button secondary small signout" onClick={() => saveSession(null)}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Routes path={location.path} session={session} />
      </main>
    </div>
  );
}

function Routes({ path, session }: { path: string; session: Session }) {
  if (path === '/' || path === '') return <OrganizationsPage />;
  if (path === '/events') return <EventsPage organizationId={null} />;
  if (path === '/webhooks') return <WebhooksPage organizationId={null} />;
  const webhook = match('/webhooks/:id', path);
  if (webhook) return <WebhookDetailPage id={webhook.id!} />;
  const org = /^\/orgs\/([^/]+)(\/.*)?$/.exec(path);
  if (org) return <OrganizationPage orgId={decodeURIComponent(org[1]!)} rest={org[2] ?? '/'} session={session} />;
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        <Link to="/">Back to the organizations</Link>
      </p>
    </section>
  );
}

/** Replaces the current address once mounted (after the router listens). */
function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}
