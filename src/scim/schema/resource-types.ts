import type { AttributeDef, ResourceTypeDef, SchemaDef } from './attribute.js';
import { commonAttributes } from './common-attributes.js';
import { enterpriseUserSchema } from './enterprise-user-schema.js';
import { groupSchema } from './group-schema.js';
import { userSchema } from './user-schema.js';
import { URN } from './urns.js';

export const userResourceType: ResourceTypeDef = {
  id: 'User',
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: URN.user,
  schemaExtensions: [{ schema: URN.enterpriseUser, required: false }],
};

export const groupResourceType: ResourceTypeDef = {
  id: 'Group',
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: URN.group,
  schemaExtensions: [],
};

export const resourceTypes: ResourceTypeDef[] = [userResourceType, groupResourceType];
export const schemas: SchemaDef[] = [userSchema, groupSchema, enterpriseUserSchema];

export function schemaById(id: string): SchemaDef | undefined {
  const wanted = id.toLowerCase();
  return schemas.find((s) => s.id.toLowerCase() === wanted);
}

/**
 * Everything needed to resolve an attribute path of one resource type: the core attributes (including the
 * common ones: id, externalId, meta) and each extension schema with its attributes.
 */
export interface ResourceSchema {
  type: ResourceTypeDef;
  core: SchemaDef;
  coreAttributes: AttributeDef[];
  extensions: SchemaDef[];
}

function resourceSchema(type: ResourceTypeDef): ResourceSchema {
  const core = schemaById(type.schema);
  if (!core) throw new Error(`unknown schema ${type.schema}`);
  const extensions = type.schemaExtensions.map((e) => {
    const s = schemaById(e.schema);
    if (!s) throw new Error(`unknown schema ${e.schema}`);
    return s;
  });
  return { type, core, coreAttributes: [...commonAttributes, ...core.attributes], extensions };
}

export const userResource: ResourceSchema = resourceSchema(userResourceType);
export const groupResource: ResourceSchema = resourceSchema(groupResourceType);
