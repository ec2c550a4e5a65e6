import { DomainError, notFound } from './errors.js';
import { newId } from './ids.js';
import { generateSecret, hashSecret } from './secrets.js';
import type { Page } from './types.js';
import type { SetupLinkRecord } from '../store/repositories/setup-links.js';
import type { Store } from '../store/store.js';

/** The prefix of setup-link tokens (admin key: gha_, directory tokens: ghd_). */
export const SETUP_TOKEN_PREFIX = 'ghs_';

/** At most 30 days: a setup link is for one setup session, not a standing credential. */
export const MAX_SETUP_LINK_HOURS = 720;

export type SetupLink = SetupLinkRecord;

/** What a valid setup token grants: one organization, until `expiresAt`. */
export interface SetupGrant {
  linkId: string;
  organizationId: string;
  expiresAt: string;
}

/**
 * Self-serve setup links (as WorkOS and Scalekit offer): a customer's IT admin opens the portal restricted
 * to one organization's SCIM and SSO setup. The token is 256 random bits, shown once, stored hashed; it
 * stops at `expiresAt`, on revocation, and with its organization.
 */
export class SetupLinks {
  constructor(private readonly store: Store) {}

  async create(organizationId: string, expiresInHours: number, now = new Date()): Promise<{ link: SetupLink; token: string }> {
    if (!Number.isFinite(expiresInHours) || expiresInHours <= 0 || expiresInHours > MAX_SETUP_LINK_HOURS) {
      throw new DomainError('invalid', `expiresInHours must be more than 0 and at most ${MAX_SETUP_LINK_HOURS}`);
    }
    if (!(await this.store.organizations.get(organizationId))) throw notFound('organization');
    const token = generateSecret(SETUP_TOKEN_PREFIX);
    const link: SetupLink = {
      id: newId('stl'),
      organizationId,
      expiresAt: new Date(now.getTime() + Math.round(expiresInHours * 3_600_000)).toISOString(),
      revokedAt: null,
      createdAt: now.toISOString(),
    };
    await this.store.setupLinks.insert(link, hashSecret(token));
    return { link, token };
  }

  /** The grant of a presented token, or undefined when it is unknown, expired or revoked. */
  async authenticate(token: string, now = new Date()): Promise<SetupGrant | undefined> {
    if (!token.startsWith(SETUP_TOKEN_PREFIX) || token.length > 200) return undefined;
    // looked up by its SHA-256: an index probe on a hash reveals nothing usable about other tokens' values
    const link = await this.store.setupLinks.byTokenHash(hashSecret(token));
    if (!link || link.revokedAt !== null || link.expiresAt <= now.toISOString()) return undefined;
    return { linkId: link.id, organizationId: link.organizationId, expiresAt: link.expiresAt };
  }

  async list(organizationId: string, limit: number, cursor?: string): Promise<Page<SetupLink>> {
    if (!(await this.store.organizations.get(organizationId))) throw notFound('organization');
    const page = await this.store.setupLinks.list(organizationId, limit, cursor);
    if (!page) throw new DomainError('invalid', 'cursor is not valid');
    return { data: page.rows, next: page.next };
  }

  async revoke(id: string, now = new Date()): Promise<void> {
    if (!(await this.store.setupLinks.revoke(id, now.toISOString()))) throw notFound('setup link');
  }
}
