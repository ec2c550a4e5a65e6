import type { Config } from '../config.js';
import { startRuntime } from '../runtime.js';
import { startDemo, type Demo } from './demo.js';

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
  out.push(`Admin portal: ${config.publicUrl}/admin (sign in with the admin API key)\n`);
  let demo: Demo | undefined;
  if (args.includes('--demo')) {
    demo = await startDemo(runtime);
    out.push(demo.text);
  }
  process.stdout.write(out.join(''));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    runtime.app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    Promise.all([runtime.close(), demo?.stop()]).then(
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
