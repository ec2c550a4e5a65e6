import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { Gatehouse } from '../gatehouse.js';
import type { JumpCloudRun } from '../jumpcloud/jumpcloud-service.js';
import type { PullProgress } from '../jumpcloud/pull-runner.js';
import { openDatabase } from '../store/database.js';
import { Store } from '../store/store.js';

const USAGE = `Usage: gatehouse jumpcloud pull --api-key KEY [--org-id ID] [--base-url us|eu|in|URL]
                               [--concurrency N] [--budget N] [--database URL] [--json]

Pulls a JumpCloud organization (users and their emails, groups, memberships, admins, roles, SSO
applications and who can reach them) with a read-only admin API key, evaluates the findings, and prints
a summary table (--json: the run as JSON). Progress bars go to stderr when it is a terminal.
The inventory is kept in memory unless --database names a Gatehouse database (then it is stored there
under a new organization). The key can also come from JUMPCLOUD_API_KEY.
`;

interface PullArgs {
  apiKey: string;
  orgId: string | undefined;
  baseUrl: string | undefined;
  concurrency: number | undefined;
  budget: number | undefined;
  database: string;
  json: boolean;
}

function parse(args: string[]): PullArgs | string {
  const out: PullArgs = { apiKey: process.env.JUMPCLOUD_API_KEY ?? '', orgId: undefined, baseUrl: undefined, concurrency: undefined, budget: undefined, database: 'sqlite::memory:', json: false };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    if (flag === '--json') {
      out.json = true;
      continue;
    }
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) return `${flag} needs a value`;
    i++;
    switch (flag) {
      case '--api-key':
        out.apiKey = value;
        break;
      case '--org-id':
        out.orgId = value;
        break;
      case '--base-url':
        out.baseUrl = value;
        break;
      case '--database':
        out.database = value;
        break;
      case '--concurrency':
      case '--budget': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1) return `${flag} must be a whole number ≥ 1`;
        if (flag === '--concurrency') out.concurrency = n;
        else out.budget = n;
        break;
      }
      default:
        return `unknown option "${flag}"`;
    }
  }
  if (out.apiKey.trim() === '') return '--api-key (or JUMPCLOUD_API_KEY) is required';
  return out;
}

function bar(done: number, total: number, width = 24): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(done).padStart(7)}/${String(total).padEnd(7)}`;
}

function progressLines(p: PullProgress): string[] {
  const lines = Object.entries(p.kinds).map(([kind, k]) => `  ${kind.padEnd(13)} ${bar(k.done, k.total)}`);
  lines.push(`  ${'graph'.padEnd(13)} ${bar(p.graph.done, p.graph.total)}`);
  lines.push(`  ${'pages'.padEnd(13)} ${bar(p.pages.done, p.pages.total)} requests ${p.requests}, retries ${p.retries}`);
  return lines;
}

/** A two-column table. */
function table(rows: [string, string | number][]): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
}

function summary(run: JumpCloudRun, seconds: number, findings: { severity: string; type: string }[]): string {
  const c = run.counts;
  const rows: [string, string | number][] = [
    ['state', run.state],
    ['users', c.users ?? 0],
    ['groups', c.groups ?? 0],
    ['memberships (direct / effective)', `${c.memberships ?? 0} / ${c.effectiveMemberships ?? 0}`],
    ['admins', c.admins ?? 0],
    ['roles', c.roles ?? 0],
    ['applications', c.applications ?? 0],
    ['app bindings (groups / users)', `${c.appGroupBindings ?? 0} / ${c.appUserBindings ?? 0}`],
    ['app access (users / groups)', `${c.appAccessUsers ?? 0} / ${c.appAccessGroups ?? 0}`],
    ['skipped LDAP / RADIUS servers', `${c.skipped?.ldapServers ?? '?'} / ${c.skipped?.radiusServers ?? '?'}`],
    ['requests (retries)', `${c.requests ?? run.progress.requests} (${c.retries ?? run.progress.retries})`],
    ['time', `${seconds.toFixed(1)} s`],
  ];
  const bySeverity = new Map<string, number>();
  for (const f of findings) bySeverity.set(f.severity, (bySeverity.get(f.severity) ?? 0) + 1);
  rows.push(['open findings', findings.length === 0 ? 0 : ['critical', 'high', 'medium', 'low'].filter((s) => bySeverity.has(s)).map((s) => `${bySeverity.get(s)} ${s}`).join(', ')]);
  const byType = new Map<string, number>();
  for (const f of findings) byType.set(f.type, (byType.get(f.type) ?? 0) + 1);
  for (const [type, n] of byType) rows.push([`  ${type}`, n]);
  if (run.error) rows.push(['error', `${run.error.code}: ${run.error.message}`]);
  return `${table(rows)}\n`;
}

/** `gatehouse jumpcloud pull …`: one pull, with progress bars and a summary (or JSON). */
export async function jumpcloudCommand(baseConfig: Config, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'pull') {
    process.stderr.write(sub === undefined || sub === 'help' || sub === '--help' ? USAGE : `gatehouse jumpcloud: unknown command "${sub}"\n\n${USAGE}`);
    return sub === undefined || sub === 'help' || sub === '--help' ? 0 : 2;
  }
  const parsed = parse(rest);
  if (typeof parsed === 'string') {
    process.stderr.write(`gatehouse jumpcloud pull: ${parsed}\n\n${USAGE}`);
    return 2;
  }
  const config: Config = {
    ...baseConfig,
    databaseUrl: parsed.database,
    jumpcloud: {
      ...baseConfig.jumpcloud,
      ...(parsed.concurrency !== undefined ? { concurrency: parsed.concurrency } : {}),
      ...(parsed.budget !== undefined ? { requestBudget: parsed.budget } : {}),
      heartbeatMs: 250,
    },
  };
  const store = new Store(openDatabase(config.databaseUrl));
  const gatehouse = new Gatehouse(store, config, randomBytes(32));
  const tty = process.stderr.isTTY === true && !parsed.json;
  let drawn = 0;
  const draw = (p: PullProgress) => {
    if (!tty) return;
    const lines = progressLines(p);
    process.stderr.write(`${drawn > 0 ? `\x1b[${drawn}A` : ''}${lines.map((l) => `\x1b[2K${l}`).join('\n')}\n`);
    drawn = lines.length;
  };
  try {
    await store.migrate();
    const org = await gatehouse.organizations.create({ name: 'gatehouse jumpcloud pull' });
    const connection = await gatehouse.jumpcloud.create(org.id, { apiKey: parsed.apiKey, ...(parsed.baseUrl !== undefined ? { apiBaseUrl: parsed.baseUrl } : {}), ...(parsed.orgId !== undefined ? { orgId: parsed.orgId } : {}) });
    const started = Date.now();
    const { runId } = await gatehouse.jumpcloud.sync(connection.id);
    const interrupt = () => void gatehouse.jumpcloud.cancel(connection.id, runId).catch(() => {});
    process.once('SIGINT', interrupt);
    let run = await gatehouse.jumpcloud.run(connection.id, runId);
    while (run.state === 'running') {
      draw(run.progress);
      await new Promise((resolve) => setTimeout(resolve, 200));
      run = await gatehouse.jumpcloud.run(connection.id, runId);
    }
    draw(run.progress);
    process.off('SIGINT', interrupt);
    const seconds = (Date.now() - started) / 1000;
    const findings = (await gatehouse.jumpcloud.findings(connection.id, 500, undefined, { state: 'open' })).data;
    if (parsed.json) process.stdout.write(`${JSON.stringify({ run, seconds, findings }, null, 2)}\n`);
    else process.stdout.write(summary(run, seconds, findings));
    return run.state === 'succeeded' ? 0 : 1;
  } finally {
    await gatehouse.jumpcloud.stop();
    await store.close();
  }
}
