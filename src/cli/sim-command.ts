import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `gatehouse sim …`: runs the JumpCloud simulator (its own program, never imported by src/) with the same
 * arguments, as `gatehouse-jumpcloud-sim` would.
 */
export async function simCommand(args: string[]): Promise<number> {
  const compiled = fileURLToPath(new URL('../../sim/main.js', import.meta.url));
  const source = fileURLToPath(new URL('../../sim/main.ts', import.meta.url));
  // from dist/src/cli the compiled simulator is dist/sim/main.js; from src/cli (tsx) it is sim/main.ts
  const entry = existsSync(compiled) ? [compiled] : ['--import', 'tsx', source];
  const child = spawn(process.execPath, [...entry, ...args], { stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGTERM', forward);
  process.on('SIGINT', forward);
  return new Promise((done) => child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0))));
}
