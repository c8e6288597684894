// AssemblyScript, compiled to WebAssembly by `npm run build:wasm` (scripts/build-wasm.mjs); the
// bytes are embedded in ../lexer-wasm.generated.ts. This is the Rust lexer itself: ../lexer.ts
// only moves a source text in and the token arrays out (docs/decisions/0023-wasm-lexer.md).
//
// It follows rustc's own lexer (`rustc_lexer`): the same token boundaries for identifiers,
// lifetimes, literals and comments. It never fails: unclosed literals and comments carry the
// Unterminated flag, stray characters become Unknown tokens, unbalanced delimiters have no
// partner. It reads UTF-16 code units, so every offset is the one JavaScript strings use.
// Compiled rather than JavaScript because a cold run lexes every file once, before V8 has
// optimised anything; WebAssembly runs at full speed from the first file.

// ---- Token kinds and flags: the numbers of TokenKind and TokenFlag in ../tokens.ts ----
const IDENT: u8 = 0;
const RAW_IDENT: u8 = 1;
const LIFETIME: u8 = 2;
const INT: u8 = 3;
const FLOAT: u8 = 4;
const CHAR: u8 = 5;
const BYTE: u8 = 6;
const STR: u8 = 7;
const RAW_STR: u8 = 8;
const BYTE_STR: u8 = 9;
const RAW_BYTE_STR: u8 = 10;
const C_STR: u8 = 11;
const RAW_C_STR: u8 = 12;
const PUNCT: u8 = 13;
const OPEN_PAREN: u8 = 14;
const OPEN_BRACKET: u8 = 16;
const OPEN_BRACE: u8 = 18;
const UNKNOWN: u8 = 20;
const LINE_COMMENT: u8 = 21;
const BLOCK_COMMENT: u8 = 22;
const DOC_COMMENT: u8 = 23;
const SHEBANG: u8 = 24;

const UNTERMINATED: u8 = 1;
const INNER_DOC: u8 = 2;
const EMPTY_NUMBER: u8 = 4;

/** A token length that does not fit 16 bits; the real end is in the long-token list. */
const LONG_TOKEN: i32 = 0xffff;
/** A partner further than an Int16 offset; the partner is in `matches`, the index in the far list. */
const FAR_PARTNER: i32 = -32768;
/** Punctuation of three characters (`...`, `..=`): no check in the fact scanner asks for them. */
const OTHER_PUNCT: i32 = 0xffff;

// ---- The imports: Unicode identifier classes, only asked for characters beyond ASCII ----
@external('env', 'xidStart')
declare function xidStart(codePoint: i32): i32;
@external('env', 'xidContinue')
declare function xidContinue(codePoint: i32): i32;

// ---- Memory: one region per array, laid out by `reserve` for the largest text so far ----
/** The largest text the regions below have room for; -1 before the first `reserve`. */
let capacity: i32 = -1;
let source: usize = 0;
let kinds: usize = 0;
let flags: usize = 0;
let starts: usize = 0;
let lengths: usize = 0;
let partners: usize = 0;
let punct: usize = 0;
let matches: usize = 0;
let openStack: usize = 0;
let farList: usize = 0;
let longList: usize = 0;

let length: i32 = 0;
let count: i32 = 0;
let openDepth: i32 = 0;
let farCount: i32 = 0;
let longCount: i32 = 0;
let afterDot: bool = false;
let keepTrivia: bool = true;

function align(at: usize): usize {
  return (at + 15) & ~(<usize>15);
}

/**
 * Makes room for a text of `chars` UTF-16 code units (a text has at most one token per code
 * unit, plus none) and returns where to write it. Memory only grows; the caller uses a fresh
 * instance for a huge file so that one generated file does not keep its memory for the run.
 */
export function reserve(chars: i32): usize {
  if (chars > capacity) {
    const units = <usize>chars + 1;
    const base = align(__heap_base);
    source = base;
    kinds = align(source + units * 2);
    flags = align(kinds + units);
    starts = align(flags + units);
    lengths = align(starts + units * 4);
    partners = align(lengths + units * 2);
    punct = align(partners + units * 2);
    matches = align(punct + units * 2);
    openStack = align(matches + units * 4);
    farList = align(openStack + units * 4);
    longList = align(farList + units * 4);
    const end = align(longList + (units / 65535 + 2) * 8);
    const pages = <i32>((end + 0xffff) >> 16);
    const have = memory.size();
    if (pages > have && memory.grow(pages - have) < 0) return 0;
    capacity = chars;
  }
  return source;
}

export function kindsAt(): usize { return kinds; }
export function flagsAt(): usize { return flags; }
export function startsAt(): usize { return starts; }
export function lengthsAt(): usize { return lengths; }
export function partnersAt(): usize { return partners; }
export function punctAt(): usize { return punct; }
export function matchesAt(): usize { return matches; }
export function farListAt(): usize { return farList; }
export function farCountOf(): i32 { return farCount; }
export function longListAt(): usize { return longList; }
export function longCountOf(): i32 { return longCount; }

/** The code unit at `pos`, or -1 past the end (where JavaScript's charCodeAt gives NaN). */
@inline function at(pos: i32): i32 {
  return pos >= 0 && pos < length ? <i32>load<u16>(source + (<usize>pos << 1)) : -1;
}

@inline function isDigit(c: i32): bool {
  return c >= 48 && c <= 57;
}

@inline function isHexDigit(c: i32): bool {
  return isDigit(c) || ((c | 0x20) >= 97 && (c | 0x20) <= 102);
}

@inline function isAsciiIdStart(c: i32): bool {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95;
}

@inline function isAsciiIdContinue(c: i32): bool {
  return isAsciiIdStart(c) || isDigit(c);
}

@inline function isWhitespace(c: i32): bool {
  return c == 32 || (c >= 9 && c <= 13);
}

/** Rust's `Pattern_White_Space` beyond ASCII: NEL, LRM, RLM, LINE and PARAGRAPH SEPARATOR. */
@inline function isNonAsciiWhitespace(c: i32): bool {
  return c == 0x85 || c == 0x200e || c == 0x200f || c == 0x2028 || c == 0x2029;
}

/** The code point at `pos` (a surrogate pair read as one), or -1 past the end. */
function codePointAt(pos: i32): i32 {
  const c = at(pos);
  if (c < 0xd800 || c > 0xdbff) return c;
  const low = at(pos + 1);
  return low >= 0xdc00 && low <= 0xdfff ? ((c - 0xd800) << 10) + (low - 0xdc00) + 0x10000 : c;
}

/** Length in code units of the code point at `pos` (0 at the end of input). */
function codePointLength(pos: i32): i32 {
  const c = at(pos);
  if (c < 0) return 0;
  if (c < 0xd800 || c > 0xdbff) return 1;
  const low = at(pos + 1);
  return low >= 0xdc00 && low <= 0xdfff ? 2 : 1;
}

/** Length in code units of the identifier-start character at `pos` (`_` or XID_Start), or 0. */
function idStartLength(pos: i32): i32 {
  const c = at(pos);
  if (c < 0) return 0;
  if (c < 128) return isAsciiIdStart(c) ? 1 : 0;
  const codePoint = codePointAt(pos);
  if (xidStart(codePoint) == 0) return 0;
  return codePoint > 0xffff ? 2 : 1;
}

/** The offset just past the XID_Continue characters starting at `pos`. */
function skipIdContinue(pos: i32): i32 {
  while (pos < length) {
    const c = at(pos);
    if (c < 128) {
      if (!isAsciiIdContinue(c)) return pos;
      pos++;
    } else {
      const codePoint = codePointAt(pos);
      if (xidContinue(codePoint) == 0) return pos;
      pos += codePoint > 0xffff ? 2 : 1;
    }
  }
  return pos;
}

/** The first `\n` at or after `from`, or -1. */
function lineFeedFrom(from: i32): i32 {
  for (let pos = from; pos < length; pos++) if (at(pos) == 10) return pos;
  return -1;
}

/** Appends a token (trivia only when kept); significant tokens end a tuple-index context. */
function push(kind: u8, start: i32, end: i32, flag: u8): i32 {
  if (kind >= LINE_COMMENT && !keepTrivia) return -1;
  const index = count++;
  store<u8>(kinds + <usize>index, kind);
  store<u8>(flags + <usize>index, flag);
  store<u32>(starts + (<usize>index << 2), <u32>start);
  const tokenLength = end - start;
  if (tokenLength < LONG_TOKEN) {
    store<u16>(lengths + (<usize>index << 1), <u16>tokenLength);
  } else {
    store<u16>(lengths + (<usize>index << 1), <u16>LONG_TOKEN);
    store<i32>(longList + (<usize>longCount << 3), index);
    store<i32>(longList + (<usize>longCount << 3) + 4, end);
    longCount++;
  }
  store<i16>(partners + (<usize>index << 1), 0);
  store<i32>(matches + (<usize>index << 2), -1);
  let code = 0;
  if (kind >= PUNCT && kind < UNKNOWN) {
    code = tokenLength == 1 ? at(start) : tokenLength == 2 ? at(start) | (at(start + 1) << 8) : OTHER_PUNCT;
  }
  store<u16>(punct + (<usize>index << 1), <u16>code);
  if (kind < LINE_COMMENT) afterDot = false;
  return index;
}

/** Records `index`'s partner: an Int16 offset when it fits, else FAR_PARTNER and the far list. */
function setPartner(index: i32, partner: i32): void {
  store<i32>(matches + (<usize>index << 2), partner);
  const offset = partner - index;
  if (offset > FAR_PARTNER && offset <= 32767) {
    store<i16>(partners + (<usize>index << 1), <i16>offset);
  } else {
    store<i16>(partners + (<usize>index << 1), <i16>FAR_PARTNER);
    store<i32>(farList + (<usize>farCount << 2), index);
    farCount++;
  }
}

function open(kind: u8, pos: i32): void {
  const index = push(kind, pos, pos + 1, 0);
  store<i32>(openStack + (<usize>openDepth << 2), index);
  openDepth++;
}

/**
 * Pairs a close delimiter with the innermost open one of its kind. Opens skipped on the way stay
 * unbalanced (`( [ )`), and a close with no open of its kind stays unbalanced (`( ] )`), so one
 * typo does not unpair the rest of the file.
 */
function close(kind: u8, pos: i32): void {
  const index = push(kind, pos, pos + 1, 0);
  const openKind = kind - 1;
  for (let depth = openDepth - 1; depth >= 0; depth--) {
    const partner = load<i32>(openStack + (<usize>depth << 2));
    if (load<u8>(kinds + <usize>partner) != openKind) continue;
    setPartner(partner, index);
    setPartner(index, partner);
    openDepth = depth;
    return;
  }
}

/** Lexes the `chars` code units written at `reserve`'s address; returns the token count. */
export function lex(chars: i32, trivia: bool): i32 {
  length = chars;
  keepTrivia = trivia;
  count = 0;
  openDepth = 0;
  farCount = 0;
  longCount = 0;
  afterDot = false;
  let pos = at(0) == 0xfeff ? 1 : 0;
  pos = shebang(pos);
  while (pos < length) {
    const c = at(pos);
    if (isWhitespace(c)) {
      pos++;
    } else if (isAsciiIdStart(c)) {
      if (c == 114 || c == 98 || c == 99) {
        const end = prefixed(pos, c);
        if (end > 0) {
          pos = end;
          continue;
        }
      }
      let end = pos + 1;
      while (end < length) {
        const d = at(end);
        if (d < 128) {
          if (!isAsciiIdContinue(d)) break;
          end++;
        } else {
          end = skipIdContinue(end);
          break;
        }
      }
      push(IDENT, pos, end, 0);
      pos = end;
    } else if (c == 59 || c == 44 || c == 46 || c == 64 || c == 35 || c == 126 || c == 63 || c == 58 || c == 36 || c == 61 || c == 33 || c == 60 || c == 62 || c == 45 || c == 38 || c == 124 || c == 43 || c == 42 || c == 47 || c == 94 || c == 37) {
      // ; , . @ # ~ ? : $ = ! < > - & | + * / ^ %
      const next = at(pos + 1);
      if (c == 47 && next == 47) {
        pos = lineComment(pos);
      } else if (c == 47 && next == 42) {
        pos = blockComment(pos);
      } else {
        let end = pos + 1;
        if (c == 58) {
          if (next == 58) end++;
        } else if (c == 45 || c == 61) {
          if (next == 62) end++;
        } else if (c == 46 && next == 46) {
          const third = at(pos + 2);
          end = third == 46 || third == 61 ? pos + 3 : pos + 2;
        }
        push(PUNCT, pos, end, 0);
        if (c == 46 && end == pos + 1) afterDot = true;
        pos = end;
      }
    } else if (c == 40 || c == 91 || c == 123) {
      open(c == 40 ? OPEN_PAREN : c == 91 ? OPEN_BRACKET : OPEN_BRACE, pos);
      pos++;
    } else if (c == 41 || c == 93 || c == 125) {
      close(c == 41 ? OPEN_PAREN + 1 : c == 93 ? OPEN_BRACKET + 1 : OPEN_BRACE + 1, pos);
      pos++;
    } else if (c == 34) {
      pos = quoted(pos, pos, STR);
    } else if (isDigit(c)) {
      pos = number(pos);
    } else if (c == 39) {
      pos = lifetimeOrChar(pos);
    } else if (c >= 128 && isNonAsciiWhitespace(c)) {
      pos++;
    } else if (c >= 128 && idStartLength(pos) > 0) {
      const end = skipIdContinue(pos);
      push(IDENT, pos, end, 0);
      pos = end;
    } else {
      const end = pos + codePointLength(pos);
      push(UNKNOWN, pos, end, 0);
      pos = end;
    }
  }
  return count;
}

/** `#!...` on the first line is a shebang unless the next real token is `[` (then it is `#![attr]`). */
function shebang(pos: i32): i32 {
  if (at(pos) != 35 || at(pos + 1) != 33) return pos;
  let next = pos + 2;
  for (;;) {
    const c = at(next);
    if (isWhitespace(c) || isNonAsciiWhitespace(c)) {
      next++;
    } else if (c == 47 && at(next + 1) == 47 && lineCommentDoc(next) < 0) {
      const lineEnd = lineFeedFrom(next);
      next = lineEnd < 0 ? length : lineEnd;
    } else if (c == 47 && at(next + 1) == 42 && blockCommentDoc(next) < 0) {
      next = abs<i32>(blockCommentEnd(next));
    } else {
      if (c == 91) return pos;
      break;
    }
  }
  let end = lineFeedFrom(pos);
  if (end < 0) end = length;
  push(SHEBANG, pos, end, 0);
  return end;
}

/**
 * A token starting with `r`, `b` or `c` that is a literal (`r"`, `r#"`, `b'`, `b"`, `br"`, `c"`,
 * `cr#"`) or a raw identifier (`r#type`): pushes it and returns its end; -1 for a plain identifier.
 */
function prefixed(pos: i32, c: i32): i32 {
  const next = at(pos + 1);
  if (c == 114) {
    if (next == 35) {
      const startLength = idStartLength(pos + 2);
      if (startLength > 0) {
        const end = skipIdContinue(pos + 2 + startLength);
        push(RAW_IDENT, pos, end, 0);
        return end;
      }
      return raw(pos, pos + 1, RAW_STR);
    }
    if (next == 34) return raw(pos, pos + 1, RAW_STR);
    return -1;
  }
  const afterNext = at(pos + 2);
  const rawNext = next == 114 && (afterNext == 34 || afterNext == 35);
  if (c == 98) {
    if (next == 39) return singleQuoted(pos, pos + 2, BYTE);
    if (next == 34) return quoted(pos, pos + 1, BYTE_STR);
    if (rawNext) return raw(pos, pos + 2, RAW_BYTE_STR);
    return -1;
  }
  if (next == 34) return quoted(pos, pos + 1, C_STR);
  if (rawNext) return raw(pos, pos + 2, RAW_C_STR);
  return -1;
}

/** A `"`-quoted literal whose opening quote is at `quote`; a backslash escapes the next character. */
function quoted(start: i32, quote: i32, kind: u8): i32 {
  let pos = quote + 1;
  let flag: u8 = UNTERMINATED;
  while (pos < length) {
    const c = at(pos);
    if (c == 34) {
      flag = 0;
      pos++;
      break;
    }
    pos += c == 92 ? 2 : 1;
  }
  if (pos > length) pos = length;
  if (flag == 0) pos = suffix(pos);
  push(kind, start, pos, flag);
  return pos;
}

/** A raw literal: `hashes` points at the `#`s (or the `"`) after the prefix; it ends at `"` plus as many `#`s. */
function raw(start: i32, hashes: i32, kind: u8): i32 {
  let quote = hashes;
  while (at(quote) == 35) quote++;
  const hashCount = quote - hashes;
  if (at(quote) != 34) {
    // `r#` or `br##` with no quote: rustc rejects the prefix; keep going after it.
    push(UNKNOWN, start, quote, 0);
    return quote;
  }
  let from = quote + 1;
  for (;;) {
    let closing = from;
    while (closing < length && at(closing) != 34) closing++;
    if (closing >= length) {
      push(kind, start, length, UNTERMINATED);
      return length;
    }
    let end = closing + 1;
    while (end - closing - 1 < hashCount && at(end) == 35) end++;
    if (end - closing - 1 == hashCount) {
      end = suffix(end);
      push(kind, start, end, 0);
      return end;
    }
    from = closing + 1;
  }
  return length; // not reached: AssemblyScript does not see that the loop above never ends
}

/** After `'`: a lifetime (`'a`, `'static`, `'r#a`) or a char literal (`'a'`, `'\''`), decided as rustc does. */
function lifetimeOrChar(quote: i32): i32 {
  const pos = quote + 1;
  const first = at(pos);
  const firstLength = codePointLength(pos);
  const canBeLifetime = at(pos + firstLength) != 39 && (isDigit(first) || idStartLength(pos) > 0);
  if (!canBeLifetime) return singleQuoted(quote, pos, CHAR);
  if (first == 114 && at(pos + 1) == 35) {
    const startLength = idStartLength(pos + 2);
    if (startLength > 0) {
      const end = skipIdContinue(pos + 2 + startLength);
      push(LIFETIME, quote, end, 0);
      return end;
    }
  }
  const end = skipIdContinue(pos + firstLength);
  if (at(end) == 39) {
    // `'ab'`: a (malformed) char literal, as rustc reads it.
    const suffixEnd = suffix(end + 1);
    push(CHAR, quote, suffixEnd, 0);
    return suffixEnd;
  }
  push(LIFETIME, quote, end, 0);
  return end;
}

/**
 * A `'`-quoted literal with contents from `pos`. Unclosed, it stops before a `/` or a line end
 * (rustc's recovery), so one stray quote does not swallow the file.
 */
function singleQuoted(start: i32, pos: i32, kind: u8): i32 {
  const firstLength = codePointLength(pos);
  let end = -1;
  if (firstLength > 0 && at(pos) != 92 && at(pos + firstLength) == 39) {
    end = pos + firstLength + 1;
  } else {
    while (pos < length) {
      const c = at(pos);
      if (c == 39) {
        end = pos + 1;
        break;
      }
      if (c == 47) break;
      if (c == 10 && at(pos + 1) != 39) break;
      pos += c == 92 ? 2 : 1;
    }
  }
  if (end < 0) {
    const stop = min<i32>(pos, length);
    push(kind, start, stop, UNTERMINATED);
    return stop;
  }
  end = suffix(end);
  push(kind, start, end, 0);
  return end;
}

/** A literal suffix (`u8`, `f64`, or any identifier rustc would report) is part of the literal token. */
function suffix(pos: i32): i32 {
  const startLength = idStartLength(pos);
  return startLength > 0 ? skipIdContinue(pos + startLength) : pos;
}

function number(start: i32): i32 {
  if (afterDot) {
    // A tuple index: `x.0.1` is two fields, not the float `0.1`.
    let end = start + 1;
    while (isDigit(at(end))) end++;
    end = suffix(end);
    push(INT, start, end, 0);
    return end;
  }
  let pos = start + 1;
  let kind = INT;
  let flag: u8 = 0;
  const next = at(pos);
  if (at(start) == 48 && (next == 98 || next == 111 || next == 120)) {
    pos++;
    let hasDigits = false;
    for (;;) {
      const c = at(pos);
      if (c == 95) pos++;
      else if (next == 120 ? isHexDigit(c) : isDigit(c)) {
        hasDigits = true;
        pos++;
      } else break;
    }
    if (!hasDigits) {
      const end = suffix(pos);
      push(INT, start, end, EMPTY_NUMBER);
      return end;
    }
  } else {
    pos = decimalDigits(pos);
  }
  // Like rustc, the fraction and exponent checks apply after any base (`0b1.5` is a malformed float).
  const c = at(pos);
  if (c == 46 && at(pos + 1) != 46 && idStartLength(pos + 1) == 0) {
    // `1.` and `1.5` are floats; `1..2`, `1.max(2)` and `1.e3` are not.
    kind = FLOAT;
    pos++;
    if (isDigit(at(pos))) {
      pos = decimalDigits(pos);
      const e = at(pos);
      if (e == 101 || e == 69) {
        const exponentEnd = exponent(pos + 1);
        if (exponentEnd < 0) flag = EMPTY_NUMBER;
        pos = abs<i32>(exponentEnd);
      }
    }
  } else if (c == 101 || c == 69) {
    kind = FLOAT;
    const exponentEnd = exponent(pos + 1);
    if (exponentEnd < 0) flag = EMPTY_NUMBER;
    pos = abs<i32>(exponentEnd);
  }
  pos = suffix(pos);
  push(kind, start, pos, flag);
  return pos;
}

function decimalDigits(pos: i32): i32 {
  for (;;) {
    const c = at(pos);
    if (isDigit(c) || c == 95) pos++;
    else return pos;
  }
  return pos; // not reached
}

/** Past an exponent's optional sign and digits; negative (of the end) when it has no digit. */
function exponent(pos: i32): i32 {
  const sign = at(pos);
  if (sign == 43 || sign == 45) pos++;
  let hasDigits = false;
  for (;;) {
    const c = at(pos);
    if (isDigit(c)) hasDigits = true;
    else if (c != 95) break;
    pos++;
  }
  return hasDigits ? pos : -pos;
}

/** The doc flag of a line comment (INNER_DOC or 0), or -1 when it is no doc comment. */
function lineCommentDoc(pos: i32): i32 {
  const third = at(pos + 2);
  if (third == 33) return INNER_DOC;
  // `///` documents; `////` and longer rulers do not.
  if (third == 47 && at(pos + 3) != 47) return 0;
  return -1;
}

/** The doc flag of a block comment (INNER_DOC or 0), or -1 when it is no doc comment. */
function blockCommentDoc(pos: i32): i32 {
  const third = at(pos + 2);
  if (third == 33) return INNER_DOC;
  // `/**` documents; `/***` and the empty `/**/` do not.
  if (third == 42) {
    const fourth = at(pos + 3);
    if (fourth != 42 && fourth != 47) return 0;
  }
  return -1;
}

function lineComment(pos: i32): i32 {
  let end = lineFeedFrom(pos);
  if (end < 0) end = length;
  const next = end;
  // rustc sees `\r\n` as `\n`, so the comment does not contain the `\r`.
  if (at(end - 1) == 13) end--;
  const doc = lineCommentDoc(pos);
  push(doc < 0 ? LINE_COMMENT : DOC_COMMENT, pos, end, doc < 0 ? 0 : <u8>doc);
  return next;
}

function blockComment(pos: i32): i32 {
  const end = blockCommentEnd(pos);
  const doc = blockCommentDoc(pos);
  const flag = <u8>((doc < 0 ? 0 : doc) | (end < 0 ? UNTERMINATED : 0));
  push(doc < 0 ? BLOCK_COMMENT : DOC_COMMENT, pos, abs<i32>(end), flag);
  return abs<i32>(end);
}

/** Past the star-slash closing the (nested) block comment at `pos`; minus the input length when it never closes. */
function blockCommentEnd(pos: i32): i32 {
  let depth = 1;
  let pointer = pos + 2;
  while (pointer < length) {
    const c = at(pointer);
    if (c == 47 && at(pointer + 1) == 42) {
      depth++;
      pointer += 2;
    } else if (c == 42 && at(pointer + 1) == 47) {
      pointer += 2;
      if (--depth == 0) return pointer;
    } else {
      pointer++;
    }
  }
  return -length;
}
