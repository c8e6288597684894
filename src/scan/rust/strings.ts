/**
 * The values of Rust string literals, decoded as rustc does: escapes, `\` line continuations,
 * and `\r\n` read as `\n` (rustc normalises line endings before lexing). Malformed literals give
 * `undefined` rather than a guess, so a scanner never matches SQL against text the compiler
 * would reject.
 */
import { detached } from '../../util/text.js';
import { TokenFlag, TokenKind, type TokenStream } from './tokens.js';

/** Where a literal's contents lie in the source: after the prefix, hashes and opening quote, before the closing ones. */
export interface ContentSpan {
  start: number;
  end: number;
}

type Mode = 'str' | 'byte' | 'c';

const PREFIX_LENGTH: Partial<Record<number, number>> = {
  [TokenKind.Str]: 0,
  [TokenKind.RawStr]: 1,
  [TokenKind.ByteStr]: 1,
  [TokenKind.RawByteStr]: 2,
  [TokenKind.CStr]: 1,
  [TokenKind.RawCStr]: 2,
};

function modeOf(kind: number): Mode {
  if (kind === TokenKind.ByteStr || kind === TokenKind.RawByteStr) return 'byte';
  if (kind === TokenKind.CStr || kind === TokenKind.RawCStr) return 'c';
  return 'str';
}

function isRaw(kind: number): boolean {
  return kind === TokenKind.RawStr || kind === TokenKind.RawByteStr || kind === TokenKind.RawCStr;
}

/** The contents of a closed string literal token (any of the six kinds); undefined for other or unclosed tokens. */
export function stringContentSpan(tokens: TokenStream, i: number): ContentSpan | undefined {
  const kind = tokens.kind(i);
  const prefix = PREFIX_LENGTH[kind];
  if (prefix === undefined || tokens.hasFlag(i, TokenFlag.Unterminated)) return undefined;
  const source = tokens.source;
  let start = tokens.start(i) + prefix;
  if (isRaw(kind)) {
    let hashes = 0;
    while (source.charCodeAt(start) === 35) {
      hashes++;
      start++;
    }
    start++;
    // The token ends with the closing quote and hashes, then perhaps a suffix: find the quote.
    const closing = '"' + '#'.repeat(hashes);
    return { start, end: source.indexOf(closing, start) };
  }
  start++;
  let at = start;
  for (;;) {
    const c = source.charCodeAt(at);
    if (c === 34) return { start, end: at };
    at += c === 92 ? 2 : 1;
  }
}

/**
 * The value of a string literal token as rustc sees it. Byte strings come back one char per
 * byte (U+0000..U+00FF); C strings come back as text, their `\x80`..`\xff` escapes as
 * U+0080..U+00FF. Undefined for a malformed or unclosed literal, or a token that is not one.
 */
export function decodeStringLiteral(tokens: TokenStream, i: number): string | undefined {
  const span = stringContentSpan(tokens, i);
  if (span === undefined) return undefined;
  const kind = tokens.kind(i);
  const body = tokens.source.slice(span.start, span.end);
  const value = isRaw(kind) ? decodeRawBody(body, modeOf(kind)) : unescapeBody(body, modeOf(kind));
  // Values outlive the file's facts (statements, topics, URLs): they must not pin its text.
  return value === undefined ? undefined : detached(value);
}

function decodeRawBody(body: string, mode: Mode): string | undefined {
  for (let at = body.indexOf('\r'); at >= 0; at = body.indexOf('\r', at + 1)) {
    // A bare CR is an error in raw literals too; CRLF is a normalised line end.
    if (body.charCodeAt(at + 1) !== 10) return undefined;
  }
  if (mode === 'byte' && /[^\u0000-\u007f]/.test(body)) return undefined;
  if (mode === 'c' && body.includes('\u0000')) return undefined;
  return body.includes('\r') ? body.replace(/\r\n/g, '\n') : body;
}

/** Escapes rustc accepts in (byte/C) strings; anything else after `\` is an error. */
const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '0': '\0', "'": "'", '"': '"' };

function unescapeBody(body: string, mode: Mode): string | undefined {
  let out = '';
  let runStart = 0;
  let at = 0;
  const length = body.length;
  while (at < length) {
    const c = body.charCodeAt(at);
    if (c === 92) {
      out += body.slice(runStart, at);
      const escape = body[at + 1] ?? '';
      const simple = SIMPLE_ESCAPES[escape];
      if (simple !== undefined) {
        if (mode === 'c' && escape === '0') return undefined;
        out += simple;
        at += 2;
      } else if (escape === 'x') {
        const value = parseHex(body, at + 2, at + 4);
        if (value === undefined || (mode === 'str' && value > 0x7f) || (mode === 'c' && value === 0)) return undefined;
        out += String.fromCharCode(value);
        at += 4;
      } else if (escape === 'u') {
        const decoded = unicodeEscape(body, at + 2);
        if (decoded === undefined || mode === 'byte' || (mode === 'c' && decoded.value === 0)) return undefined;
        out += String.fromCodePoint(decoded.value);
        at = decoded.end;
      } else if (escape === '\n' || (escape === '\r' && body.charCodeAt(at + 2) === 10)) {
        // A line continuation: the newline and all whitespace after it vanish.
        at += 1;
        while (at < length) {
          const w = body.charCodeAt(at);
          if (w === 32 || w === 9 || w === 10 || w === 13) at++;
          else break;
        }
      } else {
        return undefined;
      }
      runStart = at;
    } else if (c === 13) {
      if (body.charCodeAt(at + 1) !== 10) return undefined;
      out += body.slice(runStart, at);
      at++;
      runStart = at;
    } else {
      if (mode === 'byte' && c > 0x7f) return undefined;
      if (mode === 'c' && c === 0) return undefined;
      at++;
    }
  }
  return out + body.slice(runStart);
}

function parseHex(text: string, from: number, to: number): number | undefined {
  if (to > text.length) return undefined;
  let value = 0;
  for (let at = from; at < to; at++) {
    const digit = hexValue(text.charCodeAt(at));
    if (digit < 0) return undefined;
    value = value * 16 + digit;
  }
  return value;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

/** `\u{...}` from just after the `u`: 1 to 6 hex digits, `_` allowed after the first, a scalar value. */
function unicodeEscape(text: string, at: number): { value: number; end: number } | undefined {
  if (text.charCodeAt(at) !== 123) return undefined;
  at++;
  let digits = 0;
  let value = 0;
  for (;;) {
    const c = text.charCodeAt(at);
    if (c === 125) break;
    if (c === 95 && digits > 0) {
      at++;
      continue;
    }
    const digit = hexValue(c);
    if (digit < 0 || ++digits > 6) return undefined;
    value = value * 16 + digit;
    at++;
  }
  if (digits === 0 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return undefined;
  return { value, end: at + 1 };
}
