import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lexRust } from '../../../src/scan/rust/lexer.js';
import { decodeStringLiteral } from '../../../src/scan/rust/strings.js';
import { TokenKind, isOpenDelimiterKind, isStringKind, isTriviaKind, type TokenStream } from '../../../src/scan/rust/tokens.js';

// tree-sitter-rust is the reference: a real Rust grammar, used here only (a devDependency).
// Every .rs file under fixtures/ is lexed by both and their literals, comments, identifiers and
// numbers must line up exactly.

interface SyntaxNode {
  type: string;
  text: string;
  startIndex: number;
  endIndex: number;
  childCount: number;
  children: SyntaxNode[];
  parent: SyntaxNode | null;
  previousSibling: SyntaxNode | null;
  hasError: boolean;
}
interface Parser {
  setLanguage(language: unknown): void;
  parse(text: string, oldTree?: unknown, options?: { bufferSize?: number }): { rootNode: SyntaxNode };
}

function loadParser(): { parser?: Parser; reason?: string } {
  try {
    const require = createRequire(import.meta.url);
    const ParserClass = require('tree-sitter') as new () => Parser;
    const parser = new ParserClass();
    parser.setLanguage(require('tree-sitter-rust'));
    return { parser };
  } catch (error) {
    return { reason: `tree-sitter or tree-sitter-rust is not installed or has no binary for this platform: ${String(error)}` };
  }
}

const repo = fileURLToPath(new URL('../../../', import.meta.url));

function rustFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return rustFiles(full);
      return entry.isFile() && entry.name.endsWith('.rs') ? [full] : [];
    })
    .sort();
}

function* nodes(root: SyntaxNode): Generator<SyntaxNode> {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    yield node;
    for (let i = node.childCount - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
}

/** The oracle's own decoding of a literal, from tree-sitter's escape_sequence and string_content children. */
function oracleValue(node: SyntaxNode): string {
  const normalise = (text: string) => text.replace(/\r\n/g, '\n');
  if (node.type === 'raw_string_literal') {
    // tree-sitter-rust 0.24 drops leading whitespace from a raw string's string_content, so the
    // value comes from the node's own text between its delimiters.
    const match = /^[bc]?r(#*)"([\s\S]*)"\1$/.exec(node.text);
    if (!match) throw new Error(`oracle cannot read the raw string ${JSON.stringify(node.text)}`);
    return normalise(match[2]!);
  }
  let value = '';
  let skippingWhitespace = false;
  for (const child of node.children) {
    if (child.type === 'string_content') {
      let text = normalise(child.text);
      if (skippingWhitespace) {
        text = text.replace(/^[ \t\n\r]+/, '');
        skippingWhitespace = text === '';
      }
      value += text;
    } else if (child.type === 'escape_sequence') {
      const escape = child.text;
      skippingWhitespace = false;
      if (escape === '\\\n' || escape === '\\\r\n') skippingWhitespace = true;
      else if (escape.startsWith('\\x')) value += String.fromCharCode(parseInt(escape.slice(2), 16));
      else if (escape.startsWith('\\u{')) value += String.fromCodePoint(parseInt(escape.slice(3, -1).replace(/_/g, ''), 16));
      else {
        const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '0': '\0', "'": "'", '"': '"' };
        const decoded = simple[escape.slice(1)];
        if (decoded === undefined) throw new Error(`oracle does not know the escape ${JSON.stringify(escape)}`);
        value += decoded;
      }
    }
  }
  return value;
}

type Span = string;
const span = (start: number, end: number): Span => `${start}-${end}`;

function tokenSpans(tokens: TokenStream, keep: (kind: number) => boolean): Span[] {
  const spans: Span[] = [];
  for (let i = 0; i < tokens.count; i++) if (keep(tokens.kind(i))) spans.push(span(tokens.start(i), tokens.end(i)));
  return spans.sort();
}

const IDENTIFIER_NODES = new Set(['identifier', 'type_identifier', 'field_identifier', 'shorthand_field_identifier', 'primitive_type']);
const CLOSE_OF: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

interface Comparison {
  strings: { lexer: [Span, string | undefined][]; oracle: [Span, string][] };
  comments: { lexer: Span[]; oracle: Span[] };
  chars: { lexer: Span[]; oracle: Span[] };
  lifetimes: { lexer: Span[]; oracle: Span[] };
  identifiersMissing: string[];
  numbersMissing: string[];
  delimitersMismatched: string[];
  lexerErrors: string[];
  identifierCount: number;
}

function compare(parser: Parser, text: string): Comparison {
  const tokens = lexRust(text);
  const root = parser.parse(text, undefined, { bufferSize: Math.max(32 * 1024, text.length * 2 + 1024) }).rootNode;

  const oracleStrings: [Span, string][] = [];
  const oracleComments: Span[] = [];
  const oracleChars: Span[] = [];
  const oracleLifetimes: Span[] = [];
  const identifierSpans: SyntaxNode[] = [];
  const numberNodes: SyntaxNode[] = [];
  const delimited: SyntaxNode[] = [];
  for (const node of nodes(root)) {
    if (node.type === 'string_literal' || node.type === 'raw_string_literal') oracleStrings.push([span(node.startIndex, node.endIndex), oracleValue(node)]);
    else if (node.type === 'line_comment' || node.type === 'block_comment') {
      // tree-sitter keeps a doc line comment's newline (and a CR before it); rustc's token ends before both.
      const end = node.startIndex + node.text.replace(/\r?\n$/, '').replace(/\r$/, '').length;
      oracleComments.push(span(node.startIndex, end));
    } else if (node.type === 'char_literal') oracleChars.push(span(node.startIndex, node.endIndex));
    // rustc lexes loop labels (`'outer:`) as lifetime tokens; tree-sitter names them `label`.
    else if (node.type === 'lifetime' || node.type === 'label') oracleLifetimes.push(span(node.startIndex, node.endIndex));
    else if (IDENTIFIER_NODES.has(node.type) && node.childCount === 0 && node.parent?.type !== 'lifetime' && node.parent?.type !== 'label') identifierSpans.push(node);
    else if (node.type === 'integer_literal' || node.type === 'float_literal') numberNodes.push(node);
    if (node.childCount >= 2 && CLOSE_OF[node.children[0]!.type] === node.children[node.childCount - 1]!.type) delimited.push(node);
  }

  const byStart = new Map<number, number>();
  for (let i = 0; i < tokens.count; i++) byStart.set(tokens.start(i), i);
  const tokenAt = (node: SyntaxNode): number | undefined => {
    const i = byStart.get(node.startIndex);
    return i !== undefined && tokens.end(i) === node.endIndex ? i : undefined;
  };

  const lexerStrings: [Span, string | undefined][] = [];
  const lexerErrors: string[] = [];
  for (let i = 0; i < tokens.count; i++) {
    if (isStringKind(tokens.kind(i))) lexerStrings.push([span(tokens.start(i), tokens.end(i)), decodeStringLiteral(tokens, i)]);
    if (tokens.kind(i) === TokenKind.Unknown || tokens.flags[i] !== 0 && !tokens.hasFlag(i, 2)) lexerErrors.push(`${tokens.text(i)} at ${tokens.start(i)}`);
    if ((isOpenDelimiterKind(tokens.kind(i)) || tokens.kind(i) >= TokenKind.CloseParen && tokens.kind(i) <= TokenKind.CloseBrace) && tokens.matching(i) < 0) {
      lexerErrors.push(`unbalanced ${tokens.text(i)} at ${tokens.start(i)}`);
    }
  }
  const bySpan = (a: [Span, unknown], b: [Span, unknown]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

  const numbersMissing = numberNodes
    // Inside a macro's token tree tree-sitter reads `x.0.1` as `x`, `.`, float `0.1`; rustc's
    // parser (and our lexer) split it into two tuple indexes.
    .filter((node) => !(node.type === 'float_literal' && node.previousSibling?.type === '.'))
    .filter((node) => {
      const i = tokenAt(node);
      return i === undefined || tokens.kind(i) !== (node.type === 'integer_literal' ? TokenKind.Int : TokenKind.Float);
    })
    .map((node) => `${node.type} ${node.text} at ${node.startIndex}`);

  return {
    strings: { lexer: lexerStrings.sort(bySpan), oracle: oracleStrings.sort(bySpan) },
    comments: { lexer: tokenSpans(tokens, (kind) => isTriviaKind(kind) && kind !== TokenKind.Shebang), oracle: oracleComments.sort() },
    chars: { lexer: tokenSpans(tokens, (kind) => kind === TokenKind.Char || kind === TokenKind.Byte), oracle: oracleChars.sort() },
    lifetimes: { lexer: tokenSpans(tokens, (kind) => kind === TokenKind.Lifetime), oracle: oracleLifetimes.sort() },
    identifiersMissing: identifierSpans
      .filter((node) => {
        const i = tokenAt(node);
        return i === undefined || (tokens.kind(i) !== TokenKind.Ident && tokens.kind(i) !== TokenKind.RawIdent);
      })
      .map((node) => `${node.type} ${node.text} at ${node.startIndex}`),
    numbersMissing,
    delimitersMismatched: delimited
      .filter((node) => {
        const open = tokenAt(node.children[0]!);
        const close = tokenAt(node.children[node.childCount - 1]!);
        return open === undefined || close === undefined || tokens.matching(open) !== close;
      })
      .map((node) => `${node.type} at ${node.startIndex}`),
    lexerErrors,
    identifierCount: identifierSpans.length,
  };
}

const { parser, reason } = loadParser();
const files = rustFiles(path.join(repo, 'fixtures'));

describe.skipIf(parser === undefined)('lexRust agrees with tree-sitter-rust on every fixture', () => {
  it('finds Rust fixtures to compare', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  for (const file of files) {
    const name = path.relative(repo, file).split(path.sep).join('/');
    it(name, ({ skip }) => {
      const text = readFileSync(file, 'utf8');
      const root = parser!.parse(text, undefined, { bufferSize: Math.max(32 * 1024, text.length * 2 + 1024) }).rootNode;
      // A file tree-sitter cannot parse (a deliberately malformed fixture) has no reference to compare with.
      if (root.hasError) skip(`tree-sitter reports a syntax error in ${name}`);
      const result = compare(parser!, text);
      expect(result.strings.lexer.map(([s]) => s)).toEqual(result.strings.oracle.map(([s]) => s));
      expect(result.strings.lexer).toEqual(result.strings.oracle);
      expect(result.comments.lexer).toEqual(result.comments.oracle);
      expect(result.chars.lexer).toEqual(result.chars.oracle);
      expect(result.lifetimes.lexer).toEqual(result.lifetimes.oracle);
      expect(result.identifiersMissing).toEqual([]);
      expect(result.numbersMissing).toEqual([]);
      expect(result.delimitersMismatched).toEqual([]);
      expect(result.lexerErrors).toEqual([]);
    });
  }
});

if (parser === undefined) {
  describe('lexRust against tree-sitter-rust', () => {
    it.skip(`skipped: ${reason ?? ''}`, () => {});
  });
}
