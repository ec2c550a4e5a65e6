import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Runtime } from '../runtime.js';
import { simulatorCommand } from './sim-command.js';
import { demoSsoConnection } from './demo-sso.js';

export const DEMO_ORGANIZATION = 'Demo Co';
/** The simulator's demo tenant has a "Acme Portal (Gatehouse)" SAML app with groups bound to it. */
const DEMO_APP = 'acme-portal';

export interface Demo {
  /** what to print for the person who started it */
  text: string;
  stop(): Promise<void>;
}

/** The demo organization's JumpCloud directory with a fresh token: created on an empty database, reused after. */
async function demoDirectory(runtime: Runtime) {
  const { gatehouse } = runtime;
  const orgs = await gatehouse.organizations.list(500);
  let org = orgs.data.find((o) => o.name === DEMO_ORGANIZATION);
  if (!org) {
    if (orgs.data.length > 0) return undefined; // a real database: leave it alone
    org = await gatehouse.organizations.create({ name: DEMO_ORGANIZATION, domains: ['demo.example.com'] });
  }
  const directories = await gatehouse.directories.list(org.id, 50);
  const existing = directories.data.find((d) => d.provider === 'jumpcloud');
  const { directory, token } = existing
    ? await gatehouse.directories.rotateToken(existing.id) // the token is shown once: a restarted demo needs a new one
    : await gatehouse.directories.create(org.id, 'jumpcloud');
  return { org, directory, token };
}

/** Starts the simulator as a child process and waits for its one JSON line. */
function startSimulator(args: string[]): Promise<{ child: ChildProcess; ready: Record<string, unknown> }> {
  const child = spawn(process.execPath, [...simulatorCommand(), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error('the simulator did not start within 30 s'));
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the simulator exited (code ${code})`));
    });
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve({ child, ready: JSON.parse(line) as Record<string, unknown> });
      } catch {
        reject(new Error(`unexpected simulator output: ${line}`));
      }
    });
  });
}

/**
 * `serve --demo`: a demo organization with a JumpCloud directory, and the offline JumpCloud simulator
 * (demo tenant) whose "Acme Portal" app provisions into it through SCIM, as a real JumpCloud would.
 * GATEHOUSE_DEMO_SIM_PORT picks the simulator's port (default 8090; 0 = any free port; `off` = no simulator).
 */
export async function startDemo(runtime: Runtime, env: NodeJS.ProcessEnv = process.env): Promise<Demo> {
  const found = await demoDirectory(runtime);
  if (!found) {
    return { text: 'Demo: the database already has other organizations; no demo organization created.\n', stop: async () => {} };
  }
  const { org, directory, token } = found;
  const endpoint = runtime.gatehouse.scimEndpoint(directory.id);
  const lines = [
    `Demo organization "${org.name}" (${org.id}) with a JumpCloud directory (${directory.id}).`,
    'Paste these into JumpCloud → SSO Applications → your app → Identity Management:',
    `  Base URL / Endpoint URL: ${endpoint}`,
    `  Token Key (Bearer):      ${token}`,
    '(the token is shown only now; rotate it with POST /api/directories/<id>/token)',
  ];
  const simPort = env.GATEHOUSE_DEMO_SIM_PORT ?? '8090';
  if (simPort === 'off') return { text: `${lines.join('\n')}\n`, stop: async () => {} };
  try {
    const { child, ready } = await startSimulator([
      '--port', simPort, '--seed', 'demo',
      '--scim-url', endpoint, '--scim-token', token, '--scim-app', DEMO_APP, '--scim-test-email', 'jumpcloud-test@demo.example.com',
    ]);
    const scim = ready.scim as { ok?: boolean; failure?: { message?: string } } | undefined;
    lines.push(
      '',
      `Offline JumpCloud simulator at ${String(ready.consoleUrl)} (console API key ${String(ready.apiKey)}): its demo tenant's`,
      `"Acme Portal" app ${scim?.ok ? 'passed Test Connection and is provisioning its bound groups and users into the demo directory' : `could not connect: ${scim?.failure?.message ?? 'unknown error'}`}.`,
      `  See them: GET /api/directories/${directory.id}/users and /groups (with the admin key); change the tenant through ${String(ready.consoleUrl)}/sim/…`,
    );
    try {
      lines.push(...(await demoSsoConnection(runtime, org.id, String(ready.consoleUrl), DEMO_APP)));
    } catch (error) {
      lines.push('', `(The demo SSO connection could not be set up: ${(error as Error).message}.)`);
    }
    return {
      text: `${lines.join('\n')}\n`,
      stop: () =>
        new Promise<void>((done) => {
          if (child.exitCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
    };
  } catch (error) {
    lines.push('', `(The offline JumpCloud simulator did not start: ${(error as Error).message}; set GATEHOUSE_DEMO_SIM_PORT to another port.)`);
    return { text: `${lines.join('\n')}\n`, stop: async () => {} };
  }
}
