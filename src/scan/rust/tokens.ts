/**
 * Token kinds and the token stream the Rust lexer produces. Tokens are stored as parallel typed
 * arrays (kind, start, length, flags, offset to the matching delimiter, punctuation code) so a
 * 200k-line workspace costs a few megabytes and scanners can walk it without allocating.
 */

/** What a token is. Numeric so kinds fit a Uint8Array; trivia kinds come last (see `isTriviaKind`). */
export const TokenKind = {
  /** An identifier or keyword: `foo`, `match`, `_`, `naïve`. */
  Ident: 0,
  /** A raw identifier `r#type`; `identText` gives `type`. Never a keyword. */
  RawIdent: 1,
  /** `'a`, `'static`, `'_`, `'r#a`. */
  Lifetime: 2,
  Int: 3,
  Float: 4,
  /** `'x'`, `'\n'`, `'\u{1F600}'`. */
  Char: 5,
  /** `b'x'`. */
  Byte: 6,
  Str: 7,
  /** `r"..."`, `r#"..."#`. */
  RawStr: 8,
  ByteStr: 9,
  RawByteStr: 10,
  CStr: 11,
  RawCStr: 12,
  /** One punctuation character, or one of the joined sequences `::` `->` `=>` `..` `...` `..=`. */
  Punct: 13,
  OpenParen: 14,
  CloseParen: 15,
  OpenBracket: 16,
  CloseBracket: 17,
  OpenBrace: 18,
  CloseBrace: 19,
  /** A character that starts no Rust token (`\`, a backtick, a non-breaking space), or a raw-string prefix with no quote. */
  Unknown: 20,
  LineComment: 21,
  BlockComment: 22,
  /** A line doc comment (three slashes, or `//!`) or a block doc comment (slash-star-star, or slash-star-bang); `TokenFlag.InnerDoc` marks the `!` forms. */
  DocComment: 23,
  /** `#!/usr/bin/env ...` on the first line. */
  Shebang: 24,
} as const;
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

/** Bits in `TokenStream.flags`. */
export const TokenFlag = {
  /** A string, char, raw string or block comment that reaches the end of input (or, for chars, the line) unclosed. */
  Unterminated: 1,
  /** `//!` or its block form: documents the enclosing item. */
  InnerDoc: 2,
  /** A numeric literal with nothing after its base prefix or exponent (`0x`, `1e`): rustc rejects it. */
  EmptyNumber: 4,
} as const;

const FIRST_TRIVIA_KIND = TokenKind.LineComment;

/** Comments and the shebang: text that never reaches the compiler's parser. */
export function isTriviaKind(kind: number): boolean {
  return kind >= FIRST_TRIVIA_KIND;
}

/** Every kind of string literal: normal, raw, byte, raw byte, C and raw C. */
export function isStringKind(kind: number): boolean {
  return kind >= TokenKind.Str && kind <= TokenKind.RawCStr;
}

export function isOpenDelimiterKind(kind: number): boolean {
  return kind === TokenKind.OpenParen || kind === TokenKind.OpenBracket || kind === TokenKind.OpenBrace;
}

export function isCloseDelimiterKind(kind: number): boolean {
  return kind === TokenKind.CloseParen || kind === TokenKind.CloseBracket || kind === TokenKind.CloseBrace;
}

/** 1-based line, and 1-based column in UTF-16 code units (what editors and SARIF expect). */
export interface LineColumn {
  line: number;
  column: number;
}

/**
 * The tokens of one Rust source text. Indexes run from 0 to `count - 1`; whitespace is not a
 * token, comments are (as trivia). The typed arrays are public for hot loops; the methods are
 * the readable way in.
 */
export class TokenStream {
  private lineStarts: Uint32Array | undefined;

  /**
   * Per token: its length, or LONG_TOKEN when it does not fit 16 bits (then `longEnds` has the
   * end). With the partner offsets below, 14 bytes per token (punctuation codes included) instead
   * of 18: every file's tokens stay alive while the facts that point into them do.
   */
  private readonly lengths: Uint16Array;
  private readonly longEnds: ReadonlyMap<number, number> | undefined;
  /** Per token: partner index minus own index; 0 for none; FAR_PARTNER when `farPartners` has it. */
  private readonly partners: Int16Array;
  private readonly farPartners: ReadonlyMap<number, number> | undefined;

  /** Built by the lexer, which writes every array in this packed form. */
  constructor(
    readonly source: string,
    readonly count: number,
    readonly kinds: Uint8Array,
    readonly starts: Uint32Array,
    readonly flags: Uint8Array,
    packed: {
      lengths: Uint16Array;
      longEnds: ReadonlyMap<number, number> | undefined;
      partners: Int16Array;
      farPartners: ReadonlyMap<number, number> | undefined;
    },
    /**
     * Per token: a punctuation or delimiter token packed as one or two ASCII codes, the first in
     * the low byte (`::` is 0x3a3a); 0xffff for the three-character `...` and `..=`; 0 for
     * every other token. Checks compare numbers instead of slicing strings.
     */
    readonly punct: Uint16Array,
  ) {
    this.lengths = packed.lengths;
    this.longEnds = packed.longEnds;
    this.partners = packed.partners;
    this.farPartners = packed.farPartners;
  }

  /** Length of token `i` in UTF-16 code units. */
  length(i: number): number {
    const length = this.lengths[i]!;
    return length === LONG_TOKEN ? this.longEnds!.get(i)! - this.starts[i]! : length;
  }

  kind(i: number): TokenKind {
    return this.kinds[i] as TokenKind;
  }

  /** Offset of the token's first UTF-16 code unit in `source`. */
  start(i: number): number {
    return this.starts[i]!;
  }

  /** Offset just past the token. */
  end(i: number): number {
    return this.starts[i]! + this.length(i);
  }

  /** The token's source text, prefix and suffix included (`r#"x"#`, `1u8`). */
  text(i: number): string {
    return this.source.slice(this.starts[i]!, this.end(i));
  }

  hasFlag(i: number, flag: number): boolean {
    return (this.flags[i]! & flag) !== 0;
  }

  /** The partner of a delimiter token, or -1 (unbalanced, or not a delimiter). */
  matching(i: number): number {
    const offset = this.partners[i]!;
    if (offset === 0) return -1;
    return offset === FAR_PARTNER ? this.farPartners!.get(i)! : i + offset;
  }

  isTrivia(i: number): boolean {
    return this.kinds[i]! >= FIRST_TRIVIA_KIND;
  }

  /** The first non-trivia token at or after `i`, or `count` when there is none. */
  nextNonTrivia(i: number): number {
    while (i < this.count && this.kinds[i]! >= FIRST_TRIVIA_KIND) i++;
    return i;
  }

  /** The last non-trivia token at or before `i`, or -1 when there is none. */
  prevNonTrivia(i: number): number {
    while (i >= 0 && this.kinds[i]! >= FIRST_TRIVIA_KIND) i--;
    return i;
  }

  /** The index just past the token tree starting at `i`: past the matching close for a balanced open delimiter, else `i + 1`. */
  skipTree(i: number): number {
    const partner = this.matching(i);
    return partner > i ? partner + 1 : i + 1;
  }

  /** Non-trivia tokens from `from` (inclusive) to `to` (exclusive), each delimited group visited token by token. */
  *significant(from = 0, to = this.count): Generator<number> {
    for (let i = from; i < to; i++) if (this.kinds[i]! < FIRST_TRIVIA_KIND) yield i;
  }

  /** Whether token `i` is the identifier `name`; `r#name` counts, since it names the same thing. */
  isIdent(i: number, name: string): boolean {
    const kind = this.kinds[i];
    if (kind === TokenKind.Ident) {
      const start = this.starts[i]!;
      return this.length(i) === name.length && this.source.startsWith(name, start);
    }
    if (kind === TokenKind.RawIdent) {
      const start = this.starts[i]! + 2;
      return this.length(i) - 2 === name.length && this.source.startsWith(name, start);
    }
    return false;
  }

  /** Whether token `i` is the keyword `keyword` written plainly (`r#match` is an identifier, not the keyword). */
  isKeyword(i: number, keyword: string): boolean {
    return this.kinds[i] === TokenKind.Ident && this.isIdent(i, keyword);
  }

  /** The name an identifier token stands for: `r#type` gives `type`. Undefined for other tokens. */
  identText(i: number): string | undefined {
    const kind = this.kinds[i];
    if (kind === TokenKind.Ident) return this.source.slice(this.starts[i]!, this.starts[i]! + this.lengths[i]!);
    if (kind === TokenKind.RawIdent) return this.source.slice(this.starts[i]! + 2, this.starts[i]! + this.lengths[i]!);
    return undefined;
  }

  /** Whether token `i` is the punctuation `punct` (`::`, `=>`, `!`, ...) or the delimiter `punct`. */
  isPunct(i: number, punct: string): boolean {
    const kind = this.kinds[i]!;
    if (kind < TokenKind.Punct || kind > TokenKind.CloseBrace) return false;
    const start = this.starts[i]!;
    return this.lengths[i] === punct.length && this.source.startsWith(punct, start);
  }

  /** Line and column of a source offset, from a line-start index built on first use. */
  positionAt(offset: number): LineColumn {
    const lineStarts = (this.lineStarts ??= indexLineStarts(this.source));
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (lineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - lineStarts[low]! + 1 };
  }
}

/** A token too long for 16 bits (a huge string literal or comment). */
const LONG_TOKEN = 0xffff;
/** A partner further than an Int16 offset (a very long function body). */
const FAR_PARTNER = -32768;

/** Offsets where each line starts; rustc ends lines at `\n` only (a `\r\n` pair ends at its `\n`). */
function indexLineStarts(source: string): Uint32Array {
  let lines = 1;
  for (let at = source.indexOf('\n'); at >= 0; at = source.indexOf('\n', at + 1)) lines++;
  const starts = new Uint32Array(lines);
  let line = 1;
  for (let at = source.indexOf('\n'); at >= 0; at = source.indexOf('\n', at + 1)) starts[line++] = at + 1;
  return starts;
}
