import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScimError, type ScimType } from '../../src/scim/errors.js';
import { attr, type SchemaDef } from '../../src/scim/schema/attribute.js';
import { groupResource, userResource, type ResourceSchema } from '../../src/scim/schema/resource-types.js';
import { URN } from '../../src/scim/schema/urns.js';
import { coerceValue } from '../../src/scim/resource/coerce.js';
import { checkImmutable, normalizeResource } from '../../src/scim/resource/normalize.js';
import { jumpcloudCreateUser, jumpcloudPutUserFull, jumpcloudPutUserMinimal } from '../support/jumpcloud-payloads.js';

const ENTERPRISE = URN.enterpriseUser;

function scimError(status: number, scimType: ScimType | undefined, detail?: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof ScimError, `expected a ScimError, got ${String(error)}`);
    assert.equal(error.status, status);
    assert.equal(error.scimType, scimType, error.message);
    if (detail) assert.match(error.message, detail);
    return true;
  };
}

const user = (extra: Record<string, unknown> = {}) => ({ schemas: [URN.user], userName: 'alice@example.com', ...extra });
const normalizeUser = (body: unknown) => normalizeResource(body, userResource, 'create').attributes;


describe('normalizeResource: JumpCloud bodies (jumpcloud-wire.md §A.3)', () => {
  it('create: every attribute kept, the listed enterprise extension kept without a container', () => {
    const { attributes, raw, members } = normalizeResource(jumpcloudCreateUser, userResource, 'create');
    const { schemas, ...rest } = jumpcloudCreateUser;
    assert.deepEqual(attributes, { ...rest, schemas: [URN.user, ENTERPRISE] });
    assert.deepEqual(raw, jumpcloudCreateUser);
    assert.equal(members, undefined);
  });

  it('full PUT with our id: id ignored, [] dropped, extension container kept, schemas in canonical order', () => {
    const { attributes, raw } = normalizeResource(jumpcloudPutUserFull, userResource, 'replace');
    assert.deepEqual(attributes, {
      schemas: [URN.user, ENTERPRISE],
      active: true,
      displayName: 'John Doe',
      emails: [{ primary: true, type: 'work', value: 'john.doe@example.io' }],
      externalId: '664447f5c0c418f2d05e5318',
      locale: 'en-US',
      name: { familyName: 'Doe', givenName: 'John' },
      photos: [{ value: 'https://img.example.com/2a27d237-db8c-4f82-84fb-5824dfaedc87.png' }],
      preferredLanguage: 'en-US',
      title: 'Captain',
      [ENTERPRISE]: { department: 'C-Suite' },
      userName: 'john.doe@example.com',
    });
    assert.equal(raw.id, 'd500eedc-4dbc-494e-978a-56da891f179a', 'raw keeps the body as received');
  });

  it('minimal PUT: "emails": null means unset', () => {
    const { attributes } = normalizeResource(jumpcloudPutUserMinimal, userResource, 'replace');
    assert.deepEqual(attributes, {
      schemas: [URN.user],
      active: true,
      name: { familyName: 'lastname', givenName: 'firstname' },
      userName: 'testuser@example.io',
    });
  });
});

describe('normalizeResource: envelope and schemas (C3, C4)', () => {
  for (const body of ['text', 42, null, [user()], undefined]) {
    it(`a non-object body (${JSON.stringify(body)}) is 400 invalidSyntax`, () => {
      assert.throws(() => normalizeResource(body, userResource, 'create'), scimError(400, 'invalidSyntax'));
    });
  }

  it('schemas missing or not an array of strings is 400 invalidSyntax', () => {
    assert.throws(() => normalizeUser({ userName: 'a' }), scimError(400, 'invalidSyntax', /schemas/));
    assert.throws(() => normalizeUser({ schemas: URN.user, userName: 'a' }), scimError(400, 'invalidSyntax'));
    assert.throws(() => normalizeUser({ schemas: [URN.user, 7], userName: 'a' }), scimError(400, 'invalidSyntax'));
  });

  it('schemas empty, without the core URN, with duplicates or unknown URNs is 400 invalidValue', () => {
    assert.throws(() => normalizeUser(user({ schemas: [] })), scimError(400, 'invalidValue', /must include/));
    assert.throws(() => normalizeUser(user({ schemas: [ENTERPRISE] })), scimError(400, 'invalidValue', /must include/));
    assert.throws(() => normalizeUser(user({ schemas: [URN.user, URN.user.toUpperCase()] })), scimError(400, 'invalidValue', /twice/));
    assert.throws(() => normalizeUser(user({ schemas: [URN.user, 'urn:example:custom:2.0:User'] })), scimError(400, 'invalidValue', /unknown schema/));
    assert.throws(() => normalizeUser(user({ schemas: [URN.group] })), scimError(400, 'invalidValue', /unknown schema/));
  });

  it('schema URNs compare case-insensitively and come out canonical', () => {
    assert.deepEqual(normalizeUser(user({ schemas: [ENTERPRISE.toLowerCase(), URN.user.toUpperCase()] })).schemas, [URN.user, ENTERPRISE]);
  });

  it('readOnly attributes (id, meta, groups) in the body are ignored', () => {
    const attributes = normalizeUser(user({ id: 'client-id', meta: { resourceType: 'User', created: '2020-01-01T00:00:00Z' }, groups: [{ value: 'g1' }] }));
    assert.deepEqual(attributes, { schemas: [URN.user], userName: 'alice@example.com' });
  });

  it('userName is required and non-empty (400 invalidValue); displayName for a Group', () => {
    for (const userName of [undefined, '', '   ', null]) {
      assert.throws(() => normalizeUser({ schemas: [URN.user], userName }), scimError(400, 'invalidValue', /userName is required/));
    }
    assert.throws(() => normalizeResource({ schemas: [URN.group] }, groupResource, 'create'), scimError(400, 'invalidValue', /displayName/));
  });

  it('a body nesting deeper than 32 levels is 400 invalidSyntax (never a stack overflow)', () => {
    const deep = JSON.parse(`{"schemas":["${URN.user}"],"userName":"a","x":${'['.repeat(100_000)}1${']'.repeat(100_000)}}`);
    assert.throws(() => normalizeUser(deep), scimError(400, 'invalidSyntax', /deeper than 32/));
    assert.doesNotThrow(() => normalizeUser(user({ x: JSON.parse(`${'['.repeat(30)}1${']'.repeat(30)}`) })));
  });

  it('an extension container inside an extension container is ignored', () => {
    assert.deepEqual(normalizeUser(user({ [ENTERPRISE]: { '': { department: 'x' }, [ENTERPRISE]: { department: 'y' }, title: 'z' } })), {
      schemas: [URN.user],
      userName: 'alice@example.com',
    });
  });

  it('the output shares nothing with the body, and raw is a deep copy', () => {
    const body = user({ name: { givenName: 'A' }, emails: [{ value: 'a@x' }] });
    const { attributes, raw } = normalizeResource(body, userResource, 'create');
    (attributes.name as Record<string, unknown>).givenName = 'changed';
    (raw.emails as Record<string, unknown>[])[0]!.value = 'changed';
    assert.deepEqual(body, user({ name: { givenName: 'A' }, emails: [{ value: 'a@x' }] }));
  });
});

describe('normalizeResource: attribute names and policies (C9, C10, C13)', () => {
  it('names are case-insensitive and come out canonical, dotted and URN-qualified keys too', () => {
    const attributes = normalizeUser({
      schemas: [URN.user],
      USERNAME: 'bob',
      NAME: { GIVENNAME: 'Bob' },
      'Name.FamilyName': 'Builder',
      Emails: [{ VALUE: 'bob@x', Type: 'work' }],
      [`${URN.user}:displayName`]: 'Bob B',
    });
    assert.deepEqual(attributes, {
      schemas: [URN.user],
      userName: 'bob',
      name: { givenName: 'Bob', familyName: 'Builder' },
      emails: [{ value: 'bob@x', type: 'work' }],
      displayName: 'Bob B',
    });
  });

  it('C9: the password is dropped from attributes and raw, whatever its case', () => {
    const { attributes, raw } = normalizeResource(user({ password: 'hunter2', PassWord: 'x' }), userResource, 'create');
    assert.equal(JSON.stringify(attributes).includes('hunter2'), false);
    assert.deepEqual(raw, user());
  });

  it('C10: unknown attributes and sub-attributes are ignored, and kept in raw', () => {
    const { attributes, raw } = normalizeResource(user({ favouriteColour: 'blue', name: { givenName: 'A', nickname2: 'x' } }), userResource, 'create');
    assert.deepEqual(attributes, { schemas: [URN.user], userName: 'alice@example.com', name: { givenName: 'A' } });
    assert.equal(raw.favouriteColour, 'blue');
  });

  it('C13: the enterprise container is keyed by the canonical URN; a container not listed in schemas is accepted and listed', () => {
    const attributes = normalizeUser(user({ [ENTERPRISE.toUpperCase()]: { EmployeeNumber: '42', manager: { value: 'boss', displayName: 'ignored (readOnly)' } } }));
    assert.deepEqual(attributes, {
      schemas: [URN.user, ENTERPRISE],
      userName: 'alice@example.com',
      [ENTERPRISE]: { employeeNumber: '42', manager: { value: 'boss' } },
    });
  });

  it('C13: URN-qualified extension attribute keys and a null container', () => {
    assert.deepEqual(normalizeUser(user({ [`${ENTERPRISE}:department`]: 'Sales', [`${ENTERPRISE}:manager.value`]: 'boss' })), {
      schemas: [URN.user, ENTERPRISE],
      userName: 'alice@example.com',
      [ENTERPRISE]: { department: 'Sales', manager: { value: 'boss' } },
    });
    assert.deepEqual(normalizeUser(user({ [ENTERPRISE]: null })), { schemas: [URN.user], userName: 'alice@example.com' });
    assert.throws(() => normalizeUser(user({ [ENTERPRISE]: 'Sales' })), scimError(400, 'invalidValue', /extension attributes/));
  });

  it('the enterprise manager given as a bare id (Entra) is read as {value}', () => {
    assert.deepEqual(normalizeUser(user({ [ENTERPRISE]: { manager: 'boss-id' } }))[ENTERPRISE], { manager: { value: 'boss-id' } });
  });

  it('C13: a required extension is enforced when the resource type requires it', () => {
    const strict: ResourceSchema = { ...userResource, type: { ...userResource.type, schemaExtensions: [{ schema: ENTERPRISE, required: true }] } };
    assert.throws(() => normalizeResource(user(), strict, 'create'), scimError(400, 'invalidValue', /extension/));
    assert.doesNotThrow(() => normalizeResource(user({ [ENTERPRISE]: { department: 'x' } }), strict, 'create'));
  });
});

describe('normalizeResource: typing (C11) and limits', () => {
  it('C11: "True"/"False" strings (any case) become booleans', () => {
    for (const [given, stored] of [['True', true], ['False', false], ['true', true], ['FALSE', false], [true, true]] as const) {
      assert.equal(normalizeUser(user({ active: given })).active, stored);
    }
    assert.deepEqual(normalizeUser(user({ emails: [{ value: 'a@x', primary: 'True' }] })).emails, [{ value: 'a@x', primary: true }]);
  });

  it('a boolean that is not a boolean is 400 invalidValue', () => {
    for (const active of ['yes', 1, 0, {}, []]) {
      assert.throws(() => normalizeUser(user({ active })), scimError(400, 'invalidValue', /active must be a boolean/));
    }
  });

  it('strings: numbers are accepted as text; objects, arrays and booleans are 400 invalidValue', () => {
    assert.deepEqual(normalizeUser(user({ [ENTERPRISE]: { employeeNumber: 1234 } }))[ENTERPRISE], { employeeNumber: '1234' });
    assert.deepEqual(normalizeUser(user({ title: 7 })).title, '7');
    assert.throws(() => normalizeUser(user({ title: { text: 'x' } })), scimError(400, 'invalidValue', /title must be a string, not an object/));
    assert.throws(() => normalizeUser(user({ name: { givenName: ['x'] } })), scimError(400, 'invalidValue', /name\.givenName must be a string, not an array/));
    assert.throws(() => normalizeUser(user({ nickName: true })), scimError(400, 'invalidValue'));
  });

  it('nesting where none is allowed is 400 invalidValue', () => {
    assert.throws(() => normalizeUser(user({ emails: [[{ value: 'a@x' }]] })), scimError(400, 'invalidValue', /emails\[0\] must be a complex value/));
    assert.throws(() => normalizeUser(user({ emails: [{ value: { nested: 'a@x' } }] })), scimError(400, 'invalidValue', /emails\[0\]\.value/));
    assert.throws(() => normalizeUser(user({ name: 'Alice' })), scimError(400, 'invalidValue', /name must be a complex value/));
  });

  it('strings over 2048 characters and more than 100 values are 400 invalidValue', () => {
    assert.doesNotThrow(() => normalizeUser(user({ title: 'x'.repeat(2048) })));
    assert.throws(() => normalizeUser(user({ title: 'x'.repeat(2049) })), scimError(400, 'invalidValue', /2049 characters/));
    const emails = (n: number) => Array.from({ length: n }, (_, i) => ({ value: `u${i}@x` }));
    assert.equal((normalizeUser(user({ emails: emails(100) })).emails as unknown[]).length, 100);
    assert.throws(() => normalizeUser(user({ emails: emails(101) })), scimError(400, 'invalidValue', /at most 100/));
  });

  it('a multi-valued attribute given one value (not an array) is read as one value', () => {
    assert.deepEqual(normalizeUser(user({ emails: { value: 'a@x', type: 'work' } })).emails, [{ value: 'a@x', type: 'work' }]);
    assert.deepEqual(normalizeUser(user({ emails: 'a@x' })).emails, [{ value: 'a@x' }]);
  });

  it('null and empty values mean unset: null sub-attributes, {}, [], [null], [{}]', () => {
    const attributes = normalizeUser(user({ name: { givenName: null, familyName: 'F' }, addresses: [], phoneNumbers: [null], ims: [{}], nickName: null, x509Certificates: {} }));
    assert.deepEqual(attributes, { schemas: [URN.user], userName: 'alice@example.com', name: { familyName: 'F' } });
    assert.deepEqual(normalizeUser(user({ name: {} })), { schemas: [URN.user], userName: 'alice@example.com' });
  });

  it('coerceValue: dateTime, integer, decimal, binary and reference', () => {
    const at = (type: Parameters<typeof attr>[1]) => attr('x', type);
    assert.equal(coerceValue('2026-11-24T10:00:00Z', at('dateTime'), 'x'), '2026-11-24T10:00:00Z');
    assert.equal(coerceValue('2026-11-24T10:00:00.123+02:00', at('dateTime'), 'x'), '2026-11-24T10:00:00.123+02:00');
    for (const bad of ['2026-11-24', 'yesterday', '2026-13-45T99:00:00Z', 20261124]) {
      assert.throws(() => coerceValue(bad, at('dateTime'), 'x'), scimError(400, 'invalidValue', /ISO 8601/));
    }
    assert.equal(coerceValue(3, at('integer'), 'x'), 3);
    assert.throws(() => coerceValue(3.5, at('integer'), 'x'), scimError(400, 'invalidValue'));
    assert.throws(() => coerceValue('3', at('integer'), 'x'), scimError(400, 'invalidValue'));
    assert.equal(coerceValue(3.5, at('decimal'), 'x'), 3.5);
    assert.equal(coerceValue('TUlJQw==', at('binary'), 'x'), 'TUlJQw==');
    assert.throws(() => coerceValue('not base64!', at('binary'), 'x'), scimError(400, 'invalidValue', /base64/));
    assert.equal(coerceValue('https://x/y', at('reference'), 'x'), 'https://x/y');
    assert.throws(() => coerceValue(5, at('reference'), 'x'), scimError(400, 'invalidValue'));
  });
});

describe('normalizeResource: multi-valued canonicalisation (C12)', () => {
  it('keeps the first primary and sets the others to false', () => {
    const emails = normalizeUser(user({ emails: [{ value: 'a@x', primary: true }, { value: 'b@x', primary: true }, { value: 'c@x' }] })).emails;
    assert.deepEqual(emails, [{ value: 'a@x', primary: true }, { value: 'b@x', primary: false }, { value: 'c@x' }]);
  });

  it('drops duplicates (same type and value, case-insensitive when caseExact is false), keeping the first', () => {
    const emails = normalizeUser(
      user({ emails: [{ value: 'a@x', type: 'work' }, { value: 'A@X', type: 'Work', display: 'dup' }, { value: 'a@x', type: 'home' }] }),
    ).emails;
    assert.deepEqual(emails, [{ value: 'a@x', type: 'work' }, { value: 'a@x', type: 'home' }]);
  });

  it('a dropped duplicate passes its primary flag to the value it collapsed into', () => {
    const emails = normalizeUser(user({ emails: [{ value: 'b@x' }, { value: 'a@x' }, { value: 'a@x', primary: true }] })).emails;
    assert.deepEqual(emails, [{ value: 'b@x' }, { value: 'a@x', primary: true }]);
  });

  it('values without a value sub-attribute (addresses) compare on all their sub-attributes', () => {
    const addresses = normalizeUser(
      user({ addresses: [{ locality: 'Paris', type: 'work' }, { locality: 'paris', type: 'work', primary: true }, { locality: 'Lyon', type: 'work' }] }),
    ).addresses;
    assert.deepEqual(addresses, [{ locality: 'Paris', type: 'work', primary: true }, { locality: 'Lyon', type: 'work' }]);
  });
});

describe('normalizeResource: Group members', () => {
  const group = (extra: Record<string, unknown> = {}) => ({ schemas: [URN.group], displayName: 'Engineering', ...extra });

  it('returns de-duplicated member ids; display, type and $ref are ignored; members never enter attributes', () => {
    const result = normalizeResource(
      group({ members: [{ value: 'u1', display: 'Alice', type: 'User', $ref: 'https://x/Users/u1' }, { value: 'u2' }, { Value: 'u1' }] }),
      groupResource,
      'create',
    );
    assert.deepEqual(result.members, ['u1', 'u2']);
    assert.deepEqual(result.attributes, { schemas: [URN.group], displayName: 'Engineering' });
  });

  it('create without members gives []; replace without members gives undefined (keep), with null or [] gives []', () => {
    assert.deepEqual(normalizeResource(group(), groupResource, 'create').members, []);
    assert.equal(normalizeResource(group(), groupResource, 'replace').members, undefined);
    assert.deepEqual(normalizeResource(group({ members: null }), groupResource, 'replace').members, []);
    assert.deepEqual(normalizeResource(group({ members: [] }), groupResource, 'replace').members, []);
  });

  it('a member without a non-empty string value is 400 invalidValue', () => {
    for (const members of [[{ display: 'x' }], [{ value: 7 }], [{ value: '' }], ['u1'], [null]]) {
      assert.throws(() => normalizeResource(group({ members }), groupResource, 'create'), scimError(400, 'invalidValue', /members\[0\]/));
    }
  });

  it('externalId is kept case-exact', () => {
    assert.equal(normalizeResource(group({ externalId: 'AbC' }), groupResource, 'create').attributes.externalId, 'AbC');
  });
});

describe('checkImmutable (C7)', () => {
  const badge = attr('badge', 'string', { mutability: 'immutable' });
  const card = attr('card', 'complex', { subAttributes: [attr('serial', 'string', { mutability: 'immutable' }), attr('label', 'string')] });
  const ext: SchemaDef = { id: 'urn:example:ext:2.0:User', name: 'Ext', description: '', attributes: [badge, card] };
  const schema: ResourceSchema = {
    ...userResource,
    type: { ...userResource.type, schemaExtensions: [{ schema: ext.id, required: false }] },
    extensions: [ext],
    coreAttributes: [...userResource.coreAttributes, attr('hireDate', 'dateTime', { mutability: 'immutable' })],
  };
  const storedCard = { serial: 'S1', label: 'L' };
  const base = { schemas: [URN.user], userName: 'a', hireDate: '2020-01-01T00:00:00Z', [ext.id]: { badge: 'B1', card: storedCard } };

  it('accepts an unchanged document and a first assignment', () => {
    assert.doesNotThrow(() => checkImmutable(base, structuredClone(base), schema));
    assert.doesNotThrow(() => checkImmutable({ schemas: [URN.user], userName: 'a' }, base, schema));
    assert.doesNotThrow(() => checkImmutable(base, { ...base, [ext.id]: { badge: 'B1', card: { serial: 'S1', label: 'other' } } }, schema));
  });

  it('rejects a changed or removed immutable value with 400 mutability', () => {
    assert.throws(() => checkImmutable(base, { ...base, hireDate: '2021-01-01T00:00:00Z' }, schema), scimError(400, 'mutability', /hireDate/));
    assert.throws(() => checkImmutable(base, { ...base, hireDate: undefined }, schema), scimError(400, 'mutability'));
    assert.throws(() => checkImmutable(base, { ...base, [ext.id]: { badge: 'B2', card: storedCard } }, schema), scimError(400, 'mutability', /badge/));
    assert.throws(() => checkImmutable(base, { ...base, [ext.id]: { badge: 'B1', card: { serial: 'S2' } } }, schema), scimError(400, 'mutability', /card\.serial/));
  });

  it('PUT flow: normalize the body, then check it against the stored document', () => {
    const stored = normalizeResource(user({ hireDate: '2020-01-01T00:00:00Z' }), schema, 'create').attributes;
    const next = normalizeResource(user({ hireDate: '2022-01-01T00:00:00Z' }), schema, 'replace').attributes;
    assert.throws(() => checkImmutable(stored, next, schema), scimError(400, 'mutability'));
  });
});
