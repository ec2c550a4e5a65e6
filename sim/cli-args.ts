import type { SeedSpec } from './seed/seed.js';

/** What the command line asked for. */
export interface CliArgs {
  help: boolean;
  port: number;
  host: string;
  apiKey: string | undefined;
  seed: SeedSpec;
  /** an Identity Management (SCIM) connector to configure and activate once ready (only when asked for) */
  scim?: CliScim;
}

/** `--scim-url`, `--scim-token`, `--scim-app`, `--scim-test-email`. */
export interface CliScim {
  /** the app's id or SSO URL slug */
  app: string;
  baseUrl: string;
  token: string;
  testUserEmail: string;
}

/** The CLI usage text. */
export const USAGE = `Usage: gatehouse-jumpcloud-sim [options]

Starts an offline JumpCloud tenant on loopback and prints one JSON line when ready:
  {"consoleUrl":"http://127.0.0.1:P","apiKey":"…","orgId":"…"}
Stop it with SIGTERM (or Ctrl-C).

Options:
  --port P          listen port (default 8090; 0 picks a free one)
  --host H          listen address (default 127.0.0.1)
  --api-key K       the admin API key (default: generated, and printed in the JSON line)
  --seed demo|none  the demo tenant (default) or an empty one
  --users N --groups M --apps K
                    a generated tenant of that size instead (missing sizes: 1000 users, 20 groups,
                    5 apps); deterministic for a given --seed-number (default 42)
  --seed-number S   the pseudo-random seed of a generated tenant
  --scim-url URL --scim-token T --scim-app ID|SLUG [--scim-test-email E]
                    configure and activate that app's Identity Management (SCIM) connector once ready
                    (Test Connection runs; the JSON line then has "scim":{"appId","ok","failure"});
                    the test e-mail defaults to scim-test@acme.example
  -h, --help        this text
`;

function integer(flag: string, value: string | undefined, max: number): number {
  if (value === undefined || !/^\d+$/.test(value) || Number(value) > max) throw new Error(`${flag} needs an integer from 0 to ${max}`);
  return Number(value);
}

/**
 * Parses the flags of CONTRACT.md ("JumpCloud simulator"): --port, --api-key, --seed demo|none,
 * --users/--groups/--apps; plus --host and --seed-number. Throws with a message on bad input.
 */
export function parseCliArgs(argv: string[]): CliArgs {
  const args: CliArgs = { help: false, port: 8090, host: '127.0.0.1', apiKey: undefined, seed: 'demo' };
  let named: 'demo' | 'none' | undefined;
  const sizes: { users?: number; groups?: number; apps?: number; seed?: number } = {};
  const scim: Partial<CliScim> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '-h':
      case '--help':
        args.help = true;
        break;
      case '--port':
        args.port = integer('--port', value(), 65535);
        break;
      case '--host': {
        const host = value();
        if (!host) throw new Error('--host needs an address');
        args.host = host;
        break;
      }
      case '--api-key': {
        const key = value();
        if (!key) throw new Error('--api-key needs a value');
        args.apiKey = key;
        break;
      }
      case '--seed': {
        const seed = value();
        if (seed !== 'demo' && seed !== 'none') throw new Error('--seed must be demo or none');
        named = seed;
        break;
      }
      case '--users':
        sizes.users = integer('--users', value(), 1_000_000);
        break;
      case '--groups':
        sizes.groups = integer('--groups', value(), 100_000);
        break;
      case '--apps':
        sizes.apps = integer('--apps', value(), 10_000);
        break;
      case '--seed-number':
        sizes.seed = integer('--seed-number', value(), 0xffffffff);
        break;
      case '--scim-url':
      case '--scim-token':
      case '--scim-app':
      case '--scim-test-email': {
        const given = value();
        if (!given) throw new Error(`${flag} needs a value`);
        const key = ({ '--scim-url': 'baseUrl', '--scim-token': 'token', '--scim-app': 'app', '--scim-test-email': 'testUserEmail' } as const)[flag];
        scim[key] = given;
        break;
      }
      default:
        throw new Error(`unknown option "${arg}"`);
    }
  }
  const scaled = sizes.users !== undefined || sizes.groups !== undefined || sizes.apps !== undefined;
  if (scaled && named !== undefined) throw new Error('--seed cannot be combined with --users/--groups/--apps');
  if (scaled) {
    args.seed = { users: sizes.users ?? 1000, groups: sizes.groups ?? 20, apps: sizes.apps ?? 5, ...(sizes.seed === undefined ? {} : { seed: sizes.seed }) };
  } else if (named !== undefined) args.seed = named;
  if (Object.keys(scim).length > 0) {
    if (!scim.baseUrl || !scim.token || !scim.app) throw new Error('--scim-url, --scim-token and --scim-app go together');
    args.scim = { app: scim.app, baseUrl: scim.baseUrl, token: scim.token, testUserEmail: scim.testUserEmail ?? 'scim-test@acme.example' };
  }
  return args;
}
