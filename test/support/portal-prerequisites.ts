/**
 * What the browser suites (test/web) need before they start, prepared once by test/run.ts: the built
 * portal (dist/web, rebuilt when any web/ source is newer) and Debian's chromium (installed with apt when
 * missing and running as root). Anything missing that cannot be provided is a loud failure, never a skip.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules') continue;
    const path = join(dir, entry);
    const stat = statSync(path);
    newest = Math.max(newest, stat.isDirectory() ? newestMtime(path) : stat.mtimeMs);
  }
  return newest;
}

/** Builds the portal when dist/web is missing or older than web/; throws when the build fails. */
export function ensurePortalBuilt(root: string, log: (line: string) => void): void {
  const index = join(root, 'dist', 'web', 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(join(root, 'web'))) return;
  log('test/run: building the admin portal (dist/web is missing or older than web/)');
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('test/run: building the admin portal failed (see above)');
}

/** Installs chromium with apt-get when it is missing (as root); throws when it cannot be had. */
export function ensureChromium(log: (line: string) => void): void {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) throw new Error(`test/run: ${CHROMIUM} is missing and this is not root: install it with \`apt-get install -y chromium\``);
  log(`test/run: ${CHROMIUM} is missing; installing Debian's chromium with apt-get (the browser suites in test/web need it)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let result = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
  if (result.status !== 0) {
    log('test/run: apt-get install failed; running apt-get update and trying again');
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    result = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
  }
  if (result.status !== 0 || !existsSync(CHROMIUM)) throw new Error(`test/run: installing chromium failed; the browser suites cannot run without ${CHROMIUM}`);
}
