/**
 * The Rust lexer. The lexing itself is WebAssembly compiled from wasm/lexer.ts (AssemblyScript),
 * which follows rustc's own lexer (`rustc_lexer`): the same token boundaries for identifiers,
 * lifetimes, literals and comments, so a string literal or a comment is recognised exactly where
 * the compiler sees one. It never throws: unclosed literals and comments carry
 * `TokenFlag.Unterminated`, stray characters become `Unknown` tokens, and unbalanced delimiters
 * have no partner. This module moves the text in and the token arrays out
 * (docs/decisions/0023-wasm-lexer.md says why WebAssembly).
 */
import { RUST_LEXER_WASM } from './lexer-wasm.generated.js';
import { webAssembly } from '../../util/webassembly.js';
import { TokenStream } from './tokens.js';

export interface LexOptions {
  /**
   * Emit comments and the shebang as trivia tokens (the default). Without them every token is
   * significant and delimiter partners index the shorter stream: the fact scanner needs no
   * mapping between the two, and each file's arrays are smaller for as long as its facts live.
   */
  trivia?: boolean;
}

/** The lexer module's exports (wasm/lexer.ts); addresses are byte offsets into `memory`. */
interface LexerExports {
  memory: { readonly buffer: ArrayBuffer };
  reserve(chars: number): number;
  lex(chars: number, trivia: number): number;
  kindsAt(): number;
  flagsAt(): number;
  startsAt(): number;
  lengthsAt(): number;
  partnersAt(): number;
  punctAt(): number;
  matchesAt(): number;
  farListAt(): number;
  farCountOf(): number;
  longListAt(): number;
  longCountOf(): number;
}

const XID_START = /^\p{XID_Start}$/u;
const XID_CONTINUE = /^\p{XID_Continue}$/u;

/** Unicode identifier classes for the module, asked for characters beyond ASCII only. */
const imports = {
  env: {
    xidStart: (codePoint: number): number => (XID_START.test(String.fromCodePoint(codePoint)) ? 1 : 0),
    xidContinue: (codePoint: number): number => (XID_CONTINUE.test(String.fromCodePoint(codePoint)) ? 1 : 0),
  },
};

/**
 * Texts longer than this are lexed by an instance of their own, dropped afterwards: WebAssembly
 * memory never shrinks, and the shared instance needs ~26 bytes per code unit of its largest text.
 */
const SHARED_INSTANCE_CHARS = 1 << 20;

let compiled: object | undefined;
let shared: LexerExports | undefined;

function instantiate(): LexerExports {
  // ~7 KB: compiled synchronously in about a millisecond.
  const wasm = webAssembly();
  compiled ??= new wasm.Module(Buffer.from(RUST_LEXER_WASM, 'base64'));
  return new wasm.Instance(compiled, imports).exports as unknown as LexerExports;
}

/** Tokens of a Rust source text, comments included as trivia unless `options.trivia` is false. Never throws. */
export function lexRust(source: string, options: LexOptions = {}): TokenStream {
  const chars = source.length;
  const lexer = chars > SHARED_INSTANCE_CHARS ? instantiate() : (shared ??= instantiate());
  const at = lexer.reserve(chars);
  if (at === 0) throw new RangeError(`no memory to lex a text of ${chars} characters`);
  // Every offset the lexer reports is in UTF-16 code units, as JavaScript strings count them.
  Buffer.from(lexer.memory.buffer, at, chars * 2).write(source, 'utf16le');
  const count = lexer.lex(chars, options.trivia === false ? 0 : 1);
  const buffer = lexer.memory.buffer;
  // Copies at exact size: the module's memory is reused for the next text.
  const kinds = new Uint8Array(buffer, lexer.kindsAt(), count).slice();
  const flags = new Uint8Array(buffer, lexer.flagsAt(), count).slice();
  const starts = new Uint32Array(buffer, lexer.startsAt(), count).slice();
  const lengths = new Uint16Array(buffer, lexer.lengthsAt(), count).slice();
  const partners = new Int16Array(buffer, lexer.partnersAt(), count).slice();
  const punct = new Uint16Array(buffer, lexer.punctAt(), count).slice();
  // The rare exceptions to 16 bits: tokens of 65,535 code units or more, partners 32,768 tokens away.
  let longEnds: Map<number, number> | undefined;
  const longCount = lexer.longCountOf();
  if (longCount > 0) {
    const pairs = new Int32Array(buffer, lexer.longListAt(), longCount * 2);
    longEnds = new Map();
    for (let i = 0; i < longCount; i++) longEnds.set(pairs[2 * i]!, pairs[2 * i + 1]!);
  }
  let farPartners: Map<number, number> | undefined;
  const farCount = lexer.farCountOf();
  if (farCount > 0) {
    const indexes = new Int32Array(buffer, lexer.farListAt(), farCount);
    const matches = new Int32Array(buffer, lexer.matchesAt(), count);
    farPartners = new Map();
    for (const index of indexes) farPartners.set(index, matches[index]!);
  }
  return new TokenStream(source, count, kinds, starts, flags, { lengths, longEnds, partners, farPartners }, punct);
}
