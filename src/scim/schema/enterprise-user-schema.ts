import { attr, type SchemaDef } from './attribute.js';
import { URN } from './urns.js';

/** The Enterprise User extension, RFC 7643 §4.3. */
export const enterpriseUserSchema: SchemaDef = {
  id: URN.enterpriseUser,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    attr('employeeNumber', 'string', { description: 'A string identifier, typically numeric or alphanumeric, assigned to a person.' }),
    attr('costCenter', 'string', { description: 'Identifies the name of a cost center.' }),
    attr('organization', 'string', { description: 'Identifies the name of an organization.' }),
    attr('division', 'string', { description: 'Identifies the name of a division.' }),
    attr('department', 'string', { description: 'Identifies the name of a department.' }),
    attr('manager', 'complex', {
      description: "The User's manager.",
      subAttributes: [
        attr('value', 'string', { description: 'The id of the SCIM resource representing the manager.' }),
        attr('$ref', 'reference', { referenceTypes: ['User'], description: 'The URI of the manager resource.' }),
        attr('displayName', 'string', { mutability: 'readOnly', description: 'The displayName of the manager.' }),
      ],
    }),
  ],
};
