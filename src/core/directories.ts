import { DomainError, notFound } from './errors.js';
import { directoryEvent } from './events.js';
import { newId } from './ids.js';
import { generateSecret, hashSecret, secretMatches } from './secrets.js';
import { TokenCache } from './token-cache.js';
import { PROVIDERS, type Directory, type Page, type Provider } from './types.js';
import { effectiveSettings, mergeSettings, type DirectorySettings } from '../scim/dialects/index.js';
import type { Store } from '../store/store.js';

const TOKEN_PREFIX = 'ghd_';
const DEFAULT_NAMES: Record<Provider, string> = {
  jumpcloud: 'JumpCloud',
  okta: 'Okta',
  entra: 'Microsoft Entra ID',
  generic: 'SCIM directory',
};

export interface DirectoryWithToken {
  directory: Directory;
  /** the bearer token: returned once, stored only as a hash */
  token: string;
}

export interface DirectoryStats {
  userCount: number;
  activeUserCount: number;
  groupCount: number;
  /** soft-deleted users (SCIM DELETE), not counted in userCount */
  deletedUserCount: number;
}

/** SCIM directories of an organization, and their bearer tokens. */
export class Directories {
  /** hash of a valid token → its directory and stored hash (see TokenCache for the multi-node bound) */
  private readonly tokens = new TokenCache<{ directory: Directory; tokenHash: string }>(2_000);

  constructor(private readonly store: Store) {}

  async create(organizationId: string, provider: string, name?: string): Promise<DirectoryWithToken> {
    if (!(PROVIDERS as readonly string[]).includes(provider)) {
      throw new DomainError('invalid', `provider must be one of ${PROVIDERS.join(', ')}`);
    }
    const trimmed = name?.trim();
    if (name !== undefined && (trimmed === '' || trimmed!.length > 200)) throw new DomainError('invalid', 'name must be 1 to 200 characters');
    const org = await this.store.organizations.get(organizationId);
    if (!org) throw notFound('organization');
    const at = new Date().toISOString();
    const token = generateSecret(TOKEN_PREFIX);
    const directory: Directory = {
      id: newId('dir'),
      organizationId,
      provider: provider as Provider,
      name: trimmed ?? DEFAULT_NAMES[provider as Provider],
      state: 'active',
      tokenHint: token.slice(-4),
      tokenCreatedAt: at,
      createdAt: at,
      updatedAt: at,
      settings: null,
    };
    await this.store.transaction(async (tx) => {
      await tx.directories.insert(directory, hashSecret(token));
      await tx.events.append([directoryEvent(directory, 'directory.created', { ...directory }, at)]);
    });
    return { directory, token };
  }

  async get(id: string): Promise<Directory> {
    const dir = await this.store.directories.get(id);
    if (!dir) throw notFound('directory');
    return dir;
  }

  async stats(id: string): Promise<DirectoryStats> {
    const c = await this.store.directories.counts(id);
    return { userCount: c.users, activeUserCount: c.activeUsers, groupCount: c.groups, deletedUserCount: c.deletedUsers };
  }

  async list(organizationId: string, limit: number, cursor?: string): Promise<Page<Directory>> {
    if (!(await this.store.organizations.get(organizationId))) throw notFound('organization');
    const page = await this.store.directories.listByOrganization(organizationId, limit, cursor);
    if (!page) throw new DomainError('invalid', 'cursor is not valid');
    return { data: page.rows, next: page.next };
  }

  /** Issues a new token; the previous one stops working at once. */
  async rotateToken(id: string): Promise<DirectoryWithToken> {
    const directory = await this.get(id);
    const at = new Date().toISOString();
    const token = generateSecret(TOKEN_PREFIX);
    const updated = { ...directory, tokenHint: token.slice(-4), tokenCreatedAt: at, updatedAt: at };
    this.tokens.evictWhere((entry) => entry.directory.id === id);
    await this.store.transaction(async (tx) => {
      await tx.directories.setToken(id, hashSecret(token), updated.tokenHint, at);
      await tx.events.append([directoryEvent(updated, 'directory.token_rotated', { id, tokenHint: updated.tokenHint }, at)]);
    });
    // again after commit: a lookup during the transaction may have cached the old token
    this.tokens.evictWhere((entry) => entry.directory.id === id);
    return { directory: updated, token };
  }

  /** The directory's effective settings: its provider dialect's defaults with its overrides on top. */
  settingsOf(directory: Directory): DirectorySettings {
    return effectiveSettings(directory.provider, directory.settings);
  }

  /**
   * Changes settings (`change` as in `mergeSettings`: given keys replace, null resets to the default) and
   * writes `directory.updated` with the previous effective settings. Takes effect for the next SCIM request.
   */
  async updateSettings(id: string, change: unknown): Promise<Directory> {
    const directory = await this.get(id);
    const overrides = mergeSettings(directory.settings, change);
    const at = new Date().toISOString();
    const updated: Directory = { ...directory, settings: Object.keys(overrides).length > 0 ? overrides : null, updatedAt: at };
    const before = this.settingsOf(directory);
    const after = this.settingsOf(updated);
    await this.store.transaction(async (tx) => {
      await tx.directories.setSettings(id, updated.settings, at);
      await tx.events.append([directoryEvent(updated, 'directory.updated', { id, provider: updated.provider, name: updated.name, settings: after }, at, { settings: before })]);
    });
    // the token cache holds the directory (with its settings): the next request reads the new ones
    this.tokens.evictWhere((entry) => entry.directory.id === id);
    return updated;
  }

  async delete(id: string): Promise<void> {
    this.tokens.evictWhere((entry) => entry.directory.id === id);
    if (!(await this.store.directories.delete(id))) throw notFound('directory');
  }

  /**
   * The directory a bearer token belongs to, if the token is valid for `directoryId`. The lookup is by
   * hash (indexed); the final comparison is constant-time.
   */
  async authenticate(directoryId: string, token: string): Promise<Directory | undefined> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 128) return undefined;
    const hash = hashSecret(token);
    let found = this.tokens.get(hash);
    if (!found) {
      found = await this.store.directories.getByTokenHash(hash);
      if (found) this.tokens.set(hash, found);
    }
    if (!found || found.directory.id !== directoryId || !secretMatches(token, found.tokenHash)) return undefined;
    return found.directory;
  }
}
