/** Where a test sign-in returns (`/admin/sso-callback?code=…&state=…`): says whether a code came back. */
export function SsoCallback() {
  const params = new URLSearchParams(window.location.search);
  const state = params.get('state') ?? '';
  const known = state !== '' && sessionStorage.getItem(`gatehouse.sso-test.${state}`) !== null;
  const code = params.get('code');
  const error = params.get('error');
  return (
    <main id="main" className="signin">
      <div className="card">
        <h1>Test sign-in</h1>
        {code && known ? (
          <p className="notice success" role="status" data-testid="sso-test-result">
            Sign-in succeeded: the identity provider authenticated you and Gatehouse issued an authorization code to the app.
          </p>
        ) : (
          <p className="notice error" role="alert" data-testid="sso-test-result">
            Sign-in did not complete{error ? `: ${error}${params.get('error_description') ? ` — ${params.get('error_description')}` : ''}` : code ? ' (unknown state)' : ''}.
          </p>
        )}
        <p>You can close this tab.</p>
      </div>
    </main>
  );
}
