import type { Tenant } from '../tenant/tenant.js';
import type { Application, SystemUser } from '../tenant/types.js';
import type { IdpOptions } from './idp-options.js';
import type { SamlAttribute } from './response-builder.js';

/** What the assertion says about the user: the NameID and the attribute statement. */
export interface AssertionClaims {
  nameId: string;
  nameIdFormat: string;
  attributes: SamlAttribute[];
}

/**
 * The value of a JumpCloud user attribute name as used in SAML attribute mapping ("email", "firstname",
 * "lastname", "username", "displayname", "department", "jobTitle", "employeeIdentifier", …): the system
 * user field of that name, matched without regard to case; else a custom attribute (`attributes[]`) of that
 * name; else null. Objects and arrays are not mapped (null).
 */
export function userAttributeValue(user: SystemUser, jumpCloudName: string): string | null {
  const wanted = jumpCloudName.toLowerCase();
  for (const [key, value] of Object.entries(user)) {
    if (key.toLowerCase() !== wanted || key === 'password') continue;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return null;
  }
  const custom = user.attributes.find((a) => a.name.toLowerCase() === wanted);
  return custom ? custom.value : null;
}

/** The names of the user's groups the group attribute lists (see IdpOptions.groupAttributeScope), in membership order. */
export function groupNames(tenant: Tenant, app: Application, user: SystemUser, scope: IdpOptions['groupAttributeScope']): string[] {
  const bound = scope === 'bound' ? tenant.appBindings(app._id).groups : null;
  const names: string[] = [];
  for (const groupId of tenant.groupsOfUser(user._id)) {
    if (bound && !bound.has(groupId)) continue;
    const group = tenant.groups.get(groupId);
    if (group) names.push(group.name);
  }
  return names;
}

/**
 * The NameID (the user field `saml.nameIdField`, email by default or when the field is empty, in
 * `saml.nameIdFormat`) and the
 * attributes of an app's assertion, in this order: the user attribute mapping (`saml.userAttributes`, SP
 * name → JumpCloud field; empty values omitted unless `emptyAttributes: 'empty'`), the constant attributes,
 * then, when "Include group attribute" is on (`saml.groupAttributeName`), one multi-valued attribute with
 * one value per group name (left out when the user has no groups). Several mappings with the same SP name
 * become one attribute with several values.
 */
export function claimsFor(tenant: Tenant, app: Application, user: SystemUser, options: Pick<IdpOptions, 'groupAttributeScope' | 'emptyAttributes'>): AssertionClaims {
  const byName = new Map<string, string[]>();
  const add = (name: string, value: string | null): void => {
    if (name === '') return;
    if (value === null || value === '') {
      if (options.emptyAttributes === 'omit') return;
      value = '';
    }
    const values = byName.get(name);
    if (values) values.push(value);
    else byName.set(name, [value]);
  };
  for (const mapping of app.saml.userAttributes) add(mapping.name, userAttributeValue(user, mapping.value));
  for (const constant of app.saml.constantAttributes) add(constant.name, constant.value);
  const groupAttribute = app.saml.groupAttributeName;
  if (groupAttribute) for (const name of groupNames(tenant, app, user, options.groupAttributeScope)) add(groupAttribute, name);
  return {
    nameId: userAttributeValue(user, app.saml.nameIdField) || user.email,
    nameIdFormat: app.saml.nameIdFormat,
    attributes: [...byName].map(([name, values]) => ({ name, values })),
  };
}
