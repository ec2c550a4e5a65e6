import type { Tenant } from '../tenant/tenant.js';

/**
 * Runs `load` with the tenant's clock replaced by one that starts at `start` and moves `stepMs` forward at
 * every reading, so seeded ids and timestamps are the same on every run; the real clock comes back after.
 */
export function withVirtualClock(tenant: Tenant, start: string, stepMs: number, load: () => void): void {
  const real = tenant.clock;
  let t = Date.parse(start);
  tenant.clock = () => new Date((t += stepMs));
  try {
    load();
  } finally {
    tenant.clock = real;
  }
}
