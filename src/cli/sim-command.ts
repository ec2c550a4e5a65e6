import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * How to run the JumpCloud simulator, which is its own program (src/ never imports sim/): from
 * dist/src/cli the compiled simulator is dist/sim/main.js; from src/cli (under tsx) it is sim/main.ts.
 */
export function simulatorCommand(): string[] {
  const compiled = fileURLToPath(new URL('../../sim/main.js', import.meta.url));
  if (existsSync(compiled)) return [compiled];
  return ['--import', 'tsx', fileURLToPath(new URL('../../sim/main.ts', import.meta.url))];
}

/** `gatehouse sim …`: runs the simulator with the same arguments, as `gatehouse-jumpcloud-sim` would. */
export async function simCommand(args: string[]): Promise<number> {
  const child = spawn(process.execPath, [...simulatorCommand(), ...args], { stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGTERM', forward);
  process.on('SIGINT', forward);
  return new Promise((done) => child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0))));
}
