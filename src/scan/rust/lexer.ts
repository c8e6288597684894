/**
 * A single-pass Rust lexer following rustc's own lexer (`rustc_lexer`): the same token
 * boundaries for identifiers, lifetimes, literals and comments, so a string literal or a comment
 * is recognised exactly where the compiler sees one. It never throws: unclosed literals and
 * comments carry `TokenFlag.Unterminated`, stray characters become `Unknown` tokens, and
 * unbalanced delimiters have no partner.
 */
import { TokenFlag, TokenKind, TokenStream } from './tokens.js';

const enum Char {
  Tab = 9,
  LineFeed = 10,
  VerticalTab = 11,
  FormFeed = 12,
  CarriageReturn = 13,
  Space = 32,
  Bang = 33,
  DoubleQuote = 34,
  Hash = 35,
  Quote = 39,
  OpenParen = 40,
  CloseParen = 41,
  Star = 42,
  Plus = 43,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Digit0 = 48,
  Digit9 = 57,
  Colon = 58,
  Equals = 61,
  Greater = 62,
  UpperE = 69,
  OpenBracket = 91,
  Backslash = 92,
  CloseBracket = 93,
  Underscore = 95,
  LowerB = 98,
  LowerC = 99,
  LowerE = 101,
  LowerO = 111,
  LowerR = 114,
  LowerX = 120,
  OpenBrace = 123,
  CloseBrace = 125,
}

const ASCII_ID_START = new Uint8Array(128);
const ASCII_ID_CONTINUE = new Uint8Array(128);
const ASCII_PUNCT = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_]/.test(ch)) ASCII_ID_START[c] = 1;
  if (/[A-Za-z0-9_]/.test(ch)) ASCII_ID_CONTINUE[c] = 1;
  if (';,.@#~?:$=!<>-&|+*/^%'.includes(ch)) ASCII_PUNCT[c] = 1;
}
const XID_START = /^\p{XID_Start}$/u;
const XID_CONTINUE = /^\p{XID_Continue}$/u;

/** Rust's `Pattern_White_Space` beyond ASCII: NEL, LRM, RLM, LINE and PARAGRAPH SEPARATOR. */
function isNonAsciiWhitespace(c: number): boolean {
  return c === 0x85 || c === 0x200e || c === 0x200f || c === 0x2028 || c === 0x2029;
}

function isDigit(c: number): boolean {
  return c >= Char.Digit0 && c <= Char.Digit9;
}

function isHexDigit(c: number): boolean {
  return (c >= Char.Digit0 && c <= Char.Digit9) || ((c | 0x20) >= 97 && (c | 0x20) <= 102);
}

/** Length in code units of the identifier-start character at `pos` (`_` or XID_Start), or 0. */
function idStartLength(source: string, pos: number): number {
  const c = source.charCodeAt(pos);
  if (c < 128) return ASCII_ID_START[c]!;
  if (Number.isNaN(c)) return 0;
  const codePoint = source.codePointAt(pos)!;
  if (!XID_START.test(String.fromCodePoint(codePoint))) return 0;
  return codePoint > 0xffff ? 2 : 1;
}

/** The offset just past the XID_Continue characters starting at `pos`. */
function skipIdContinue(source: string, pos: number): number {
  const length = source.length;
  while (pos < length) {
    const c = source.charCodeAt(pos);
    if (c < 128) {
      if (ASCII_ID_CONTINUE[c] === 0) return pos;
      pos++;
    } else {
      const codePoint = source.codePointAt(pos)!;
      if (!XID_CONTINUE.test(String.fromCodePoint(codePoint))) return pos;
      pos += codePoint > 0xffff ? 2 : 1;
    }
  }
  return pos;
}

/** Length in code units of the code point at `pos` (0 at the end of input). */
function codePointLength(source: string, pos: number): number {
  const c = source.charCodeAt(pos);
  if (Number.isNaN(c)) return 0;
  if (c < 0xd800 || c > 0xdbff) return 1;
  const low = source.charCodeAt(pos + 1);
  return low >= 0xdc00 && low <= 0xdfff ? 2 : 1;
}

// The lexer's working state. lexRust is synchronous and never re-entered, so one set of scratch
// buffers serves every call (no per-file allocation while lexing); each result is copied out at
// its exact size. Module-level state also keeps the hot loop free of property loads, which
// matters most in the first milliseconds, before V8 has optimised anything.
const INITIAL_CAPACITY = 4096;
const SCRATCH_KEPT = 1 << 18;
let capacity = 0;
let kinds = new Uint8Array(0);
let starts = new Uint32Array(0);
let ends = new Uint32Array(0);
let flags = new Uint8Array(0);
let matches = new Int32Array(0);
allocateScratch(INITIAL_CAPACITY);
let count = 0;
/** Open delimiters not yet closed, innermost last: the first `openDepth` entries. */
let openDelimiters = new Int32Array(256);
let openDepth = 0;
/** The last significant token was a single `.`: a following number is a tuple index (`x.0.1`). */
let afterDot = false;
/** Whether comments and the shebang become tokens (see `LexOptions.trivia`). */
let keepTrivia = true;

export interface LexOptions {
  /**
   * Emit comments and the shebang as trivia tokens (the default). Without them every token is
   * significant and delimiter partners index the shorter stream: the fact scanner needs no
   * mapping between the two, and each file's arrays are smaller for as long as its facts live.
   */
  trivia?: boolean;
}

/** Tokens of a Rust source text, comments included as trivia unless `options.trivia` is false. Never throws. */
export function lexRust(source: string, options: LexOptions = {}): TokenStream {
  keepTrivia = options.trivia ?? true;
  count = 0;
  openDepth = 0;
  afterDot = false;
  const length = source.length;
  let pos = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  pos = shebang(source, pos);
  while (pos < length) {
    const c = source.charCodeAt(pos);
    if (c === Char.Space || (c >= Char.Tab && c <= Char.CarriageReturn)) {
      pos++;
    } else if (c < 128 && ASCII_ID_START[c] === 1) {
      if (c === Char.LowerR || c === Char.LowerB || c === Char.LowerC) {
        const end = prefixed(source, pos, c);
        if (end > 0) {
          pos = end;
          continue;
        }
      }
      let end = pos + 1;
      while (end < length) {
        const d = source.charCodeAt(end);
        if (d < 128) {
          if (ASCII_ID_CONTINUE[d] === 0) break;
          end++;
        } else {
          end = skipIdContinue(source, end);
          break;
        }
      }
      push(TokenKind.Ident, pos, end, 0);
      pos = end;
    } else if (c < 128 && ASCII_PUNCT[c] === 1) {
      const next = source.charCodeAt(pos + 1);
      if (c === Char.Slash && next === Char.Slash) {
        pos = lineComment(source, pos);
      } else if (c === Char.Slash && next === Char.Star) {
        pos = blockComment(source, pos);
      } else {
        let end = pos + 1;
        if (c === Char.Colon) {
          if (next === Char.Colon) end++;
        } else if (c === Char.Minus || c === Char.Equals) {
          if (next === Char.Greater) end++;
        } else if (c === Char.Dot && next === Char.Dot) {
          const third = source.charCodeAt(pos + 2);
          end = third === Char.Dot || third === Char.Equals ? pos + 3 : pos + 2;
        }
        push(TokenKind.Punct, pos, end, 0);
        if (c === Char.Dot && end === pos + 1) afterDot = true;
        pos = end;
      }
    } else if (c === Char.OpenParen || c === Char.OpenBracket || c === Char.OpenBrace) {
      open(c === Char.OpenParen ? TokenKind.OpenParen : c === Char.OpenBracket ? TokenKind.OpenBracket : TokenKind.OpenBrace, pos);
      pos++;
    } else if (c === Char.CloseParen || c === Char.CloseBracket || c === Char.CloseBrace) {
      close(c === Char.CloseParen ? TokenKind.CloseParen : c === Char.CloseBracket ? TokenKind.CloseBracket : TokenKind.CloseBrace, pos);
      pos++;
    } else if (c === Char.DoubleQuote) {
      pos = quoted(source, pos, pos, TokenKind.Str);
    } else if (isDigit(c)) {
      pos = number(source, pos);
    } else if (c === Char.Quote) {
      pos = lifetimeOrChar(source, pos);
    } else if (c >= 128 && isNonAsciiWhitespace(c)) {
      pos++;
    } else if (c >= 128 && idStartLength(source, pos) > 0) {
      const end = skipIdContinue(source, pos);
      push(TokenKind.Ident, pos, end, 0);
      pos = end;
    } else {
      const end = pos + codePointLength(source, pos);
      push(TokenKind.Unknown, pos, end, 0);
      pos = end;
    }
  }
  const tokens = new TokenStream(
    source,
    count,
    kinds.slice(0, count),
    starts.slice(0, count),
    // Ends and partners are packed by the stream itself; it reads the scratch buffers once.
    ends,
    flags.slice(0, count),
    matches,
  );
  // A huge generated file should not pin its scratch buffers for the rest of the run.
  if (capacity > SCRATCH_KEPT) allocateScratch(INITIAL_CAPACITY);
  return tokens;
}

/** Appends a token; significant tokens end any tuple-index context (the `.` case re-sets it). */
function push(kind: TokenKind, start: number, end: number, flag: number): number {
  // Trivia never reaches open/close, the only callers that use the returned index.
  if (kind >= TokenKind.LineComment && !keepTrivia) return -1;
  if (count === capacity) grow();
  const index = count++;
  kinds[index] = kind;
  starts[index] = start;
  ends[index] = end;
  flags[index] = flag;
  matches[index] = -1;
  if (kind < TokenKind.LineComment) afterDot = false;
  return index;
}

function allocateScratch(size: number): void {
  capacity = size;
  kinds = new Uint8Array(size);
  starts = new Uint32Array(size);
  ends = new Uint32Array(size);
  flags = new Uint8Array(size);
  matches = new Int32Array(size);
}

function grow(): void {
  const old = { kinds, starts, ends, flags, matches };
  allocateScratch(capacity * 2);
  kinds.set(old.kinds);
  starts.set(old.starts);
  ends.set(old.ends);
  flags.set(old.flags);
  matches.set(old.matches);
}

function open(kind: TokenKind, pos: number): void {
  const index = push(kind, pos, pos + 1, 0);
  if (openDepth === openDelimiters.length) {
    const grown = new Int32Array(openDelimiters.length * 2);
    grown.set(openDelimiters);
    openDelimiters = grown;
  }
  openDelimiters[openDepth++] = index;
}

/**
 * Pairs a close delimiter with the innermost open one of its kind. Opens skipped on the way
 * stay unbalanced (`( [ )`), and a close with no open of its kind stays unbalanced (`( ] )`),
 * so one typo does not unpair the rest of the file.
 */
function close(kind: TokenKind, pos: number): void {
  const index = push(kind, pos, pos + 1, 0);
  const openKind = kind - 1;
  for (let depth = openDepth - 1; depth >= 0; depth--) {
    const partner = openDelimiters[depth]!;
    if (kinds[partner] !== openKind) continue;
    matches[partner] = index;
    matches[index] = partner;
    openDepth = depth;
    return;
  }
}

/** `#!...` on the first line is a shebang unless the next real token is `[` (then it is `#![attr]`). */
function shebang(source: string, pos: number): number {
  if (source.charCodeAt(pos) !== Char.Hash || source.charCodeAt(pos + 1) !== Char.Bang) return pos;
  let next = pos + 2;
  for (;;) {
    const c = source.charCodeAt(next);
    if (c === Char.Space || (c >= Char.Tab && c <= Char.CarriageReturn) || isNonAsciiWhitespace(c)) {
      next++;
    } else if (c === Char.Slash && source.charCodeAt(next + 1) === Char.Slash && lineCommentDoc(source, next) === undefined) {
      const lineEnd = source.indexOf('\n', next);
      next = lineEnd < 0 ? source.length : lineEnd;
    } else if (c === Char.Slash && source.charCodeAt(next + 1) === Char.Star && blockCommentDoc(source, next) === undefined) {
      next = Math.abs(blockCommentEnd(source, next));
    } else {
      if (c === Char.OpenBracket) return pos;
      break;
    }
  }
  let end = source.indexOf('\n', pos);
  if (end < 0) end = source.length;
  push(TokenKind.Shebang, pos, end, 0);
  return end;
}

/**
 * A token starting with `r`, `b` or `c` that is a literal (`r"`, `r#"`, `b'`, `b"`, `br"`, `c"`,
 * `cr#"`) or a raw identifier (`r#type`): pushes it and returns its end; -1 for a plain identifier.
 */
function prefixed(source: string, pos: number, c: number): number {
  const next = source.charCodeAt(pos + 1);
  if (c === Char.LowerR) {
    if (next === Char.Hash) {
      const startLength = idStartLength(source, pos + 2);
      if (startLength > 0) {
        const end = skipIdContinue(source, pos + 2 + startLength);
        push(TokenKind.RawIdent, pos, end, 0);
        return end;
      }
      return raw(source, pos, pos + 1, TokenKind.RawStr);
    }
    if (next === Char.DoubleQuote) return raw(source, pos, pos + 1, TokenKind.RawStr);
    return -1;
  }
  const afterNext = source.charCodeAt(pos + 2);
  const rawNext = next === Char.LowerR && (afterNext === Char.DoubleQuote || afterNext === Char.Hash);
  if (c === Char.LowerB) {
    if (next === Char.Quote) return singleQuoted(source, pos, pos + 2, TokenKind.Byte);
    if (next === Char.DoubleQuote) return quoted(source, pos, pos + 1, TokenKind.ByteStr);
    if (rawNext) return raw(source, pos, pos + 2, TokenKind.RawByteStr);
    return -1;
  }
  if (next === Char.DoubleQuote) return quoted(source, pos, pos + 1, TokenKind.CStr);
  if (rawNext) return raw(source, pos, pos + 2, TokenKind.RawCStr);
  return -1;
}

/** A `"`-quoted literal whose opening quote is at `quote`; a backslash escapes the next character. */
function quoted(source: string, start: number, quote: number, kind: TokenKind): number {
  const length = source.length;
  let pos = quote + 1;
  let flag: number = TokenFlag.Unterminated;
  while (pos < length) {
    const c = source.charCodeAt(pos);
    if (c === Char.DoubleQuote) {
      flag = 0;
      pos++;
      break;
    }
    pos += c === Char.Backslash ? 2 : 1;
  }
  if (pos > length) pos = length;
  if (flag === 0) pos = suffix(source, pos);
  push(kind, start, pos, flag);
  return pos;
}

/** A raw literal: `hashes` points at the `#`s (or the `"`) after the prefix; it ends at `"` plus as many `#`s. */
function raw(source: string, start: number, hashes: number, kind: TokenKind): number {
  let quote = hashes;
  while (source.charCodeAt(quote) === Char.Hash) quote++;
  const hashCount = quote - hashes;
  if (source.charCodeAt(quote) !== Char.DoubleQuote) {
    // `r#` or `br##` with no quote: rustc rejects the prefix; keep going after it.
    push(TokenKind.Unknown, start, quote, 0);
    return quote;
  }
  let from = quote + 1;
  for (;;) {
    const close = source.indexOf('"', from);
    if (close < 0) {
      push(kind, start, source.length, TokenFlag.Unterminated);
      return source.length;
    }
    let end = close + 1;
    while (end - close - 1 < hashCount && source.charCodeAt(end) === Char.Hash) end++;
    if (end - close - 1 === hashCount) {
      end = suffix(source, end);
      push(kind, start, end, 0);
      return end;
    }
    from = close + 1;
  }
}

/** After `'`: a lifetime (`'a`, `'static`, `'r#a`) or a char literal (`'a'`, `'\''`, `'😀'`), decided as rustc does. */
function lifetimeOrChar(source: string, quote: number): number {
  const pos = quote + 1;
  const first = source.charCodeAt(pos);
  const firstLength = codePointLength(source, pos);
  const canBeLifetime = source.charCodeAt(pos + firstLength) !== Char.Quote && (isDigit(first) || idStartLength(source, pos) > 0);
  if (!canBeLifetime) return singleQuoted(source, quote, pos, TokenKind.Char);
  if (first === Char.LowerR && source.charCodeAt(pos + 1) === Char.Hash) {
    const startLength = idStartLength(source, pos + 2);
    if (startLength > 0) {
      const end = skipIdContinue(source, pos + 2 + startLength);
      push(TokenKind.Lifetime, quote, end, 0);
      return end;
    }
  }
  const end = skipIdContinue(source, pos + firstLength);
  if (source.charCodeAt(end) === Char.Quote) {
    // `'ab'`: a (malformed) char literal, as rustc reads it.
    const suffixEnd = suffix(source, end + 1);
    push(TokenKind.Char, quote, suffixEnd, 0);
    return suffixEnd;
  }
  push(TokenKind.Lifetime, quote, end, 0);
  return end;
}

/**
 * A `'`-quoted literal with contents from `pos`. Unclosed, it stops before a `/` or a line end
 * (rustc's recovery), so one stray quote does not swallow the file.
 */
function singleQuoted(source: string, start: number, pos: number, kind: TokenKind): number {
  const length = source.length;
  const firstLength = codePointLength(source, pos);
  let end = -1;
  if (firstLength > 0 && source.charCodeAt(pos) !== Char.Backslash && source.charCodeAt(pos + firstLength) === Char.Quote) {
    end = pos + firstLength + 1;
  } else {
    while (pos < length) {
      const c = source.charCodeAt(pos);
      if (c === Char.Quote) {
        end = pos + 1;
        break;
      }
      if (c === Char.Slash) break;
      if (c === Char.LineFeed && source.charCodeAt(pos + 1) !== Char.Quote) break;
      pos += c === Char.Backslash ? 2 : 1;
    }
  }
  if (end < 0) {
    const stop = Math.min(pos, length);
    push(kind, start, stop, TokenFlag.Unterminated);
    return stop;
  }
  end = suffix(source, end);
  push(kind, start, end, 0);
  return end;
}

/** A literal suffix (`u8`, `f64`, or any identifier rustc would report) is part of the literal token. */
function suffix(source: string, pos: number): number {
  const startLength = idStartLength(source, pos);
  return startLength > 0 ? skipIdContinue(source, pos + startLength) : pos;
}

function number(source: string, start: number): number {
  if (afterDot) {
    // A tuple index: `x.0.1` is two fields, not the float `0.1`.
    let end = start + 1;
    while (isDigit(source.charCodeAt(end))) end++;
    end = suffix(source, end);
    push(TokenKind.Int, start, end, 0);
    return end;
  }
  let pos = start + 1;
  let kind: TokenKind = TokenKind.Int;
  let flag = 0;
  const next = source.charCodeAt(pos);
  if (source.charCodeAt(start) === Char.Digit0 && (next === Char.LowerB || next === Char.LowerO || next === Char.LowerX)) {
    pos++;
    let hasDigits = false;
    for (;;) {
      const c = source.charCodeAt(pos);
      if (c === Char.Underscore) pos++;
      else if (next === Char.LowerX ? isHexDigit(c) : isDigit(c)) {
        hasDigits = true;
        pos++;
      } else break;
    }
    if (!hasDigits) {
      const end = suffix(source, pos);
      push(TokenKind.Int, start, end, TokenFlag.EmptyNumber);
      return end;
    }
  } else {
    pos = decimalDigits(source, pos);
  }
  // Like rustc, the fraction and exponent checks apply after any base (`0b1.5` is a malformed float).
  const c = source.charCodeAt(pos);
  if (c === Char.Dot && source.charCodeAt(pos + 1) !== Char.Dot && idStartLength(source, pos + 1) === 0) {
    // `1.` and `1.5` are floats; `1..2`, `1.max(2)` and `1.e3` are not.
    kind = TokenKind.Float;
    pos++;
    if (isDigit(source.charCodeAt(pos))) {
      pos = decimalDigits(source, pos);
      const e = source.charCodeAt(pos);
      if (e === Char.LowerE || e === Char.UpperE) {
        const exponentEnd = exponent(source, pos + 1);
        if (exponentEnd < 0) flag = TokenFlag.EmptyNumber;
        pos = Math.abs(exponentEnd);
      }
    }
  } else if (c === Char.LowerE || c === Char.UpperE) {
    kind = TokenKind.Float;
    const exponentEnd = exponent(source, pos + 1);
    if (exponentEnd < 0) flag = TokenFlag.EmptyNumber;
    pos = Math.abs(exponentEnd);
  }
  pos = suffix(source, pos);
  push(kind, start, pos, flag);
  return pos;
}

function decimalDigits(source: string, pos: number): number {
  for (;;) {
    const c = source.charCodeAt(pos);
    if (isDigit(c) || c === Char.Underscore) pos++;
    else return pos;
  }
}

/** Past an exponent's optional sign and digits; negative (of the end) when it has no digit. */
function exponent(source: string, pos: number): number {
  const sign = source.charCodeAt(pos);
  if (sign === Char.Plus || sign === Char.Minus) pos++;
  let hasDigits = false;
  for (;;) {
    const c = source.charCodeAt(pos);
    if (isDigit(c)) hasDigits = true;
    else if (c !== Char.Underscore) break;
    pos++;
  }
  return hasDigits ? pos : -pos;
}

function lineCommentDoc(source: string, pos: number): number | undefined {
  const third = source.charCodeAt(pos + 2);
  if (third === Char.Bang) return TokenFlag.InnerDoc;
  // `///` documents; `////` and longer rulers do not.
  if (third === Char.Slash && source.charCodeAt(pos + 3) !== Char.Slash) return 0;
  return undefined;
}

function blockCommentDoc(source: string, pos: number): number | undefined {
  const third = source.charCodeAt(pos + 2);
  if (third === Char.Bang) return TokenFlag.InnerDoc;
  // `/**` documents; `/***` and the empty `/**/` do not.
  if (third === Char.Star) {
    const fourth = source.charCodeAt(pos + 3);
    if (fourth !== Char.Star && fourth !== Char.Slash) return 0;
  }
  return undefined;
}

function lineComment(source: string, pos: number): number {
  let end = source.indexOf('\n', pos);
  if (end < 0) end = source.length;
  const next = end;
  // rustc sees `\r\n` as `\n`, so the comment does not contain the `\r`.
  if (source.charCodeAt(end - 1) === Char.CarriageReturn) end--;
  const doc = lineCommentDoc(source, pos);
  push(doc === undefined ? TokenKind.LineComment : TokenKind.DocComment, pos, end, doc ?? 0);
  return next;
}

function blockComment(source: string, pos: number): number {
  const end = blockCommentEnd(source, pos);
  const doc = blockCommentDoc(source, pos);
  const flag = (doc ?? 0) | (end < 0 ? TokenFlag.Unterminated : 0);
  push(doc === undefined ? TokenKind.BlockComment : TokenKind.DocComment, pos, Math.abs(end), flag);
  return Math.abs(end);
}

/** Past the star-slash closing the (nested) block comment at `pos`; minus the input length when it never closes. */
function blockCommentEnd(source: string, pos: number): number {
  const length = source.length;
  let depth = 1;
  let at = pos + 2;
  while (at < length) {
    const c = source.charCodeAt(at);
    if (c === Char.Slash && source.charCodeAt(at + 1) === Char.Star) {
      depth++;
      at += 2;
    } else if (c === Char.Star && source.charCodeAt(at + 1) === Char.Slash) {
      at += 2;
      if (--depth === 0) return at;
    } else {
      at++;
    }
  }
  return -length;
}
