/**
 * Per-file facts of a Rust source: the item structure (modules, functions, impls, struct
 * fields, consts, lets), the paths, calls and method calls in it, and whether each sits in test
 * code. Facts are plain data and depend on the file's text only, so they can be cached by
 * content hash; resolving them against other files and units is the model's job.
 */
import type { Location } from '../../model/types.js';
import { detached } from '../../util/text.js';
import { lexRust } from './lexer.js';
import { decodeStringLiteral } from './strings.js';
import { TokenKind, isStringKind, type TokenStream } from './tokens.js';

/** A string literal's decoded value and where it is. */
export interface StringValue {
  value: string;
  location: Location;
}

/** Identifiers and string literals of an expression (an argument, an initialiser). */
export interface ExpressionSummary {
  idents: string[];
  strings: StringValue[];
  /**
   * The top-level comma-separated expressions, read as string-building code (literals,
   * `concat!`, `format!`, `include_str!`, consts, `+`, `.replace(..)`). Absent on summaries that
   * were not read from tokens.
   */
  expressions?(): StringExpr[];
}

/** How a string value is built, as far as the tokens say; resolution happens in the model. */
export type StringExpr =
  | { kind: 'literal'; value: string; location: Location }
  | { kind: 'concat'; parts: StringExpr[]; location: Location }
  | { kind: 'format'; template: StringExpr; args: StringExpr[]; named: Record<string, StringExpr>; location: Location }
  | { kind: 'include'; path: string; location: Location }
  /** A const, static or local variable: `GET_USER`, `queries::GET_USER`, `sql`. */
  | { kind: 'ref'; segments: string[]; location: Location }
  | { kind: 'replace'; base: StringExpr; from: StringExpr; to: StringExpr; location: Location }
  /** Anything else: a call, an arithmetic expression, a runtime value. */
  | { kind: 'unknown'; text: string; location: Location };

export interface ModDeclaration {
  name: string;
  /** `#[path = "..."]` on the declaration. */
  pathAttribute?: string;
  /** Names of the inline `mod x { ... }` blocks the declaration sits in, outermost first. */
  inlineParents: string[];
  test: boolean;
  location: Location;
}

export interface UseFact {
  /** Full path of one leaf of the use tree: `use a::{b::C, d as e}` gives `a::b::C` and `a::d`. */
  segments: string[];
  alias?: string;
  glob: boolean;
  test: boolean;
  fn: number;
  location: Location;
}

export interface PathFact {
  /** `a::b::c` (generic arguments dropped); a leading `::` gives a first segment of `''`. */
  segments: string[];
  /** Followed by `(`: a call of a function or associated function. */
  call: boolean;
  args?: ExpressionSummary;
  test: boolean;
  fn: number;
  location: Location;
}

export interface MethodCallFact {
  name: string;
  /**
   * What the method is called on, read backwards: `self.pool.feed().await?.get_feed(..)` gives
   * `['self', 'pool', 'feed()', 'await', '?']`.
   */
  receiver: string[];
  args: ExpressionSummary;
  test: boolean;
  fn: number;
  location: Location;
}

export interface CallFact {
  /** A plain `name(..)` call (no path, no receiver). */
  name: string;
  args: ExpressionSummary;
  test: boolean;
  fn: number;
  location: Location;
}

export interface MacroCallFact {
  segments: string[];
  name: string;
  args: ExpressionSummary;
  test: boolean;
  fn: number;
  location: Location;
}

export interface FnFact {
  name: string;
  /** The type of the enclosing `impl`, when a method. */
  implType?: string;
  /** The trait path of the enclosing `impl Trait for Type`. */
  traitPath?: string[];
  /** Identifiers of the return type (`-> ContentServiceClient<Channel>` gives both names). */
  returnIdents: string[];
  /** Identifiers of the parameter list. */
  paramIdents: string[];
  test: boolean;
  /** Index of the enclosing function for nested functions, else -1. */
  parent: number;
  location: Location;
}

export interface ImplFact {
  traitPath?: string[];
  typeName: string;
  test: boolean;
  location: Location;
}

export interface FieldFact {
  struct: string;
  name: string;
  typeIdents: string[];
  test: boolean;
  location: Location;
}

export interface StructFact {
  name: string;
  test: boolean;
  location: Location;
}

export interface ConstFact {
  name: string;
  /** The value when the initialiser is a string literal or `concat!` of literals. */
  value?: string;
  init: ExpressionSummary;
  test: boolean;
  location: Location;
}

export interface LetFact {
  name: string;
  typeIdents: string[];
  init: ExpressionSummary;
  test: boolean;
  fn: number;
  location: Location;
}

/** `type Name = Type;` at module level: another name for a type (`Arc<..>` and generics included in the idents). */
export interface TypeAliasFact {
  name: string;
  typeIdents: string[];
  test: boolean;
}

export interface AttributeFact {
  /** `event_handler` for `#[event_handler("content.post.created")]`. */
  name: string;
  args: ExpressionSummary;
  test: boolean;
  location: Location;
}

export interface RustFileFacts {
  file: string;
  /** `#![cfg(test)]` at the top: the whole file is test code. */
  fileIsTest: boolean;
  mods: ModDeclaration[];
  uses: UseFact[];
  paths: PathFact[];
  methodCalls: MethodCallFact[];
  calls: CallFact[];
  macros: MacroCallFact[];
  fns: FnFact[];
  impls: ImplFact[];
  fields: FieldFact[];
  structs: StructFact[];
  consts: ConstFact[];
  lets: LetFact[];
  attributes: AttributeFact[];
  typeAliases: TypeAliasFact[];
}

const KEYWORDS = new Set([
  'as', 'async', 'await', 'break', 'const', 'continue', 'crate', 'dyn', 'else', 'enum', 'extern', 'false', 'fn', 'for',
  'if', 'impl', 'in', 'let', 'loop', 'match', 'mod', 'move', 'mut', 'pub', 'ref', 'return', 'self', 'Self', 'static',
  'struct', 'super', 'trait', 'true', 'type', 'unsafe', 'use', 'where', 'while', 'yield', 'union', 'macro_rules',
]);

/** Packed punctuation codes (see TokenStream.punct): one or two ASCII codes, the first in the low byte. */
const AMP = 0x26; // &
const ARROW = 0x3e2d; // ->
const BANG = 0x21; // !
const CLOSE_BRACKET = 0x5d; // ]
const CLOSE_PAREN = 0x29; // )
const COLON = 0x3a; // :
const COLON2 = 0x3a3a; // ::
const COMMA = 0x2c; // ,
const DOT = 0x2e; // .
const EQ = 0x3d; // =
const GT = 0x3e; // >
const HASH = 0x23; // #
const LT = 0x3c; // <
const OPEN_BRACE = 0x7b; // {
const OPEN_BRACKET = 0x5b; // [
const OPEN_PAREN = 0x28; // (
const PLUS = 0x2b; // +
const QUESTION = 0x3f; // ?
const SEMICOLON = 0x3b; // ;
const STAR = 0x2a; // *
const CLOSE_BRACE = 0x7d; // }

/** The keywords `itemAt` handles, by length, so most identifiers are rejected by one array lookup. */
const ITEM_KEYWORDS_BY_LENGTH: (string[] | undefined)[] = [];
for (const keyword of ['pub', 'mod', 'fn', 'impl', 'trait', 'struct', 'union', 'enum', 'use', 'const', 'static', 'let', 'type', 'macro_rules', 'extern']) {
  (ITEM_KEYWORDS_BY_LENGTH[keyword.length] ??= []).push(keyword);
}

/** Macros whose arguments are code templates for another crate, not code of this one. */
const TEMPLATE_MACROS = new Set(['quote', 'quote_spanned', 'parse_quote', 'parse_quote_spanned', 'macro_rules']);

/** Attributes that carry no facts of interest; not recorded, to keep facts small. */
const ROUTINE_ATTRIBUTES = new Set(['derive', 'allow', 'warn', 'deny', 'doc', 'cfg_attr', 'serde', 'inline', 'must_use', 'repr', 'error', 'instrument', 'async_trait', 'non_exhaustive', 'expect']);

/** Attribute paths that mark a function as a test. */
function isTestAttribute(path: string[]): boolean {
  const last = path[path.length - 1];
  return last === 'test' || last === 'bench' || (path.length === 1 && (last === 'rstest' || last === 'test_case'));
}

interface Context {
  test: boolean;
  fn: number;
  inline: string[];
  implType?: string;
  traitPath?: string[];
}

interface PendingAttributes {
  test: boolean;
  path?: string;
}

/** Attributes of an item that has none; never written to. */
const NO_ATTRIBUTES: PendingAttributes = Object.freeze({ test: false });

/** The identifier list of a signature or type that has none; shared, as a third of them are empty. */
const NO_IDENTS = Object.freeze([]) as unknown as string[];

/**
 * One string per distinct identifier, shared by every file's facts. Facts keep ~250k identifier
 * strings at bench scale, nearly all repeats (`self`, `pool`, `Result`), and each is an object
 * the garbage collector marks while the facts live. An open-addressing table hashed on the source
 * text itself: a repeat costs a hash and a compare, with no string sliced (a Map keyed by sliced
 * strings cost ~4% of a cold run). Emptied when half full, so a long-lived process (tests, a
 * watcher) does not grow it without bound.
 */
const POOL_SIZE = 1 << 16;
const POOL_MASK = POOL_SIZE - 1;
let pool: (string | undefined)[] = new Array<string | undefined>(POOL_SIZE).fill(undefined);
let pooledCount = 0;

/** The pooled string equal to `source.slice(start, end)`. */
function pooledSlice(source: string, start: number, end: number): string {
  const length = end - start;
  let hash = length;
  for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + source.charCodeAt(i)) | 0;
  let slot = (hash ^ (hash >>> 16)) & POOL_MASK;
  for (;;) {
    const known = pool[slot];
    if (known === undefined) break;
    if (known.length === length && source.startsWith(known, start)) return known;
    slot = (slot + 1) & POOL_MASK;
  }
  if (pooledCount >= POOL_SIZE >>> 1) {
    pool = new Array<string | undefined>(POOL_SIZE).fill(undefined);
    pooledCount = 0;
    return pooledSlice(source, start, end);
  }
  // Pooled names outlive the file they were first seen in.
  const text = detached(source.slice(start, end));
  pool[slot] = text;
  pooledCount++;
  return text;
}

const EMPTY_SUMMARY: ExpressionSummary = Object.freeze({ idents: Object.freeze([]) as unknown as string[], strings: Object.freeze([]) as unknown as StringValue[] });

/** An ExpressionSummary whose contents are read from the tokens when first asked for. */
class LazySummary implements ExpressionSummary {
  private value: ExpressionSummary | undefined;

  constructor(
    private readonly scanner: FactScanner,
    private readonly from: number,
    private readonly to: number,
  ) {}

  private get resolved(): ExpressionSummary {
    return (this.value ??= this.scanner.summarize(this.from, this.to));
  }

  get idents(): string[] {
    return this.resolved.idents;
  }

  get strings(): StringValue[] {
    return this.resolved.strings;
  }

  private parsed: StringExpr[] | undefined;

  expressions(): StringExpr[] {
    return (this.parsed ??= this.scanner.stringExpressions(this.from, this.to));
  }

  toJSON(): ExpressionSummary {
    return this.resolved;
  }
}

/** Methods that return the string they are called on (or an equivalent owned string). */
const IDENTITY_METHODS = new Set(['to_string', 'to_owned', 'into', 'as_str', 'as_ref', 'clone', 'trim', 'into_owned', 'to_lowercase', 'to_uppercase', 'as_slice']);

/*
 * The fact classes below read their location, receiver and arguments from the tokens when first
 * asked for: most facts never become evidence, and each location costs two line lookups and an
 * object. They hold token positions instead, and every field is declared in the class, so each
 * fact is one fixed-shape object (facts of every file are alive at once; see benchmarks.md).
 */

/** A function, with its name and signature identifiers. */
class LazyFn implements FnFact {
  private locationValue: Location | undefined;
  readonly implType?: string;
  readonly traitPath?: string[];

  constructor(
    private readonly scanner: FactScanner,
    private readonly at: number,
    readonly name: string,
    readonly returnIdents: string[],
    readonly paramIdents: string[],
    readonly test: boolean,
    readonly parent: number,
    implType: string | undefined,
    traitPath: string[] | undefined,
  ) {
    // Absent rather than undefined, as the facts always had them.
    if (implType !== undefined) this.implType = implType;
    if (traitPath !== undefined) this.traitPath = traitPath;
  }

  get location(): Location {
    return (this.locationValue ??= this.scanner.location(this.at));
  }
}

/** `impl [Trait for] Type`, located from `impl` to the end of the header. */
class LazyImpl implements ImplFact {
  private locationValue: Location | undefined;
  readonly traitPath?: string[];

  constructor(
    private readonly scanner: FactScanner,
    private readonly from: number,
    private readonly to: number,
    readonly typeName: string,
    readonly test: boolean,
    traitPath: string[] | undefined,
  ) {
    if (traitPath !== undefined) this.traitPath = traitPath;
  }

  get location(): Location {
    return (this.locationValue ??= this.scanner.location(this.from, this.to));
  }
}

class LazyStruct implements StructFact {
  private locationValue: Location | undefined;

  constructor(
    private readonly scanner: FactScanner,
    private readonly at: number,
    readonly name: string,
    readonly test: boolean,
  ) {}

  get location(): Location {
    return (this.locationValue ??= this.scanner.location(this.at));
  }
}

class LazyField implements FieldFact {
  private locationValue: Location | undefined;

  constructor(
    private readonly scanner: FactScanner,
    private readonly at: number,
    readonly struct: string,
    readonly name: string,
    readonly typeIdents: string[],
    readonly test: boolean,
  ) {}

  get location(): Location {
    return (this.locationValue ??= this.scanner.location(this.at));
  }
}

/** `let name[: Type] [= init]`; the initialiser spans tokens [initFrom, initTo), empty without one. */
class LazyLet implements LetFact {
  private locationValue: Location | undefined;
  private initValue: ExpressionSummary | undefined;

  constructor(
    private readonly scanner: FactScanner,
    private readonly at: number,
    readonly name: string,
    readonly typeIdents: string[],
    private readonly initFrom: number,
    private readonly initTo: number,
    readonly test: boolean,
    readonly fn: number,
  ) {}

  get init(): ExpressionSummary {
    return (this.initValue ??= this.initFrom < 0 ? EMPTY_SUMMARY : new LazySummary(this.scanner, this.initFrom, this.initTo));
  }

  get location(): Location {
    return (this.locationValue ??= this.scanner.location(this.at));
  }
}

/** A method call; its arguments span tokens [argsFrom, argsTo) (the first argument only). */
class LazyMethodCall implements MethodCallFact {
  private receiverValue: string[] | undefined;
  private locationValue: Location | undefined;
  private argsValue: ExpressionSummary | undefined;

  constructor(
    private readonly scanner: FactScanner,
    private readonly dot: number,
    readonly name: string,
    private readonly argsFrom: number,
    private readonly argsTo: number,
    readonly test: boolean,
    readonly fn: number,
  ) {}

  get args(): ExpressionSummary {
    return (this.argsValue ??= new LazySummary(this.scanner, this.argsFrom, this.argsTo));
  }

  get receiver(): string[] {
    return (this.receiverValue ??= this.scanner.receiverOf(this.dot));
  }

  get location(): Location {
    return (this.locationValue ??= this.scanner.location(this.dot + 1));
  }
}

/** A path (`a::b`, `a::b(..)`); a call's first argument spans tokens [argsFrom, argsTo). */
class LazyPath implements PathFact {
  private locationValue: Location | undefined;
  private argsValue: ExpressionSummary | undefined;

  constructor(
    private readonly scanner: FactScanner,
    private readonly first: number,
    private readonly last: number,
    readonly segments: string[],
    readonly call: boolean,
    private readonly argsFrom: number,
    private readonly argsTo: number,
    readonly test: boolean,
    readonly fn: number,
  ) {}

  get args(): ExpressionSummary | undefined {
    if (!this.call) return undefined;
    return (this.argsValue ??= new LazySummary(this.scanner, this.argsFrom, this.argsTo));
  }

  get location(): Location {
    return (this.locationValue ??= this.scanner.location(this.first, this.last));
  }
}

/** A call of a plain name (`f(..)`); its first argument spans tokens [argsFrom, argsTo). */
class LazyCall implements CallFact {
  private locationValue: Location | undefined;
  private argsValue: ExpressionSummary | undefined;

  constructor(
    private readonly scanner: FactScanner,
    private readonly at: number,
    readonly name: string,
    private readonly argsFrom: number,
    private readonly argsTo: number,
    readonly test: boolean,
    readonly fn: number,
  ) {}

  get args(): ExpressionSummary {
    return (this.argsValue ??= new LazySummary(this.scanner, this.argsFrom, this.argsTo));
  }

  get location(): Location {
    return (this.locationValue ??= this.scanner.location(this.at));
  }
}

export function scanRustFile(file: string, text: string): RustFileFacts {
  return new FactScanner(file, lexRust(text, { trivia: false })).scan();
}

class FactScanner {
  /** Per token: punctuation packed as one or two ASCII codes (see TokenStream.punct). */
  private readonly punct: Uint16Array;
  private readonly n: number;
  private readonly facts: RustFileFacts;

  /** `tokens` holds significant tokens only (lexed with `trivia: false`), so positions are token indexes. */
  constructor(
    file: string,
    private readonly tokens: TokenStream,
  ) {
    this.n = tokens.count;
    this.punct = tokens.punct;
    this.facts = {
      file,
      fileIsTest: false,
      mods: [],
      uses: [],
      paths: [],
      methodCalls: [],
      calls: [],
      macros: [],
      fns: [],
      impls: [],
      fields: [],
      structs: [],
      consts: [],
      lets: [],
      attributes: [],
      typeAliases: [],
    };
  }

  scan(): RustFileFacts {
    this.walk(0, this.n, { test: false, fn: -1, inline: [] });
    return this.facts;
  }

  // ---- token helpers (positions are token indexes) ----

  private kind(p: number): number {
    return p < this.n && p >= 0 ? this.tokens.kinds[p]! : -1;
  }

  private ident(p: number): string | undefined {
    return p < this.n && p >= 0 ? this.tokens.identText(p) : undefined;
  }

  /** The identifier at `p` as the pooled string facts keep (see `pooledSlice`), or undefined. */
  private name(p: number): string | undefined {
    return p < this.n && p >= 0 ? this.pooledIdent(p) : undefined;
  }

  /** What `identText(p)` gives, as the pooled string. */
  private pooledIdent(p: number): string | undefined {
    const kind = this.tokens.kinds[p];
    if (kind !== TokenKind.Ident && kind !== TokenKind.RawIdent) return undefined;
    const start = this.tokens.starts[p]!;
    return pooledSlice(this.tokens.source, kind === TokenKind.RawIdent ? start + 2 : start, start + this.tokens.length(p));
  }

  /** Identifiers in positions [from, to), pooled; the shared empty list when there are none. */
  private identsIn(from: number, to: number): string[] {
    let idents: string[] | undefined;
    const kinds = this.tokens.kinds;
    for (let p = from; p < to; p++) {
      const kind = kinds[p]!;
      if (kind === TokenKind.Ident || kind === TokenKind.RawIdent) (idents ??= []).push(this.pooledIdent(p)!);
    }
    // An array grown by push keeps room for 17 elements (152 bytes for two names) while every
    // file's facts are alive; a copy is exactly as long as it needs to be.
    return idents === undefined ? NO_IDENTS : idents.slice();
  }

  private isKeyword(p: number, word: string): boolean {
    return p < this.n && p >= 0 && this.tokens.isKeyword(p, word);
  }

  /** Whether position `p` holds the punctuation with packed code `code` (one of the constants above). */
  private isPunct(p: number, code: number): boolean {
    return p < this.n && p >= 0 && this.punct[p] === code;
  }

  /** Position just past the delimited tree opening at `p` (or p + 1). */
  private skipTree(p: number): number {
    const partner = this.tokens.matching(p);
    return partner > p ? partner + 1 : p + 1;
  }

  /** Position of the partner of the delimiter at `p`, or -1. */
  private partner(p: number): number {
    return this.tokens.matching(p);
  }

  private isOpen(p: number): boolean {
    const k = this.kind(p);
    return k === TokenKind.OpenParen || k === TokenKind.OpenBracket || k === TokenKind.OpenBrace;
  }

  location(fromP: number, toP = fromP): Location {
    const start = this.tokens.positionAt(this.tokens.start(fromP));
    const end = this.tokens.positionAt(this.tokens.end(toP));
    return { file: this.facts.file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  }

  /** Skips `<...>` generic arguments starting at `p` (which must be `<`); `->` and `>=` are not closers. */
  private skipAngles(p: number): number {
    let depth = 0;
    for (let q = p; q < this.n; q++) {
      if (this.isOpen(q)) {
        q = this.skipTree(q) - 1;
        continue;
      }
      if (this.isPunct(q, LT)) depth++;
      else if (this.isPunct(q, GT)) {
        depth--;
        if (depth === 0) return q + 1;
      } else if (this.isPunct(q, SEMICOLON) || this.isPunct(q, OPEN_BRACE)) return q;
    }
    return this.n;
  }

  /** A summary computed on first use: most calls' arguments are never looked at. */
  private lazySummary(from: number, to: number): ExpressionSummary {
    return new LazySummary(this, from, to);
  }

  /** Identifiers and decoded strings in positions [from, to). */
  summarize(from: number, to: number): ExpressionSummary {
    const idents: string[] = [];
    const strings: StringValue[] = [];
    for (let p = from; p < to; p++) {
      const kind = this.tokens.kinds[p]!;
      if (kind === TokenKind.Ident || kind === TokenKind.RawIdent) {
        idents.push(this.pooledIdent(p)!);
      } else if (isStringKind(kind)) {
        const value = decodeStringLiteral(this.tokens, p);
        if (value !== undefined) strings.push({ value, location: this.location(p) });
      }
    }
    return { idents, strings };
  }

  /** Top-level comma-separated expressions in [from, to), each read as string-building code. */
  stringExpressions(from: number, to: number): StringExpr[] {
    const result: StringExpr[] = [];
    let start = from;
    for (let q = from; q <= to; ) {
      if (q === to || this.isPunct(q, COMMA)) {
        if (q > start) result.push(this.stringExpr(start, q));
        start = q + 1;
        q++;
        continue;
      }
      q = this.isOpen(q) ? this.skipTree(q) : q + 1;
    }
    return result;
  }

  /** One expression in [from, to) as string-building code; anything unrecognised is `unknown`. */
  private stringExpr(from: number, to: number): StringExpr {
    const parts: StringExpr[] = [];
    let start = from;
    // `a + &b + "c"`: concatenation of owned strings.
    for (let q = from; q <= to; ) {
      if (q === to || this.isPunct(q, PLUS)) {
        parts.push(this.stringTerm(start, q));
        start = q + 1;
        q++;
        continue;
      }
      q = this.isOpen(q) ? this.skipTree(q) : q + 1;
    }
    return parts.length === 1 ? parts[0]! : { kind: 'concat', parts, location: this.location(from, Math.max(from, to - 1)) };
  }

  private stringTerm(from: number, to: number): StringExpr {
    const location = this.location(from, Math.max(from, to - 1));
    const unknown = (): StringExpr => ({ kind: 'unknown', text: detached(this.tokens.source.slice(this.tokens.start(from), this.tokens.end(Math.max(from, to - 1)))), location });
    let p = from;
    while (p < to && (this.isPunct(p, AMP) || this.isPunct(p, STAR) || this.isKeyword(p, 'mut'))) p++;
    if (p >= to) return unknown();
    let expr: StringExpr | undefined;
    let q = p + 1;
    const kind = this.kind(p);
    if (isStringKind(kind)) {
      const value = decodeStringLiteral(this.tokens, p);
      if (value === undefined) return unknown();
      expr = { kind: 'literal', value, location: this.location(p) };
    } else if (this.isPunct(p, OPEN_PAREN)) {
      q = this.skipTree(p);
      expr = this.stringExpr(p + 1, q - 1);
    } else if (kind === TokenKind.Ident || kind === TokenKind.RawIdent || this.isPunct(p, COLON2)) {
      const segments: string[] = [];
      let r = p;
      if (this.isPunct(r, COLON2)) r++;
      while (r < to && this.ident(r) !== undefined) {
        segments.push(this.ident(r)!);
        r++;
        if (this.isPunct(r, COLON2) && this.ident(r + 1) !== undefined) r++;
        else break;
      }
      const last = segments[segments.length - 1];
      if (this.isPunct(r, BANG) && this.isOpen(r + 1)) {
        const open = r + 1;
        q = this.skipTree(open);
        const args = this.stringExpressions(open + 1, q - 1);
        const macroLocation = this.location(p, q - 1);
        if (last === 'concat') expr = { kind: 'concat', parts: args, location: macroLocation };
        else if (last === 'include_str' && args[0]?.kind === 'literal') expr = { kind: 'include', path: args[0].value, location: macroLocation };
        else if ((last === 'format' || last === 'format_args') && args.length > 0) {
          const positional: StringExpr[] = [];
          const named: Record<string, StringExpr> = {};
          // `name = expr` arguments of format! are named; re-read them by position.
          let argStart = open + 1;
          let index = 0;
          for (let s = open + 1; s <= q - 1; ) {
            if (s === q - 1 || this.isPunct(s, COMMA)) {
              if (s > argStart && index > 0) {
                const name = this.ident(argStart);
                if (name !== undefined && this.isPunct(argStart + 1, EQ) && !this.isPunct(argStart + 2, EQ)) named[name] = this.stringExpr(argStart + 2, s);
                else positional.push(args[index]!);
              }
              if (s > argStart) index++;
              argStart = s + 1;
              s++;
              continue;
            }
            s = this.isOpen(s) ? this.skipTree(s) : s + 1;
          }
          expr = { kind: 'format', template: args[0]!, args: positional, named, location: macroLocation };
        } else return unknown();
      } else if (this.isPunct(r, OPEN_PAREN)) {
        // `String::from(x)`, `String::from_str(x)`: the argument.
        q = this.skipTree(r);
        if (segments.length >= 2 && segments[segments.length - 2] === 'String' && (last === 'from' || last === 'from_str')) {
          expr = this.stringExpr(r + 1, q - 1);
        } else return unknown();
      } else {
        q = r;
        expr = { kind: 'ref', segments, location: this.location(p, Math.max(p, r - 1)) };
      }
    } else {
      return unknown();
    }
    // Postfix method calls: `.to_string()`, `.replace("{table}", t)`.
    while (q < to && this.isPunct(q, DOT) && this.ident(q + 1) !== undefined && this.isPunct(q + 2, OPEN_PAREN)) {
      const method = this.ident(q + 1)!;
      const close = this.skipTree(q + 2);
      if (IDENTITY_METHODS.has(method)) {
        q = close;
        continue;
      }
      if (method === 'replace') {
        const args = this.stringExpressions(q + 3, close - 1);
        if (args.length === 2) {
          expr = { kind: 'replace', base: expr, from: args[0]!, to: args[1]!, location };
          q = close;
          continue;
        }
      }
      return unknown();
    }
    return q === to ? expr : unknown();
  }

  /** End (exclusive) of the first argument of a call whose `(` is at `open`: up to the first top-level comma. */
  private firstArgumentEnd(open: number): number {
    const close = this.partner(open);
    const end = close < 0 ? Math.min(this.n, open + 1) : close;
    let q = open + 1;
    while (q < end && !this.isPunct(q, COMMA)) q = this.isOpen(q) ? this.skipTree(q) : q + 1;
    return Math.min(q, end);
  }

  /** All arguments of a call or macro whose delimiter is at `open`. */
  private allArguments(open: number): ExpressionSummary {
    const close = this.partner(open);
    return this.lazySummary(open + 1, close < 0 ? Math.min(this.n, open + 1) : close);
  }

  // ---- attributes ----

  /** Reads `#[...]` / `#![...]` at `p`; returns the position after it and what it says. */
  private readAttribute(p: number, ctx: Context, pending: PendingAttributes): number {
    const inner = this.isPunct(p + 1, BANG);
    const open = inner ? p + 2 : p + 1;
    if (!this.isPunct(open, OPEN_BRACKET)) return p + 1;
    const end = this.skipTree(open);
    const close = end - 1;
    const path: string[] = [];
    let q = open + 1;
    while (q < close && (this.ident(q) !== undefined || this.isPunct(q, COLON2))) {
      const name = this.ident(q);
      if (name !== undefined) path.push(name);
      q++;
    }
    let test = false;
    if (path.length === 1 && path[0] === 'cfg' && this.isPunct(q, OPEN_PAREN)) {
      test = this.cfgMentionsTest(q + 1, this.partner(q));
    } else if (isTestAttribute(path)) {
      test = true;
    } else if (path.length === 1 && path[0] === 'path' && this.isPunct(q, EQ) && isStringKind(this.kind(q + 1))) {
      const value = decodeStringLiteral(this.tokens, q + 1);
      if (value !== undefined) pending.path = value;
    } else if (path.length > 0 && this.isPunct(q, OPEN_PAREN) && !ROUTINE_ATTRIBUTES.has(path[0]!)) {
      this.facts.attributes.push({
        name: path[path.length - 1]!,
        args: this.allArguments(q),
        test: ctx.test,
        location: this.location(p, close),
      });
    }
    if (inner) {
      if (test && ctx.fn < 0 && ctx.inline.length === 0) this.facts.fileIsTest = true;
      return end;
    }
    if (test) pending.test = true;
    return end;
  }

  /** `cfg(test)`, `cfg(all(test, feature = "x"))`: `test` not under `not(...)`. */
  private cfgMentionsTest(from: number, to: number): boolean {
    for (let q = from; q < to; q++) {
      if (this.ident(q) === 'not' && this.isPunct(q + 1, OPEN_PAREN)) {
        q = this.skipTree(q + 1) - 1;
        continue;
      }
      if (this.ident(q) === 'test' && !this.isPunct(q + 1, EQ)) return true;
    }
    return false;
  }

  // ---- the walk ----

  /** Walks positions [from, to) reading items and expressions. This is the hot loop: numeric checks only. */
  private walk(from: number, to: number, ctx: Context): void {
    const punct = this.punct;
    const kinds = this.tokens.kinds;
    let pending: PendingAttributes | undefined;
    let p = from;
    while (p < to) {
      const code = punct[p]!;
      if (code === HASH && (punct[p + 1] === OPEN_BRACKET || (punct[p + 1] === BANG && punct[p + 2] === OPEN_BRACKET))) {
        pending ??= { test: false };
        p = this.readAttribute(p, ctx, pending);
        continue;
      }
      const itemCtx = pending?.test ? { ...ctx, test: true } : ctx;
      if (kinds[p] === TokenKind.Ident) {
        const word = this.itemKeywordAt(p);
        if (word !== undefined) {
          const next = this.itemAt(p, to, word, itemCtx, pending ?? NO_ATTRIBUTES);
          if (next !== undefined) {
            p = next;
            pending = undefined;
            continue;
          }
        }
      } else if (code === SEMICOLON || code === CLOSE_BRACE) {
        pending = undefined;
      }
      p = this.expressionAt(p, to, itemCtx);
    }
  }

  /** The item keyword a plain identifier token at `p` spells, or undefined; compares in place, no slicing. */
  private itemKeywordAt(p: number): string | undefined {
    const start = this.tokens.starts[p]!;
    const candidates = ITEM_KEYWORDS_BY_LENGTH[this.tokens.length(p)];
    if (candidates === undefined) return undefined;
    const source = this.tokens.source;
    for (const keyword of candidates) if (source.startsWith(keyword, start)) return keyword;
    return undefined;
  }

  /** Reads an item or statement keyword at `p`; returns the next position, or undefined when `p` starts none. */
  private itemAt(p: number, to: number, word: string, ctx: Context, pending: PendingAttributes): number | undefined {
    switch (word) {
      case 'pub':
        return this.isPunct(p + 1, OPEN_PAREN) ? this.skipTree(p + 1) : p + 1;
      case 'mod':
        return this.modAt(p, to, ctx, pending);
      case 'fn':
        return this.ident(p + 1) !== undefined ? this.fnAt(p, to, ctx) : undefined;
      case 'impl':
        return this.implAt(p, to, ctx);
      case 'trait':
        return this.traitAt(p, to, ctx);
      case 'struct':
      case 'union':
        return this.ident(p + 1) !== undefined ? this.structAt(p, to, ctx) : undefined;
      case 'enum':
        return this.ident(p + 1) !== undefined ? this.enumAt(p, to) : undefined;
      case 'use':
        return this.useAt(p, to, ctx);
      case 'const':
      case 'static':
        return this.constAt(p, to, ctx);
      case 'let':
        return this.letAt(p, to, ctx);
      case 'type':
        // Recorded, then read on as before (its paths are facts too): no position of its own.
        if (ctx.implType === undefined) this.typeAliasAt(p, to, ctx);
        return undefined;
      case 'macro_rules':
        if (this.isPunct(p + 1, BANG)) {
          let q = p + 2;
          if (this.ident(q) !== undefined) q++;
          return this.isOpen(q) ? this.skipTree(q) : q;
        }
        return undefined;
      case 'extern':
        if (this.isKeyword(p + 1, 'crate') && this.ident(p + 2) !== undefined) {
          const name = this.name(p + 2)!;
          const alias = this.isKeyword(p + 3, 'as') ? this.name(p + 4) : undefined;
          const use: UseFact = { segments: [name], glob: false, test: ctx.test, fn: ctx.fn, location: this.location(p + 2) };
          if (alias !== undefined) use.alias = alias;
          this.facts.uses.push(use);
          let q = p + 3;
          while (q < to && !this.isPunct(q, SEMICOLON)) q++;
          return q + 1;
        }
        return undefined;
      default:
        return undefined;
    }
  }

  /** `type Name[<..>] = Type;` outside impls and traits (there, `type` declares an associated type). */
  private typeAliasAt(p: number, to: number, ctx: Context): void {
    const name = this.name(p + 1);
    if (name === undefined) return;
    let q = p + 2;
    if (this.isPunct(q, LT)) q = this.skipAngles(q);
    if (!this.isPunct(q, EQ)) return;
    const end = this.bodyStart(q + 1, to);
    this.facts.typeAliases.push({ name, typeIdents: this.identsIn(q + 1, end), test: ctx.test });
  }

  private modAt(p: number, to: number, ctx: Context, pending: PendingAttributes): number | undefined {
    const name = this.name(p + 1);
    if (name === undefined) return undefined;
    const test = ctx.test || pending.test;
    if (this.isPunct(p + 2, SEMICOLON)) {
      const declaration: ModDeclaration = { name, inlineParents: [...ctx.inline], test, location: this.location(p, p + 1) };
      if (pending.path !== undefined) declaration.pathAttribute = pending.path;
      this.facts.mods.push(declaration);
      return p + 3;
    }
    if (this.isPunct(p + 2, OPEN_BRACE)) {
      const end = this.skipTree(p + 2);
      this.walk(p + 3, end - 1, { ...ctx, test, inline: [...ctx.inline, name] });
      return end;
    }
    return undefined;
  }

  /** Position of the first `{` or `;` at top level from `p` (skipping parens, brackets and generics). */
  private bodyStart(p: number, to: number): number {
    let q = p;
    while (q < to) {
      if (this.isPunct(q, OPEN_BRACE) || this.isPunct(q, SEMICOLON)) return q;
      q = this.isPunct(q, OPEN_PAREN) || this.isPunct(q, OPEN_BRACKET) ? this.skipTree(q) : q + 1;
    }
    return to;
  }

  private fnAt(p: number, to: number, ctx: Context): number {
    const name = this.name(p + 1)!;
    let q = p + 2;
    if (this.isPunct(q, LT)) q = this.skipAngles(q);
    let paramIdents = NO_IDENTS;
    let params: [number, number] | undefined;
    if (this.isPunct(q, OPEN_PAREN)) {
      const end = this.skipTree(q);
      paramIdents = this.identsIn(q + 1, end - 1);
      params = [q + 1, end - 1];
      q = end;
    }
    const body = this.bodyStart(q, to);
    let returnIdents = NO_IDENTS;
    let returns: [number, number] | undefined;
    if (this.isPunct(q, ARROW)) {
      let retEnd = q + 1;
      while (retEnd < body && !this.isKeyword(retEnd, 'where')) retEnd++;
      returnIdents = this.identsIn(q + 1, retEnd);
      returns = [q + 1, retEnd];
    }
    const index = this.facts.fns.length;
    this.facts.fns.push(new LazyFn(this, p + 1, name, returnIdents, paramIdents, ctx.test, ctx.fn, ctx.implType, ctx.traitPath));
    // Paths in the signature (`event: event_schema::Envelope`) are uses of other crates too.
    const signatureCtx = { test: ctx.test, fn: index, inline: ctx.inline };
    if (params) this.walkExpression(params[0], params[1], signatureCtx);
    if (returns) this.walkExpression(returns[0], returns[1], signatureCtx);
    if (body < to && this.isPunct(body, OPEN_BRACE)) {
      const end = this.skipTree(body);
      this.walk(body + 1, end - 1, { test: ctx.test, fn: index, inline: ctx.inline });
      return end;
    }
    return body + 1;
  }

  /** Path segments (identifiers and `::`, generic arguments skipped) in [from, to). */
  private pathIdents(from: number, to: number): string[] {
    const segments: string[] = [];
    for (let q = from; q < to; q++) {
      if (this.isPunct(q, LT)) {
        q = this.skipAngles(q) - 1;
        continue;
      }
      const name = this.name(q);
      if (name !== undefined && name !== 'dyn') segments.push(name);
      else if (!this.isPunct(q, COLON2) && !this.isPunct(q, AMP)) break;
    }
    return segments.slice();
  }

  private implAt(p: number, to: number, ctx: Context): number {
    let q = p + 1;
    if (this.isPunct(q, LT)) q = this.skipAngles(q);
    const body = this.bodyStart(q, to);
    // `impl [Trait for] Type [where ..]`: the where clause names bounds, not the type, and may
    // hold a `for<'a>` of its own.
    let forAt = -1;
    let headerEnd = body;
    for (let r = q; r < body; r++) {
      if (this.isPunct(r, LT)) {
        r = this.skipAngles(r) - 1;
        continue;
      }
      if (this.isKeyword(r, 'where')) {
        headerEnd = r;
        break;
      }
      if (forAt < 0 && this.isKeyword(r, 'for')) forAt = r;
    }
    const traitPath = forAt >= 0 ? this.pathIdents(q, forAt) : undefined;
    const typeSegments = this.pathIdents(forAt >= 0 ? forAt + 1 : q, headerEnd);
    const typeName = typeSegments[typeSegments.length - 1] ?? '';
    const impl = new LazyImpl(this, p, Math.max(p, body - 1), typeName, ctx.test, traitPath && traitPath.length > 0 ? traitPath : undefined);
    this.facts.impls.push(impl);
    if (body < to && this.isPunct(body, OPEN_BRACE)) {
      const end = this.skipTree(body);
      this.walk(body + 1, end - 1, { ...ctx, implType: typeName, traitPath: impl.traitPath });
      return end;
    }
    return body + 1;
  }

  private traitAt(p: number, to: number, ctx: Context): number {
    const body = this.bodyStart(p + 1, to);
    if (body < to && this.isPunct(body, OPEN_BRACE)) {
      const end = this.skipTree(body);
      this.walk(body + 1, end - 1, { ...ctx, implType: this.ident(p + 1) });
      return end;
    }
    return body + 1;
  }

  private structAt(p: number, to: number, ctx: Context): number {
    const struct = this.name(p + 1)!;
    this.facts.structs.push(new LazyStruct(this, p + 1, struct, ctx.test));
    let q = p + 2;
    if (this.isPunct(q, LT)) q = this.skipAngles(q);
    const body = this.bodyStart(q, to);
    if (!(body < to && this.isPunct(body, OPEN_BRACE))) {
      // Tuple or unit struct: `struct A(B);` / `struct A;`
      if (this.isPunct(q, OPEN_PAREN)) return this.bodyStart(this.skipTree(q), to) + 1;
      return body + 1;
    }
    const end = this.skipTree(body);
    let r = body + 1;
    while (r < end - 1) {
      if (this.isPunct(r, HASH) && this.isPunct(r + 1, OPEN_BRACKET)) {
        r = this.skipTree(r + 1);
        continue;
      }
      if (this.isKeyword(r, 'pub')) {
        r = this.isPunct(r + 1, OPEN_PAREN) ? this.skipTree(r + 1) : r + 1;
        continue;
      }
      const name = this.name(r);
      if (name !== undefined && this.isPunct(r + 1, COLON)) {
        let s = r + 2;
        while (s < end - 1 && !this.isPunct(s, COMMA)) {
          if (this.isPunct(s, LT)) s = this.skipAngles(s);
          else s = this.isOpen(s) ? this.skipTree(s) : s + 1;
        }
        this.facts.fields.push(new LazyField(this, r, struct, name, this.identsIn(r + 2, s), ctx.test));
        this.walkExpression(r + 2, s, ctx);
        r = s + 1;
        continue;
      }
      r++;
    }
    return end;
  }

  private enumAt(p: number, to: number): number {
    const body = this.bodyStart(p + 2, to);
    return body < to && this.isPunct(body, OPEN_BRACE) ? this.skipTree(body) : body + 1;
  }

  private useAt(p: number, to: number, ctx: Context): number {
    let end = p + 1;
    while (end < to && !this.isPunct(end, SEMICOLON)) end = this.isPunct(end, OPEN_BRACE) ? this.skipTree(end) : end + 1;
    this.readUseTree(p + 1, end, [], ctx, -1);
    return end + 1;
  }

  /**
   * Flattens a use tree in [from, to) under `prefix` into UseFacts. Each leaf's location runs
   * from the tree's first segment (the crate name, for imports) to the leaf.
   */
  private readUseTree(from: number, to: number, prefix: string[], ctx: Context, rootStart: number): void {
    const segments = [...prefix];
    let q = from;
    let first = rootStart >= 0 ? rootStart : q;
    if (this.isPunct(q, COLON2)) {
      segments.push('');
      q++;
    }
    while (q < to) {
      const name = this.name(q);
      if (name !== undefined) {
        if (segments.length === prefix.length && rootStart < 0) first = q;
        segments.push(name);
        q++;
        if (this.isPunct(q, COLON2)) {
          q++;
          continue;
        }
        const use: UseFact = { segments: segments.slice(), glob: false, test: ctx.test, fn: ctx.fn, location: this.location(first, q - 1) };
        if (this.isKeyword(q, 'as') && this.ident(q + 1) !== undefined) use.alias = this.name(q + 1)!;
        this.facts.uses.push(use);
        return;
      }
      if (this.isPunct(q, STAR)) {
        this.facts.uses.push({ segments: segments.slice(), glob: true, test: ctx.test, fn: ctx.fn, location: this.location(Math.max(first, from), q) });
        return;
      }
      if (this.isPunct(q, OPEN_BRACE)) {
        const close = this.partner(q);
        const end = close < 0 ? to : close;
        let start = q + 1;
        let r = start;
        while (r <= end) {
          if (r === end || this.isPunct(r, COMMA)) {
            if (r > start) this.readUseTree(start, r, segments, ctx, first);
            start = r + 1;
            r++;
            continue;
          }
          r = this.isPunct(r, OPEN_BRACE) ? this.skipTree(r) : r + 1;
        }
        return;
      }
      return;
    }
  }

  private constAt(p: number, to: number, ctx: Context): number | undefined {
    let q = p + 1;
    if (this.isKeyword(q, 'mut')) q++;
    const name = this.name(q);
    // `const fn`, `const unsafe fn`, `const {}` blocks are not constants.
    if (name === undefined || name === 'fn' || name === 'unsafe' || name === 'async' || name === 'extern') return undefined;
    if (!this.isPunct(q + 1, COLON)) return undefined;
    let eq = q + 2;
    while (eq < to && !this.isPunct(eq, EQ) && !this.isPunct(eq, SEMICOLON)) eq = this.isOpen(eq) ? this.skipTree(eq) : eq + 1;
    let end = eq;
    while (end < to && !this.isPunct(end, SEMICOLON)) end = this.isOpen(end) ? this.skipTree(end) : end + 1;
    const init = this.isPunct(eq, EQ) ? this.lazySummary(eq + 1, end) : EMPTY_SUMMARY;
    const fact: ConstFact = { name, init, test: ctx.test, location: this.location(q) };
    const value = this.isPunct(eq, EQ) ? this.literalValue(eq + 1, end) : undefined;
    if (value !== undefined) fact.value = value;
    this.facts.consts.push(fact);
    // The initialiser may hold calls and paths worth seeing.
    if (this.isPunct(eq, EQ)) this.walkExpression(eq + 1, end, ctx);
    return end + 1;
  }

  /** The value of `"..."`, `r#"..."#` or `concat!("a", "b")` spanning [from, to) exactly. */
  private literalValue(from: number, to: number): string | undefined {
    if (to - from === 1 && isStringKind(this.kind(from))) return decodeStringLiteral(this.tokens, from);
    if (this.ident(from) === 'concat' && this.isPunct(from + 1, BANG) && this.isOpen(from + 2) && this.skipTree(from + 2) === to) {
      let value = '';
      for (let q = from + 3; q < to - 1; q++) {
        if (this.isPunct(q, COMMA)) continue;
        if (!isStringKind(this.kind(q))) return undefined;
        const part = decodeStringLiteral(this.tokens, q);
        if (part === undefined) return undefined;
        value += part;
      }
      return value;
    }
    return undefined;
  }

  private letAt(p: number, to: number, ctx: Context): number {
    let q = p + 1;
    if (this.isKeyword(q, 'mut')) q++;
    const name = this.name(q);
    if (name === undefined || !(this.isPunct(q + 1, COLON) || this.isPunct(q + 1, EQ))) return p + 1;
    let eq = q + 1;
    let typeIdents = NO_IDENTS;
    if (this.isPunct(eq, COLON)) {
      let t = eq + 1;
      while (t < to && !this.isPunct(t, EQ) && !this.isPunct(t, SEMICOLON)) t = this.isPunct(t, LT) ? this.skipAngles(t) : this.isOpen(t) ? this.skipTree(t) : t + 1;
      typeIdents = this.identsIn(eq + 1, t);
      this.walkExpression(eq + 1, t, ctx);
      eq = t;
    }
    let end = eq;
    while (end < to && !this.isPunct(end, SEMICOLON)) end = this.isOpen(end) ? this.skipTree(end) : end + 1;
    const hasInit = this.isPunct(eq, EQ);
    this.facts.lets.push(new LazyLet(this, q, name, typeIdents, hasInit ? eq + 1 : -1, end, ctx.test, ctx.fn));
    // Continue after the pattern so the initialiser's calls are read as expressions.
    return this.isPunct(eq, EQ) ? eq + 1 : end;
  }

  /** Walks an expression range for calls and paths (items cannot start there). */
  private walkExpression(from: number, to: number, ctx: Context): void {
    let p = from;
    while (p < to) p = this.expressionAt(p, to, ctx);
  }

  /** Reads one expression element at `p` (a path, a call, a method call, a macro); returns the next position. */
  private expressionAt(p: number, to: number, ctx: Context): number {
    const kind = this.kind(p);
    if (kind === TokenKind.Ident || kind === TokenKind.RawIdent) {
      // Most identifiers are plain names: only one followed by `::`, `(` or `!` starts a fact.
      const next = this.punct[p + 1] ?? 0;
      if (next !== COLON2 && next !== OPEN_PAREN && next !== BANG) return p + 1;
      if (this.punct[p - 1] === DOT) return p + 1;
      return this.pathAt(p, to, ctx);
    }
    const code = this.punct[p]!;
    if (code === DOT) {
      const nextKind = this.kind(p + 1);
      if ((nextKind === TokenKind.Ident || nextKind === TokenKind.RawIdent) && !this.isKeyword(p + 1, 'await')) return this.methodCallAt(p, ctx);
      return p + 1;
    }
    if (code === COLON2 && this.punct[p - 1] !== DOT) return this.pathAt(p, to, ctx);
    return p + 1;
  }

  private methodCallAt(dot: number, ctx: Context): number {
    const name = this.name(dot + 1)!;
    let open = dot + 2;
    if (this.isPunct(open, COLON2) && this.isPunct(open + 1, LT)) open = this.skipAngles(open + 1);
    if (!this.isPunct(open, OPEN_PAREN)) return dot + 2;
    this.facts.methodCalls.push(new LazyMethodCall(this, dot, name, open + 1, this.firstArgumentEnd(open), ctx.test, ctx.fn));
    // Walk into the arguments: calls inside them are facts too.
    return open + 1;
  }

  /** The receiver chain before the `.` at `dot`, read backwards, returned in source order. */
  receiverOf(dot: number): string[] {
    const chain: string[] = [];
    let q = dot - 1;
    while (q >= 0 && chain.length < 8) {
      if (this.isPunct(q, QUESTION)) {
        chain.push('?');
        q--;
        continue;
      }
      if (this.isPunct(q, CLOSE_PAREN) || this.isPunct(q, CLOSE_BRACKET)) {
        const open = this.partner(q);
        if (open < 0) break;
        const callee = this.ident(open - 1);
        if (this.isPunct(q, CLOSE_BRACKET)) {
          chain.push('[]');
          q = open - 1;
          continue;
        }
        if (callee === undefined) {
          chain.push('(..)');
          break;
        }
        chain.push(`${callee}()`);
        q = open - 2;
        if (this.isPunct(q, DOT)) {
          q--;
          continue;
        }
        // `Type::new(..)`: keep the path.
        while (this.isPunct(q, COLON2) && this.ident(q - 1) !== undefined) {
          chain.push(this.ident(q - 1)!);
          q -= 2;
        }
        break;
      }
      const name = this.ident(q);
      if (name !== undefined) {
        chain.push(name);
        if (this.isPunct(q - 1, DOT)) {
          q -= 2;
          continue;
        }
        break;
      }
      break;
    }
    return chain.reverse();
  }

  private pathAt(p: number, to: number, ctx: Context): number {
    const first = p;
    const segments: string[] = [];
    let q = p;
    if (this.isPunct(q, COLON2)) {
      segments.push('');
      q++;
    }
    for (;;) {
      const name = this.name(q);
      if (name === undefined) break;
      segments.push(name);
      q++;
      if (this.isPunct(q, COLON2)) {
        if (this.isPunct(q + 1, LT)) {
          q = this.skipAngles(q + 1);
          if (this.isPunct(q, COLON2)) {
            q++;
            continue;
          }
          break;
        }
        q++;
        continue;
      }
      break;
    }
    if (segments.length === 0) return p + 1;
    const last = q - 1;
    const lastName = segments[segments.length - 1]!;
    // Macro invocation: `path!(...)`.
    if (this.isPunct(q, BANG) && this.isOpen(q + 1)) {
      const open = q + 1;
      const end = this.skipTree(open);
      if (TEMPLATE_MACROS.has(lastName)) return end;
      this.facts.macros.push({
        segments: segments.slice(),
        name: lastName,
        args: this.allArguments(open),
        test: ctx.test,
        fn: ctx.fn,
        location: this.location(first, q),
      });
      return open + 1;
    }
    const isCall = this.isPunct(q, OPEN_PAREN);
    if (segments.length >= 2 || (segments.length === 1 && segments[0] === '')) {
      this.facts.paths.push(new LazyPath(this, first, last, segments.slice(), isCall, q + 1, isCall ? this.firstArgumentEnd(q) : -1, ctx.test, ctx.fn));
    } else if (isCall && !KEYWORDS.has(lastName)) {
      this.facts.calls.push(new LazyCall(this, first, lastName, q + 1, this.firstArgumentEnd(q), ctx.test, ctx.fn));
    }
    return q;
  }
}
