// Types for scripts/build-wasm.mjs, so test/scan/rust/lexer-wasm.test.ts type-checks.
export declare const LEXER_SOURCE: string;
export declare const LEXER_MODULE: string;
export declare function compileLexerWasm(): Promise<Buffer>;
export declare function lexerModuleText(bytes: Buffer): string;
