import { describe, expect, it, vi } from 'vitest';
import { lexRust } from '../../../src/scan/rust/lexer.js';
import { TokenFlag, TokenKind, type TokenStream } from '../../../src/scan/rust/tokens.js';

const KIND_NAMES = new Map<number, string>(Object.entries(TokenKind).map(([name, kind]) => [kind, name]));

/** Every token as `Kind text`, with `!` appended for an unterminated one. */
function tokensOf(source: string): string[] {
  const tokens = lexRust(source);
  const out: string[] = [];
  for (let i = 0; i < tokens.count; i++) {
    const mark = tokens.hasFlag(i, TokenFlag.Unterminated) ? '!' : '';
    out.push(`${KIND_NAMES.get(tokens.kind(i))} ${tokens.text(i)}${mark}`);
  }
  return out;
}

interface Case {
  name: string;
  source: string;
  tokens: string[];
}

function table(cases: Case[]): void {
  for (const { name, source, tokens } of cases) {
    it(name, () => {
      expect(tokensOf(source)).toEqual(tokens);
    });
  }
}

describe('lexRust: comments', () => {
  table([
    { name: 'nested block comment', source: 'a /* x /* y */ z */ b', tokens: ['Ident a', 'BlockComment /* x /* y */ z */', 'Ident b'] },
    { name: 'three levels deep', source: '/* 1 /* 2 /* 3 */ 2 */ 1 */x', tokens: ['BlockComment /* 1 /* 2 /* 3 */ 2 */ 1 */', 'Ident x'] },
    { name: 'a slash after the opener does not close it', source: '/*/ x */y', tokens: ['BlockComment /*/ x */', 'Ident y'] },
    { name: 'strings and line comments inside a block comment are text', source: '/* "a */ b', tokens: ['BlockComment /* "a */', 'Ident b'] },
    { name: 'line comment ends at the newline', source: '// "x\ny', tokens: ['LineComment // "x', 'Ident y'] },
    { name: 'line comment before CRLF excludes the CR', source: '// x\r\ny', tokens: ['LineComment // x', 'Ident y'] },
    { name: 'outer line doc', source: '/// doc "s"', tokens: ['DocComment /// doc "s"'] },
    { name: 'inner line doc', source: '//! doc', tokens: ['DocComment //! doc'] },
    { name: 'four slashes are a plain comment', source: '//// ruler', tokens: ['LineComment //// ruler'] },
    { name: 'outer block doc', source: '/** doc */', tokens: ['DocComment /** doc */'] },
    { name: 'inner block doc', source: '/*! doc */', tokens: ['DocComment /*! doc */'] },
    { name: 'empty block comment is not a doc', source: '/**/', tokens: ['BlockComment /**/'] },
    { name: 'three stars are not a doc', source: '/*** x */', tokens: ['BlockComment /*** x */'] },
    { name: 'unterminated nested comment runs to the end', source: 'a /* /* */ b', tokens: ['Ident a', 'BlockComment /* /* */ b!'] },
    { name: 'comment text never yields tokens', source: '// fn r#"x"# \'a\' 1.0\n', tokens: ['LineComment // fn r#"x"# \'a\' 1.0'] },
  ]);

  it('marks inner docs', () => {
    const tokens = lexRust('//! a\n/// b\n/*! c */');
    expect([0, 1, 2].map((i) => tokens.hasFlag(i, TokenFlag.InnerDoc))).toEqual([true, false, true]);
  });
});

describe('lexRust: strings', () => {
  table([
    { name: 'escaped quote does not end a string', source: '"a\\"b" c', tokens: ['Str "a\\"b"', 'Ident c'] },
    { name: 'escaped backslash before the quote', source: '"a\\\\" c', tokens: ['Str "a\\\\"', 'Ident c'] },
    { name: 'multi-line string with continuation', source: '"a\\\n   b"', tokens: ['Str "a\\\n   b"'] },
    { name: 'comment markers inside a string', source: '"/* // */"', tokens: ['Str "/* // */"'] },
    { name: 'raw string with quotes inside', source: 'r#"say "hi""# x', tokens: ['RawStr r#"say "hi""#', 'Ident x'] },
    { name: 'raw string with fewer closing hashes inside', source: 'r##"a"#b"##', tokens: ['RawStr r##"a"#b"##'] },
    { name: 'raw string ends at the first quote-hashes', source: 'r#"a"##', tokens: ['RawStr r#"a"#', 'Punct #'] },
    { name: 'raw string without hashes keeps backslashes', source: 'r"\\" x', tokens: ['RawStr r"\\"', 'Ident x'] },
    { name: 'byte string', source: 'b"\\x00"', tokens: ['ByteStr b"\\x00"'] },
    { name: 'raw byte string', source: 'br#"x"#', tokens: ['RawByteStr br#"x"#'] },
    { name: 'C string', source: 'c"x"', tokens: ['CStr c"x"'] },
    { name: 'raw C string', source: 'cr#"x"#', tokens: ['RawCStr cr#"x"#'] },
    { name: 'identifiers named like prefixes', source: 'r b c br cr rb', tokens: ['Ident r', 'Ident b', 'Ident c', 'Ident br', 'Ident cr', 'Ident rb'] },
    { name: 'a literal suffix belongs to the literal', source: '"x"suffix', tokens: ['Str "x"suffix'] },
    { name: 'unterminated string runs to the end', source: 'a "b\nc', tokens: ['Ident a', 'Str "b\nc!'] },
    { name: 'unterminated string ending in a backslash', source: '"b\\', tokens: ['Str "b\\!'] },
    { name: 'unterminated raw string runs to the end', source: 'r#"a"', tokens: ['RawStr r#"a"!'] },
    { name: 'raw prefix without a quote is unknown, then lexing goes on', source: 'r##x', tokens: ['Unknown r##', 'Ident x'] },
  ]);
});

describe('lexRust: lifetimes and chars', () => {
  table([
    { name: 'lifetime', source: "&'a T", tokens: ['Punct &', "Lifetime 'a", 'Ident T'] },
    { name: 'static lifetime', source: "&'static str", tokens: ['Punct &', "Lifetime 'static", 'Ident str'] },
    { name: 'anonymous lifetime', source: "'_", tokens: ["Lifetime '_"] },
    { name: 'raw lifetime', source: "'r#fn", tokens: ["Lifetime 'r#fn"] },
    { name: 'loop label', source: "'outer: loop", tokens: ["Lifetime 'outer", 'Punct :', 'Ident loop'] },
    { name: 'char', source: "'a'", tokens: ["Char 'a'"] },
    { name: 'escaped newline char', source: "'\\n'", tokens: ["Char '\\n'"] },
    { name: 'escaped quote char', source: "'\\''", tokens: ["Char '\\''"] },
    { name: 'double quote char', source: `'"' x`, tokens: [`Char '"'`, 'Ident x'] },
    { name: 'unicode escape char', source: "'\\u{1F600}'", tokens: ["Char '\\u{1F600}'"] },
    { name: 'astral char', source: "'😀'", tokens: ["Char '😀'"] },
    { name: 'non-ASCII letter char', source: "'é'", tokens: ["Char 'é'"] },
    { name: 'three quotes read as a char, as rustc does', source: "'''", tokens: ["Char '''"] },
    { name: 'byte char of a quote', source: "b'\\''", tokens: ["Byte b'\\''"] },
    { name: 'byte char', source: "b'x' b'\\x7f'", tokens: ["Byte b'x'", "Byte b'\\x7f'"] },
    { name: 'lifetime then char in generics and calls', source: "f::<'a>('a')", tokens: ['Ident f', 'Punct ::', 'Punct <', "Lifetime 'a", 'Punct >', 'OpenParen (', "Char 'a'", 'CloseParen )'] },
    { name: 'unterminated char stops at the line end', source: "'\\n\nx", tokens: ["Char '\\n!", 'Ident x'] },
    { name: 'lone quote at the end', source: "'", tokens: ["Char '!"] },
  ]);
});

describe('lexRust: identifiers', () => {
  table([
    { name: 'raw identifier', source: 'r#match r#type', tokens: ['RawIdent r#match', 'RawIdent r#type'] },
    { name: 'keywords are identifiers', source: 'fn self Self', tokens: ['Ident fn', 'Ident self', 'Ident Self'] },
    { name: 'underscore', source: '_ _x', tokens: ['Ident _', 'Ident _x'] },
    { name: 'non-ASCII identifiers', source: 'größe 名前 résumé', tokens: ['Ident größe', 'Ident 名前', 'Ident résumé'] },
    { name: 'combining mark continues an identifier', source: 'e\u0301x', tokens: ['Ident e\u0301x'] },
  ]);

  it('identText strips r# and isKeyword refuses raw identifiers', () => {
    const tokens = lexRust('r#match match foo');
    expect([0, 1, 2].map((i) => tokens.identText(i))).toEqual(['match', 'match', 'foo']);
    expect([tokens.isIdent(0, 'match'), tokens.isIdent(1, 'match'), tokens.isIdent(2, 'fo')]).toEqual([true, true, false]);
    expect([tokens.isKeyword(0, 'match'), tokens.isKeyword(1, 'match')]).toEqual([false, true]);
    expect(lexRust('"match"').identText(0)).toBeUndefined();
  });
});

describe('lexRust: numbers', () => {
  table([
    { name: 'float with exponent and suffix', source: '1.0e-3f64', tokens: ['Float 1.0e-3f64'] },
    { name: 'exponent without a point', source: '1e10 2E+3', tokens: ['Float 1e10', 'Float 2E+3'] },
    { name: 'trailing point', source: '3.;', tokens: ['Float 3.', 'Punct ;'] },
    { name: 'range', source: '1..2', tokens: ['Int 1', 'Punct ..', 'Int 2'] },
    { name: 'inclusive range', source: '1..=2', tokens: ['Int 1', 'Punct ..=', 'Int 2'] },
    { name: 'method on an integer', source: '1.max(2)', tokens: ['Int 1', 'Punct .', 'Ident max', 'OpenParen (', 'Int 2', 'CloseParen )'] },
    { name: 'method on a float', source: '1.0.sqrt()', tokens: ['Float 1.0', 'Punct .', 'Ident sqrt', 'OpenParen (', 'CloseParen )'] },
    { name: 'tuple index chain', source: 'x.0.1', tokens: ['Ident x', 'Punct .', 'Int 0', 'Punct .', 'Int 1'] },
    { name: 'tuple index after a comment', source: 'x. /* c */ 0.1', tokens: ['Ident x', 'Punct .', 'BlockComment /* c */', 'Int 0', 'Punct .', 'Int 1'] },
    { name: 'hex digits swallow f32', source: '0x1f32', tokens: ['Int 0x1f32'] },
    { name: 'integer suffixes', source: '1_000u64 0b1010_u8 0o7i32', tokens: ['Int 1_000u64', 'Int 0b1010_u8', 'Int 0o7i32'] },
    { name: 'integer with float suffix', source: '7f32', tokens: ['Int 7f32'] },
    { name: 'negative numbers are punct then number', source: '-1', tokens: ['Punct -', 'Int 1'] },
  ]);

  it('flags empty numbers', () => {
    const tokens = lexRust('0x 1e 1.5e+ 2');
    expect(tokensOf('0x 1e 1.5e+ 2')).toEqual(['Int 0x', 'Float 1e', 'Float 1.5e+', 'Int 2']);
    expect([0, 1, 2, 3].map((i) => tokens.hasFlag(i, TokenFlag.EmptyNumber))).toEqual([true, true, true, false]);
  });
});

describe('lexRust: punctuation and shebang', () => {
  table([
    { name: 'joined punctuation', source: 'a::b->c=>d...e', tokens: ['Ident a', 'Punct ::', 'Ident b', 'Punct ->', 'Ident c', 'Punct =>', 'Ident d', 'Punct ...', 'Ident e'] },
    { name: 'other punctuation stays single', source: '>>=&&||!=', tokens: ['Punct >', 'Punct >', 'Punct =', 'Punct &', 'Punct &', 'Punct |', 'Punct |', 'Punct !', 'Punct ='] },
    { name: 'macro punctuation', source: '$x:ident #[a] @ ~ ?', tokens: ['Punct $', 'Ident x', 'Punct :', 'Ident ident', 'Punct #', 'OpenBracket [', 'Ident a', 'CloseBracket ]', 'Punct @', 'Punct ~', 'Punct ?'] },
    { name: 'shebang', source: '#!/usr/bin/env rust-script\nfn', tokens: ['Shebang #!/usr/bin/env rust-script', 'Ident fn'] },
    { name: 'inner attribute is not a shebang', source: '#![allow(x)]', tokens: ['Punct #', 'Punct !', 'OpenBracket [', 'Ident allow', 'OpenParen (', 'Ident x', 'CloseParen )', 'CloseBracket ]'] },
    { name: 'inner attribute after whitespace and a comment', source: '#! /* c */\n[a]', tokens: ['Punct #', 'Punct !', 'BlockComment /* c */', 'OpenBracket [', 'Ident a', 'CloseBracket ]'] },
    { name: 'shebang only on the first line', source: 'x\n#!/bin/sh', tokens: ['Ident x', 'Punct #', 'Punct !', 'Punct /', 'Ident bin', 'Punct /', 'Ident sh'] },
    { name: 'byte order mark is skipped', source: '\ufefffn', tokens: ['Ident fn'] },
  ]);
});

describe('lexRust: error tolerance', () => {
  table([
    { name: 'stray characters', source: 'a ` \\ € b', tokens: ['Ident a', 'Unknown `', 'Unknown \\', 'Unknown €', 'Ident b'] },
    { name: 'non-breaking space is not whitespace in Rust', source: 'a\u00a0b', tokens: ['Ident a', 'Unknown \u00a0', 'Ident b'] },
    { name: 'Unicode whitespace Rust accepts', source: 'a\u2028\u200eb', tokens: ['Ident a', 'Ident b'] },
    { name: 'lone surrogate', source: 'a\ud800b', tokens: ['Ident a', 'Unknown \ud800', 'Ident b'] },
    { name: 'empty input', source: '', tokens: [] },
  ]);

  it('never throws on arbitrary text', () => {
    const alphabet = ['"', "'", 'r', '#', 'b', '/', '*', '\\', '\n', '(', ']', '{', 'x', '1', '.', 'e', '😀', '\ud800', ' '];
    let seed = 7;
    for (let round = 0; round < 2000; round++) {
      let text = '';
      for (let n = 0; n < 24; n++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        text += alphabet[seed % alphabet.length];
      }
      const tokens = lexRust(text);
      let previousEnd = 0;
      for (let i = 0; i < tokens.count; i++) {
        expect(tokens.start(i)).toBeGreaterThanOrEqual(previousEnd);
        expect(tokens.end(i)).toBeGreaterThan(tokens.start(i));
        previousEnd = tokens.end(i);
      }
      expect(previousEnd).toBeLessThanOrEqual(text.length);
    }
  });
});

describe('lexRust: delimiters', () => {
  function pairs(tokens: TokenStream): number[] {
    return Array.from({ length: tokens.count }, (_, i) => tokens.matching(i));
  }

  it('pairs nested delimiters', () => {
    expect(pairs(lexRust('f(a[b]{c})'))).toEqual([-1, 9, -1, 5, -1, 3, 8, -1, 6, 1]);
  });

  it('leaves a skipped open unbalanced: ( [ )', () => {
    expect(pairs(lexRust('( [ )'))).toEqual([2, -1, 0]);
  });

  it('leaves a close with no open of its kind unbalanced: ( ] )', () => {
    expect(pairs(lexRust('( ] )'))).toEqual([2, -1, 0]);
  });

  it('leaves unclosed opens and stray closes unbalanced', () => {
    expect(pairs(lexRust(') { (x)'))).toEqual([-1, -1, 4, -1, 2]);
  });

  it('ignores delimiters inside literals and comments', () => {
    expect(pairs(lexRust('( "(" \')\' /* ) */ )'))).toEqual([4, -1, -1, -1, 0]);
  });

  it('skipTree jumps over a macro argument tree', () => {
    const tokens = lexRust('query!( "a", (b, c) ) ; next');
    const open = 2;
    expect(tokens.skipTree(open)).toBe(11);
    expect(tokens.text(tokens.skipTree(open))).toBe(';');
    expect(tokens.skipTree(0)).toBe(1);
  });
});

describe('lexRust: buffers', () => {
  it('keeps each result independent of later calls', () => {
    const first = lexRust('a ( b )');
    lexRust('x y z [ ] { } "s" 1.5');
    expect(tokensOf('a ( b )')).toEqual(['Ident a', 'OpenParen (', 'Ident b', 'CloseParen )']);
    expect([first.text(0), first.text(3), first.matching(1)]).toEqual(['a', ')', 3]);
  });

  it('grows past its scratch capacity and lexes normally afterwards', () => {
    const source = `fn f() { ${'x.0 + '.repeat(100_000)}1 }`;
    const tokens = lexRust(source);
    expect(tokens.count).toBe(5 + 4 * 100_000 + 2);
    expect(tokens.matching(4)).toBe(tokens.count - 1);
    expect(tokens.matching(tokens.count - 1)).toBe(4);
    expect(tokensOf('a.1')).toEqual(['Ident a', 'Punct .', 'Int 1']);
  });

  it('keeps the end of a token longer than 65,535 code units and partners near and far', () => {
    const body = 'x'.repeat(70_000);
    const tokens = lexRust(`f(r#"${body}"#, ( a ))`);
    expect(tokens.text(2)).toBe(`r#"${body}"#`);
    expect(tokens.end(2) - tokens.start(2)).toBe(body.length + 5);
    expect([tokens.kind(3), tokens.text(3)]).toEqual([TokenKind.Punct, ',']);
    expect([tokens.matching(1), tokens.matching(4), tokens.matching(6), tokens.matching(7)]).toEqual([7, 6, 4, 1]);
    expect([tokens.matching(0), tokens.matching(2), tokens.matching(5)]).toEqual([-1, -1, -1]);
  });
});

describe('lexRust: WebAssembly memory', () => {
  it('lexes an empty text when it is the first text of the process', async () => {
    vi.resetModules();
    const fresh = await import('../../../src/scan/rust/lexer.js');
    expect(fresh.lexRust('').count).toBe(0);
    expect(fresh.lexRust('a').count).toBe(1);
  });

  it('pairs delimiters more than 32,767 tokens apart', () => {
    const tokens = lexRust(`(${' a'.repeat(40_000)} ) { b }`);
    const close = 40_001;
    expect([tokens.matching(0), tokens.matching(close)]).toEqual([close, 0]);
    expect([tokens.matching(close + 1), tokens.matching(close + 3)]).toEqual([close + 3, close + 1]);
  });

  it('lexes a text of over a million code units on an instance of its own, then small texts as before', () => {
    const body = 'y'.repeat(1 << 21);
    const tokens = lexRust(`fn f() { let s = "${body}"; }`);
    expect(tokens.count).toBe(11);
    expect([tokens.kind(8), tokens.end(8) - tokens.start(8)]).toEqual([TokenKind.Str, body.length + 2]);
    expect([tokens.matching(4), tokens.text(9)]).toEqual([10, ';']);
    expect(tokensOf('x::y')).toEqual(['Ident x', 'Punct ::', 'Ident y']);
  });

  it('reports UTF-16 offsets after characters outside the Basic Multilingual Plane', () => {
    const tokens = lexRust('"😀" x');
    expect([tokens.start(1), tokens.text(1)]).toEqual([5, 'x']);
  });

  it('packs punctuation and delimiters as one or two ASCII codes, other tokens as 0', () => {
    const tokens = lexRust('a::b -> (c ... d) ;', { trivia: false });
    const codes = Array.from(tokens.punct);
    expect(codes).toEqual([0, 0x3a3a, 0, 0x3e2d, 0x28, 0, 0xffff, 0, 0x29, 0x3b]);
  });
});

describe('TokenStream helpers', () => {
  it('steps over trivia', () => {
    const tokens = lexRust('a /* c */ // d\n :: b');
    expect(tokens.nextNonTrivia(1)).toBe(3);
    expect(tokens.isPunct(3, '::')).toBe(true);
    expect(tokens.isPunct(3, ':')).toBe(false);
    expect(tokens.prevNonTrivia(2)).toBe(0);
    expect(tokens.prevNonTrivia(-1)).toBe(-1);
    expect(tokens.nextNonTrivia(tokens.count)).toBe(tokens.count);
    expect([...tokens.significant()].map((i) => tokens.text(i))).toEqual(['a', '::', 'b']);
    expect(tokens.isTrivia(1)).toBe(true);
  });

  it('gives 1-based lines and UTF-16 columns', () => {
    const source = 'fn a() {\r\n    let s = "😀"; x\n}\n';
    const tokens = lexRust(source);
    const at = (text: string) => {
      for (let i = 0; i < tokens.count; i++) if (tokens.text(i) === text) return tokens.positionAt(tokens.start(i));
      throw new Error(text);
    };
    expect(at('fn')).toEqual({ line: 1, column: 1 });
    expect(at('let')).toEqual({ line: 2, column: 5 });
    // The emoji is two UTF-16 code units.
    expect(at('x')).toEqual({ line: 2, column: 19 });
    expect(at('}')).toEqual({ line: 3, column: 1 });
    expect(tokens.positionAt(source.length)).toEqual({ line: 4, column: 1 });
  });

  it('positions a multi-line token by its start and end offsets', () => {
    const tokens = lexRust('x = r#"\nSELECT\n"#;');
    expect(tokens.positionAt(tokens.start(2))).toEqual({ line: 1, column: 5 });
    expect(tokens.positionAt(tokens.end(2))).toEqual({ line: 3, column: 3 });
  });
});
