import type { ScimUserBody } from './user-body.js';

/** A JumpCloud user the connector has pushed (created or adopted). */
export interface PushedUser {
  /** our (the service provider's) SCIM id */
  scimId: string;
  /** the `active` value last sent (or found, when adopted) */
  active: boolean;
  /** the body last sent (the PUT form), null when adopted and not yet updated */
  body: ScimUserBody | null;
  /** 'created' by the connector, or 'adopted' (found by the lookup) */
  origin: 'created' | 'adopted';
}

/** A JumpCloud group the connector has pushed (created or taken over). */
export interface PushedGroup {
  scimId: string;
  /** the displayName last sent (or found) */
  name: string;
  /** JumpCloud user id → SCIM id of the members the connector added */
  members: Map<string, string>;
  /** false once the group was unbound from the app: syncing stopped, the mapping is kept */
  managed: boolean;
  /** 'created', or 'taken-over' (a group of that displayName already existed) */
  origin: 'created' | 'taken-over';
}

/** The mapping JumpCloud id → SCIM id of one connector, with what was last pushed. */
export class ConnectorState {
  readonly users = new Map<string, PushedUser>();
  readonly groups = new Map<string, PushedGroup>();

  /** The JumpCloud user id whose SCIM id this is, if any. */
  userByScimId(scimId: string): string | undefined {
    for (const [id, user] of this.users) if (user.scimId === scimId) return id;
    return undefined;
  }

  /** Forgets a user, and its memberships in the pushed groups. */
  forgetUser(userId: string): void {
    this.users.delete(userId);
    for (const group of this.groups.values()) group.members.delete(userId);
  }

  /** Forgets everything (the service provider changed). */
  clear(): void {
    this.users.clear();
    this.groups.clear();
  }

  /** A JSON view for the control API. */
  snapshot(): {
    users: { jumpcloudId: string; scimId: string; active: boolean; origin: string }[];
    groups: { jumpcloudId: string; scimId: string; name: string; managed: boolean; origin: string; members: { jumpcloudId: string; scimId: string }[] }[];
  } {
    return {
      users: [...this.users].map(([jumpcloudId, u]) => ({ jumpcloudId, scimId: u.scimId, active: u.active, origin: u.origin })),
      groups: [...this.groups].map(([jumpcloudId, g]) => ({
        jumpcloudId,
        scimId: g.scimId,
        name: g.name,
        managed: g.managed,
        origin: g.origin,
        members: [...g.members].map(([memberId, scimId]) => ({ jumpcloudId: memberId, scimId })),
      })),
    };
  }
}
