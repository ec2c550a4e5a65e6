import type { FastifyInstance } from 'fastify';
import type { AdminKey } from '../core/admin-key.js';
import type { Gatehouse } from '../gatehouse.js';
import { authenticateAdmin } from './auth.js';
import { directoryResourceRoutes } from './directory-resource-routes.js';
import { directoryRoutes } from './directory-routes.js';
import { eventRoutes } from './event-routes.js';
import { organizationRoutes } from './organization-routes.js';
import { webhookRoutes } from './webhook-routes.js';
import { roleMappingRoutes } from './role-mapping-routes.js';
import { jumpcloudRoutes } from './jumpcloud-routes.js';
import { ssoConnectionRoutes } from './sso-connection-routes.js';
import { ssoCertificateRoutes } from './sso-certificate-routes.js';
import { setupLinkRoutes } from './setup-link-routes.js';
import { enforceSetupScope, gateSetupRoutes } from './setup-scope.js';

/** The admin REST API under /api, behind the admin key. */
export function adminApi(gatehouse: Gatehouse, adminKey: AdminKey) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    // the admin key, or a setup link's token kept inside its organization (setup-scope.ts)
    app.addHook('onRequest', authenticateAdmin(adminKey, gatehouse.setupLinks));
    app.addHook('onRequest', gateSetupRoutes());
    app.addHook('preHandler', enforceSetupScope(gatehouse));
    organizationRoutes(app, gatehouse);
    directoryRoutes(app, gatehouse);
    directoryResourceRoutes(app, gatehouse);
    eventRoutes(app, gatehouse);
    webhookRoutes(app, gatehouse);
    roleMappingRoutes(app, gatehouse);
    jumpcloudRoutes(app, gatehouse);
    ssoConnectionRoutes(app, gatehouse);
    ssoCertificateRoutes(app, gatehouse);
    setupLinkRoutes(app, gatehouse);
  };
}
