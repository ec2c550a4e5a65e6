import { parseCliArgs, USAGE } from './cli-args.js';
import { startSimulator } from './simulator.js';

/**
 * `gatehouse-jumpcloud-sim`: starts the simulator and prints exactly one JSON line on stdout when ready,
 * `{"consoleUrl","apiKey","orgId"}` (plus `"scim":{"appId","ok","failure"}` with --scim-url, after Test
 * Connection); SIGTERM or SIGINT stops it (exit code 0). Errors go to stderr (exit code 2 for bad flags, 1
 * otherwise).
 */
async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    process.stderr.write(`gatehouse-jumpcloud-sim: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const sim = await startSimulator({ port: args.port, host: args.host, apiKey: args.apiKey, seed: args.seed });
  let scim: { appId: string; ok: boolean; failure: unknown } | undefined;
  if (args.scim) {
    const app = sim.tenant.apps.get(args.scim.app) ?? sim.tenant.appBySlug(args.scim.app);
    if (!app) {
      await sim.stop();
      process.stderr.write(`gatehouse-jumpcloud-sim: --scim-app: no application has the id or slug "${args.scim.app}"\n`);
      return 2;
    }
    const { app: _app, ...settings } = args.scim;
    const result = await sim.connectors.configure(app._id, settings);
    scim = { appId: app._id, ok: result.ok, failure: result.test.failure };
    if (!result.ok) process.stderr.write(`gatehouse-jumpcloud-sim: Test Connection failed: ${result.test.failure?.message ?? 'unknown'} (the connector is not pushing; fix it through POST /sim/apps/${app._id}/connector)\n`);
  }
  process.stdout.write(`${JSON.stringify({ consoleUrl: sim.consoleUrl, apiKey: sim.apiKey, orgId: sim.orgId, ...(scim ? { scim } : {}) })}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  await sim.stop();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`gatehouse-jumpcloud-sim: ${(error as Error)?.message ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
