import type { FastifyInstance } from 'fastify';
import { closeConnectorsOf, connectorsOf, type ScimConnectors } from './connector/connectors.js';
import { DEFAULT_CONSOLE_OPTIONS, type ConsoleOptions } from './console/context.js';
import { SelectionCache } from './console/selection-cache.js';
import { FaultInjector } from './faults/fault-injector.js';
import type { IdpOptions } from './idp/idp-options.js';
import { registerIdp } from './idp/register-idp.js';
import { SamlIdp } from './idp/saml-idp.js';
import { applySeed, type SeedSpec } from './seed/seed.js';
import { buildServer } from './server.js';
import { Cloud, generateApiKey, type ApiKey, type OrganizationInput } from './tenant/cloud.js';
import type { Tenant } from './tenant/tenant.js';

/** How to start a simulator. */
export interface SimulatorOptions {
  /** default 0: any free port (the CLI defaults to 8090) */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** the primary organization's single-tenant API key; default: 40 random hex digits */
  apiKey?: string;
  /** default "demo" */
  seed?: SeedSpec;
  /**
   * the primary organization: `_id` (default generated), `displayName` (default "Acme Corp" with the demo
   * seed, else null as recorded), `logoUrl`, `created`
   */
  organization?: Pick<OrganizationInput, '_id' | 'displayName' | 'logoUrl' | 'created'>;
  /** where ssoUrl points: `{ssoBaseUrl}/saml2/<slug>`; default the console URL (the simulator's IdP) */
  ssoBaseUrl?: string;
  /** console behaviours where the evidence is missing (error body style, limit above 100, MTP header rule) */
  console?: Partial<ConsoleOptions>;
  /** log requests with pino; default false */
  logger?: boolean;
  /** the SAML IdP's behaviours where JumpCloud's are unconfirmed (idp/idp-options.ts; defaults there) */
  idp?: Partial<IdpOptions>;
  /** registered on the server before it listens (the SAML IdP and SCIM connector plug in here) */
  extensions?: SimulatorExtension[];
}

/** Adds routes or listeners to a simulator before it listens. */
export type SimulatorExtension = (app: FastifyInstance, sim: Simulator) => void | Promise<void>;

/** A running simulator. */
export interface Simulator {
  /** e.g. "http://127.0.0.1:8090" — the console API is at `${consoleUrl}/api`, the control API at `${consoleUrl}/sim` */
  consoleUrl: string;
  /** the primary organization's single-tenant key */
  apiKey: string;
  /** the primary organization's id */
  orgId: string;
  /** the primary organization's tenant (mutate it, subscribe to its events) */
  tenant: Tenant;
  /** every organization and API key */
  cloud: Cloud;
  /** fault injection and request counters of the console API */
  faults: FaultInjector;
  /** console behaviours in effect (changeable while running) */
  consoleOptions: ConsoleOptions;
  /** the Fastify instance */
  app: FastifyInstance;
  /** replaces an organization's content (default: the primary one) */
  seed(spec: SeedSpec, orgId?: string): void;
  /** adds another organization (for multi-tenant keys), optionally seeded */
  addOrganization(input?: OrganizationInput & { seed?: SeedSpec }): Tenant;
  /** registers an API key for organizations; several → a multi-tenant (MTP) key by default */
  addApiKey(input: { orgIds: string[]; multiTenant?: boolean; key?: string }): ApiKey;
  /** the primary organization's Identity Management (SCIM) connectors, one per app (connector/connectors.ts) */
  connectors: ScimConnectors;
  /** the SAML 2.0 IdP at `{ssoBaseUrl}/saml2/<slug>` (idp/saml-idp.ts; control routes at /sim/saml) */
  idp: SamlIdp;
  /** stops listening and closes connections */
  stop(): Promise<void>;
}

/**
 * Starts an offline JumpCloud tenant: the console API on loopback, seeded, with fault injection and a
 * control API. Usable from tests:
 *
 *     const sim = await startSimulator({ seed: 'demo' });
 *     await fetch(`${sim.consoleUrl}/api/systemusers`, { headers: { 'x-api-key': sim.apiKey } });
 *     sim.tenant.on('member.added', (e) => …);
 *     await sim.stop();
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const seed = options.seed ?? 'demo';
  const cloud = new Cloud();
  const org = options.organization ?? {};
  const tenant = cloud.createOrganization({ ...org, displayName: org.displayName !== undefined ? org.displayName : seed === 'demo' ? 'Acme Corp' : null });
  const apiKey = options.apiKey ?? generateApiKey();
  cloud.addApiKey({ key: apiKey, orgIds: [tenant.orgId], multiTenant: false });
  const faults = new FaultInjector();
  const consoleOptions: ConsoleOptions = { ...DEFAULT_CONSOLE_OPTIONS, ...options.console };
  let consoleUrl = '';
  const seedOrg = (spec: SeedSpec, orgId: string = tenant.orgId): void => applySeed(cloud.tenant(orgId), spec);
  seedOrg(seed);

  const app = await buildServer(
    { cloud, faults, cache: new SelectionCache(), options: consoleOptions, ssoBaseUrl: () => options.ssoBaseUrl ?? consoleUrl },
    { cloud, faults, primaryOrgId: tenant.orgId, info: () => ({ consoleUrl, apiKey, orgId: tenant.orgId }), seed: seedOrg },
    { logger: options.logger ?? false },
  );

  const idp = new SamlIdp({ cloud, primaryOrgId: tenant.orgId, ssoBaseUrl: () => options.ssoBaseUrl ?? consoleUrl, consoleUrl: () => consoleUrl }, options.idp);
  await registerIdp(app, idp, cloud);

  const sim: Simulator = {
    get consoleUrl() {
      return consoleUrl;
    },
    apiKey,
    orgId: tenant.orgId,
    tenant,
    cloud,
    faults,
    consoleOptions,
    app,
    seed: seedOrg,
    addOrganization(input = {}) {
      const { seed: orgSeed, ...org } = input;
      const created = cloud.createOrganization(org);
      if (orgSeed !== undefined) applySeed(created, orgSeed);
      return created;
    },
    addApiKey: (input) => cloud.addApiKey(input),
    connectors: connectorsOf(tenant),
    idp,
    stop: async () => {
      for (const t of cloud.tenants.values()) closeConnectorsOf(t);
      await app.close();
    },
  };
  for (const extension of options.extensions ?? []) await extension(app, sim);

  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  consoleUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return sim;
}
