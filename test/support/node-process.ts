/** A Gatehouse started as its own process (`gatehouse serve`), for crash and multi-node tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { freePort } from './embedded-postgres.js';

const root = resolve(import.meta.dirname, '..', '..');
const main = join(root, 'src', 'cli', 'main.ts');

export interface NodeProcess {
  child: ChildProcess;
  url: string;
  /** everything the process wrote (stdout and stderr) */
  output(): string;
  exited: Promise<void>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Starts `gatehouse serve` with `env` (plus PATH, a free PORT and LOG_LEVEL=warn); resolves once it listens. */
export async function serveProcess(env: Record<string, string>, cwd = root): Promise<NodeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', main, 'serve'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const node: NodeProcess = {
    child,
    url: `http://127.0.0.1:${port}`,
    output: () => out,
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  for (let i = 0; i < 600; i++) {
    if (/Gatehouse listening/.test(out)) return node;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await node.kill('SIGKILL');
  throw new Error(`gatehouse serve did not start:\n${out}`);
}
