import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ScimError, type ScimType } from '../../src/scim/errors.js';
import { attr } from '../../src/scim/schema/attribute.js';
import { groupResource, userResource, type ResourceSchema } from '../../src/scim/schema/resource-types.js';
import { URN } from '../../src/scim/schema/urns.js';
import { normalizeResource } from '../../src/scim/resource/normalize.js';
import { applyPatch, maxPatchOperations, type MemberOp } from '../../src/scim/resource/patch.js';
import { matchesValueFilter } from '../../src/scim/resource/value-filter.js';
import { parseFilter } from '../../src/scim/filter/parse-filter.js';
import { jumpcloudAddMember, jumpcloudPatchUser, jumpcloudRemoveMember } from '../support/jumpcloud-payloads.js';

const ENTERPRISE = URN.enterpriseUser;
type Doc = Record<string, unknown>;

function scimError(status: number, scimType: ScimType | undefined, detail?: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof ScimError, `expected a ScimError, got ${String(error)}`);
    assert.equal(error.status, status);
    assert.equal(error.scimType, scimType, error.message);
    if (detail) assert.match(error.message, detail);
    return true;
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

const body = (...Operations: unknown[]) => ({ schemas: [URN.patchOp], Operations });
const storedUser = (extra: Doc = {}): Doc =>
  deepFreeze(normalizeResource({ schemas: [URN.user], userName: 'alice@example.com', ...extra }, userResource, 'create').attributes);
const storedGroup = (): Doc => deepFreeze({ schemas: [URN.group], displayName: 'Engineering' });

/** Patches a (frozen) user and returns the new document. */
function patchUser(doc: Doc, ...operations: unknown[]): Doc {
  return applyPatch(doc, body(...operations), userResource).attributes;
}
function memberOps(...operations: unknown[]): MemberOp[] {
  return applyPatch(storedGroup(), body(...operations), groupResource).memberOps;
}

const alice = storedUser({
  name: { givenName: 'Alice', familyName: 'Smith' },
  emails: [{ value: 'alice@work.example', type: 'work', primary: true }, { value: 'alice@home.example', type: 'home' }],
  addresses: [{ type: 'work', locality: 'Paris' }],
  [ENTERPRISE]: { department: 'R&D', employeeNumber: '7' },
});

describe('applyPatch: envelope (P1, P2)', () => {
  it('P1: the body must be an object with the PatchOp schema and an Operations array (400 invalidSyntax)', () => {
    for (const bad of [null, 'x', [], {}, { schemas: [URN.user], Operations: [] }, { schemas: [URN.patchOp] }, { schemas: [URN.patchOp], Operations: {} }]) {
      assert.throws(() => applyPatch(alice, bad, userResource), scimError(400, 'invalidSyntax'), JSON.stringify(bad));
    }
  });

  it('P1: an empty Operations array (Entra validator) is a successful no-op', () => {
    const result = applyPatch(alice, body(), userResource);
    assert.equal(result.changed, false);
    assert.deepEqual(result.attributes, alice);
    assert.deepEqual(result.memberOps, []);
  });

  it(`more than ${maxPatchOperations} operations is 400 invalidValue`, () => {
    const op = { op: 'replace', path: 'title', value: 'x' };
    assert.doesNotThrow(() => applyPatch(alice, body(...Array(maxPatchOperations).fill(op)), userResource));
    assert.throws(() => applyPatch(alice, body(...Array(maxPatchOperations + 1).fill(op)), userResource), scimError(400, 'invalidValue', /at most 1000/));
  });

  it('P2: op is case-insensitive; anything else is 400 invalidSyntax', () => {
    assert.equal(patchUser(alice, { op: 'Replace', path: 'title', value: 'A' }).title, 'A');
    assert.equal(patchUser(alice, { op: 'ADD', path: 'title', value: 'B' }).title, 'B');
    assert.equal(patchUser(alice, { op: 'Remove', path: 'name' }).name, undefined);
    for (const op of ['copy', 'move', 'test', '', 5, undefined]) {
      assert.throws(() => patchUser(alice, { op, path: 'title', value: 'x' }), scimError(400, 'invalidSyntax', /"op"/));
    }
    assert.throws(() => patchUser(alice, 'replace'), scimError(400, 'invalidSyntax'));
  });

  it('add and replace need a value (400 invalidValue); a non-string path is 400 invalidPath', () => {
    assert.throws(() => patchUser(alice, { op: 'add', path: 'title' }), scimError(400, 'invalidValue', /needs a "value"/));
    assert.throws(() => patchUser(alice, { op: 'replace', path: 5, value: 'x' }), scimError(400, 'invalidPath'));
  });

  it('errors name the failing operation', () => {
    assert.throws(
      () => patchUser(alice, { op: 'replace', path: 'title', value: 'x' }, { op: 'replace', path: 'nope', value: 'x' }),
      scimError(400, 'invalidPath', /^Operations\[1\]: /),
    );
  });
});

describe('applyPatch: paths (P3)', () => {
  it('paths are case-insensitive: Name.GivenName replaces name.givenName (scim-patch probe: no "Name" key)', () => {
    const doc = patchUser(alice, { op: 'replace', path: 'Name.GivenName', value: 'Alicia' });
    assert.deepEqual(doc.name, { givenName: 'Alicia', familyName: 'Smith' });
    assert.equal('Name' in doc, false);
    assert.equal(patchUser(alice, { op: 'replace', path: 'USERNAME', value: 'a2' }).userName, 'a2');
  });

  it('core URN-qualified paths', () => {
    assert.equal(patchUser(alice, { op: 'replace', path: `${URN.user}:userName`, value: 'a3' }).userName, 'a3');
    assert.deepEqual(patchUser(alice, { op: 'replace', path: `${URN.user}:name.familyName`, value: 'S' }).name, { givenName: 'Alice', familyName: 'S' });
  });

  it('extension URN-qualified paths: manager, manager.value, employeeNumber', () => {
    let doc = patchUser(alice, { op: 'add', path: `${ENTERPRISE}:manager`, value: { value: 'boss' } });
    assert.deepEqual(doc[ENTERPRISE], { department: 'R&D', employeeNumber: '7', manager: { value: 'boss' } });
    doc = patchUser(doc, { op: 'replace', path: `${ENTERPRISE.toLowerCase()}:Manager.Value`, value: 'boss2' });
    assert.deepEqual((doc[ENTERPRISE] as Doc).manager, { value: 'boss2' });
    doc = patchUser(doc, { op: 'replace', path: `${ENTERPRISE}:employeeNumber`, value: '8' });
    assert.equal((doc[ENTERPRISE] as Doc).employeeNumber, '8');
  });

  it('Entra sends the manager as a bare id; remove manager', () => {
    let doc = patchUser(alice, { op: 'Add', path: `${ENTERPRISE}:manager`, value: 'boss-id' });
    assert.deepEqual((doc[ENTERPRISE] as Doc).manager, { value: 'boss-id' });
    doc = patchUser(doc, { op: 'Remove', path: `${ENTERPRISE}:manager` });
    assert.deepEqual(doc[ENTERPRISE], { department: 'R&D', employeeNumber: '7' });
  });

  it('unknown attributes, sub-attributes and schemas, and malformed paths, are 400 invalidPath', () => {
    for (const path of ['favouriteColour', 'name.nickname', 'userName.x', 'urn:example:custom:2.0:User:x', `${ENTERPRISE}:nope`, 'emails[type eq "work"', 'members', 'a.b.c', URN.user, 'title[value eq "x"]', 'emails[type eq "work"].nope']) {
      assert.throws(() => patchUser(alice, { op: 'replace', path, value: 'x' }), scimError(400, 'invalidPath'), path);
    }
  });

  it('an empty path counts as no path', () => {
    assert.equal(patchUser(alice, { op: 'replace', path: '', value: { title: 'T' } }).title, 'T');
  });
});

describe('applyPatch: add/replace without path (P4, P13)', () => {
  it('dotted keys and URN keys (scim-patch probe)', () => {
    const doc = patchUser(alice, {
      op: 'add',
      value: { 'name.givenName': 'Al', [`${ENTERPRISE}:department`]: 'Sales', [`${URN.user}:title`]: 'CTO' },
    });
    assert.deepEqual(doc.name, { givenName: 'Al', familyName: 'Smith' });
    assert.deepEqual(doc[ENTERPRISE], { department: 'Sales', employeeNumber: '7' });
    assert.equal(doc.title, 'CTO');
  });

  it('complex values merge, siblings kept (scim-patch probe: replace {name:{givenName}} kept familyName)', () => {
    assert.deepEqual(patchUser(alice, { op: 'replace', value: { name: { givenName: 'Al' } } }).name, { givenName: 'Al', familyName: 'Smith' });
  });

  it('the whole extension container merges (server probe: "object is not extensible")', () => {
    const doc = patchUser(alice, { op: 'replace', value: { [ENTERPRISE]: { costCenter: 'CC1', manager: { value: 'boss' } } } });
    assert.deepEqual(doc[ENTERPRISE], { department: 'R&D', employeeNumber: '7', costCenter: 'CC1', manager: { value: 'boss' } });
    const viaPath = patchUser(alice, { op: 'add', path: ENTERPRISE, value: { costCenter: 'CC1' } });
    assert.deepEqual(viaPath[ENTERPRISE], { department: 'R&D', employeeNumber: '7', costCenter: 'CC1' });
  });

  it('replace without path on a multi-valued attribute replaces all values; add appends', () => {
    const replaced = patchUser(alice, { op: 'replace', value: { emails: [{ value: 'new@x', type: 'work' }] } });
    assert.deepEqual(replaced.emails, [{ value: 'new@x', type: 'work' }]);
    const added = patchUser(alice, { op: 'add', value: { emails: [{ value: 'new@x', type: 'other' }] } });
    assert.equal((added.emails as unknown[]).length, 3);
  });

  it('id, meta, schemas, readOnly and unknown keys inside the value are ignored (Okta sends id on group renames)', () => {
    const result = applyPatch(alice, body({ op: 'replace', value: { id: 'x', meta: { version: 'W/"1"' }, schemas: [URN.user], groups: [{ value: 'g' }], shoeSize: 42, title: 'T' } }), userResource);
    assert.deepEqual(result.attributes, { ...alice, title: 'T' });
  });

  it('the value must be an object; remove without path is 400 noTarget', () => {
    assert.throws(() => patchUser(alice, { op: 'replace', value: 'x' }), scimError(400, 'invalidValue'));
    assert.throws(() => patchUser(alice, { op: 'replace', value: [{ title: 'x' }] }), scimError(400, 'invalidValue'));
    assert.throws(() => patchUser(alice, { op: 'remove' }), scimError(400, 'noTarget'));
  });

  it('P13: active toggles: Okta {"op":"replace","value":{"active":false}}, Entra path "active" with "False"', () => {
    const on = storedUser({ active: true });
    assert.equal(patchUser(on, { op: 'replace', value: { active: false } }).active, false);
    assert.equal(patchUser(on, { op: 'Replace', path: 'active', value: 'False' }).active, false);
    assert.equal(patchUser(on, { op: 'Replace', path: 'active', value: 'True' }).active, true);
    assert.throws(() => patchUser(on, { op: 'Replace', path: 'active', value: 'no' }), scimError(400, 'invalidValue', /active must be a boolean/));
  });

  it('the JumpCloud PATCH user form (jumpcloud-wire.md §A.3)', () => {
    const result = applyPatch(storedUser({ active: true, name: { givenName: 'firstname', familyName: 'lastname' } }), jumpcloudPatchUser, userResource);
    assert.deepEqual(result.attributes, storedUser({ active: false, name: { givenName: 'John', familyName: 'Doe' } }));
    assert.equal(result.changed, true);
  });
});

describe('applyPatch: simple, complex and multi-valued targets (P5, P6)', () => {
  it('P5: replace a simple attribute; replace null unsets', () => {
    assert.equal(patchUser(alice, { op: 'replace', path: 'displayName', value: 'A S' }).displayName, 'A S');
    assert.equal(patchUser(storedUser({ title: 'T' }), { op: 'replace', path: 'title', value: null }).title, undefined);
  });

  it('P5: replace a complex attribute by path merges (SCIMMY probe: familyName kept)', () => {
    assert.deepEqual(patchUser(alice, { op: 'replace', path: 'name', value: { givenName: 'Al' } }).name, { givenName: 'Al', familyName: 'Smith' });
    assert.deepEqual(patchUser(alice, { op: 'replace', path: 'name', value: { givenName: null } }).name, { familyName: 'Smith' });
  });

  it('P5: replace a multi-valued attribute without a filter replaces all values', () => {
    assert.deepEqual(patchUser(alice, { op: 'replace', path: 'emails', value: [{ value: 'only@x' }] }).emails, [{ value: 'only@x' }]);
    assert.equal(patchUser(alice, { op: 'replace', path: 'emails', value: [] }).emails, undefined);
  });

  it('P6: add appends, and an equal existing value is not duplicated: changed is false', () => {
    const added = applyPatch(alice, body({ op: 'add', path: 'emails', value: [{ value: 'new@x', type: 'other' }] }), userResource);
    assert.equal(added.changed, true);
    assert.deepEqual((added.attributes.emails as Doc[])[2], { value: 'new@x', type: 'other' });
    const again = applyPatch(alice, body({ op: 'add', path: 'emails', value: [{ value: 'ALICE@work.example', type: 'Work' }] }), userResource);
    assert.equal(again.changed, false);
    assert.deepEqual(again.attributes, alice);
  });

  it('an add or replace that sets what is there already changes nothing', () => {
    assert.equal(applyPatch(alice, body({ op: 'replace', path: 'name.givenName', value: 'Alice' }), userResource).changed, false);
    assert.equal(applyPatch(alice, body({ op: 'add', value: { [ENTERPRISE]: { department: 'R&D' } } }), userResource).changed, false);
  });

  it('C12: a new primary value unsets the others', () => {
    const doc = patchUser(alice, { op: 'add', path: 'emails', value: [{ value: 'new@x', primary: true }] });
    assert.deepEqual(doc.emails, [
      { value: 'alice@work.example', type: 'work', primary: false },
      { value: 'alice@home.example', type: 'home' },
      { value: 'new@x', primary: true },
    ]);
    const viaFilter = patchUser(alice, { op: 'replace', path: 'emails[type eq "home"].primary', value: true });
    assert.deepEqual(viaFilter.emails, [
      { value: 'alice@work.example', type: 'work', primary: false },
      { value: 'alice@home.example', type: 'home', primary: true },
    ]);
  });

  it('sub-attribute of a multi-valued attribute without filter applies to every value', () => {
    const doc = patchUser(alice, { op: 'remove', path: 'emails.type' });
    assert.deepEqual(doc.emails, [{ value: 'alice@work.example', primary: true }, { value: 'alice@home.example' }]);
    assert.deepEqual(patchUser(storedUser(), { op: 'add', path: 'emails.value', value: 'x@y' }).emails, [{ value: 'x@y' }]);
  });

  it('remove with a value removes the matching values only (Entra form, any multi-valued attribute)', () => {
    const doc = patchUser(alice, { op: 'remove', path: 'emails', value: [{ value: 'ALICE@HOME.EXAMPLE' }] });
    assert.deepEqual(doc.emails, [{ value: 'alice@work.example', type: 'work', primary: true }]);
    assert.deepEqual(patchUser(alice, { op: 'remove', path: 'emails', value: [] }), alice);
    assert.equal(patchUser(alice, { op: 'remove', path: 'emails' }).emails, undefined);
  });

  it('more than 100 values after an add is 400 invalidValue', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ value: `u${i}@x` }));
    const doc = patchUser(storedUser(), { op: 'add', path: 'emails', value: many });
    assert.throws(() => patchUser(doc, { op: 'add', path: 'emails', value: many.map((e) => ({ value: `2${e.value}` })) }), scimError(400, 'invalidValue', /at most 100/));
  });

  it('removing the last extension attribute drops the container; removing the extension drops its URN', () => {
    const doc = patchUser(alice, { op: 'remove', path: `${ENTERPRISE}:department` }, { op: 'remove', path: `${ENTERPRISE}:employeeNumber` });
    assert.equal(doc[ENTERPRISE], undefined);
    const gone = patchUser(alice, { op: 'remove', path: ENTERPRISE });
    assert.equal(gone[ENTERPRISE], undefined);
    assert.deepEqual(gone.schemas, [URN.user]);
  });

  it('password is accepted and never stored', () => {
    const result = applyPatch(alice, body({ op: 'replace', path: 'password', value: 'hunter2' }, { op: 'replace', value: { password: 'x' } }), userResource);
    assert.equal(result.changed, false);
  });
});

describe('applyPatch: valuePath targets (P7, P8)', () => {
  it('P7: replace emails[type eq "work"].value (scim-patch and SCIMMY probe)', () => {
    const doc = patchUser(alice, { op: 'replace', path: 'emails[type eq "work"].value', value: 'al@work.example' });
    assert.deepEqual((doc.emails as Doc[])[0], { value: 'al@work.example', type: 'work', primary: true });
  });

  it('P7: add addresses[type eq "work"].formatted', () => {
    const doc = patchUser(alice, { op: 'add', path: 'addresses[type eq "work"].formatted', value: '1 rue X, Paris' });
    assert.deepEqual(doc.addresses, [{ type: 'work', locality: 'Paris', formatted: '1 rue X, Paris' }]);
  });

  it('P7: remove by valuePath, and a sub-attribute of the matching values', () => {
    assert.deepEqual(patchUser(alice, { op: 'remove', path: 'emails[type eq "home"]' }).emails, [{ value: 'alice@work.example', type: 'work', primary: true }]);
    assert.deepEqual(patchUser(alice, { op: 'remove', path: 'emails[value co "work"].primary' }).emails, [
      { value: 'alice@work.example', type: 'work' },
      { value: 'alice@home.example', type: 'home' },
    ]);
  });

  it('P7: filters honour caseExact and combine with and/or/not', () => {
    const doc = patchUser(alice, { op: 'replace', path: 'emails[type eq "WORK" and not (value sw "bob")].display', value: 'Work' });
    assert.equal((doc.emails as Doc[])[0]!.display, 'Work');
    const both = patchUser(alice, { op: 'replace', path: 'emails[type eq "home" or primary eq true].display', value: 'D' });
    assert.deepEqual((both.emails as Doc[]).map((e) => e.display), ['D', 'D']);
  });

  it('add with a filter and no sub-attribute merges; replace replaces the matching values (RFC 7644 §3.5.2.3)', () => {
    const added = patchUser(alice, { op: 'add', path: 'emails[type eq "home"]', value: { display: 'Home' } });
    assert.deepEqual((added.emails as Doc[])[1], { value: 'alice@home.example', type: 'home', display: 'Home' });
    const replaced = patchUser(alice, { op: 'replace', path: 'emails[type eq "home"]', value: { value: 'h@x', type: 'home' } });
    assert.deepEqual((replaced.emails as Doc[])[1], { value: 'h@x', type: 'home' });
  });

  it('P8: an unmatched add/replace creates the value from the filter (Entra; scim-patch probe "other")', () => {
    const doc = patchUser(storedUser(), { op: 'Replace', path: 'emails[type eq "work"].value', value: 'x@work' });
    assert.deepEqual(doc.emails, [{ type: 'work', value: 'x@work' }]);
    const other = patchUser(alice, { op: 'replace', path: 'emails[type eq "other"].value', value: 'o@x' });
    assert.deepEqual((other.emails as Doc[])[2], { type: 'other', value: 'o@x' });
    const phone = patchUser(alice, { op: 'Add', path: 'phoneNumbers[type eq "mobile" and primary eq true].value', value: '+33 6' });
    assert.deepEqual(phone.phoneNumbers, [{ type: 'mobile', primary: true, value: '+33 6' }]);
    const whole = patchUser(alice, { op: 'add', path: 'addresses[type eq "home"]', value: { locality: 'Lyon' } });
    assert.deepEqual((whole.addresses as Doc[])[1], { type: 'home', locality: 'Lyon' });
  });

  it('P8: an unmatched remove is a no-op; an unmatched add whose filter has no eq terms is 400 noTarget; replace null unsets', () => {
    const result = applyPatch(alice, body({ op: 'remove', path: 'emails[type eq "other"]' }), userResource);
    assert.equal(result.changed, false);
    assert.throws(() => patchUser(alice, { op: 'replace', path: 'emails[value co "zzz"].type', value: 'work' }), scimError(400, 'noTarget'));
    assert.throws(() => patchUser(alice, { op: 'replace', path: 'emails[type eq "a" or type eq "b"].value', value: 'x' }), scimError(400, 'noTarget'));
    assert.deepEqual(patchUser(alice, { op: 'replace', path: 'emails[type eq "other"].value', value: null }), alice);
    assert.deepEqual(patchUser(alice, { op: 'replace', path: 'emails[type eq "home"]', value: null }).emails, [(alice.emails as Doc[])[0]]);
    assert.deepEqual(patchUser(alice, { op: 'replace', path: 'emails[type eq "home"].type', value: null }).emails, [
      (alice.emails as Doc[])[0],
      { value: 'alice@home.example' },
    ]);
  });

  it('invalid filters inside a path: unknown sub-attribute, boolean ordering, nested valuePath (400 invalidFilter)', () => {
    for (const path of ['emails[nope eq "x"].value', 'emails[primary gt true].value', 'emails[value eq true].value', 'emails[type eq "w" and emails[type eq "w"]].value']) {
      assert.throws(() => patchUser(alice, { op: 'replace', path, value: 'x' }), (e) => e instanceof ScimError && e.status === 400 && (e.scimType === 'invalidFilter' || e.scimType === 'invalidPath'), path);
    }
    assert.throws(() => patchUser(alice, { op: 'replace', path: 'emails[primary gt true].value', value: 'x' }), scimError(400, 'invalidFilter', /boolean/));
  });
});

describe('matchesValueFilter', () => {
  const emails = userResource.coreAttributes.find((a) => a.name === 'emails')!;
  const test = (filter: string, element: unknown) => matchesValueFilter(element, parseFilter(filter), emails);
  const email = { value: 'Alice@Example.com', type: 'work', primary: true };

  it('eq ne co sw ew pr, case-insensitive for caseExact:false', () => {
    assert.equal(test('value eq "alice@example.com"', email), true);
    assert.equal(test('value ne "alice@example.com"', email), false);
    assert.equal(test('value co "EXAMPLE"', email), true);
    assert.equal(test('value sw "alice"', email), true);
    assert.equal(test('value ew ".COM"', email), true);
    assert.equal(test('display pr', email), false);
    assert.equal(test('value pr', email), true);
    assert.equal(test('display ne "x"', email), true);
    assert.equal(test('display eq null', email), true);
  });

  it('gt ge lt le on strings; booleans compare with eq only', () => {
    assert.equal(test('type gt "home"', email), true);
    assert.equal(test('type ge "work"', email), true);
    assert.equal(test('type lt "work"', email), false);
    assert.equal(test('type le "work"', email), true);
    assert.equal(test('primary eq true', email), true);
    assert.equal(test('primary eq "True"', email), true);
    assert.throws(() => test('primary lt true', email), scimError(400, 'invalidFilter'));
    assert.throws(() => test('primary co "t"', email), scimError(400, 'invalidFilter'));
  });

  it('caseExact sub-attributes, dateTime and numbers (custom attribute)', () => {
    const parent = attr('badges', 'complex', {
      multiValued: true,
      subAttributes: [attr('code', 'string', { caseExact: true }), attr('issued', 'dateTime'), attr('level', 'integer')],
    });
    const badge = { code: 'AbC', issued: '2026-01-01T10:00:00+01:00', level: 3 };
    const m = (f: string) => matchesValueFilter(badge, parseFilter(f), parent);
    assert.equal(m('code eq "abc"'), false);
    assert.equal(m('code eq "AbC"'), true);
    assert.equal(m('issued eq "2026-01-01T09:00:00Z"'), true);
    assert.equal(m('issued gt "2025-12-31T23:59:59Z"'), true);
    assert.equal(m('issued lt "2026-01-01T08:00:00Z"'), false);
    assert.equal(m('level ge 3 and level lt 4'), true);
    assert.throws(() => m('level co 3'), scimError(400, 'invalidFilter'));
    assert.throws(() => m('level eq "3"'), scimError(400, 'invalidFilter'));
    assert.throws(() => m('issued gt "soon"'), scimError(400, 'invalidFilter'));
  });
});

describe('applyPatch: readOnly, required, immutable (P10)', () => {
  it('remove without path is 400 noTarget; remove userName is 400 mutability', () => {
    assert.throws(() => patchUser(alice, { op: 'remove' }), scimError(400, 'noTarget'));
    assert.throws(() => patchUser(alice, { op: 'remove', path: 'userName' }), scimError(400, 'mutability', /required/));
    assert.throws(() => applyPatch(storedGroup(), body({ op: 'remove', path: 'displayName' }), groupResource), scimError(400, 'mutability'));
  });

  it('replace id (scim-patch probe: set id "hacked"), meta, groups, manager.displayName are 400 mutability', () => {
    for (const [op, path] of [['replace', 'id'], ['add', 'id'], ['remove', 'id'], ['replace', 'meta.lastModified'], ['remove', 'meta'], ['add', 'groups'], ['replace', `${ENTERPRISE}:manager.displayName`]]) {
      assert.throws(() => patchUser(alice, { op, path, value: 'hacked' }), scimError(400, 'mutability', /read-only/), `${op} ${path}`);
    }
  });

  it('a required attribute replaced by "" or null is 400 invalidValue', () => {
    assert.throws(() => patchUser(alice, { op: 'replace', path: 'userName', value: '' }), scimError(400, 'invalidValue', /userName is required/));
    assert.throws(() => patchUser(alice, { op: 'replace', value: { userName: null } }), scimError(400, 'invalidValue'));
  });

  it('an immutable attribute may be set once, then not changed (400 mutability)', () => {
    const schema: ResourceSchema = { ...userResource, coreAttributes: [...userResource.coreAttributes, attr('badge', 'string', { mutability: 'immutable' })] };
    const first = applyPatch(storedUser(), body({ op: 'add', path: 'badge', value: 'B1' }), schema).attributes;
    assert.equal(first.badge, 'B1');
    assert.equal(applyPatch(first, body({ op: 'replace', path: 'badge', value: 'B1' }), schema).changed, false);
    assert.throws(() => applyPatch(first, body({ op: 'replace', path: 'badge', value: 'B2' }), schema), scimError(400, 'mutability', /immutable/));
    assert.throws(() => applyPatch(first, body({ op: 'remove', path: 'badge' }), schema), scimError(400, 'mutability'));
  });
});

describe('applyPatch: atomicity and input (P11)', () => {
  it('a failing operation throws and nothing of the earlier ones is visible; the input is never modified', () => {
    const before = structuredClone(alice);
    assert.throws(
      () => patchUser(alice, { op: 'replace', path: 'title', value: 'x' }, { op: 'remove', path: 'emails' }, { op: 'replace', path: 'id', value: 'y' }),
      scimError(400, 'mutability', /^Operations\[2\]/),
    );
    assert.deepEqual(alice, before);
  });

  it('deeply nested values are ignored or rejected, never a stack overflow', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}1${']'.repeat(100_000)}`);
    assert.deepEqual(patchUser(alice, { op: 'add', value: { shoeSize: deep } }), alice);
    assert.throws(() => patchUser(alice, { op: 'add', path: 'emails', value: deep }), scimError(400, 'invalidValue'));
    assert.throws(() => patchUser(alice, { op: 'add', path: 'title', value: deep }), scimError(400, 'invalidValue'));
  });

  it('the result shares nothing with the input or the body', () => {
    const value = [{ value: 'z@x' }];
    const result = patchUser(alice, { op: 'add', path: 'emails', value });
    (result.emails as Doc[])[0]!.value = 'mutated';
    (result.emails as Doc[])[2]!.value = 'mutated';
    assert.equal((alice.emails as Doc[])[0]!.value, 'alice@work.example');
    assert.equal(value[0]!.value, 'z@x');
  });
});

describe('applyPatch: Group members (P9)', () => {
  it('JumpCloud member add and remove value arrays (jumpcloud-wire.md §A.4)', () => {
    const add = jumpcloudAddMember('jc-user-uuid-001');
    const remove = jumpcloudRemoveMember('jc-user-uuid-001');
    const added = applyPatch(storedGroup(), add, groupResource);
    assert.deepEqual(added.memberOps, [{ op: 'add', values: ['jc-user-uuid-001'] }]);
    assert.equal(added.changed, false);
    assert.deepEqual(added.attributes, storedGroup());
    assert.deepEqual(applyPatch(storedGroup(), remove, groupResource).memberOps, [{ op: 'remove', values: ['jc-user-uuid-001'] }]);
  });

  it('Entra: Remove with the value array, Add with display', () => {
    assert.deepEqual(memberOps({ op: 'Remove', path: 'members', value: [{ value: 'u1' }, { value: 'u2' }] }), [{ op: 'remove', values: ['u1', 'u2'] }]);
    assert.deepEqual(memberOps({ op: 'Add', path: 'members', value: [{ value: 'u1', display: 'Alice', $ref: 'https://x/Users/u1' }] }), [{ op: 'add', values: ['u1'] }]);
  });

  it('Okta: remove members[value eq "a"] and members[value eq "a" or value eq "b"]', () => {
    assert.deepEqual(memberOps({ op: 'remove', path: 'members[value eq "a"]' }), [{ op: 'remove', values: ['a'] }]);
    assert.deepEqual(memberOps({ op: 'remove', path: 'members[value eq "a" or VALUE eq "b" or value eq "a"]' }), [{ op: 'remove', values: ['a', 'b'] }]);
  });

  it('remove members[value eq "x"] on a group with no members is a normal no-op for the store (scim-patch and SCIMMY crash probe)', () => {
    const result = applyPatch(storedGroup(), body({ op: 'remove', path: 'members[value eq "x"]' }), groupResource);
    assert.deepEqual(result, { attributes: storedGroup(), changed: false, memberOps: [{ op: 'remove', values: ['x'] }] });
  });

  it('remove all, replace all, add without path, replace without path, in order', () => {
    assert.deepEqual(
      memberOps(
        { op: 'remove', path: 'members' },
        { op: 'replace', path: 'members', value: [{ value: 'a' }, { value: 'b' }] },
        { op: 'add', value: { members: [{ value: 'c' }], displayName: 'Eng' } },
        { op: 'replace', value: { members: [] } },
        { op: 'replace', path: 'members', value: null },
      ),
      [{ op: 'removeAll' }, { op: 'replace', values: ['a', 'b'] }, { op: 'add', values: ['c'] }, { op: 'replace', values: [] }, { op: 'replace', values: [] }],
    );
  });

  it('an add of an existing member (SCIMMY probe) is de-duplicated; the store ignores members it has', () => {
    assert.deepEqual(memberOps({ op: 'add', path: 'members', value: [{ value: 'u2' }, { value: 'u2' }] }), [{ op: 'add', values: ['u2'] }]);
    assert.deepEqual(memberOps({ op: 'add', path: 'members', value: [] }), []);
    assert.deepEqual(memberOps({ op: 'add', path: 'members', value: { value: 'u3' } }), [{ op: 'add', values: ['u3'] }]);
  });

  it('a filter other than a disjunction of value eq terms is 400 invalidFilter', () => {
    for (const path of ['members[value ne "a"]', 'members[display eq "Alice"]', 'members[value eq "a" and type eq "User"]', 'members[not (value eq "a")]', 'members[value co "a"]', 'members[value eq ""]']) {
      assert.throws(() => memberOps({ op: 'remove', path }), scimError(400, 'invalidFilter', /value eq/), path);
    }
  });

  it('member values must be non-empty strings (400 invalidValue)', () => {
    for (const value of [[{ value: '' }], [{ value: 5 }], [{ display: 'x' }], ['u1'], 'u1']) {
      assert.throws(() => memberOps({ op: 'add', path: 'members', value }), scimError(400, 'invalidValue'), JSON.stringify(value));
    }
  });

  it('member sub-attributes and filtered add/replace are 400 invalidPath; so are members when not supported', () => {
    assert.throws(() => memberOps({ op: 'replace', path: 'members.display', value: 'x' }), scimError(400, 'invalidPath'));
    assert.throws(() => memberOps({ op: 'remove', path: 'members[value eq "a"].display' }), scimError(400, 'invalidPath'));
    assert.throws(() => memberOps({ op: 'add', path: 'members[value eq "a"]', value: { value: 'a' } }), scimError(400, 'invalidPath'));
    assert.throws(
      () => applyPatch(storedGroup(), body({ op: 'add', path: 'members', value: [{ value: 'a' }] }), groupResource, { memberSupport: false }),
      scimError(400, 'invalidPath'),
    );
  });

  it('group rename by no-path replace with id (Okta) changes displayName only', () => {
    const result = applyPatch(storedGroup(), body({ op: 'replace', value: { id: 'abf4dd94', displayName: 'Eng 2' } }), groupResource);
    assert.deepEqual(result.attributes, { schemas: [URN.group], displayName: 'Eng 2' });
    assert.deepEqual(result.memberOps, []);
  });
});

describe('applyPatch: properties (fast-check)', () => {
  const paths = [
    'userName', 'USERNAME', 'title', 'active', 'displayName', 'name', 'name.givenName', 'Name.FamilyName', 'emails', 'emails.value',
    'emails[type eq "work"]', 'emails[type eq "work"].value', 'emails[value co "x"].primary', 'emails[type eq "a" or type eq "b"].display',
    'phoneNumbers[type eq "mobile"].value', 'addresses[type eq "work"].formatted', 'addresses', 'id', 'meta', 'meta.lastModified', 'groups',
    'password', 'x509Certificates', ENTERPRISE, `${ENTERPRISE}:manager`, `${ENTERPRISE}:manager.value`, `${ENTERPRISE}:department`,
    `${URN.user}:userName`, 'members', 'members[value eq "a"]', 'members[value eq "a" or value eq "b"]', 'displayname', 'externalId',
    'nope', 'emails[', 'emails[nope eq 1]', '', 'urn:x:y:z',
  ];
  const value = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom('False', 'true', null, [], {}, 'x@y'),
    fc.record({ value: fc.oneof(fc.string({ maxLength: 4 }), fc.constant('a')), type: fc.constantFrom('work', 'home'), primary: fc.boolean() }, { requiredKeys: [] }),
    fc.array(fc.record({ value: fc.constantFrom('a', 'b', 'A', 'u1') , primary: fc.boolean() }, { requiredKeys: ['value'] }), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  );
  const operation = fc.record(
    {
      op: fc.constantFrom('add', 'Add', 'replace', 'Replace', 'remove', 'REMOVE', 'copy'),
      path: fc.oneof(fc.constantFrom(...paths), fc.string({ maxLength: 12 })),
      value,
    },
    { requiredKeys: ['op'] },
  );
  const operations = fc.array(operation, { maxLength: 6 });
  const resources = [
    { schema: userResource, doc: alice },
    { schema: groupResource, doc: storedGroup() },
  ];

  it('random operation lists either succeed or throw a ScimError, and never modify the (frozen) input', () => {
    fc.assert(
      fc.property(fc.constantFrom(...resources), operations, ({ schema, doc }, ops) => {
        const before = JSON.stringify(doc);
        try {
          applyPatch(doc, body(...ops), schema);
        } catch (error) {
          if (!(error instanceof ScimError) || error.status !== 400 || !error.scimType) throw error;
        }
        assert.equal(JSON.stringify(doc), before);
      }),
      { numRuns: 3000 },
    );
  });

  it('a patch result is in normal form: normalizing it again gives it back (≤1 primary, no duplicates, no empty values)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...resources), operations, ({ schema, doc }, ops) => {
        let result;
        try {
          result = applyPatch(doc, body(...ops), schema);
        } catch (error) {
          if (error instanceof ScimError) return;
          throw error;
        }
        assert.deepEqual(normalizeResource(result.attributes, schema, 'replace').attributes, result.attributes);
        if (!result.changed) assert.deepEqual(result.attributes, doc);
      }),
      { numRuns: 2000 },
    );
  });

  it('a failed patch returns nothing: a failing operation after valid ones throws, and the input is unchanged', () => {
    fc.assert(
      fc.property(operations, fc.constantFrom({ op: 'replace', path: 'id', value: 'x' }, { op: 'remove', path: 'userName' }, { op: 'move' }), (ops, failing) => {
        const before = JSON.stringify(alice);
        assert.throws(() => applyPatch(alice, body(...ops, failing), userResource), ScimError);
        assert.equal(JSON.stringify(alice), before);
      }),
      { numRuns: 500 },
    );
  });
});
