import { ScimError } from '../errors.js';
import { compareOps, type AttrPath, type CompareOp, type Filter, type FilterValue } from './ast.js';
import { describeToken, syntaxError, tokenize, type SyntaxErrorType, type Token } from './lexer.js';

/** Longest filter or PATCH path accepted, in characters. */
export const MAX_FILTER_LENGTH = 4096;
/** Deepest nesting of `(…)`, `not (…)` and `[…]` accepted; deeper input is rejected, never a stack overflow. */
export const MAX_FILTER_DEPTH = 50;

const NAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/i;
const VERSION = /^[0-9]+(?:\.[0-9]+)*$/;

/**
 * Parses a SCIM filter (RFC 7644 §3.4.2.2). Keywords and operators are case-insensitive, `and` binds tighter
 * than `or`, and `emails[type eq "work"].value eq "x"` is read as `emails[type eq "work" and value eq "x"]`.
 * Throws a 400 ScimError with scimType `invalidFilter` and the position of the first error.
 */
export function parseFilter(text: string): Filter {
  const parser = new FilterParser(text, 'invalidFilter');
  if (parser.atEnd) throw new ScimError(400, 'Empty filter', 'invalidFilter');
  const filter = parser.filter();
  parser.expectEnd('"and", "or" or the end of the filter');
  return filter;
}

/**
 * Recursive descent over the tokens of one input; `parseFilter` and `parsePatchPath` drive it. Every syntax
 * error is a 400 ScimError carrying the scimType given to the constructor.
 */
export class FilterParser {
  readonly #scimType: SyntaxErrorType;
  readonly #tokens: Token[];
  #position = 0;
  #depth = 0;
  #inValuePath = false;

  constructor(text: string, scimType: SyntaxErrorType) {
    if (text.length > MAX_FILTER_LENGTH) {
      const what = scimType === 'invalidFilter' ? 'Filter' : 'Path';
      throw new ScimError(400, `${what} is longer than ${MAX_FILTER_LENGTH} characters (${text.length})`, scimType);
    }
    this.#scimType = scimType;
    this.#tokens = tokenize(text, scimType);
  }

  get atEnd(): boolean {
    return this.#peek().kind === 'end';
  }

  /** `filter = andExpr *("or" andExpr)` */
  filter(): Filter {
    const filters = [this.#andExpression()];
    while (this.#peekKeyword('or')) {
      this.#take();
      filters.push(this.#andExpression());
    }
    return combine('or', filters);
  }

  /**
   * `attrPath = [URI ":"] ATTRNAME ["." subAttr]`. The URI is everything before the last `:`. With
   * `allowSchemaUrn`, a URN whose last segment follows a version segment (`…:enterprise:2.0:User`) names a
   * whole schema and gives `{ uri: <the URN>, name: '' }`.
   */
  attrPath(allowSchemaUrn = false): AttrPath {
    const token = this.#take();
    if (token.kind !== 'word') throw this.#error(`Expected an attribute path, found ${describeToken(token)}`, token);
    const text = token.text;
    let uri: string | undefined;
    let rest = text;
    if (/^urn:/i.test(text)) {
      const colon = text.lastIndexOf(':');
      uri = text.slice(0, colon);
      rest = text.slice(colon + 1);
      const segments = uri.split(':');
      if (segments.length < 3 || segments.includes('')) throw this.#error(`Invalid schema URN in ${describeToken(token)}`, token);
      if (allowSchemaUrn && NAME.test(rest) && VERSION.test(segments[segments.length - 1]!)) return { uri: text, name: '', text };
    } else if (text.includes(':')) {
      throw this.#error(`Invalid attribute path ${describeToken(token)} (a qualified path starts with "urn:")`, token);
    }
    const [name, sub, ...more] = rest.split('.');
    if (name === undefined || !NAME.test(name) || (sub !== undefined && !NAME.test(sub)) || more.length > 0) {
      throw this.#error(`Invalid attribute path ${describeToken(token)}`, token);
    }
    return { ...(uri === undefined ? {} : { uri }), name, ...(sub === undefined ? {} : { sub }), text };
  }

  /** The `"[" valFilter "]"` after the attribute `path`, if there is one; valuePaths do not nest. */
  valueFilter(path: AttrPath): Filter | undefined {
    const open = this.#peek();
    if (open.kind !== '[') return undefined;
    this.#take();
    if (this.#inValuePath) throw this.#error('A valuePath cannot contain another valuePath', open);
    if (path.name === '' || path.sub !== undefined) {
      throw this.#error(`A valuePath needs an attribute name without sub-attribute, not "${path.text}"`, open);
    }
    return this.#nested(open, () => {
      this.#inValuePath = true;
      const filter = this.filter();
      this.#expect(']', open);
      this.#inValuePath = false;
      return filter;
    });
  }

  /** The optional `.subAttr` right after a valuePath's `]`, as a path relative to the valuePath's attribute. */
  subAttr(): AttrPath | undefined {
    const token = this.#peek();
    if (token.kind !== 'word' || !token.text.startsWith('.')) return undefined;
    this.#take();
    const name = token.text.slice(1);
    if (!NAME.test(name)) throw this.#error(`Invalid sub-attribute ${describeToken(token)}`, token);
    return { name, text: name };
  }

  /** Throws unless every token has been consumed; `expected` says what could have come instead. */
  expectEnd(expected: string): void {
    const token = this.#peek();
    if (token.kind !== 'end') throw this.#error(`Unexpected ${describeToken(token)} (expected ${expected})`, token);
  }

  /** `andExpr = term *("and" term)` */
  #andExpression(): Filter {
    const filters = [this.#term()];
    while (this.#peekKeyword('and')) {
      this.#take();
      filters.push(this.#term());
    }
    return combine('and', filters);
  }

  /** `term = "(" filter ")" / "not" "(" filter ")" / attrExp / valuePath [subAttr compareTail]` */
  #term(): Filter {
    const token = this.#peek();
    if (token.kind === '(') {
      this.#take();
      return this.#nested(token, () => {
        const filter = this.filter();
        this.#expect(')', token);
        return filter;
      });
    }
    if (this.#peekKeyword('not')) {
      const open = this.#peek(1);
      if (open.kind === '(') {
        this.#take();
        this.#take();
        return this.#nested(open, () => {
          const filter = this.filter();
          this.#expect(')', open);
          return { kind: 'not', filter };
        });
      }
      if (open.kind === 'word' && !isOperator(open.text)) throw this.#error('Expected "(" after "not"', open);
    }
    if (token.kind !== 'word') {
      throw this.#error(`Expected an attribute path, "(" or "not (", found ${describeToken(token)}`, token);
    }
    const path = this.attrPath();
    const filter = this.valueFilter(path);
    if (filter === undefined) return this.#comparison(path);
    const sub = this.subAttr();
    if (sub === undefined) return { kind: 'valuePath', path, filter };
    return { kind: 'valuePath', path, filter: combine('and', [filter, this.#comparison(sub)]) };
  }

  /** `attrPath SP ("pr" / compareOp SP compValue)` */
  #comparison(path: AttrPath): Filter {
    const token = this.#take();
    if (token.kind !== 'word') {
      throw this.#error(`Expected an operator after "${path.text}", found ${describeToken(token)}`, token);
    }
    const op = token.text.toLowerCase();
    if (op === 'pr') return { kind: 'present', path };
    if (!isCompareOp(op)) {
      throw this.#error(`Unknown operator ${describeToken(token)} (expected eq, ne, co, sw, ew, gt, ge, lt, le or pr)`, token);
    }
    return { kind: 'compare', path, op, value: this.#value(op) };
  }

  /** `compValue = false / null / true / number / string` */
  #value(op: CompareOp): FilterValue {
    const token = this.#take();
    if (token.kind === 'string' || token.kind === 'number') return token.value;
    if (token.kind === 'word') {
      const word = token.text.toLowerCase();
      if (word === 'true') return true;
      if (word === 'false') return false;
      if (word === 'null') return null;
      throw this.#error(`Expected a value after "${op}", found ${describeToken(token)} (strings must be in double quotes)`, token);
    }
    throw this.#error(`Expected a value after "${op}", found ${describeToken(token)}`, token);
  }

  #nested<T>(open: Token, parse: () => T): T {
    if (++this.#depth > MAX_FILTER_DEPTH) throw this.#error(`Nested deeper than ${MAX_FILTER_DEPTH} levels`, open);
    const result = parse();
    this.#depth--;
    return result;
  }

  #expect(kind: ')' | ']', open: Token): void {
    const token = this.#take();
    if (token.kind !== kind) {
      throw this.#error(`Expected "${kind}" to close "${open.text}" at position ${open.offset + 1}, found ${describeToken(token)}`, token);
    }
  }

  #peek(ahead = 0): Token {
    return this.#tokens[Math.min(this.#position + ahead, this.#tokens.length - 1)]!;
  }

  #peekKeyword(keyword: string): boolean {
    const token = this.#peek();
    return token.kind === 'word' && token.text.toLowerCase() === keyword;
  }

  #take(): Token {
    const token = this.#peek();
    if (token.kind !== 'end') this.#position++;
    return token;
  }

  #error(message: string, token: Token): ScimError {
    return syntaxError(this.#scimType, message, token.offset);
  }
}

function isCompareOp(word: string): word is CompareOp {
  return (compareOps as readonly string[]).includes(word);
}

function isOperator(word: string): boolean {
  const lower = word.toLowerCase();
  return lower === 'pr' || isCompareOp(lower);
}

/** Joins filters with `and` or `or`, flattening nested filters of the same kind. */
function combine(kind: 'and' | 'or', filters: Filter[]): Filter {
  if (filters.length === 1) return filters[0]!;
  return { kind, filters: filters.flatMap((f) => (f.kind === kind ? f.filters : [f])) };
}
