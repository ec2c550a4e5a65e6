import { attr, type AttributeDef } from './attribute.js';

/** Attributes common to every resource, RFC 7643 §3.1. They are not part of any schema's attribute list. */
export const commonAttributes: AttributeDef[] = [
  attr('id', 'string', { caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server', description: 'Unique identifier assigned by the service provider.' }),
  attr('externalId', 'string', { caseExact: true, description: 'An identifier for the resource as defined by the provisioning client.' }),
  attr('meta', 'complex', {
    mutability: 'readOnly',
    description: 'Resource metadata.',
    subAttributes: [
      attr('resourceType', 'string', { caseExact: true, mutability: 'readOnly' }),
      attr('created', 'dateTime', { mutability: 'readOnly' }),
      attr('lastModified', 'dateTime', { mutability: 'readOnly' }),
      attr('location', 'reference', { caseExact: true, mutability: 'readOnly', referenceTypes: ['uri'] }),
      attr('version', 'string', { caseExact: true, mutability: 'readOnly' }),
    ],
  }),
];
