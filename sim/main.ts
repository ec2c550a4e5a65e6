import { parseCliArgs, USAGE } from './cli-args.js';
import { startSimulator } from './simulator.js';

/**
 * `gatehouse-jumpcloud-sim`: starts the simulator and prints exactly one JSON line on stdout when ready,
 * `{"consoleUrl","apiKey","orgId"}`; SIGTERM or SIGINT stops it (exit code 0). Errors go to stderr
 * (exit code 2 for bad flags, 1 otherwise).
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
  process.stdout.write(`${JSON.stringify({ consoleUrl: sim.consoleUrl, apiKey: sim.apiKey, orgId: sim.orgId })}\n`);
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
