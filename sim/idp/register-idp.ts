import type { FastifyInstance } from 'fastify';
import type { Cloud } from '../tenant/cloud.js';
import { idpControlRoutes } from './idp-control-routes.js';
import { idpRoutes } from './idp-routes.js';
import type { SamlIdp } from './saml-idp.js';

/**
 * Registers the IdP on the simulator's server before it listens: the SSO, login and metadata routes
 * (idp-routes.ts) and the control routes under /sim/saml (idp-control-routes.ts).
 */
export async function registerIdp(app: FastifyInstance, idp: SamlIdp, cloud: Cloud): Promise<void> {
  await app.register(idpRoutes(idp, cloud));
  await app.register(idpControlRoutes(idp), { prefix: '/sim/saml' });
}
