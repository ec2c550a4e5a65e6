import { ScimError } from '../errors.js';

/**
 * Tokens of the SCIM filter and PATCH path grammars (RFC 7644 §3.4.2.2, §3.5.2).
 * Keywords are not told apart here: `and`, `eq`, `pr`, `true`… are words, and the parser decides by position
 * what a word means, so that an attribute may be named like a keyword.
 */
export type Token =
  /** an attribute path (`name.givenName`, `urn:…:User:manager`, `.value` after `]`) or a keyword */
  | { kind: 'word'; text: string; offset: number }
  | { kind: 'string'; text: string; value: string; offset: number }
  | { kind: 'number'; text: string; value: number; offset: number }
  | { kind: '(' | ')' | '[' | ']' | 'end'; text: string; offset: number };

/** Which scimType syntax errors carry: `invalidFilter` for filters, `invalidPath` for PATCH paths. */
export type SyntaxErrorType = 'invalidFilter' | 'invalidPath';

/** A 400 error whose message ends with the 1-based character position of the problem. */
export function syntaxError(scimType: SyntaxErrorType, message: string, offset: number): ScimError {
  return new ScimError(400, `${message} at position ${offset + 1}`, scimType);
}

/** A token as quoted in an error message, shortened so that a huge input is never echoed back. */
export function describeToken(token: Token): string {
  if (token.kind === 'end') return 'end of input';
  const text = token.text.length > 40 ? `${token.text.slice(0, 40)}…` : token.text;
  return JSON.stringify(text);
}

const WORD_CHAR = /[A-Za-z0-9_$:.-]/;
const WORD = /[A-Za-z0-9_$:.-]+/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Map([['"', '"'], ['\\', '\\'], ['/', '/'], ['b', '\b'], ['f', '\f'], ['n', '\n'], ['r', '\r'], ['t', '\t']]);

/** Splits `text` into tokens, ending with an `end` token. Throws a 400 ScimError of `scimType` on bad input. */
export function tokenize(text: string, scimType: SyntaxErrorType): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (WHITESPACE.has(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === '[' || c === ']') {
      tokens.push({ kind: c, text: c, offset: i });
      i++;
    } else if (c === '"') {
      const token = readString(text, i, scimType);
      tokens.push(token);
      i += token.text.length;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      const token = readNumber(text, i, scimType);
      tokens.push(token);
      i += token.text.length;
    } else if (WORD_CHAR.test(c)) {
      WORD.lastIndex = i;
      const word = WORD.exec(text)![0];
      tokens.push({ kind: 'word', text: word, offset: i });
      i += word.length;
    } else {
      const shown = c === "'" ? `"'" (strings must be in double quotes)` : JSON.stringify(String.fromCodePoint(text.codePointAt(i)!));
      throw syntaxError(scimType, `Unexpected character ${shown}`, i);
    }
  }
  tokens.push({ kind: 'end', text: '', offset: text.length });
  return tokens;
}

/** A JSON number (RFC 8259 §6), which must not run into a word (`12ab`). */
function readNumber(text: string, start: number, scimType: SyntaxErrorType): Token {
  NUMBER.lastIndex = start;
  const match = NUMBER.exec(text);
  const end = start + (match ? match[0].length : 0);
  if (!match || WORD_CHAR.test(text.charAt(end))) {
    WORD.lastIndex = start + 1;
    const rest = WORD.exec(text)?.[0] ?? '';
    throw syntaxError(scimType, `Invalid number ${JSON.stringify(text.slice(start, start + 1) + rest)}`, start);
  }
  const value = Number(match[0]);
  if (!Number.isFinite(value)) throw syntaxError(scimType, `Number ${match[0]} is out of range`, start);
  return { kind: 'number', text: match[0], value, offset: start };
}

/** A JSON string (RFC 8259 §7): every escape, no raw control characters. */
function readString(text: string, start: number, scimType: SyntaxErrorType): Token {
  let value = '';
  let i = start + 1;
  let chunk = i;
  for (;;) {
    if (i >= text.length) throw syntaxError(scimType, 'Unterminated string', start);
    const code = text.charCodeAt(i);
    if (code === 0x22) break;
    if (code < 0x20) throw syntaxError(scimType, 'Control characters in strings must be escaped', i);
    if (code !== 0x5c) {
      i++;
      continue;
    }
    value += text.slice(chunk, i);
    const escape = text.charAt(i + 1);
    if (escape === '') throw syntaxError(scimType, 'Unterminated string', start);
    if (escape === 'u') {
      const hex = text.slice(i + 2, i + 6);
      if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw syntaxError(scimType, 'Invalid \\u escape in string', i);
      value += String.fromCharCode(parseInt(hex, 16));
      i += 6;
    } else {
      const decoded = ESCAPES.get(escape);
      if (decoded === undefined) throw syntaxError(scimType, `Invalid escape "\\${escape}" in string`, i);
      value += decoded;
      i += 2;
    }
    chunk = i;
  }
  value += text.slice(chunk, i);
  return { kind: 'string', text: text.slice(start, i + 1), value, offset: start };
}
