import { api, withQuery, type Query } from './client';
import type {
  Directory,
  DirectoryGroup,
  DirectoryUser,
  GatehouseEvent,
  Organization,
  Page,
  Provider,
  RoleMappingSet,
  SessionInfo,
  SetupLink,
  WebhookDelivery,
  WebhookEndpoint,
} from './types';

const enc = encodeURIComponent;

/** The core admin API (organizations, directories, users, groups, roles, events, webhooks, setup links). */
export const gatehouse = {
  session: (token?: string) => api<SessionInfo>('GET', '/session', undefined, token),

  organizations: (query: Query) => api<Page<Organization>>('GET', withQuery('/organizations', query)),
  organization: (orgId: string) => api<Organization>('GET', `/organizations/${enc(orgId)}`),
  createOrganization: (name: string, domains: string[]) => api<Organization>('POST', '/organizations', { name, domains }),

  directories: (orgId: string, query: Query = {}) => api<Page<Directory>>('GET', withQuery(`/organizations/${enc(orgId)}/directories`, query)),
  directory: (dirId: string) => api<Directory>('GET', `/directories/${enc(dirId)}`),
  createDirectory: (orgId: string, provider: Provider, name?: string) =>
    api<Directory>('POST', `/organizations/${enc(orgId)}/directories`, { provider, ...(name ? { name } : {}) }),
  rotateToken: (dirId: string) => api<{ endpoint: string; token: string; tokenHint?: string }>('POST', `/directories/${enc(dirId)}/token`),

  users: (dirId: string, query: Query) => api<Page<DirectoryUser>>('GET', withQuery(`/directories/${enc(dirId)}/users`, query)),
  user: (dirId: string, userId: string) => api<DirectoryUser>('GET', `/directories/${enc(dirId)}/users/${enc(userId)}`),
  groups: (dirId: string, query: Query) => api<Page<DirectoryGroup>>('GET', withQuery(`/directories/${enc(dirId)}/groups`, query)),
  group: (dirId: string, groupId: string) => api<DirectoryGroup>('GET', `/directories/${enc(dirId)}/groups/${enc(groupId)}`),
  members: (dirId: string, groupId: string, query: Query) =>
    api<Page<DirectoryUser>>('GET', withQuery(`/directories/${enc(dirId)}/groups/${enc(groupId)}/members`, query)),

  roleMappings: (orgId: string) => api<RoleMappingSet>('GET', `/organizations/${enc(orgId)}/role-mappings`),
  saveRoleMappings: (orgId: string, set: RoleMappingSet) => api<RoleMappingSet>('PUT', `/organizations/${enc(orgId)}/role-mappings`, set),

  events: (query: Query) => api<Page<GatehouseEvent>>('GET', withQuery('/events', query)),

  webhooks: (query: Query) => api<Page<WebhookEndpoint>>('GET', withQuery('/webhooks', query)),
  webhook: (id: string) => api<WebhookEndpoint>('GET', `/webhooks/${enc(id)}`),
  createWebhook: (body: { url: string; organizationId: string | null; events: string[] | null }) => api<WebhookEndpoint>('POST', '/webhooks', body),
  updateWebhook: (id: string, body: { enabled?: boolean; url?: string; events?: string[] | null }) => api<WebhookEndpoint>('PATCH', `/webhooks/${enc(id)}`, body),
  deleteWebhook: (id: string) => api<void>('DELETE', `/webhooks/${enc(id)}`),
  rotateWebhookSecret: (id: string) => api<WebhookEndpoint>('POST', `/webhooks/${enc(id)}/rotate-secret`),
  deliveries: (id: string, query: Query) => api<Page<WebhookDelivery>>('GET', withQuery(`/webhooks/${enc(id)}/deliveries`, query)),
  delivery: (id: string, deliveryId: string) => api<WebhookDelivery>('GET', `/webhooks/${enc(id)}/deliveries/${enc(deliveryId)}`),
  redeliver: (id: string, deliveryId: string) => api<WebhookDelivery>('POST', `/webhooks/${enc(id)}/deliveries/${enc(deliveryId)}/redeliver`),

  setupLinks: (orgId: string, query: Query = {}) => api<Page<SetupLink>>('GET', withQuery(`/organizations/${enc(orgId)}/setup-links`, query)),
  createSetupLink: (orgId: string, expiresInHours: number) => api<SetupLink & { url: string }>('POST', `/organizations/${enc(orgId)}/setup-links`, { expiresInHours }),
  revokeSetupLink: (id: string) => api<void>('DELETE', `/setup-links/${enc(id)}`),
};
