/**
 * JumpCloud's SCIM request bodies, verbatim from ../shared/notes/jumpcloud-wire.md §A.3–A.4 (sanitized real
 * samples of ShiftControl-io/scim-v2-rust, and the PATCH/member forms of Paul-E/scim-v2-rust), for tests.
 */
export const jumpcloudCreateUser = {
  active: true,
  addresses: [{ country: 'US', locality: 'locality', postalCode: '80027', primary: true, region: 'region', streetAddress: 'street-address', type: 'work' }],
  displayName: 'displayname',
  emails: [{ primary: true, type: 'work', value: 'testuser@example.io' }],
  externalId: '66e2d689590450d073d2df3b',
  locale: 'en-US',
  name: { familyName: 'lastname', givenName: 'firstname' },
  phoneNumbers: [{ primary: true, type: 'work', value: 'tel:+1-555-555-5555' }],
  preferredLanguage: 'en-US',
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
  userName: 'testuser@example.io',
};
export const jumpcloudPutUserFull = {
  active: true,
  addresses: [],
  displayName: 'John Doe',
  emails: [{ primary: true, type: 'work', value: 'john.doe@example.io' }],
  externalId: '664447f5c0c418f2d05e5318',
  id: 'd500eedc-4dbc-494e-978a-56da891f179a',
  locale: 'en-US',
  name: { familyName: 'Doe', givenName: 'John' },
  phoneNumbers: [],
  photos: [{ value: 'https://img.example.com/2a27d237-db8c-4f82-84fb-5824dfaedc87.png' }],
  preferredLanguage: 'en-US',
  schemas: ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', 'urn:ietf:params:scim:schemas:core:2.0:User'],
  title: 'Captain',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'C-Suite' },
  userName: 'john.doe@example.com',
};
export const jumpcloudPutUserMinimal = {
  active: true,
  emails: null,
  id: '5107a4e4-0b11-4e77-8dcf-c8c6978d40ac',
  name: { familyName: 'lastname', givenName: 'firstname' },
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: 'testuser@example.io',
};
export const jumpcloudPatchUser = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [
    { op: 'replace', path: 'name.givenName', value: 'John' },
    { op: 'replace', path: 'name.familyName', value: 'Doe' },
    { op: 'replace', path: 'active', value: false },
  ],
};
// §A.4, VERBATIM but for the member id, which must be one of our user ids
export const jumpcloudAddMember = (id: string) => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [{ op: 'add', path: 'members', value: [{ value: id }] }],
});
export const jumpcloudRemoveMember = (id: string) => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [{ op: 'remove', path: 'members', value: [{ value: id }] }],
});
