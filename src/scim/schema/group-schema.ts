import { attr, type SchemaDef } from './attribute.js';
import { URN } from './urns.js';

/** The core Group schema, RFC 7643 §4.2 and §8.7.1. */
export const groupSchema: SchemaDef = {
  id: URN.group,
  name: 'Group',
  description: 'Group',
  attributes: [
    attr('displayName', 'string', {
      required: true,
      uniqueness: 'server',
      description: 'A human-readable name for the Group. Unique within a directory, compared case-insensitively.',
    }),
    attr('members', 'complex', {
      multiValued: true,
      description: 'A list of members of the Group.',
      subAttributes: [
        attr('value', 'string', { mutability: 'immutable', description: 'Identifier of the member of this Group.' }),
        attr('$ref', 'reference', { mutability: 'immutable', referenceTypes: ['User', 'Group'], description: 'The URI of the member resource.' }),
        attr('display', 'string', { mutability: 'readOnly', description: 'A human-readable name of the member.' }),
        attr('type', 'string', { mutability: 'immutable', canonicalValues: ['User', 'Group'], description: 'The type of the member.' }),
      ],
    }),
  ],
};
