import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { ScimError } from '../scim/errors.js';
import type { AttrPath, CompareOp, Filter, FilterValue } from '../scim/filter/ast.js';
import type { AttributeDef } from '../scim/schema/attribute.js';
import { findAttribute, PathError, resolveAttributePath, resolveSubAttribute } from '../scim/schema/resolve-path.js';
import { groupResource, userResource, type ResourceSchema } from '../scim/schema/resource-types.js';
import type { Dialect } from './database.js';

export type { Dialect };

/**
 * SCIM filters and sortBy → parameterised SQL over `scim_users` / `scim_groups` (RFC 7644 §3.4.2.2, §3.4.2.3),
 * for SQLite and PostgreSQL alike. The tables are referenced unaliased, so the caller's query must select
 * from `scim_users` or `scim_groups` without an alias. Every filter value is a bound parameter; the only
 * literals are column names and JSON keys, which come from the schema definitions, never from the request.
 *
 * Semantics, where the RFC leaves a choice:
 * - String comparisons honour `caseExact`: false compares `lower()` of both sides (ASCII folding in both
 *   databases), except that User `userName` and Group `displayName` compare their stored lower-cased key
 *   columns with the literal lower-cased in JavaScript (so `userName eq` uses the unique index).
 *   `co`/`sw`/`ew` are literal (`%`, `_`, `*` match themselves).
 * - `ne` on a single-valued attribute is `not eq`: it matches resources where the attribute is absent.
 * - A multi-valued attribute matches when any of its values matches (`emails.value ne "a"` finds resources
 *   with at least one email other than "a"); without a sub-attribute the `value` sub-attribute is meant.
 * - `x eq null` is `not (x pr)` and `x ne null` is `x pr`; `pr` means not null, not "", not an empty array.
 * - `not (f)` is true when `f` is false or unknown: absent attributes never make `not` unknown.
 * - `gt`/`ge`/`lt`/`le` compare strings by code point, numbers numerically and dateTimes chronologically
 *   (the literal must be an ISO-8601 date-time with a time zone; fractions beyond milliseconds are truncated).
 *   Booleans and complex attributes only support `eq`/`ne`/`pr`; `co`/`sw`/`ew` need a string attribute.
 * - Each literal must have the attribute's type (a boolean needs `true`/`false`, a string a quoted string).
 * - Not filterable: `meta.location`, `meta.version`, `$ref` of members and groups, and `returned:"never"`
 *   attributes (the latter with scimType `sensitive`).
 * Errors are 400 ScimErrors with scimType `invalidFilter`.
 */

export interface ScimSqlOptions {
  resource: 'User' | 'Group';
  dialect: Dialect;
}

/** The WHERE condition for `filter` (a parsed SCIM filter) on `scim_users` or `scim_groups`. */
export function compileScimFilter(filter: Filter, opts: ScimSqlOptions): RawBuilder<SqlBool> {
  return new ScimSqlCompiler(opts, 'invalidFilter').filter(filter, undefined);
}

/**
 * The ORDER BY expressions for `sortBy` (RFC 7644 §3.4.2.3): order by each returned expression, in order,
 * with the requested direction. The first one puts resources without a value last when ascending and first
 * when descending, identically in both dialects. A multi-valued attribute sorts by its primary value, else
 * its first. The caller must append the tie-breakers `created_at, id` so that pages are stable.
 * An unknown or unsortable attribute is a 400 ScimError with scimType `invalidValue` (`sensitive` for
 * `returned:"never"` attributes).
 */
export function compileScimSort(sortBy: string, opts: ScimSqlOptions): RawBuilder<unknown>[] {
  const value = new ScimSqlCompiler(opts, 'invalidValue').sortValue(sortBy);
  return [sql`(${value}) is null`, value];
}

/** An attribute value in SQL, NULL when absent. */
interface Operand {
  expr: RawBuilder<unknown>;
  def: AttributeDef;
  /** the column stores the value lower-cased (`user_name_key`): fold literals in JS, never `lower()` the column */
  folded?: boolean;
}

/** The values of a multi-valued attribute: JSON array elements or membership rows. */
interface Collection {
  attribute: AttributeDef;
  /** the FROM clause of a sub-query over the values */
  from: RawBuilder<unknown>;
  /** its correlation with the outer row, if any */
  where?: RawBuilder<SqlBool>;
  /** primary value first, then in stored order */
  order: RawBuilder<unknown>[];
  /** one sub-attribute of the current value */
  field(sub: AttributeDef): Operand;
}

/** What an attribute path designates. */
type Target =
  | { kind: 'value'; operand: Operand }
  | { kind: 'values'; collection: Collection; sub: AttributeDef | undefined }
  /** a single-valued complex attribute named without a sub-attribute: only `pr` applies */
  | { kind: 'object'; present: RawBuilder<SqlBool> };

/** How membership sub-attributes are read: `value`, `display` (possibly stored lower-cased) and a constant `type`. */
interface MembershipFields {
  value: RawBuilder<unknown>;
  display: RawBuilder<unknown>;
  displayFolded: boolean;
  type: string;
}

type Storage =
  | { kind: 'column'; column: string; folded?: boolean }
  | { kind: 'constant'; value: string }
  | { kind: 'members' | 'groups' }
  | { kind: 'none' };

interface Table {
  name: 'scim_users' | 'scim_groups';
  schema: ResourceSchema;
  /**
   * Attributes kept outside the JSON `attributes` column, by canonical path; a sub-attribute falls back to
   * its parent's entry (`groups.value` → `groups`). Anything else is read from `attributes`.
   */
  storage: Record<string, Storage>;
}

const metaStorage = (resourceType: string): Record<string, Storage> => ({
  meta: { kind: 'none' },
  'meta.created': { kind: 'column', column: 'created_at' },
  'meta.lastModified': { kind: 'column', column: 'updated_at' },
  'meta.resourceType': { kind: 'constant', value: resourceType },
  'meta.location': { kind: 'none' },
  'meta.version': { kind: 'none' },
});

const tables: Record<ScimSqlOptions['resource'], Table> = {
  User: {
    name: 'scim_users',
    schema: userResource,
    storage: {
      id: { kind: 'column', column: 'id' },
      externalId: { kind: 'column', column: 'external_id' },
      userName: { kind: 'column', column: 'user_name_key', folded: true },
      displayName: { kind: 'column', column: 'display_name' },
      active: { kind: 'column', column: 'active' },
      groups: { kind: 'groups' },
      ...metaStorage('User'),
    },
  },
  Group: {
    name: 'scim_groups',
    schema: groupResource,
    storage: {
      id: { kind: 'column', column: 'id' },
      externalId: { kind: 'column', column: 'external_id' },
      displayName: { kind: 'column', column: 'display_name_key', folded: true },
      members: { kind: 'members' },
      ...metaStorage('Group'),
    },
  },
};

const orderingOps: Partial<Record<CompareOp, string>> = { gt: '>', ge: '>=', lt: '<', le: '<=' };

class ScimSqlCompiler {
  readonly #table: Table;
  readonly #json: JsonAccess;
  readonly #postgres: boolean;
  readonly #errorType: 'invalidFilter' | 'invalidValue';

  constructor(opts: ScimSqlOptions, errorType: 'invalidFilter' | 'invalidValue') {
    this.#table = tables[opts.resource];
    this.#postgres = opts.dialect === 'postgres';
    this.#json = this.#postgres ? postgresJson : sqliteJson;
    this.#errorType = errorType;
  }

  /** Compiles `filter`; inside a valuePath, `scope` holds the values its paths are relative to. */
  filter(filter: Filter, scope: Collection | undefined): RawBuilder<SqlBool> {
    switch (filter.kind) {
      case 'and':
      case 'or':
        return sql`(${sql.join(filter.filters.map((f) => this.filter(f, scope)), sql.raw(` ${filter.kind} `))})`;
      case 'not':
        return not(this.filter(filter.filter, scope));
      case 'present':
        return this.#present(this.#target(filter.path, scope));
      case 'compare':
        return this.#compare(this.#target(filter.path, scope), filter.op, filter.value, filter.path);
      case 'valuePath': {
        if (scope) throw this.#fail(`A valuePath cannot contain another valuePath ("${filter.path.text}")`);
        const target = this.#target(filter.path, undefined);
        if (target.kind !== 'values' || target.sub || target.collection.attribute.type !== 'complex') {
          throw this.#fail(`"${filter.path.text}[…]" needs a multi-valued complex attribute`);
        }
        return exists(target.collection, this.filter(filter.filter, target.collection));
      }
    }
  }

  /** The sort key for `sortBy`; see compileScimSort. */
  sortValue(sortBy: string): RawBuilder<unknown> {
    const target = this.#target(sortBy, undefined);
    if (target.kind === 'object') throw this.#fail(`Cannot sort by the complex attribute "${sortBy}"; name a sub-attribute`);
    if (target.kind === 'value') return this.#sortKey(target.operand);
    const { collection } = target;
    const operand = collection.field(target.sub ?? this.#valueSub(collection, sortBy));
    return first(collection, this.#sortKey(operand));
  }

  #sortKey({ expr, def, folded }: Operand): RawBuilder<unknown> {
    if (!isText(def) || def.type === 'dateTime') return expr;
    const key = folded || def.caseExact ? expr : sql`lower(${expr})`;
    return this.#postgres ? sql`${key} collate "C"` : key;
  }

  /** Resolves a path (an AST path, or a sortBy string) to what it designates; `scope` is a valuePath's values. */
  #target(path: AttrPath | string, scope: Collection | undefined): Target {
    const text = typeof path === 'string' ? path : path.text;
    if (scope) {
      if (typeof path === 'string' || path.uri !== undefined || path.sub !== undefined) {
        throw this.#fail(`"${text}" inside "${scope.attribute.name}[…]" must be a sub-attribute name`);
      }
      const sub = this.#resolve(() => resolveSubAttribute(scope.attribute, path.name));
      this.#checkReturned(sub, text);
      return { kind: 'value', operand: scope.field(sub) };
    }
    const resolved = this.#resolve(() => resolveAttributePath(this.#table.schema, typeof path === 'string' ? path : pathString(path)));
    const { attribute, sub } = resolved;
    this.#checkReturned(attribute, text);
    if (sub) this.#checkReturned(sub, text);

    const { storage: stored, name: table } = this.#table;
    const storage = resolved.extension ? undefined : (stored[sub ? `${attribute.name}.${sub.name}` : attribute.name] ?? stored[attribute.name]);
    switch (storage?.kind) {
      case 'column':
        return { kind: 'value', operand: { expr: sql.ref(`${table}.${storage.column}`), def: sub ?? attribute, folded: storage.folded ?? false } };
      case 'constant':
        return { kind: 'value', operand: { expr: sql`cast(${sql.lit(storage.value)} as text)`, def: sub ?? attribute } };
      case 'none':
        throw this.#fail(`"${text}" cannot be used in a ${this.#purpose}`);
      case 'members':
        return { kind: 'values', collection: this.#members(attribute), sub };
      case 'groups':
        return { kind: 'values', collection: this.#groups(attribute), sub };
    }
    const root = sql.ref(`${table}.attributes`);
    const keys = resolved.extension ? [resolved.schema, attribute.name] : [attribute.name];
    if (attribute.multiValued) return { kind: 'values', collection: this.#jsonValues(root, keys, attribute), sub };
    if (!sub && attribute.type === 'complex') return { kind: 'object', present: this.#json.objectPresent(root, keys) };
    const def = sub ?? attribute;
    return { kind: 'value', operand: { expr: this.#json.scalar(root, sub ? [...keys, sub.name] : keys, def), def } };
  }

  #present(target: Target): RawBuilder<SqlBool> {
    switch (target.kind) {
      case 'object':
        return target.present;
      case 'value':
        return present(target.operand);
      case 'values': {
        const { collection, sub } = target;
        return exists(collection, sub ? present(collection.field(sub)) : undefined);
      }
    }
  }

  #compare(target: Target, op: CompareOp, value: FilterValue, path: AttrPath): RawBuilder<SqlBool> {
    if (value === null) {
      if (op === 'eq') return not(this.#present(target));
      if (op === 'ne') return this.#present(target);
      throw this.#fail(`"${op}" cannot compare with null ("${path.text}")`);
    }
    switch (target.kind) {
      case 'object':
        throw this.#fail(`"${path.text}" is a complex attribute; compare one of its sub-attributes`);
      case 'value':
        return this.#compareOperand(target.operand, op, value, path);
      case 'values': {
        const { collection } = target;
        const operand = collection.field(target.sub ?? this.#valueSub(collection, path.text));
        return exists(collection, this.#compareOperand(operand, op, value, path));
      }
    }
  }

  #compareOperand(operand: Operand, op: CompareOp, value: Exclude<FilterValue, null>, path: AttrPath): RawBuilder<SqlBool> {
    const { expr, def } = operand;
    const substring = op === 'co' || op === 'sw' || op === 'ew';
    const unsupported = () => this.#fail(`"${op}" cannot compare the ${def.type} attribute "${path.text}"`);
    const mismatch = (expected: string) =>
      this.#fail(`"${path.text}" is a ${def.type} attribute: "${op}" needs ${expected}, not ${JSON.stringify(value)}`);
    switch (def.type) {
      case 'complex':
        throw this.#fail(`"${path.text}" is a complex attribute; compare one of its sub-attributes`);
      case 'boolean':
        if (typeof value !== 'boolean') throw mismatch('true or false');
        if (op !== 'eq' && op !== 'ne') throw unsupported();
        return comparison(expr, op, sql`${value ? 1 : 0}`);
      case 'integer':
      case 'decimal':
        if (typeof value !== 'number') throw mismatch('a number');
        if (substring) throw unsupported();
        return comparison(expr, op, sql`${value}`);
      case 'dateTime': {
        if (typeof value !== 'string') throw mismatch('a quoted date-time');
        if (substring) throw unsupported();
        const instant = normalizeDateTime(value);
        if (instant === undefined) throw mismatch('an ISO-8601 date-time with a time zone');
        return comparison(expr, op, sql`${instant}`);
      }
      default:
        if (typeof value !== 'string') throw mismatch('a quoted string');
        // PostgreSQL text cannot hold NUL; reject it in both dialects alike
        if (value.includes('\0')) throw this.#fail(`The value for "${path.text}" contains a NUL character`);
        return this.#compareText(operand, op, value);
    }
  }

  #compareText({ expr, def, folded }: Operand, op: CompareOp, value: string): RawBuilder<SqlBool> {
    const lowerBoth = !folded && !def.caseExact;
    const column = lowerBoth ? sql`lower(${expr})` : expr;
    const literal = (text: string) => (lowerBoth ? sql`lower(${text})` : sql`${text}`);
    const folding = folded ? value.toLowerCase() : value;
    if (op === 'co' || op === 'sw' || op === 'ew') {
      const pattern = (this.#postgres ? escapeLike : escapeGlob)(folding);
      const any = this.#postgres ? '%' : '*';
      const full = `${op === 'sw' ? '' : any}${pattern}${op === 'ew' ? '' : any}`;
      return this.#postgres ? sql`${column} like ${literal(full)} escape '\\'` : sql`${column} glob ${literal(full)}`;
    }
    if (op === 'eq' || op === 'ne') return comparison(column, op, literal(folding));
    return comparison(this.#postgres ? sql`${column} collate "C"` : column, op, literal(folding));
  }

  /** The `value` sub-attribute meant by a multi-valued attribute named without a sub-attribute. */
  #valueSub(collection: Collection, text: string): AttributeDef {
    const value = findAttribute(collection.attribute.subAttributes ?? [], 'value');
    if (!value) throw this.#fail(`"${text}" has no "value" sub-attribute; name one`);
    return value;
  }

  #jsonValues(root: RawBuilder<unknown>, keys: string[], attribute: AttributeDef): Collection {
    const { from, element, index } = this.#json.elements(root, keys);
    const primary = findAttribute(attribute.subAttributes ?? [], 'primary');
    return {
      attribute,
      from,
      order: primary ? [sql`coalesce(${this.#json.scalar(element, [primary.name], primary)}, 0) desc`, index] : [index],
      field: (sub) => ({ expr: this.#json.scalar(element, [sub.name], sub), def: sub }),
    };
  }

  /** A Group's members: rows of scim_group_members, with the member user for `display`. */
  #members(attribute: AttributeDef): Collection {
    return {
      attribute,
      from: sql`scim_group_members m left join scim_users u on u.id = m.user_id`,
      where: sql`m.group_id = scim_groups.id`,
      order: [sql`m.created_at`, sql`m.user_id`],
      field: (sub) =>
        this.#membershipField(sub, { value: sql`m.user_id`, display: sql`coalesce(u.display_name, u.user_name)`, displayFolded: false, type: 'User' }),
    };
  }

  /** A User's groups: the groups whose members include the user (direct memberships only). */
  #groups(attribute: AttributeDef): Collection {
    return {
      attribute,
      from: sql`scim_group_members m join scim_groups g on g.id = m.group_id`,
      where: sql`m.user_id = scim_users.id`,
      order: [sql`m.created_at`, sql`m.group_id`],
      field: (sub) => this.#membershipField(sub, { value: sql`m.group_id`, display: sql`g.display_name_key`, displayFolded: true, type: 'direct' }),
    };
  }

  #membershipField(sub: AttributeDef, fields: MembershipFields): Operand {
    switch (sub.name) {
      case 'value':
        return { expr: fields.value, def: sub };
      case 'display':
        return { expr: fields.display, def: sub, folded: fields.displayFolded };
      case 'type':
        return { expr: sql`cast(${sql.lit(fields.type)} as text)`, def: sub };
      default:
        throw this.#fail(`"${sub.name}" of a membership cannot be used in a ${this.#purpose}`);
    }
  }

  #resolve<T>(resolve: () => T): T {
    try {
      return resolve();
    } catch (error) {
      if (error instanceof PathError) throw this.#fail(`${error.message.charAt(0).toUpperCase()}${error.message.slice(1)}`);
      throw error;
    }
  }

  #checkReturned(def: AttributeDef, text: string): void {
    if (def.returned === 'never') throw new ScimError(400, `"${text}" cannot be used in a ${this.#purpose}`, 'sensitive');
  }

  get #purpose(): string {
    return this.#errorType === 'invalidFilter' ? 'filter' : 'sortBy';
  }

  #fail(message: string): ScimError {
    return new ScimError(400, message, this.#errorType);
  }
}

/** JSON access in one dialect. `keys` are canonical names from the schema definitions, emitted as literals. */
interface JsonAccess {
  /** the scalar at `keys` below `doc`: text for strings, 1/0 for booleans, a number for numbers; else NULL */
  scalar(doc: RawBuilder<unknown>, keys: string[], def: AttributeDef): RawBuilder<unknown>;
  /** the value at `keys` is a non-empty object */
  objectPresent(doc: RawBuilder<unknown>, keys: string[]): RawBuilder<SqlBool>;
  /** a FROM item over the elements of the array at `keys`, each element as a document, with its array index */
  elements(doc: RawBuilder<unknown>, keys: string[]): { from: RawBuilder<unknown>; element: RawBuilder<unknown>; index: RawBuilder<unknown> };
}

const sqliteJson: JsonAccess = {
  scalar(doc, keys, def) {
    const path = sqlitePath(keys);
    if (def.type === 'integer' || def.type === 'decimal') {
      return sql`(case when json_type(${doc}, ${path}) in ('integer', 'real') then json_extract(${doc}, ${path}) end)`;
    }
    return sql`json_extract(${doc}, ${path})`;
  },
  objectPresent(doc, keys) {
    const path = sqlitePath(keys);
    return sql`(json_type(${doc}, ${path}) = 'object' and json_extract(${doc}, ${path}) <> '{}')`;
  },
  elements(doc, keys) {
    return {
      from: sql`json_each(${doc}, ${sqlitePath(keys)}) as e`,
      // a non-object element (not valid JSON text on its own) has no sub-attributes
      element: sql`(case e.type when 'object' then e.value end)`,
      index: sql`e.key`,
    };
  },
};

const postgresJson: JsonAccess = {
  scalar(doc, keys, def) {
    const text = postgresPath(doc, keys, true);
    if (def.type === 'boolean') return sql`(case ${text} when 'true' then 1 when 'false' then 0 end)`;
    if (def.type === 'integer' || def.type === 'decimal') {
      return sql`(case when jsonb_typeof(${postgresPath(doc, keys, false)}) = 'number' then (${text})::numeric end)`;
    }
    return sql`(${text})`;
  },
  objectPresent(doc, keys) {
    const value = postgresPath(doc, keys, false);
    return sql`(jsonb_typeof(${value}) = 'object' and ${value} <> '{}'::jsonb)`;
  },
  elements(doc, keys) {
    const array = postgresPath(doc, keys, false);
    return {
      from: sql`jsonb_array_elements(case jsonb_typeof(${array}) when 'array' then ${array} end) with ordinality as e(value, n)`,
      element: sql`e.value`,
      index: sql`e.n`,
    };
  },
};

/** `$."name"."givenName"`, as a literal */
function sqlitePath(keys: string[]): RawBuilder<unknown> {
  return sql.lit(`$${keys.map((key) => `."${key}"`).join('')}`);
}

/** `doc -> 'name' ->> 'givenName'` (`asText`) or `doc -> 'name' -> 'givenName'` */
function postgresPath(doc: RawBuilder<unknown>, keys: string[], asText: boolean): RawBuilder<unknown> {
  return keys.reduce<RawBuilder<unknown>>(
    (path, key, i) => (asText && i === keys.length - 1 ? sql`${path} ->> ${sql.lit(key)}` : sql`${path} -> ${sql.lit(key)}`),
    doc,
  );
}

/** Some value of `collection` satisfies `condition` (or, without one, there is a value). */
function exists(collection: Collection, condition: RawBuilder<SqlBool> | undefined): RawBuilder<SqlBool> {
  return sql`exists (select 1 from ${collection.from}${whereClause(collection, condition)})`;
}

/** `expr` for the first value of `collection`, in its order. */
function first(collection: Collection, expr: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`(select ${expr} from ${collection.from}${whereClause(collection, undefined)} order by ${sql.join(collection.order)} limit 1)`;
}

function whereClause(collection: Collection, condition: RawBuilder<SqlBool> | undefined): RawBuilder<unknown> {
  const conditions = [collection.where, condition].filter((c) => c !== undefined);
  return conditions.length > 0 ? sql` where ${sql.join(conditions, sql` and `)}` : sql``;
}

/** True when `condition` is false or unknown (NULL). */
function not(condition: RawBuilder<SqlBool>): RawBuilder<SqlBool> {
  return sql`((${condition}) is not true)`;
}

function comparison(left: RawBuilder<unknown>, op: CompareOp, right: RawBuilder<unknown>): RawBuilder<SqlBool> {
  if (op === 'eq') return sql`${left} = ${right}`;
  if (op === 'ne') return not(sql`${left} = ${right}`);
  return sql`${left} ${sql.raw(orderingOps[op]!)} ${right}`;
}

function present({ expr, def }: Operand): RawBuilder<SqlBool> {
  return isText(def) ? sql`${expr} <> ''` : sql`${expr} is not null`;
}

function isText(def: AttributeDef): boolean {
  return def.type === 'string' || def.type === 'reference' || def.type === 'binary' || def.type === 'dateTime';
}

function pathString(path: AttrPath): string {
  return `${path.uri === undefined ? '' : `${path.uri}:`}${path.name}${path.sub === undefined ? '' : `.${path.sub}`}`;
}

/** A literal for SQLite GLOB: `*`, `?` and `[` match themselves. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[]/g, (c) => `[${c}]`);
}

/** A literal for `LIKE … ESCAPE '\'`. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/**
 * An ISO-8601 / RFC 3339 date-time with a time zone, as stored: `YYYY-MM-DDTHH:mm:ss.sssZ` in UTC.
 * Undefined when the text is not one, or names an impossible date or time.
 */
function normalizeDateTime(text: string): string | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const offsetHours = Number(m[9] ?? 0);
  const offsetMinutes = Number(m[10] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  const sign = m[8] === '-' ? -1 : 1;
  const instant = new Date(date.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000).toISOString();
  return /^\d{4}-/.test(instant) ? instant : undefined;
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}
