import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ScimError } from '../../src/scim/errors.js';
import type { AttrPath, CompareOp, Filter, FilterValue } from '../../src/scim/filter/ast.js';
import { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, parseFilter } from '../../src/scim/filter/parse-filter.js';
import { parsePatchPath } from '../../src/scim/filter/parse-path.js';

const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** `path('name.givenName')`, `path('urn:…:User:manager.value')`: the AttrPath the parser should produce. */
function path(text: string): AttrPath {
  const colon = text.lastIndexOf(':');
  const uri = colon >= 0 ? text.slice(0, colon) : undefined;
  const [name, sub] = text.slice(colon + 1).split('.') as [string, string | undefined];
  return { ...(uri ? { uri } : {}), name, ...(sub ? { sub } : {}), text };
}
const cmp = (p: string, op: CompareOp, value: FilterValue): Filter => ({ kind: 'compare', path: path(p), op, value });
const pr = (p: string): Filter => ({ kind: 'present', path: path(p) });
const and = (...filters: Filter[]): Filter => ({ kind: 'and', filters });
const or = (...filters: Filter[]): Filter => ({ kind: 'or', filters });
const not = (filter: Filter): Filter => ({ kind: 'not', filter });
const vp = (p: string, filter: Filter): Filter => ({ kind: 'valuePath', path: path(p), filter });

function assertScimError(fn: () => unknown, scimType: string, message?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ScimError, `expected a ScimError, got ${String(error)}`);
    assert.equal(error.status, 400);
    assert.equal(error.scimType, scimType);
    if (message) assert.match(error.message, message);
    return true;
  });
}

describe('parseFilter: RFC 7644 §3.4.2.2 examples', () => {
  const examples: [string, Filter][] = [
    ['userName eq "bjensen"', cmp('userName', 'eq', 'bjensen')],
    [`name.familyName co "O'Malley"`, cmp('name.familyName', 'co', "O'Malley")],
    ['userName sw "J"', cmp('userName', 'sw', 'J')],
    [`${CORE_USER}:userName sw "J"`, cmp(`${CORE_USER}:userName`, 'sw', 'J')],
    ['title pr', pr('title')],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'gt', '2011-05-13T04:42:34Z')],
    ['meta.lastModified ge "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'ge', '2011-05-13T04:42:34Z')],
    ['meta.lastModified lt "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'lt', '2011-05-13T04:42:34Z')],
    ['meta.lastModified le "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'le', '2011-05-13T04:42:34Z')],
    ['title pr and userType eq "Employee"', and(pr('title'), cmp('userType', 'eq', 'Employee'))],
    ['title pr or userType eq "Intern"', or(pr('title'), cmp('userType', 'eq', 'Intern'))],
    [`schemas eq "${ENTERPRISE}"`, cmp('schemas', 'eq', ENTERPRISE)],
    [
      'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
      and(cmp('userType', 'eq', 'Employee'), or(cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org'))),
    ],
    [
      'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
      and(cmp('userType', 'ne', 'Employee'), not(or(cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org')))),
    ],
    ['userType eq "Employee" and (emails.type eq "work")', and(cmp('userType', 'eq', 'Employee'), cmp('emails.type', 'eq', 'work'))],
    [
      'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
      and(cmp('userType', 'eq', 'Employee'), vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com')))),
    ],
    [
      'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
      or(
        vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com'))),
        vp('ims', and(cmp('type', 'eq', 'xmpp'), cmp('value', 'co', '@foo.com'))),
      ),
    ],
  ];
  for (const [text, expected] of examples) {
    it(text, () => assert.deepEqual(parseFilter(text), expected));
  }
});

describe('parseFilter: checklist F3–F9', () => {
  it('F3/F4: keeps attribute names as written (resolution is case-insensitive later)', () => {
    assert.deepEqual(parseFilter('USERNAME eq "ALICE@X"'), cmp('USERNAME', 'eq', 'ALICE@X'));
    assert.deepEqual(parseFilter('name.FamilyName eq "x"'), cmp('name.FamilyName', 'eq', 'x'));
    assert.deepEqual(parseFilter('emails.Value co "@x"'), cmp('emails.Value', 'co', '@x'));
  });

  it('F5: every operator, and typed values', () => {
    for (const op of ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'] as const) {
      assert.deepEqual(parseFilter(`title ${op} "x"`), cmp('title', op, 'x'));
    }
    assert.deepEqual(parseFilter('active eq true'), cmp('active', 'eq', true));
    assert.deepEqual(parseFilter('active gt false'), cmp('active', 'gt', false), 'typing is the compiler’s job');
    assert.deepEqual(parseFilter('title eq null'), cmp('title', 'eq', null));
    assert.deepEqual(parseFilter('x eq 42'), cmp('x', 'eq', 42));
    assert.deepEqual(parseFilter('title pr'), pr('title'));
  });

  it('F6: and binds tighter than or; parentheses; not (…) with and without a space', () => {
    assert.deepEqual(parseFilter('a eq 1 or b eq 2 and c eq 3'), or(cmp('a', 'eq', 1), and(cmp('b', 'eq', 2), cmp('c', 'eq', 3))));
    assert.deepEqual(parseFilter('a eq 1 and b eq 2 or c eq 3'), or(and(cmp('a', 'eq', 1), cmp('b', 'eq', 2)), cmp('c', 'eq', 3)));
    assert.deepEqual(parseFilter('(a eq 1 or b eq 2) and c eq 3'), and(or(cmp('a', 'eq', 1), cmp('b', 'eq', 2)), cmp('c', 'eq', 3)));
    assert.deepEqual(parseFilter('not (a pr)'), not(pr('a')));
    assert.deepEqual(parseFilter('not(a pr)'), not(pr('a')));
    assert.deepEqual(parseFilter('not(a pr) and not ( b pr )'), and(not(pr('a')), not(pr('b'))));
    assert.deepEqual(parseFilter('((a pr))'), pr('a'));
  });

  it('F6: and/or are flattened', () => {
    assert.deepEqual(parseFilter('a pr and b pr and c pr'), and(pr('a'), pr('b'), pr('c')));
    assert.deepEqual(parseFilter('a pr and (b pr and c pr)'), and(pr('a'), pr('b'), pr('c')));
    assert.deepEqual(parseFilter('(a pr or b pr) or c pr'), or(pr('a'), pr('b'), pr('c')));
  });

  it('F7: valuePaths, and attr[filter].sub desugared', () => {
    assert.deepEqual(parseFilter('members[value eq "id"]'), vp('members', cmp('value', 'eq', 'id')));
    assert.deepEqual(
      parseFilter('emails[type eq "work"].value co "@x"'),
      vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@x'))),
    );
    assert.deepEqual(
      parseFilter('emails[type eq "work" or primary eq true].value pr'),
      vp('emails', and(or(cmp('type', 'eq', 'work'), cmp('primary', 'eq', true)), pr('value'))),
    );
    assert.deepEqual(
      parseFilter('emails[type eq "work" and primary eq true].value eq "a"'),
      vp('emails', and(cmp('type', 'eq', 'work'), cmp('primary', 'eq', true), cmp('value', 'eq', 'a'))),
    );
    assert.deepEqual(parseFilter('emails[not (type eq "work")]'), vp('emails', not(cmp('type', 'eq', 'work'))));
    assert.deepEqual(parseFilter('x eq 1 and emails[value pr] or y pr'), or(and(cmp('x', 'eq', 1), vp('emails', pr('value'))), pr('y')));
    assert.deepEqual(parseFilter(`${ENTERPRISE}:manager[value eq "m"]`), vp(`${ENTERPRISE}:manager`, cmp('value', 'eq', 'm')));
  });

  it('F8: URN-qualified attribute paths', () => {
    assert.deepEqual(parseFilter(`${ENTERPRISE}:employeeNumber eq "1"`), cmp(`${ENTERPRISE}:employeeNumber`, 'eq', '1'));
    assert.deepEqual(parseFilter(`${CORE_USER}:name.givenName eq "A"`), cmp(`${CORE_USER}:name.givenName`, 'eq', 'A'));
    assert.deepEqual(parseFilter(`${ENTERPRISE}:manager.$ref pr`), pr(`${ENTERPRISE}:manager.$ref`));
    const parsed = parseFilter(`${ENTERPRISE}:employeeNumber pr`);
    assert.ok(parsed.kind === 'present');
    assert.equal(parsed.path.uri, ENTERPRISE);
    assert.equal(parsed.path.name, 'employeeNumber');
  });

  it('F9: invalid syntax is a 400 invalidFilter with a position', () => {
    const invalid: [string, RegExp][] = [
      ['(((', /position 4/],
      ['userName eq bjensen', /strings must be in double quotes.*position 13/],
      [`userName eq 'bjensen'`, /double quotes.*position 13/],
      ['userName regex "x"', /Unknown operator "regex".*position 10/],
      ['userName eq "x" extra', /Unexpected "extra".*position 17/],
      ['userName eq "x")', /Unexpected "\)"/],
      ['(userName eq "x"', /Expected "\)" to close "\(" at position 1/],
      ['emails[type eq "work"', /Expected "\]" to close "\["/],
      ['emails[type eq "work"]]', /Unexpected "\]"/],
      ['emails[]', /found "\]"/],
      ['', /Empty filter/],
      ['   ', /Empty filter/],
      ['userName pr "x"', /Unexpected/],
      ['userName eq', /Expected a value.*end of input/],
      ['userName', /Expected an operator/],
      ['and', /Expected an operator/],
      ['userName eq "x" and', /Expected an attribute path/],
      ['userName eq "x" or or', /Expected an operator/],
      ['not userName eq "x"', /Expected "\(" after "not"/],
      ['emails[addresses[type eq "work"]]', /cannot contain another valuePath/],
      ['emails[type eq "a"][value pr]', /Unexpected "\["/],
      ['emails.value[type eq "a"]', /without sub-attribute/],
      ['name.givenName.x eq "a"', /Invalid attribute path/],
      ['1abc eq "a"', /Invalid number/],
      ['_a eq "a"', /Invalid attribute path/],
      ['a:b eq "a"', /starts with "urn:"/],
      ['urn::x eq "a"', /Invalid schema URN/],
      ['a eq 01', /Invalid number/],
      ['a eq 1.', /Invalid number/],
      ['a eq -', /Invalid number/],
      ['a eq +1', /Unexpected character "\+"/],
      ['a eq "\\x"', /Invalid escape/],
      ['a eq "\\u12G4"', /Invalid \\u escape/],
      ['a eq "tab\there"', /Control characters/],
      ['a eq "open', /Unterminated string at position 6/],
      ['a eq "\\', /Unterminated string/],
      ['a eq 1e999', /out of range/],
      ['emails[type eq "work"].', /Invalid sub-attribute/],
      ['a eq @', /Unexpected character "@"/],
    ];
    for (const [text, message] of invalid) assertScimError(() => parseFilter(text), 'invalidFilter', message);
  });
});

describe('parseFilter: lexical details', () => {
  it('keywords, operators and literals are case-insensitive', () => {
    assert.deepEqual(
      parseFilter('userName EQ "x" AND title PR OR NOT (active Eq TRUE) or a ne False or b eq NULL'),
      or(and(cmp('userName', 'eq', 'x'), pr('title')), not(cmp('active', 'eq', true)), cmp('a', 'ne', false), cmp('b', 'eq', null)),
    );
  });

  it('attribute names may look like keywords', () => {
    assert.deepEqual(parseFilter('and eq 1 and or pr'), and(cmp('and', 'eq', 1), pr('or')));
    assert.deepEqual(parseFilter('not eq "x"'), cmp('not', 'eq', 'x'));
    assert.deepEqual(parseFilter('pr pr'), pr('pr'));
  });

  it('decodes every JSON string escape', () => {
    assert.deepEqual(
      parseFilter('a eq "\\"q\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u00e9 \\u00E9 \\uD83D\\uDE00 é 😀"'),
      cmp('a', 'eq', '"q" \\ / \b\f\n\r\t é é 😀 é 😀'),
    );
    assert.deepEqual(parseFilter('a eq ""'), cmp('a', 'eq', ''));
    assert.deepEqual(parseFilter('a eq "]) and ("'), cmp('a', 'eq', ']) and ('));
  });

  it('reads JSON numbers', () => {
    const numbers: [string, number][] = [['0', 0], ['-1', -1], ['1.5', 1.5], ['1e3', 1000], ['-0.5E-2', -0.005], ['12345678901234567890', 12345678901234567890]];
    for (const [text, value] of numbers) assert.deepEqual(parseFilter(`a gt ${text}`), cmp('a', 'gt', value));
  });

  it('accepts any whitespace between tokens, and none where tokens are self-delimiting', () => {
    assert.deepEqual(parseFilter('\t a  eq\n"x"\r\n'), cmp('a', 'eq', 'x'));
    assert.deepEqual(parseFilter('(a eq"x")and(b pr)'), and(cmp('a', 'eq', 'x'), pr('b')));
  });
});

describe('parseFilter: limits', () => {
  const nested = (depth: number) => `${'('.repeat(depth)}a pr${')'.repeat(depth)}`;

  it(`accepts ${MAX_FILTER_DEPTH} levels of nesting and rejects more`, () => {
    assert.deepEqual(parseFilter(nested(MAX_FILTER_DEPTH)), pr('a'));
    assertScimError(() => parseFilter(nested(MAX_FILTER_DEPTH + 1)), 'invalidFilter', /Nested deeper than 50 levels at position 51/);
    const nots = `${'not ('.repeat(MAX_FILTER_DEPTH + 1)}a pr${')'.repeat(MAX_FILTER_DEPTH + 1)}`;
    assertScimError(() => parseFilter(nots), 'invalidFilter', /Nested deeper/);
  });

  it(`rejects filters longer than ${MAX_FILTER_LENGTH} characters without a stack overflow`, () => {
    assertScimError(() => parseFilter(`a eq "${'x'.repeat(MAX_FILTER_LENGTH)}"`), 'invalidFilter', /Filter is longer than 4096/);
    assertScimError(() => parseFilter('('.repeat(MAX_FILTER_LENGTH)), 'invalidFilter', /Nested deeper/);
    assertScimError(() => parseFilter('('.repeat(1_000_000)), 'invalidFilter', /Filter is longer than/);
    assert.deepEqual(parseFilter(`a eq "${'x'.repeat(MAX_FILTER_LENGTH - 7)}"`), cmp('a', 'eq', 'x'.repeat(MAX_FILTER_LENGTH - 7)));
  });

  it('long flat and/or chains do not recurse', () => {
    const chain = Array.from({ length: 300 }, (_, i) => `a${i} pr`).join(' or ');
    const parsed = parseFilter(chain);
    assert.ok(parsed.kind === 'or');
    assert.equal(parsed.filters.length, 300);
  });
});

describe('parsePatchPath', () => {
  const paths: [string, ReturnType<typeof parsePatchPath>][] = [
    ['members', { path: path('members') }],
    ['name.givenName', { path: path('name.givenName') }],
    ['Name.GivenName', { path: path('Name.GivenName') }],
    ['emails[type eq "work"].value', { path: path('emails'), filter: cmp('type', 'eq', 'work'), sub: 'value' }],
    ['addresses[type eq "work"].formatted', { path: path('addresses'), filter: cmp('type', 'eq', 'work'), sub: 'formatted' }],
    ['members[value eq "a"]', { path: path('members'), filter: cmp('value', 'eq', 'a') }],
    ['members[value eq "a" or value eq "b"]', { path: path('members'), filter: or(cmp('value', 'eq', 'a'), cmp('value', 'eq', 'b')) }],
    [`${ENTERPRISE}:manager`, { path: path(`${ENTERPRISE}:manager`) }],
    [`${ENTERPRISE}:manager.value`, { path: path(`${ENTERPRISE}:manager.value`) }],
    [`${ENTERPRISE}:employeeNumber`, { path: path(`${ENTERPRISE}:employeeNumber`) }],
    [`${CORE_USER}:userName`, { path: path(`${CORE_USER}:userName`) }],
    [ENTERPRISE, { path: { uri: ENTERPRISE, name: '', text: ENTERPRISE } }],
    ['urn:ietf:params:scim:schemas:extension:acme:1:Device', { path: { uri: 'urn:ietf:params:scim:schemas:extension:acme:1:Device', name: '', text: 'urn:ietf:params:scim:schemas:extension:acme:1:Device' } }],
  ];
  for (const [text, expected] of paths) {
    it(text, () => assert.deepEqual(parsePatchPath(text), expected));
  }

  it('rejects invalid paths with invalidPath', () => {
    const invalid: [string, RegExp][] = [
      ['', /Empty PATCH path/],
      ['members members', /Unexpected "members" \(expected the end of the path\)/],
      ['members[value eq "a"', /Expected "\]"/],
      ['members[value eq a]', /double quotes/],
      ['members[value regex "a"]', /Unknown operator/],
      ['emails[type eq "work"].value.x', /Invalid sub-attribute/],
      ['emails[type eq "work"].value eq "x"', /Unexpected "eq"/],
      ['name.givenName[value pr]', /without sub-attribute/],
      [`${ENTERPRISE}[value pr]`, /needs an attribute name without sub-attribute/],
      ['emails[value pr] and x pr', /Unexpected "and"/],
      ['(members)', /Expected an attribute path/],
      ['members[addresses[type pr]]', /another valuePath/],
    ];
    for (const [text, message] of invalid) assertScimError(() => parsePatchPath(text), 'invalidPath', message);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties

/** Prints a filter so that `parseFilter(print(f))` gives `normalize(f)` back. */
function print(filter: Filter): string {
  switch (filter.kind) {
    case 'compare':
      return `${filter.path.text} ${filter.op} ${JSON.stringify(filter.value)}`;
    case 'present':
      return `${filter.path.text} pr`;
    case 'and':
      return filter.filters.map((f) => (f.kind === 'or' ? `(${print(f)})` : print(f))).join(' and ');
    case 'or':
      return filter.filters.map(print).join(' or ');
    case 'not':
      return `not (${print(filter.filter)})`;
    case 'valuePath':
      return `${filter.path.text}[${print(filter.filter)}]`;
  }
}

/** Flattens nested and/or as the parser does, into plain objects (fast-check records have no prototype). */
function normalize(filter: Filter): Filter {
  switch (filter.kind) {
    case 'and':
    case 'or': {
      const kind = filter.kind;
      return { kind, filters: filter.filters.map(normalize).flatMap((f) => (f.kind === kind ? f.filters : [f])) };
    }
    case 'not':
      return { kind: 'not', filter: normalize(filter.filter) };
    case 'valuePath':
      return { kind: 'valuePath', path: { ...filter.path }, filter: normalize(filter.filter) };
    case 'compare':
      return { kind: 'compare', path: { ...filter.path }, op: filter.op, value: filter.value };
    case 'present':
      return { kind: 'present', path: { ...filter.path } };
  }
}

const nameArb = fc.oneof(
  fc.constantFrom('userName', 'name', 'emails', 'value', 'type', '$ref', 'and', 'or', 'not', 'pr', 'eq', 'true', 'null', 'x-y_z9'),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,12}$/),
);
const pathArb: fc.Arbitrary<AttrPath> = fc
  .record({
    uri: fc.option(fc.constantFrom(CORE_USER, ENTERPRISE, 'urn:acme:ext:v1:Thing'), { nil: undefined }),
    name: nameArb,
    sub: fc.option(nameArb, { nil: undefined }),
  })
  .map(({ uri, name, sub }) => ({
    ...(uri ? { uri } : {}),
    name,
    ...(sub ? { sub } : {}),
    text: `${uri ? `${uri}:` : ''}${name}${sub ? `.${sub}` : ''}`,
  }));
const valueArb: fc.Arbitrary<FilterValue> = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
  fc.boolean(),
  fc.constant(null),
);
const opArb = fc.constantFrom<CompareOp>('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le');

function filterArb(inValuePath: boolean): fc.Arbitrary<Filter> {
  return fc.letrec<{ filter: Filter }>((tie) => ({
    filter: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ kind: fc.constant('compare' as const), path: pathArb, op: opArb, value: valueArb }),
      fc.record({ kind: fc.constant('present' as const), path: pathArb }),
      fc.record({ kind: fc.constant('and' as const), filters: fc.array(tie('filter'), { minLength: 2, maxLength: 3 }) }),
      fc.record({ kind: fc.constant('or' as const), filters: fc.array(tie('filter'), { minLength: 2, maxLength: 3 }) }),
      fc.record({ kind: fc.constant('not' as const), filter: tie('filter') }),
      ...(inValuePath
        ? []
        : [
            fc.record({
              kind: fc.constant('valuePath' as const),
              path: pathArb.filter((p) => p.sub === undefined),
              filter: filterArb(true),
            }),
          ]),
    ),
  })).filter;
}

/** Token soup: sequences of fragments that look like filters, to reach deep into the parser. */
const soupArb = fc
  .array(
    fc.oneof(
      fc.constantFrom('(', ')', '[', ']', ' ', 'and', 'or', 'not', 'not(', 'pr', 'eq', 'regex', 'true', 'null', '.value', '"', '\\', ':'),
      fc.constantFrom('userName', 'emails', 'name.givenName', `${ENTERPRISE}:manager.value`, ENTERPRISE, 'urn:', '1e5', '-', '01'),
      fc.string({ maxLength: 4 }),
      valueArb.map((v) => JSON.stringify(v)),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(' '));

function onlyScimErrors(parse: (text: string) => unknown, scimType: string) {
  return (text: string) => {
    try {
      parse(text);
    } catch (error) {
      if (!(error instanceof ScimError) || error.status !== 400 || error.scimType !== scimType) throw error;
    }
  };
}

describe('properties', () => {
  it('any string either parses or throws a 400 invalidFilter ScimError', () => {
    const check = onlyScimErrors(parseFilter, 'invalidFilter');
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), check), { numRuns: 2000 });
    fc.assert(fc.property(soupArb, check), { numRuns: 3000 });
    fc.assert(
      fc.property(fc.nat(6000), fc.constantFrom('(', 'not (', 'not(', 'a[', '(a pr) and ('), (depth, open) => check(open.repeat(depth))),
      { numRuns: 200 },
    );
    fc.assert(fc.property(fc.string({ unit: 'grapheme', minLength: 4000, maxLength: 5000 }), check), { numRuns: 20 });
  });

  it('any string either parses as a PATCH path or throws a 400 invalidPath ScimError', () => {
    const check = onlyScimErrors(parsePatchPath, 'invalidPath');
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), check), { numRuns: 1000 });
    fc.assert(fc.property(soupArb, check), { numRuns: 2000 });
  });

  it('printed filters parse back to the same tree', () => {
    fc.assert(
      fc.property(filterArb(false), (filter) => {
        assert.deepEqual(parseFilter(print(filter)), normalize(filter));
      }),
      { numRuns: 2000 },
    );
  });

  it('printed PATCH paths parse back', () => {
    fc.assert(
      fc.property(pathArb.filter((p) => p.sub === undefined), fc.option(filterArb(true), { nil: undefined }), fc.option(nameArb, { nil: undefined }), (p, filter, sub) => {
        const text = filter ? `${p.text}[${print(filter)}]${sub ? `.${sub}` : ''}` : p.text;
        const expected = filter ? { path: { ...p }, filter: normalize(filter), ...(sub ? { sub } : {}) } : { path: { ...p } };
        assert.deepEqual(parsePatchPath(text), expected);
      }),
      { numRuns: 1000 },
    );
  });
});
