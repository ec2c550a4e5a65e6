#!/usr/bin/env node
// The `gatehouse-jumpcloud-sim` command: an offline JumpCloud tenant. The TypeScript sources are compiled to dist/ by `npm ci` (the prepare script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/sim/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('gatehouse-jumpcloud-sim: dist/ is missing; run `npm ci` (or `npm run build`) first\n');
  process.exit(1);
}
await import(entry.href);
