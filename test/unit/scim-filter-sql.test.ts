import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { Kysely, PostgresDialect, SqliteDialect, sql, type RawBuilder, type SqlBool } from 'kysely';
import pg from 'pg';
import { ScimError } from '../../src/scim/errors.js';
import type { CompareOp, Filter } from '../../src/scim/filter/ast.js';
import { parseFilter } from '../../src/scim/filter/parse-filter.js';
import type { Database } from '../../src/store/schema.js';
import { compileScimFilter, compileScimSort } from '../../src/store/scim-filter-sql.js';
import { dialects, freshDatabaseUrl, type TestDialect } from '../support/databases.js';
import { startEmbeddedPostgres, type RunningPostgres } from '../support/embedded-postgres.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const DIRECTORY = 'd1';

// ---------------------------------------------------------------------------------------------------------
// Databases: the three SCIM tables (as in src/store/schema.ts) on SQLite and PostgreSQL, with the same rows.

function ddl(dialect: TestDialect): string[] {
  const json = dialect === 'postgres' ? 'jsonb' : 'text';
  return [
    `create table scim_users (
      id text primary key, directory_id text not null, user_name text not null, user_name_key text not null,
      external_id text, display_name text, given_name text, family_name text, email text, active integer not null,
      attributes ${json} not null, raw ${json} not null, version integer not null, created_at text not null, updated_at text not null)`,
    'create unique index scim_users_user_name on scim_users (directory_id, user_name_key)',
    'create index scim_users_created on scim_users (directory_id, created_at, id)',
    `create table scim_groups (
      id text primary key, directory_id text not null, display_name text not null, display_name_key text not null,
      external_id text, member_count integer not null, attributes ${json} not null, raw ${json} not null,
      version integer not null, created_at text not null, updated_at text not null)`,
    'create unique index scim_groups_display_name on scim_groups (directory_id, display_name_key)',
    `create table scim_group_members (
      group_id text not null references scim_groups (id), user_id text not null references scim_users (id),
      directory_id text not null, created_at text not null, primary key (group_id, user_id))`,
    'create index scim_group_members_user on scim_group_members (user_id, group_id)',
  ];
}

interface UserSpec {
  userName: string;
  created: string;
  updated?: string;
  active?: boolean;
  externalId?: string;
  displayName?: string;
  [attribute: string]: unknown;
}

const users: Record<string, UserSpec> = {
  u01: {
    userName: 'Alice@X.com', externalId: 'ext-A', displayName: 'Alice Anders', active: true, title: 'Engineer', userType: 'Employee',
    name: { givenName: 'Alice', familyName: 'Anders' },
    emails: [{ value: 'alice@x.com', type: 'work', primary: true }, { value: 'alice@home.org', type: 'home' }],
    [ENTERPRISE]: { employeeNumber: '1001', department: 'R&D', manager: { value: 'u02', displayName: 'Bob Brown' } },
    created: '2026-01-01T10:00:00.000Z', updated: '2026-03-01T00:00:00.000Z',
  },
  u02: {
    userName: 'bob@x.com', externalId: 'EXT-B', displayName: 'Bob Brown', active: false, title: 'Manager',
    name: { givenName: 'Bob', familyName: 'Brown' }, emails: [{ value: 'BOB@X.COM', type: 'work' }],
    phoneNumbers: [{ value: '+1 555 0100', type: 'mobile' }], [ENTERPRISE]: { employeeNumber: '1002', department: 'Sales' },
    created: '2026-01-02T10:00:00.000Z',
  },
  u03: { userName: 'carol_100%@z.net', active: true, title: '', name: { familyName: "O'Hara" }, created: '2026-01-03T10:00:00.000Z' },
  u04: {
    userName: 'dave@x.com', externalId: 'ext-D', displayName: 'Dave', active: true,
    emails: [{ value: 'd1@corp.com', type: 'home' }, { value: 'd2@corp.com', type: 'work', primary: true }],
    roles: [{ value: 'admin' }], created: '2026-01-04T10:00:00.000Z',
  },
  u05: { userName: 'eve*?[1]@glob.io', displayName: 'Eve', active: true, emails: [{ value: 'eve@x.com' }], [ENTERPRISE]: { employeeNumber: '7' }, created: '2026-01-05T10:00:00.000Z' },
  u06: { userName: 'frank', externalId: 'ext-a', displayName: 'frank', active: true, title: 'engineer', userType: 'Contractor', created: '2026-01-06T10:00:00.000Z' },
  u07: {
    userName: 'grace', active: true, addresses: [{ locality: 'Paris', type: 'work', primary: true }],
    [ENTERPRISE]: { costCenter: '42', manager: { value: 'u01' } }, created: '2026-01-07T10:00:00.000Z',
  },
  u08: { userName: 'héidi@x.com', active: false, emails: [], created: '2026-01-08T10:00:00.000Z' },
  u09: {
    userName: 'ivan', displayName: 'Ivan 50% off_sale', active: true, userType: 'Employee',
    emails: [{ value: 'ivan@x.com', type: 'work' }, { value: 'ivan@corp.com', type: 'work' }], created: '2026-01-09T10:00:00.000Z',
  },
  u10: { userName: 'judy', active: true, title: 'Engineer II', name: { givenName: 'Judy' }, created: '2025-12-31T23:59:59.999Z', updated: '2026-02-01T12:00:00.000Z' },
};

/** group id → [displayName, externalId, member ids in membership order] */
const groups: Record<string, [string, string | null, string[]]> = {
  g01: ['Admins', 'grp-1', ['u01', 'u02']],
  g02: ['Engineering', 'GRP-2', ['u01', 'u06', 'u04']],
  g03: ['Empty', null, []],
  g04: ['Sales 100%', null, ['u02']],
  g05: ['admins-legacy', null, ['u09']],
};

const userIds = Object.keys(users).sort();
const groupIds = Object.keys(groups).sort();

async function seed(db: Kysely<Database>): Promise<void> {
  for (const [id, spec] of Object.entries(users)) {
    const { created, updated, ...resource } = spec;
    const emails = (resource.emails ?? []) as { value: string; primary?: boolean }[];
    const name = (resource.name ?? {}) as { givenName?: string; familyName?: string };
    const json = JSON.stringify(resource);
    await db
      .insertInto('scim_users')
      .values({
        id, directory_id: DIRECTORY, user_name: spec.userName, user_name_key: spec.userName.toLowerCase(),
        external_id: spec.externalId ?? null, display_name: spec.displayName ?? null,
        given_name: name.givenName ?? null, family_name: name.familyName ?? null,
        email: (emails.find((e) => e.primary) ?? emails[0])?.value ?? null, active: spec.active ? 1 : 0,
        attributes: json, raw: json, version: 1, created_at: created, updated_at: updated ?? created,
      })
      .execute();
  }
  let clock = Date.parse('2026-02-01T00:00:00.000Z');
  for (const [id, [displayName, externalId, members]] of Object.entries(groups)) {
    const json = JSON.stringify({ displayName, ...(externalId ? { externalId } : {}) });
    const created = new Date(clock++).toISOString();
    await db
      .insertInto('scim_groups')
      .values({
        id, directory_id: DIRECTORY, display_name: displayName, display_name_key: displayName.toLowerCase(), external_id: externalId,
        member_count: members.length, attributes: json, raw: json, version: 1, created_at: created, updated_at: created,
      })
      .execute();
    for (const userId of members) {
      await db
        .insertInto('scim_group_members')
        .values({ group_id: id, user_id: userId, directory_id: DIRECTORY, created_at: new Date(clock++).toISOString() })
        .execute();
    }
  }
}

interface TestDb {
  dialect: TestDialect;
  db: Kysely<Database>;
}

const databases: TestDb[] = [];
let ownPostgres: RunningPostgres | undefined;

before(async () => {
  // under `npm test` test/run.ts provides PostgreSQL; run alone, this file starts its own
  if (!process.env.GATEHOUSE_TEST_PG) {
    ownPostgres = await startEmbeddedPostgres();
    process.env.GATEHOUSE_TEST_PG = ownPostgres.url;
  }
  for (const dialect of dialects) {
    const db =
      dialect === 'sqlite'
        ? new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) })
        : new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: await freshDatabaseUrl('postgres'), max: 2 }) }) });
    for (const statement of ddl(dialect)) await sql.raw(statement).execute(db);
    await seed(db);
    databases.push({ dialect, db });
  }
});

after(async () => {
  for (const { db } of databases) await db.destroy();
  await ownPostgres?.stop();
});

// ---------------------------------------------------------------------------------------------------------
// Helpers

type Resource = 'User' | 'Group';

async function matching({ db, dialect }: TestDb, resource: Resource, filter: Filter | RawBuilder<SqlBool>): Promise<string[]> {
  const where = 'kind' in filter ? compileScimFilter(filter, { resource, dialect }) : filter;
  const table = sql.table(resource === 'User' ? 'scim_users' : 'scim_groups');
  const { rows } = await sql<{ id: string }>`select id from ${table} where ${where} order by id`.execute(db);
  return rows.map((r) => r.id);
}

async function sorted({ db, dialect }: TestDb, resource: Resource, sortBy: string, descending: boolean): Promise<string[]> {
  const direction = sql.raw(descending ? 'desc' : 'asc');
  const keys = compileScimSort(sortBy, { resource, dialect }).map((key) => sql`${key} ${direction}`);
  const table = sql.table(resource === 'User' ? 'scim_users' : 'scim_groups');
  const { rows } = await sql<{ id: string }>`select id from ${table} order by ${sql.join(keys)}, created_at, id`.execute(db);
  return rows.map((r) => r.id);
}

function assertRejects(fn: () => unknown, scimType: string, message?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ScimError, `expected a ScimError, got ${String(error)}`);
    assert.equal(error.status, 400);
    assert.equal(error.scimType, scimType);
    if (message) assert.match(error.message, message);
    return true;
  });
}

const except = (all: string[], ...ids: string[]) => all.filter((id) => !ids.includes(id));

// ---------------------------------------------------------------------------------------------------------
// Which rows each filter selects, on both dialects

const userCases: [string, string[]][] = [
  // F3: caseExact
  ['userName eq "ALICE@X.COM"', ['u01']],
  ['userName eq "alice@x.com"', ['u01']],
  ['externalId eq "ext-A"', ['u01']],
  ['externalId eq "EXT-A"', []],
  ['id eq "u01"', ['u01']],
  ['id eq "U01"', []],
  ['displayName eq "alice anders"', ['u01']],
  ['title eq "ENGINEER"', ['u01', 'u06']],
  // F4: attribute names are case-insensitive
  ['USERNAME eq "bob@x.com"', ['u02']],
  ['name.FamilyName eq "anders"', ['u01']],
  ['emails.Value eq "bob@x.com"', ['u02']],
  ['EMAILS[TYPE eq "home"]', ['u01', 'u04']],
  ['urn:ietf:params:scim:schemas:core:2.0:user:USERNAME eq "frank"', ['u06']],
  // F5: every operator
  ['userName ne "frank"', except(userIds, 'u06')],
  ['title ne "engineer"', except(userIds, 'u01', 'u06')],
  ['userName co "@X"', ['u01', 'u02', 'u04', 'u08']],
  ['userName sw "A"', ['u01']],
  ['userName ew ".COM"', ['u01', 'u02', 'u04', 'u08']],
  ['userName gt "h"', ['u08', 'u09', 'u10']],
  ['userName ge "ivan"', ['u09', 'u10']],
  ['userName lt "bob"', ['u01']],
  ['userName le "BOB@x.com"', ['u01', 'u02']],
  ['title gt "engineer"', ['u02', 'u10']],
  ['meta.created gt "2026-01-03T10:00:00Z"', ['u04', 'u05', 'u06', 'u07', 'u08', 'u09']],
  ['meta.created ge "2026-01-03T11:00:00+01:00"', ['u03', 'u04', 'u05', 'u06', 'u07', 'u08', 'u09']],
  ['meta.created lt "2026-01-01T00:00:00.000Z"', ['u10']],
  ['meta.created le "2025-12-31T23:59:59.999Z"', ['u10']],
  ['meta.created eq "2026-01-01T05:00:00-05:00"', ['u01']],
  ['meta.created ne "2026-01-01T10:00:00.000000Z"', except(userIds, 'u01')],
  ['meta.lastModified gt "2026-02-01T00:00:00Z"', ['u01', 'u10']],
  ['meta.created lt "2026-01-01t10:00:00.5z"', ['u01', 'u10']],
  ['active eq true', except(userIds, 'u02', 'u08')],
  ['active eq false', ['u02', 'u08']],
  ['active ne true', ['u02', 'u08']],
  ['title pr', ['u01', 'u02', 'u06', 'u10']],
  ['title eq null', except(userIds, 'u01', 'u02', 'u06', 'u10')],
  ['title ne null', ['u01', 'u02', 'u06', 'u10']],
  ['emails pr', ['u01', 'u02', 'u04', 'u05', 'u09']],
  ['emails.type pr', ['u01', 'u02', 'u04', 'u09']],
  ['name pr', ['u01', 'u02', 'u03', 'u10']],
  ['active pr', userIds],
  ['meta.resourceType eq "User"', userIds],
  ['meta.resourceType eq "user"', []],
  [`${ENTERPRISE}:manager pr`, ['u01', 'u07']],
  // F6: precedence, parentheses, not
  ['title eq "Engineer" or title eq "Manager" and active eq false', ['u01', 'u02', 'u06']],
  ['(title eq "Engineer" or title eq "Manager") and active eq false', ['u02']],
  ['not (title pr)', ['u03', 'u04', 'u05', 'u07', 'u08', 'u09']],
  ['not(emails.type eq "work")', ['u03', 'u05', 'u06', 'u07', 'u08', 'u10']],
  ['not (not (title pr))', ['u01', 'u02', 'u06', 'u10']],
  ['not (title eq "engineer") and active eq true', ['u03', 'u04', 'u05', 'u07', 'u09', 'u10']],
  ['not (title eq "engineer" or userType eq "employee")', ['u02', 'u03', 'u04', 'u05', 'u07', 'u08', 'u10']],
  // F7: valuePaths and multi-valued attributes
  ['emails[type eq "work" and value co "@x"]', ['u01', 'u02', 'u09']],
  ['emails[type eq "work"].value co "corp"', ['u04', 'u09']],
  ['emails[type eq "home" and value co "x.com"]', []],
  ['emails.type eq "home" and emails.value co "x.com"', ['u01']],
  ['emails co "EVE"', ['u05']],
  ['emails.value ew ".org"', ['u01']],
  ['emails.value ne "alice@x.com"', ['u01', 'u02', 'u04', 'u05', 'u09']],
  ['emails[primary eq true]', ['u01', 'u04']],
  ['emails[not (type pr)]', ['u05']],
  ['emails[value eq null]', []],
  ['emails eq null', ['u03', 'u06', 'u07', 'u08', 'u10']],
  ['addresses[locality eq "paris"]', ['u07']],
  ['roles.value eq "admin"', ['u04']],
  ['phoneNumbers[type eq "mobile"].value sw "+1"', ['u02']],
  ['groups[display eq "ADMINS"]', ['u01', 'u02']],
  ['groups.value eq "g02"', ['u01', 'u04', 'u06']],
  ['groups pr', ['u01', 'u02', 'u04', 'u06', 'u09']],
  ['not (groups pr)', ['u03', 'u05', 'u07', 'u08', 'u10']],
  ['groups.display sw "admin"', ['u01', 'u02', 'u09']],
  ['groups.type eq "direct"', ['u01', 'u02', 'u04', 'u06', 'u09']],
  // F8: extension and fully qualified core attributes
  [`${ENTERPRISE}:employeeNumber eq "1001"`, ['u01']],
  [`${ENTERPRISE}:employeeNumber gt "2"`, ['u05']],
  [`${ENTERPRISE}:department co "&"`, ['u01']],
  [`${ENTERPRISE}:manager.value eq "u02"`, ['u01']],
  [`${ENTERPRISE.toUpperCase()}:COSTCENTER eq "42"`, ['u07']],
  ['urn:ietf:params:scim:schemas:core:2.0:User:name.givenName sw "j"', ['u10']],
  // literal substrings: no LIKE/GLOB wildcards
  ['userName co "_100%"', ['u03']],
  ['userName co "%"', ['u03']],
  ['userName co "_"', ['u03']],
  ['displayName co "50% off_"', ['u09']],
  ['displayName co "0%_"', []],
  ['userName sw "eve*?[1]"', ['u05']],
  ['userName co "*"', ['u05']],
  ['userName co "?"', ['u05']],
  ['userName co "["', ['u05']],
  ['userName co "[1]"', ['u05']],
  ['userName co "[a-z]"', []],
  ['userName co "\\\\"', []],
  ['userName sw ""', userIds],
  ['title co ""', ['u01', 'u02', 'u03', 'u06', 'u10']],
  ['title ew ""', ['u01', 'u02', 'u03', 'u06', 'u10']],
  [`name.familyName eq "o'hara"`, ['u03']],
  ['userName eq "HÉIDI@X.COM"', ['u08']],
  ['userName eq "x\') or 1=1 --"', []],
];

const groupCases: [string, string[]][] = [
  ['displayName eq "admins"', ['g01']],
  ['displayName eq "ADMINS"', ['g01']],
  ['DisplayName sw "Admins"', ['g01', 'g05']],
  ['displayName sw "admins" and not (displayName ew "LEGACY")', ['g01']],
  ['displayName co "100%"', ['g04']],
  ['displayName co "%"', ['g04']],
  ['externalId eq "grp-1"', ['g01']],
  ['externalId eq "GRP-1"', []],
  ['externalId pr', ['g01', 'g02']],
  ['id eq "g03"', ['g03']],
  ['members pr', ['g01', 'g02', 'g04', 'g05']],
  ['not (members pr)', ['g03']],
  ['members eq null', ['g03']],
  ['members[value eq "u01"]', ['g01', 'g02']],
  ['members eq "u02"', ['g01', 'g04']],
  ['members.value eq "u06"', ['g02']],
  ['members[value eq "u01" or value eq "u09"]', ['g01', 'g02', 'g05']],
  ['members[value eq "u01" and value eq "u06"]', []],
  ['members.value eq "u01" and members.value eq "u06"', ['g02']],
  ['members.display co "brown"', ['g01', 'g04']],
  ['members.display eq "FRANK"', ['g02']],
  ['members[type eq "User"]', ['g01', 'g02', 'g04', 'g05']],
  ['meta.resourceType eq "Group"', groupIds],
  ['meta.created gt "2026-01-01T00:00:00Z"', groupIds],
  ['urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "empty"', ['g03']],
];

for (const dialect of dialects) {
  describe(`compileScimFilter on ${dialect}`, () => {
    const database = () => databases.find((d) => d.dialect === dialect)!;

    for (const [text, expected] of userCases) {
      it(`User: ${text}`, async () => assert.deepEqual(await matching(database(), 'User', parseFilter(text)), expected));
    }
    for (const [text, expected] of groupCases) {
      it(`Group: ${text}`, async () => assert.deepEqual(await matching(database(), 'Group', parseFilter(text)), expected));
    }

    it('compiles userName eq to an index-friendly equality on user_name_key, with a bound parameter', () => {
      const { db } = database();
      const query = db
        .selectFrom('scim_users')
        .select('id')
        .where(compileScimFilter(parseFilter('userName eq "ALICE@X.COM"'), { resource: 'User', dialect }))
        .compile();
      const placeholder = dialect === 'postgres' ? '$1' : '?';
      assert.equal(query.sql, `select "id" from "scim_users" where "scim_users"."user_name_key" = ${placeholder}`);
      assert.deepEqual(query.parameters, ['alice@x.com']);
    });

    it('binds every value as a parameter', () => {
      const { db } = database();
      const evil = `x'); drop table scim_users; --`;
      const filter = parseFilter(
        `displayName co ${JSON.stringify(evil)} or emails[value sw ${JSON.stringify(evil)}] or ${ENTERPRISE}:department ew ${JSON.stringify(evil)}`,
      );
      const query = db.selectFrom('scim_users').select('id').where(compileScimFilter(filter, { resource: 'User', dialect })).compile();
      assert.ok(!query.sql.includes('drop table'));
      assert.equal(query.parameters.length, 3);
    });
  });
}

describe('compileScimFilter: SQLite query plan', () => {
  it('userName eq uses the unique index', async () => {
    const { db } = databases.find((d) => d.dialect === 'sqlite')!;
    const where = compileScimFilter(parseFilter('userName eq "Bob@X.com"'), { resource: 'User', dialect: 'sqlite' });
    const { rows } = await sql<{ detail: string }>`explain query plan select id from scim_users where directory_id = ${DIRECTORY} and ${where}`.execute(db);
    assert.match(rows.map((r) => r.detail).join('\n'), /USING INDEX scim_users_user_name/);
  });
});

describe('compileScimFilter: rejected filters', () => {
  const rejected: [Resource, string, string, RegExp][] = [
    ['User', 'nosuch eq "x"', 'invalidFilter', /Unknown attribute "nosuch"/],
    ['User', 'name.nosuch eq "x"', 'invalidFilter', /Unknown sub-attribute/],
    ['User', 'urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "x"', 'invalidFilter', /Unknown schema/],
    ['User', 'schemas eq "x"', 'invalidFilter', /Unknown attribute/],
    ['User', 'password eq "secret"', 'sensitive', /password/],
    ['User', 'password pr', 'sensitive', /password/],
    ['User', 'meta.location pr', 'invalidFilter', /cannot be used in a filter/],
    ['User', 'meta.version eq "W/\\"1\\""', 'invalidFilter', /cannot be used in a filter/],
    ['User', 'meta eq "x"', 'invalidFilter', /cannot be used in a filter/],
    ['User', 'name eq "x"', 'invalidFilter', /complex attribute/],
    ['User', `${ENTERPRISE}:manager eq "x"`, 'invalidFilter', /complex attribute/],
    ['User', 'addresses co "x"', 'invalidFilter', /no "value" sub-attribute/],
    ['User', 'name[givenName eq "x"]', 'invalidFilter', /multi-valued complex/],
    ['User', 'title[value eq "x"]', 'invalidFilter', /multi-valued complex/],
    ['User', 'emails[value.x eq "a"]', 'invalidFilter', /must be a sub-attribute name/],
    ['User', `emails[${ENTERPRISE}:value eq "a"]`, 'invalidFilter', /must be a sub-attribute name/],
    ['User', 'emails[nosuch eq "a"]', 'invalidFilter', /Unknown sub-attribute "emails.nosuch"/],
    ['User', 'groups.$ref pr', 'invalidFilter', /cannot be used in a filter/],
    ['User', 'active gt true', 'invalidFilter', /"gt" cannot compare the boolean attribute "active"/],
    ['User', 'active co true', 'invalidFilter', /boolean/],
    ['User', 'active eq "true"', 'invalidFilter', /needs true or false/],
    ['User', 'emails.primary eq 1', 'invalidFilter', /needs true or false/],
    ['User', 'title eq true', 'invalidFilter', /needs a quoted string/],
    ['User', 'title gt 5', 'invalidFilter', /needs a quoted string/],
    ['User', 'title gt null', 'invalidFilter', /cannot compare with null/],
    ['User', 'meta.created gt "2026-01-03"', 'invalidFilter', /ISO-8601/],
    ['User', 'meta.created gt "2026-01-03T10:00:00"', 'invalidFilter', /ISO-8601/],
    ['User', 'meta.created gt "2026-02-30T00:00:00Z"', 'invalidFilter', /ISO-8601/],
    ['User', 'meta.created gt "2026-01-03T24:00:00Z"', 'invalidFilter', /ISO-8601/],
    ['User', 'meta.created gt "2026-01-03T10:00:00+25:00"', 'invalidFilter', /ISO-8601/],
    ['User', 'meta.created gt 1700000000', 'invalidFilter', /date-time/],
    ['User', 'meta.created sw "2026"', 'invalidFilter', /"sw" cannot compare the dateTime/],
    ['User', 'userName eq "a\\u0000b"', 'invalidFilter', /NUL/],
    ['Group', 'userName eq "x"', 'invalidFilter', /Unknown attribute/],
    ['Group', 'members.$ref eq "x"', 'invalidFilter', /cannot be used in a filter/],
  ];
  for (const [resource, text, scimType, message] of rejected) {
    it(`${resource}: ${text}`, () => {
      for (const dialect of dialects) assertRejects(() => compileScimFilter(parseFilter(text), { resource, dialect }), scimType, message);
    });
  }

  it('rejects nested valuePaths built without the parser', () => {
    const inner: Filter = { kind: 'valuePath', path: { name: 'emails', text: 'emails' }, filter: { kind: 'present', path: { name: 'value', text: 'value' } } };
    const outer: Filter = { kind: 'valuePath', path: { name: 'emails', text: 'emails' }, filter: inner };
    assertRejects(() => compileScimFilter(outer, { resource: 'User', dialect: 'sqlite' }), 'invalidFilter', /cannot contain another valuePath/);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Sorting

const userSorts: [string, boolean, string[]][] = [
  ['userName', false, ['u01', 'u02', 'u03', 'u04', 'u05', 'u06', 'u07', 'u08', 'u09', 'u10']],
  ['userName', true, ['u10', 'u09', 'u08', 'u07', 'u06', 'u05', 'u04', 'u03', 'u02', 'u01']],
  ['title', false, ['u03', 'u01', 'u06', 'u10', 'u02', 'u04', 'u05', 'u07', 'u08', 'u09']],
  ['title', true, ['u04', 'u05', 'u07', 'u08', 'u09', 'u02', 'u10', 'u01', 'u06', 'u03']],
  ['emails', false, ['u01', 'u02', 'u04', 'u05', 'u09', 'u10', 'u03', 'u06', 'u07', 'u08']],
  ['emails.type', false, ['u01', 'u02', 'u04', 'u09', 'u10', 'u03', 'u05', 'u06', 'u07', 'u08']],
  ['meta.created', false, ['u10', 'u01', 'u02', 'u03', 'u04', 'u05', 'u06', 'u07', 'u08', 'u09']],
  ['meta.lastModified', true, ['u01', 'u10', 'u09', 'u08', 'u07', 'u06', 'u05', 'u04', 'u03', 'u02']],
  ['active', false, ['u02', 'u08', 'u10', 'u01', 'u03', 'u04', 'u05', 'u06', 'u07', 'u09']],
  ['name.familyName', false, ['u01', 'u02', 'u03', 'u10', 'u04', 'u05', 'u06', 'u07', 'u08', 'u09']],
  ['Name.GivenName', true, ['u03', 'u04', 'u05', 'u06', 'u07', 'u08', 'u09', 'u10', 'u02', 'u01']],
  [`${ENTERPRISE}:employeeNumber`, false, ['u01', 'u02', 'u05', 'u10', 'u03', 'u04', 'u06', 'u07', 'u08', 'u09']],
  ['groups.value', false, ['u01', 'u02', 'u04', 'u06', 'u09', 'u10', 'u03', 'u05', 'u07', 'u08']],
  ['groups.display', true, ['u10', 'u03', 'u05', 'u07', 'u08', 'u04', 'u06', 'u09', 'u01', 'u02']],
  // caseExact: by code point, upper case first
  ['externalId', false, ['u02', 'u01', 'u04', 'u06', 'u10', 'u03', 'u05', 'u07', 'u08', 'u09']],
];

const groupSorts: [string, boolean, string[]][] = [
  ['displayName', false, ['g01', 'g05', 'g03', 'g02', 'g04']],
  ['members', false, ['g01', 'g02', 'g04', 'g05', 'g03']],
  ['members.display', false, ['g01', 'g02', 'g04', 'g05', 'g03']],
  ['members.display', true, ['g03', 'g05', 'g04', 'g01', 'g02']],
];

for (const dialect of dialects) {
  describe(`compileScimSort on ${dialect}`, () => {
    const database = () => databases.find((d) => d.dialect === dialect)!;
    for (const [sortBy, descending, expected] of userSorts) {
      it(`User: ${sortBy} ${descending ? 'descending' : 'ascending'}`, async () => {
        assert.deepEqual(await sorted(database(), 'User', sortBy, descending), expected);
      });
    }
    for (const [sortBy, descending, expected] of groupSorts) {
      it(`Group: ${sortBy} ${descending ? 'descending' : 'ascending'}`, async () => {
        assert.deepEqual(await sorted(database(), 'Group', sortBy, descending), expected);
      });
    }
  });
}

describe('compileScimSort: rejected attributes', () => {
  const rejected: [Resource, string, string][] = [
    ['User', 'nosuch', 'invalidValue'],
    ['User', 'name', 'invalidValue'],
    ['User', 'addresses', 'invalidValue'],
    ['User', 'meta.location', 'invalidValue'],
    ['User', 'emails[type eq "work"]', 'invalidValue'],
    ['User', 'password', 'sensitive'],
    ['Group', 'members.$ref', 'invalidValue'],
    ['Group', 'userName', 'invalidValue'],
  ];
  for (const [resource, sortBy, scimType] of rejected) {
    it(`${resource}: ${sortBy}`, () => assertRejects(() => compileScimSort(sortBy, { resource, dialect: 'postgres' }), scimType));
  }
});

// ---------------------------------------------------------------------------------------------------------
// Properties: well-typed filters run on both dialects with the same result; nothing else than ScimError escapes

const textValue = fc.oneof(
  fc.constantFrom('alice@x.com', 'BOB@X.COM', 'work', 'home', 'Engineer', 'admin', 'Paris', 'u01', 'g02', 'Admins', '1001', '%', '_', '*', '[', "'", ''),
  fc.string({ unit: fc.constantFrom('a', 'B', 'e', 'x', '@', '.', '%', '_', '*', '?', '[', ']', '\\', "'", '"', ' ', 'é', '1'), maxLength: 6 }),
);
const dateValue = fc
  .date({ min: new Date('2025-12-01T00:00:00Z'), max: new Date('2026-04-01T00:00:00Z'), noInvalidDate: true })
  .chain((date) =>
    fc.constantFrom(
      date.toISOString(),
      date.toISOString().replace('.000Z', 'Z'),
      new Date(date.getTime() + 3_600_000).toISOString().replace('Z', '+01:00'),
    ),
  );
const textOps = fc.constantFrom<CompareOp>('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le');
const orderOps = fc.constantFrom<CompareOp>('eq', 'ne', 'gt', 'ge', 'lt', 'le');
const equalityOps = fc.constantFrom<CompareOp>('eq', 'ne');

type Leaf = fc.Arbitrary<Filter>;
const path = (text: string) => {
  const colon = text.lastIndexOf(':');
  const [name, sub] = text.slice(colon + 1).split('.') as [string, string | undefined];
  return { ...(colon >= 0 ? { uri: text.slice(0, colon) } : {}), name, ...(sub ? { sub } : {}), text };
};
const compare = (paths: string[], ops: fc.Arbitrary<CompareOp>, values: fc.Arbitrary<string | boolean>): Leaf =>
  fc.record({ kind: fc.constant('compare' as const), path: fc.constantFrom(...paths).map(path), op: ops, value: values });
const present = (paths: string[]): Leaf => fc.record({ kind: fc.constant('present' as const), path: fc.constantFrom(...paths).map(path) });
const isNull = (paths: string[]): Leaf =>
  fc.record({ kind: fc.constant('compare' as const), path: fc.constantFrom(...paths).map(path), op: equalityOps, value: fc.constant(null) });

function leaves(textPaths: string[], booleanPaths: string[], datePaths: string[], presentPaths: string[]): Leaf[] {
  return [
    compare(textPaths, textOps, textValue),
    ...(booleanPaths.length > 0 ? [compare(booleanPaths, equalityOps, fc.boolean())] : []),
    ...(datePaths.length > 0 ? [compare(datePaths, orderOps, dateValue)] : []),
    present([...textPaths, ...booleanPaths, ...datePaths, ...presentPaths]),
    isNull([...textPaths, ...presentPaths]),
  ];
}

function tree(leaf: Leaf[], valuePaths: [string, Leaf[]][]): fc.Arbitrary<Filter> {
  const inner = (leafs: Leaf[]) =>
    fc.letrec<{ f: Filter }>((tie) => ({
      f: fc.oneof(
        { depthSize: 'small' },
        ...leafs,
        fc.record({ kind: fc.constant('and' as const), filters: fc.array(tie('f'), { minLength: 2, maxLength: 3 }) }),
        fc.record({ kind: fc.constant('or' as const), filters: fc.array(tie('f'), { minLength: 2, maxLength: 3 }) }),
        fc.record({ kind: fc.constant('not' as const), filter: tie('f') }),
      ),
    })).f;
  const valuePath = fc.constantFrom(...valuePaths).chain(([attribute, leafs]) =>
    fc.record({ kind: fc.constant('valuePath' as const), path: fc.constant(path(attribute)), filter: inner(leafs) }),
  );
  return inner([...leaf, valuePath]);
}

const userFilter = tree(
  leaves(
    ['userName', 'externalId', 'id', 'displayName', 'title', 'userType', 'name.givenName', 'name.familyName', 'emails', 'emails.value', 'emails.type',
      'phoneNumbers.value', 'roles.value', 'addresses.locality', 'groups.value', 'groups.display', 'groups.type', 'meta.resourceType',
      `${ENTERPRISE}:employeeNumber`, `${ENTERPRISE}:department`, `${ENTERPRISE}:manager.value`],
    ['active', 'emails.primary', 'addresses.primary'],
    ['meta.created', 'meta.lastModified'],
    ['name', 'emails', 'addresses', 'groups', `${ENTERPRISE}:manager`],
  ),
  [
    ['emails', leaves(['value', 'type', 'display'], ['primary'], [], [])],
    ['addresses', leaves(['locality', 'type', 'country'], ['primary'], [], [])],
    ['groups', leaves(['value', 'display', 'type'], [], [], [])],
  ],
);

const groupFilter = tree(
  leaves(['displayName', 'externalId', 'id', 'members', 'members.value', 'members.display', 'members.type', 'meta.resourceType'], [], ['meta.created'], ['members']),
  [['members', leaves(['value', 'display', 'type'], [], [], [])]],
);

/** Syntactically valid filters over any path, operator and value: mostly ill-typed, to exercise rejection. */
const anyPath = [
  'userName', 'USERNAME', 'name', 'name.givenName', 'name.nosuch', 'emails', 'emails.value', 'emails.primary', 'emails.$ref', 'addresses',
  'active', 'password', 'meta', 'meta.created', 'meta.location', 'meta.version', 'groups', 'groups.$ref', 'members', 'members.display',
  'members.$ref', 'displayName', 'externalId', 'id', 'x509Certificates.value', 'schemas', 'nosuch', 'value', 'primary', 'display', 'type',
  `${ENTERPRISE}:manager`, `${ENTERPRISE}:manager.displayName`, `${ENTERPRISE}:employeeNumber`, `urn:ietf:params:scim:schemas:core:2.0:Group:members`,
];
const anyValue = fc.oneof(textValue, dateValue, fc.boolean(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null));
const anyLeaf: Leaf[] = [
  fc.record({ kind: fc.constant('compare' as const), path: fc.constantFrom(...anyPath).map(path), op: textOps, value: anyValue }),
  present(anyPath),
];
const anyFilter = tree(anyLeaf, ['emails', 'members', 'groups', 'name', 'addresses', 'active', 'nosuch'].map((attribute) => [attribute, anyLeaf]));

/** Token soup from filter fragments, so that random input reaches the compiler too. */
const soup = fc
  .array(
    fc.oneof(
      fc.constantFrom('(', ')', '[', ']', 'and', 'or', 'not', 'pr', 'eq', 'ne', 'co', 'gt', 'true', 'null', '.value', '"x"', '"2026-01-01T00:00:00Z"', '1'),
      fc.constantFrom('userName', 'USERNAME', 'emails', 'emails.primary', 'name', 'name.givenName', 'active', 'password', 'meta.created', 'meta.location'),
      fc.constantFrom('members', 'members.$ref', 'groups', 'addresses', 'nosuch', `${ENTERPRISE}:manager`, `${ENTERPRISE}:employeeNumber`, ENTERPRISE),
      fc.string({ maxLength: 3 }),
    ),
    { minLength: 1, maxLength: 16 },
  )
  .map((parts) => parts.join(' '));

describe('properties', () => {
  for (const [resource, arbitrary, all] of [['User', userFilter, userIds], ['Group', groupFilter, groupIds]] as const) {
    it(`random well-typed ${resource} filters run, agree across dialects, and "not" is the complement`, async () => {
      await fc.assert(
        fc.asyncProperty(arbitrary, async (filter) => {
          const results = [];
          for (const database of databases) {
            const ids = await matching(database, resource, filter);
            const complement = await matching(database, resource, { kind: 'not', filter });
            assert.deepEqual(complement, except([...all], ...ids), `not (…) on ${database.dialect}`);
            results.push(ids);
          }
          assert.deepEqual(results[1], results[0], 'sqlite and postgres disagree');
        }),
        { numRuns: 300 },
      );
    });
  }

  it('random valid-syntax filters on any path never produce anything but a 400 ScimError', async () => {
    await fc.assert(
      fc.asyncProperty(anyFilter, fc.constantFrom<Resource>('User', 'Group'), async (filter, resource) => {
        for (const database of databases) {
          try {
            await matching(database, resource, filter);
          } catch (error) {
            if (!(error instanceof ScimError) || error.status !== 400) throw error;
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('random input never produces anything but a 400 ScimError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(soup, fc.string({ unit: 'binary', maxLength: 60 })), fc.constantFrom<Resource>('User', 'Group'), async (text, resource) => {
        for (const database of databases) {
          try {
            await matching(database, resource, parseFilter(text));
          } catch (error) {
            if (!(error instanceof ScimError) || error.status !== 400) throw error;
          }
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('sortBy: any attribute path either sorts on both dialects or is a 400 ScimError', async () => {
    const sortBy = fc.oneof(
      fc.constantFrom('userName', 'emails.display', 'phoneNumbers', 'roles.primary', 'addresses.locality', 'x509Certificates', 'meta.resourceType'),
      fc.constantFrom('groups', 'groups.type', 'members', 'members.type', 'displayName', 'ims.type', `${ENTERPRISE}:manager.displayName`, `${ENTERPRISE}:manager.$ref`),
      fc.string({ maxLength: 12 }),
    );
    await fc.assert(
      fc.asyncProperty(sortBy, fc.constantFrom<Resource>('User', 'Group'), fc.boolean(), async (attribute, resource, descending) => {
        const results = [];
        for (const database of databases) {
          try {
            results.push(await sorted(database, resource, attribute, descending));
          } catch (error) {
            if (!(error instanceof ScimError) || error.status !== 400) throw error;
          }
        }
        if (results.length === 2) assert.deepEqual(results[1], results[0]);
      }),
      { numRuns: 300 },
    );
  });
});
