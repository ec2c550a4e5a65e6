import type { Config } from '../config.js';
import { startRuntime, type Runtime } from '../runtime.js';

const DEMO_ORGANIZATION = 'Demo Co';

/** --demo: on an empty database, one organization with a JumpCloud directory, ready to paste into JumpCloud. */
async function createDemo(runtime: Runtime): Promise<string> {
  const { gatehouse } = runtime;
  const existing = await gatehouse.organizations.list(1);
  if (existing.data.length > 0) {
    return `Demo: the database already has organizations (e.g. ${existing.data[0]!.id}); nothing created.\n`;
  }
  const org = await gatehouse.organizations.create({ name: DEMO_ORGANIZATION, domains: ['demo.example.com'] });
  const { directory, token } = await gatehouse.directories.create(org.id, 'jumpcloud');
  return [
    `Demo organization "${org.name}" (${org.id}) with a JumpCloud directory (${directory.id}).`,
    'Paste these into JumpCloud → SSO Applications → your app → Identity Management:',
    `  Base URL / Endpoint URL: ${gatehouse.scimEndpoint(directory.id)}`,
    `  Token Key (Bearer):      ${token}`,
    '(the token is shown only now; rotate it with POST /api/directories/<id>/token)',
    '',
  ].join('\n');
}

export async function serveCommand(config: Config, args: string[]): Promise<number> {
  const unknown = args.find((a) => a !== '--demo');
  if (unknown !== undefined) {
    process.stderr.write(`gatehouse serve: unknown option "${unknown}"\n`);
    return 2;
  }
  const runtime = await startRuntime(config, { logger: { level: config.logLevel } });
  const out: string[] = [`Gatehouse listening on ${runtime.url} (public URL ${config.publicUrl}, database ${runtime.gatehouse.store.handle.description})\n`];
  if (runtime.generatedAdminKey) {
    out.push(`Admin API key (generated now and shown only once; store it, or set GATEHOUSE_ADMIN_KEY):\n  ${runtime.generatedAdminKey}\n`);
  }
  if (args.includes('--demo')) out.push(await createDemo(runtime));
  process.stdout.write(out.join(''));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    runtime.app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    runtime.close().then(
      () => process.exit(0),
      (error: unknown) => {
        runtime.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return 0;
}
