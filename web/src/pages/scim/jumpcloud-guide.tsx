/** The step-by-step JumpCloud Identity Management guide, in the page (what the customer's IT admin does). */
export function JumpCloudGuide({ open = false }: { open?: boolean }) {
  return (
    <details className="guide" open={open}>
      <summary>Step-by-step: connect JumpCloud</summary>
      <ol>
        <li>
          In the JumpCloud Admin Portal, open <strong>SSO Applications</strong> and click <strong>+ Add New Application</strong>. Search for an
          application name that does not exist to create a <strong>custom application</strong>, then click <strong>Next</strong>.
        </li>
        <li>
          Select <strong>Export users to this app (Identity Management)</strong>, give it a display name, and click <strong>Save Application</strong>.
        </li>
        <li>
          Click <strong>Configure Application</strong>. On the <strong>Identity Management</strong> tab choose <strong>SCIM 2.0</strong>, paste the{' '}
          <strong>Endpoint URL</strong> above as the Base URL and the <strong>token</strong> as the Token Key (Bearer token), and enter a test user
          e-mail.
        </li>
        <li>
          Press <strong>Test Connection</strong>. When it succeeds, turn on <strong>Group Management</strong> so groups are sent too, then click{' '}
          <strong>Activate</strong> and <strong>Save</strong>.
        </li>
        <li>
          On the application's <strong>User Groups</strong> tab, tick the groups whose users should get access and click <strong>Save</strong>. JumpCloud
          pushes those users and groups within seconds.
        </li>
        <li>
          Check the <strong>Status</strong> here (last request, errors) and the <strong>Users</strong> and <strong>Groups</strong> tabs. To give roles
          from groups, use <strong>Role mapping</strong>.
        </li>
      </ol>
      <p className="muted small">
        Lost the token? Rotate it here and paste the new one into JumpCloud; the old token stops working at once.
      </p>
    </details>
  );
}
