import { describe, expect, it } from 'vitest';
import { lexRust } from '../../../src/scan/rust/lexer.js';
import { decodeStringLiteral, stringContentSpan } from '../../../src/scan/rust/strings.js';

/** The decoded value of the first token of `source`. */
function decode(source: string): string | undefined {
  return decodeStringLiteral(lexRust(source), 0);
}

interface Case {
  name: string;
  source: string;
  value: string | undefined;
}

function table(cases: Case[]): void {
  for (const { name, source, value } of cases) {
    it(name, () => {
      expect(decode(source)).toBe(value);
    });
  }
}

describe('decodeStringLiteral: escapes', () => {
  table([
    { name: 'plain text', source: '"SELECT 1"', value: 'SELECT 1' },
    { name: 'empty', source: '""', value: '' },
    { name: 'simple escapes', source: String.raw`"\n\r\t\\\0\'\""`, value: '\n\r\t\\\0\'"' },
    { name: 'hex escape', source: String.raw`"\x41\x7f"`, value: 'A\x7f' },
    { name: 'hex escape above 7f is an error in a str', source: String.raw`"\x80"`, value: undefined },
    { name: 'unicode escapes', source: String.raw`"\u{41}\u{1F600}\u{10FFFF}"`, value: 'A😀\u{10FFFF}' },
    { name: 'unicode escape with underscores', source: String.raw`"\u{1_F6_00}"`, value: '😀' },
    { name: 'unicode escape beyond U+10FFFF', source: String.raw`"\u{110000}"`, value: undefined },
    { name: 'unicode escape of a surrogate', source: String.raw`"\u{D800}"`, value: undefined },
    { name: 'empty unicode escape', source: String.raw`"\u{}"`, value: undefined },
    { name: 'seven hex digits', source: String.raw`"\u{1000000}"`, value: undefined },
    { name: 'unicode escape without braces', source: String.raw`"\u0041"`, value: undefined },
    { name: 'unknown escape', source: String.raw`"\q"`, value: undefined },
    { name: 'short hex escape', source: String.raw`"\x4"`, value: undefined },
    { name: 'non-ASCII text', source: '"naïve 日本 😀"', value: 'naïve 日本 😀' },
  ]);
});

describe('decodeStringLiteral: line ends', () => {
  table([
    { name: 'continuation drops the newline and the next indent', source: '"SELECT id \\\n        FROM users"', value: 'SELECT id FROM users' },
    { name: 'continuation drops tabs and blank lines', source: '"a\\\n\t\n  \n   b"', value: 'ab' },
    { name: 'continuation keeps the escape after the indent', source: '"a\\\n    \\n b"', value: 'a\n b' },
    { name: 'continuation at the very end', source: '"a\\\n"', value: 'a' },
    { name: 'CRLF continuation', source: '"a\\\r\n  b"', value: 'ab' },
    { name: 'a plain newline is kept, indent and all', source: '"a\n  b"', value: 'a\n  b' },
    { name: 'CRLF in the text reads as LF', source: '"a\r\nb"', value: 'a\nb' },
    { name: 'bare CR is an error', source: '"a\rb"', value: undefined },
  ]);
});

describe('decodeStringLiteral: raw, byte and C strings', () => {
  table([
    { name: 'raw string keeps backslashes', source: String.raw`r"\n\d+"`, value: String.raw`\n\d+` },
    { name: 'raw string with hashes and quotes', source: 'r##"a "# b"##', value: 'a "# b' },
    { name: 'raw string with a leading newline keeps it', source: 'r#"\n  SELECT 1\n"#', value: '\n  SELECT 1\n' },
    { name: 'raw string CRLF reads as LF', source: 'r"a\r\nb"', value: 'a\nb' },
    { name: 'raw string bare CR is an error', source: 'r"a\rb"', value: undefined },
    { name: 'byte string: bytes as U+0000..U+00FF', source: String.raw`b"GET\r\n\xff"`, value: 'GET\r\n\xff' },
    { name: 'byte string refuses unicode escapes', source: String.raw`b"\u{41}"`, value: undefined },
    { name: 'byte string refuses non-ASCII text', source: 'b"é"', value: undefined },
    { name: 'raw byte string', source: 'br#"{"a": 1}"#', value: '{"a": 1}' },
    { name: 'raw byte string refuses non-ASCII text', source: 'br"é"', value: undefined },
    { name: 'C string', source: String.raw`c"caf\u{e9}\t"`, value: 'café\t' },
    { name: 'C string refuses NUL', source: String.raw`c"a\0"`, value: undefined },
    { name: 'raw C string', source: 'cr#"x"#', value: 'x' },
    { name: 'suffix is not part of the value', source: '"abc"suffix', value: 'abc' },
    { name: 'raw suffix is not part of the value', source: 'r#"abc"#s', value: 'abc' },
  ]);
});

describe('decodeStringLiteral: not a (closed) string', () => {
  table([
    { name: 'unterminated string', source: '"abc', value: undefined },
    { name: 'unterminated raw string', source: 'r#"abc"', value: undefined },
    { name: 'char literal', source: "'a'", value: undefined },
    { name: 'identifier', source: 'abc', value: undefined },
  ]);
});

describe('stringContentSpan', () => {
  it('spans the text between the delimiters', () => {
    const tokens = lexRust('x(r##"a"#"##, b"q\\"", "")');
    const spans = [2, 4, 6].map((i) => stringContentSpan(tokens, i)).map((span) => tokens.source.slice(span!.start, span!.end));
    expect(spans).toEqual(['a"#', 'q\\"', '']);
  });
});
