import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { attr } from '../../src/scim/schema/attribute.js';
import { groupResource, userResource, type ResourceSchema } from '../../src/scim/schema/resource-types.js';
import { URN } from '../../src/scim/schema/urns.js';
import { parseAttributeList, projectResource, wantsAttribute } from '../../src/scim/resource/project.js';

const ENTERPRISE = URN.enterpriseUser;
const meta = { resourceType: 'User', created: '2026-01-01T00:00:00.000Z', lastModified: '2026-02-01T00:00:00.000Z', location: 'https://gh/scim/v2/Users/u1', version: 'W/"3"' };
const user = Object.freeze({
  schemas: [URN.user, ENTERPRISE],
  id: 'u1',
  externalId: 'ext-1',
  meta,
  userName: 'alice@example.com',
  name: { givenName: 'Alice', familyName: 'Smith' },
  active: true,
  password: 'must-never-leak',
  emails: [
    { value: 'alice@work.example', type: 'work', primary: true },
    { value: 'alice@home.example', type: 'home' },
  ],
  groups: [{ value: 'g1', display: 'Engineering' }],
  [ENTERPRISE]: { department: 'R&D', employeeNumber: '7', manager: { value: 'boss', displayName: 'Bob' } },
});
const group = Object.freeze({
  schemas: [URN.group],
  id: 'g1',
  meta: { ...meta, resourceType: 'Group' },
  displayName: 'Engineering',
  members: [{ value: 'u1', display: 'Alice' }, { value: 'u2' }],
});
const project = (params: { attributes?: string; excludedAttributes?: string }, resource: Record<string, unknown> = user) =>
  projectResource(resource, resource === group ? groupResource : userResource, params);
const { password: _password, ...withoutPassword } = user;

describe('projectResource: defaults (C9)', () => {
  it('without parameters returns everything but returned:never attributes (password)', () => {
    assert.deepEqual(project({}), withoutPassword);
    assert.deepEqual(project({ attributes: '', excludedAttributes: ' , ' }), withoutPassword);
  });

  it('C9: password is never returned, even when asked for', () => {
    assert.equal('password' in project({ attributes: 'password' }), false);
    assert.equal('password' in project({ attributes: 'userName,PASSWORD' }), false);
  });

  it('the input is not modified and the result shares no changed object with it', () => {
    const before = JSON.stringify(user);
    project({ attributes: 'emails.value,name.givenName', excludedAttributes: 'meta.version' });
    assert.equal(JSON.stringify(user), before);
  });
});

describe('projectResource: attributes (F11)', () => {
  it('attributes=userName,emails: id, schemas and meta always kept', () => {
    assert.deepEqual(project({ attributes: 'userName,emails' }), { schemas: user.schemas, id: 'u1', meta, userName: user.userName, emails: user.emails });
  });

  it('names are case-insensitive and may be URN-qualified', () => {
    assert.deepEqual(project({ attributes: `USERNAME, ${URN.user}:Active` }), { schemas: user.schemas, id: 'u1', meta, userName: user.userName, active: true });
  });

  it('sub-attributes: name.givenName, emails.value, meta.lastModified', () => {
    assert.deepEqual(project({ attributes: 'name.givenName,emails.value,meta.lastModified' }), {
      schemas: user.schemas,
      id: 'u1',
      meta: { lastModified: meta.lastModified },
      name: { givenName: 'Alice' },
      emails: [{ value: 'alice@work.example' }, { value: 'alice@home.example' }],
    });
    assert.deepEqual(project({ attributes: 'emails.value,Emails.Type' }).emails, [
      { value: 'alice@work.example', type: 'work' },
      { value: 'alice@home.example', type: 'home' },
    ]);
    assert.deepEqual(project({ attributes: 'emails.value,emails' }).emails, user.emails);
  });

  it('extension attributes by URN, and the whole extension', () => {
    assert.deepEqual(project({ attributes: `${ENTERPRISE}:department` })[ENTERPRISE], { department: 'R&D' });
    assert.deepEqual(project({ attributes: `${ENTERPRISE}:manager.value` })[ENTERPRISE], { manager: { value: 'boss' } });
    assert.deepEqual(project({ attributes: ENTERPRISE.toLowerCase() })[ENTERPRISE], user[ENTERPRISE]);
    assert.equal(ENTERPRISE in project({ attributes: 'userName' }), false);
  });

  it('unknown and malformed names are ignored', () => {
    assert.deepEqual(project({ attributes: 'shoeSize,emails[,urn:example:x:1.0:User:y,userName' }), { schemas: user.schemas, id: 'u1', meta, userName: user.userName });
    assert.deepEqual(project({ attributes: 'shoeSize' }), { schemas: user.schemas, id: 'u1', meta });
  });

  it('groups on a User and members on a Group', () => {
    assert.deepEqual(project({ attributes: 'groups' }).groups, user.groups);
    assert.deepEqual(project({ attributes: 'members.value' }, group).members, [{ value: 'u1' }, { value: 'u2' }]);
  });
});

describe('projectResource: filters in attributes (F12)', () => {
  it('attributes=emails[type eq "work"] returns only the matching emails', () => {
    assert.deepEqual(project({ attributes: 'emails[type eq "work"]' }).emails, [user.emails[0]]);
    assert.deepEqual(project({ attributes: 'emails[type eq "work"].value' }).emails, [{ value: 'alice@work.example' }]);
    assert.deepEqual(project({ attributes: 'emails[type eq "work"],emails[type eq "HOME"]' }).emails, user.emails);
    assert.equal('emails' in project({ attributes: 'emails[type eq "other"]' }), false);
  });

  it('commas inside the filter do not split the list', () => {
    assert.deepEqual(project({ attributes: 'userName,emails[value co "," or type eq "work"]' }).emails, [user.emails[0]]);
  });
});

describe('projectResource: excludedAttributes (F11)', () => {
  it('excludedAttributes=members on a Group', () => {
    assert.deepEqual(project({ excludedAttributes: 'members' }, group), { schemas: group.schemas, id: 'g1', meta: group.meta, displayName: 'Engineering' });
  });

  it('id and schemas cannot be excluded; meta can', () => {
    const projected = project({ excludedAttributes: 'id,schemas,meta' });
    assert.equal(projected.id, 'u1');
    assert.deepEqual(projected.schemas, user.schemas);
    assert.equal('meta' in projected, false);
  });

  it('sub-attributes, filtered values, extension attributes and whole extensions', () => {
    const projected = project({ excludedAttributes: `name.familyName,emails.primary,meta.version,${ENTERPRISE}:manager` });
    assert.deepEqual(projected.name, { givenName: 'Alice' });
    assert.deepEqual(projected.emails, [{ value: 'alice@work.example', type: 'work' }, { value: 'alice@home.example', type: 'home' }]);
    assert.equal('version' in (projected.meta as object), false);
    assert.deepEqual(projected[ENTERPRISE], { department: 'R&D', employeeNumber: '7' });
    assert.deepEqual(project({ excludedAttributes: 'emails[type eq "home"]' }).emails, [user.emails[0]]);
    assert.equal(ENTERPRISE in project({ excludedAttributes: ENTERPRISE }), false);
  });

  it('attributes and excludedAttributes together: exclusion applies to the selection', () => {
    assert.deepEqual(project({ attributes: 'name,userName', excludedAttributes: 'name.givenName,meta' }), {
      schemas: user.schemas,
      id: 'u1',
      userName: user.userName,
      name: { familyName: 'Smith' },
    });
  });
});

describe('projectResource: returned:request', () => {
  const schema: ResourceSchema = { ...userResource, coreAttributes: [...userResource.coreAttributes, attr('secretQuestion', 'string', { returned: 'request' })] };
  const resource = { schemas: [URN.user], id: 'u1', userName: 'a', secretQuestion: 'pet?' };

  it('is returned only when named in attributes', () => {
    assert.equal('secretQuestion' in projectResource(resource, schema, {}), false);
    assert.equal('secretQuestion' in projectResource(resource, schema, { excludedAttributes: 'userName' }), false);
    assert.equal(projectResource(resource, schema, { attributes: 'secretQuestion' }).secretQuestion, 'pet?');
  });
});

describe('parseAttributeList and wantsAttribute', () => {
  it('parseAttributeList splits at commas outside brackets and quotes, trimming', () => {
    assert.deepEqual(parseAttributeList(' userName , emails[type eq "a,b" or value co "]"].value,,name.givenName '), [
      'userName',
      'emails[type eq "a,b" or value co "]"].value',
      'name.givenName',
    ]);
    assert.deepEqual(parseAttributeList(''), []);
    assert.deepEqual(parseAttributeList('emails[value eq "a\\"b,c"],x'), ['emails[value eq "a\\"b,c"]', 'x']);
    assert.deepEqual(parseAttributeList('emails[type eq "work",userName'), ['emails[type eq "work"', 'userName']);
  });

  it('wantsAttribute tells the store whether to load members', () => {
    assert.equal(wantsAttribute({}, 'members'), true);
    assert.equal(wantsAttribute({ excludedAttributes: 'members' }, 'members'), false);
    assert.equal(wantsAttribute({ excludedAttributes: 'Members , meta' }, 'members'), false);
    assert.equal(wantsAttribute({ excludedAttributes: `${URN.group}:members` }, 'members'), false);
    assert.equal(wantsAttribute({ excludedAttributes: 'members.display' }, 'members'), true);
    assert.equal(wantsAttribute({ attributes: 'displayName' }, 'members'), false);
    assert.equal(wantsAttribute({ attributes: 'displayName,members.value' }, 'members'), true);
    assert.equal(wantsAttribute({ attributes: 'members[value eq "u1"]' }, 'members'), true);
    assert.equal(wantsAttribute({ attributes: `${URN.group}:MEMBERS` }, 'members'), true);
    assert.equal(wantsAttribute({ attributes: 'displayName', excludedAttributes: 'members' }, 'members'), false);
    assert.equal(wantsAttribute({ attributes: 'userName' }, 'groups'), false);
  });
});

describe('projectResource: properties (fast-check)', () => {
  const names = [
    'userName', 'USERNAME', 'id', 'meta', 'meta.version', 'schemas', 'password', 'name', 'name.givenName', 'emails', 'emails.value',
    'emails[type eq "work"]', 'emails[type eq "work"].value', 'emails[primary gt true]', 'groups', 'members', 'members.value',
    ENTERPRISE, `${ENTERPRISE}:manager.value`, `${URN.user}:active`, 'nope', 'emails[', '"', ']', ',',
  ];
  const list = fc.oneof(fc.array(fc.constantFrom(...names), { maxLength: 5 }).map((parts) => parts.join(',')), fc.string({ maxLength: 20 }));

  it('never throws, always keeps id and schemas, never returns the password, never modifies the input', () => {
    fc.assert(
      fc.property(fc.constantFrom<Record<string, unknown>>(user, group), fc.option(list, { nil: undefined }), fc.option(list, { nil: undefined }), (resource, attributes, excludedAttributes) => {
        const before = JSON.stringify(resource);
        const projected = project({ ...(attributes === undefined ? {} : { attributes }), ...(excludedAttributes === undefined ? {} : { excludedAttributes }) }, resource);
        assert.equal(projected.id, resource.id);
        assert.deepEqual(projected.schemas, resource.schemas);
        assert.equal('password' in projected, false);
        assert.equal(JSON.stringify(resource), before);
      }),
      { numRuns: 2000 },
    );
  });
});
