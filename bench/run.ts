/**
 * `npm run bench`: every benchmark, one after the other, each as its own process (so one's memory and
 * JIT state cannot colour the next). Each prints its JSON and writes bench/results/<name>.json.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const benchmarks = ['scim', 'events', 'webhooks', 'saml-acs', 'jumpcloud-pull'];
let failed = 0;
for (const name of benchmarks) {
  process.stdout.write(`\n== bench/${name}.ts\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', `${name}.ts`)], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    process.stderr.write(`bench/${name}.ts failed (exit ${result.status ?? result.signal})\n`);
  }
}
process.exit(failed === 0 ? 0 : 1);
