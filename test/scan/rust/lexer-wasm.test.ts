import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileLexerWasm, LEXER_MODULE, lexerModuleText } from '../../../scripts/build-wasm.mjs';

describe('the embedded WebAssembly lexer', () => {
  it('is the compilation of the AssemblyScript source in the tree (run `npm run build:wasm` when this fails)', async () => {
    const fresh = await compileLexerWasm();
    const committed = readFileSync(new URL(`../../../${LEXER_MODULE}`, import.meta.url), 'utf8');
    expect(committed).toBe(lexerModuleText(fresh));
  }, 60_000);
});
