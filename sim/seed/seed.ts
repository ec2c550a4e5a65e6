import type { Tenant } from '../tenant/tenant.js';
import { seedDemo } from './demo.js';
import { seedScale, type ScaleSeed } from './scale.js';

/** What to load into a tenant: the demo, nothing, or a generated tenant of a given size. */
export type SeedSpec = 'demo' | 'none' | ScaleSeed;

/** Replaces the tenant's content with the seed (one `tenant.seeded` event). */
export function applySeed(tenant: Tenant, seed: SeedSpec): void {
  if (seed === 'demo') seedDemo(tenant);
  else if (seed === 'none') tenant.reseed('none', () => undefined);
  else seedScale(tenant, seed);
}

/** Reads a seed from JSON-ish input (the control API and the CLI); throws on anything else. */
export function parseSeed(value: unknown): SeedSpec {
  if (value === 'demo' || value === 'none') return value;
  if (value && typeof value === 'object') {
    const { users, groups, apps, seed } = value as Record<string, unknown>;
    const count = (v: unknown, what: string, max: number): number => {
      const n = v === undefined ? 0 : Number(v);
      if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`${what} must be an integer from 0 to ${max}`);
      return n;
    };
    return {
      users: count(users, 'users', 1_000_000),
      groups: count(groups, 'groups', 100_000),
      apps: count(apps, 'apps', 10_000),
      ...(seed === undefined ? {} : { seed: count(seed, 'seed', 0xffffffff) }),
    };
  }
  throw new Error('seed must be "demo", "none" or {"users":N,"groups":M,"apps":K}');
}
