import type { Tenant } from '../tenant/tenant.js';
import { TenantError } from '../tenant/errors.js';
import { ScimConnector, type ConnectorView, type SyncReport } from './connector.js';
import type { ScimExchange } from './request-log.js';
import { resolveSettings, type ConnectorSettingsInput } from './settings.js';
import type { TestConnectionResult } from './test-connection.js';

/** What `configure` answers: the connector after its Test Connection. */
export interface ConfigureResult {
  /** true when Test Connection passed and the connector is active */
  ok: boolean;
  test: TestConnectionResult;
  connector: ConnectorView;
}

/**
 * The Identity Management connectors of one tenant, one per SSO application (`sim.connectors`). It
 * subscribes to the tenant's change events once and hands each to every connector, which pushes what
 * concerns its app.
 *
 *     const { ok } = await sim.connectors.configure(appId, { baseUrl, token, testUserEmail: 'scim-test@acme.example' });
 *     sim.tenant.bindGroup(appId, groupId);
 *     await sim.connectors.idle();                    // every push done
 *     sim.connectors.requests(appId);                 // what was sent and answered
 */
export class ScimConnectors {
  readonly #tenant: Tenant;
  readonly #connectors = new Map<string, ScimConnector>();
  readonly #unsubscribe: () => void;

  constructor(tenant: Tenant) {
    this.#tenant = tenant;
    this.#unsubscribe = tenant.on((event) => {
      for (const connector of this.#connectors.values()) connector.handle(event);
    });
  }

  /**
   * Saves the settings of an app's connector (validated, defaults filled in; TenantError 'invalid' when
   * wrong) and activates it: Test Connection runs, and on success the connector pushes from now on, starting
   * with a full sync (`idle()` waits for it). Editing an active connector re-runs the test, as JumpCloud
   * does. Resolves after the test.
   */
  async configure(appId: string, input: ConnectorSettingsInput): Promise<ConfigureResult> {
    this.#tenant.app(appId);
    const settings = resolveSettings(input);
    let connector = this.#connectors.get(appId);
    if (!connector || connector.status === 'stopped') {
      connector = new ScimConnector(this.#tenant, appId, settings);
      this.#connectors.set(appId, connector);
    } else {
      await connector.configure(settings);
    }
    const test = await connector.activate();
    return { ok: test.ok, test, connector: connector.view() };
  }

  /** The connector of an app, if one was configured. */
  get(appId: string): ScimConnector | undefined {
    return this.#connectors.get(appId);
  }

  /** The connector of an app, or TenantError 'not_found'. */
  connector(appId: string): ScimConnector {
    const connector = this.#connectors.get(appId);
    if (!connector) throw new TenantError('not_found', `application ${appId} has no Identity Management connector`);
    return connector;
  }

  /** Every connector's view. */
  list(): ConnectorView[] {
    return [...this.#connectors.values()].map((c) => c.view());
  }

  /** Re-runs Test Connection of a configured connector (status unchanged). */
  testConnection(appId: string): Promise<TestConnectionResult> {
    return this.connector(appId).testConnection();
  }

  /** Activates a configured connector again (after `deactivate`): Test Connection, then pushes. */
  async activate(appId: string): Promise<ConfigureResult> {
    const connector = this.connector(appId);
    const test = await connector.activate();
    return { ok: test.ok, test, connector: connector.view() };
  }

  /** Stops pushing for an app (settings and mappings kept; nothing is sent to the service provider). */
  deactivate(appId: string): void {
    this.connector(appId).deactivate();
  }

  /** Forgets an app's connector entirely. */
  remove(appId: string): void {
    this.connector(appId).stop();
    this.#connectors.delete(appId);
  }

  /** A full sync of an app's connector; resolves with its report. */
  sync(appId: string): Promise<SyncReport> {
    return this.connector(appId).sync();
  }

  /** The recorded exchanges of an app's connector. */
  requests(appId: string, options: { after?: number; limit?: number } = {}): ScimExchange[] {
    return this.connector(appId).requests(options);
  }

  /** Resolves when the connector of `appId` (default: every connector) has nothing queued nor running. */
  async idle(appId?: string): Promise<void> {
    if (appId !== undefined) return this.connector(appId).idle();
    // a push may cause nothing new, but loop until every queue is empty at the same time
    for (;;) {
      const connectors = [...this.#connectors.values()];
      await Promise.all(connectors.map((c) => c.idle()));
      if (connectors.every((c) => !c.busy)) return;
    }
  }

  /** Stops every connector and the subscription (the simulator is stopping). */
  close(): void {
    this.#unsubscribe();
    for (const connector of this.#connectors.values()) connector.stop();
  }
}

const registries = new WeakMap<Tenant, ScimConnectors>();

/** The connectors of a tenant (created on first use; one per tenant). */
export function connectorsOf(tenant: Tenant): ScimConnectors {
  let registry = registries.get(tenant);
  if (!registry) registries.set(tenant, (registry = new ScimConnectors(tenant)));
  return registry;
}

/** Stops the connectors of a tenant, if it has any. */
export function closeConnectorsOf(tenant: Tenant): void {
  registries.get(tenant)?.close();
  registries.delete(tenant);
}
