import type { Application } from '../tenant/types.js';
import type { IdpError } from './idp-error.js';
import { xmlEscape as esc } from './saml-xml.js';

const STYLE =
  'body{font-family:system-ui,sans-serif;background:#f4f6f8;color:#1d2b36;margin:0}' +
  'main{max-width:380px;margin:12vh auto;background:#fff;border-radius:8px;padding:32px;box-shadow:0 2px 12px rgba(0,0,0,.08)}' +
  'h1{font-size:20px;margin:0 0 16px}label{display:block;font-size:13px;margin:12px 0 4px}' +
  'input[type=email],input[type=password]{width:100%;box-sizing:border-box;padding:8px;border:1px solid #c5ced6;border-radius:4px}' +
  'button{margin-top:20px;width:100%;padding:10px;border:0;border-radius:4px;background:#00a8a8;color:#fff;font-size:15px}' +
  '.err{color:#b3261e;font-size:14px}.note{color:#5b6b77;font-size:12px;margin-top:16px}';

function page(title: string, body: string, extraHead = ''): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><meta name="viewport" content="width=device-width,initial-scale=1"><style>${STYLE}</style>${extraHead}</head><body>${body}</body></html>\n`;
}

/**
 * The HTTP-POST binding's auto-submitting form (saml-bindings §3.5.4): `SAMLResponse` and, when given,
 * `RelayState`, POSTed to the ACS URL on load; a button for browsers without JavaScript.
 */
export function autoPostPage(acsUrl: string, samlResponse: string, relayState: string | null): string {
  const relay = relayState === null ? '' : `<input type="hidden" name="RelayState" value="${esc(relayState)}">`;
  return page(
    'Signing in…',
    `<form method="post" action="${esc(acsUrl)}"><input type="hidden" name="SAMLResponse" value="${esc(samlResponse)}">${relay}` +
      '<noscript><main><p>JavaScript is off. Press the button to continue.</p><button type="submit">Continue</button></main></noscript></form>' +
      '<script>document.forms[0].submit()</script>',
  );
}

/** JumpCloud-like refusal page ("SSO error"), with the error code for tests and the status the route sends. */
export function errorPage(error: IdpError, app: Application | null): string {
  const heading = error.status === 404 ? 'Application not found' : error.status === 400 ? 'Invalid SAML request' : 'Access denied';
  const appLine = app ? `<p>${esc(app.displayLabel)}</p>` : '';
  return page(`JumpCloud - ${heading}`, `<main><h1>${esc(heading)}</h1>${appLine}<p class="err" data-code="${esc(error.code)}">${esc(error.message)}</p><p class="note">Contact your JumpCloud administrator for access.</p></main>`);
}

/**
 * The minimal demo login page (simulator only): e-mail and the simulator-only password (the demo seed
 * sets one per user, sim/seed/demo.ts DEMO_PASSWORD). It posts to `action` with the pending sign-in id.
 */
export function loginPage(app: Application, action: string, pending: string, error: IdpError | null = null, email = ''): string {
  const err = error ? `<p class="err" data-code="${esc(error.code)}">${esc(error.message)}</p>` : '';
  return page(
    'JumpCloud - User Login',
    `<main><h1>Sign in to ${esc(app.displayLabel)}</h1>${err}<form method="post" action="${esc(action)}">` +
      `<input type="hidden" name="pending" value="${esc(pending)}">` +
      `<label for="email">Email</label><input id="email" type="email" name="email" value="${esc(email)}" autocomplete="username" required autofocus>` +
      '<label for="password">Password</label><input id="password" type="password" name="password" autocomplete="current-password" required>' +
      '<button type="submit">Continue</button></form><p class="note">JumpCloud simulator: demo users sign in with the demo password.</p></main>',
  );
}
