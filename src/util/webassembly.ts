/**
 * The runtime cannot do what the tool needs. Not a bug in the tool, so the CLI says what to
 * change and exits 2, as for a configuration error.
 */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}

/** The part of the WebAssembly API the tool uses (the project's `lib` has no DOM types). */
export interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/**
 * The WebAssembly API. The Rust lexer and libpg-query are WebAssembly, and Node takes the API
 * away under `--jitless` or `--no-expose-wasm` (often set through NODE_OPTIONS).
 */
export function webAssembly(): WebAssemblyApi {
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (api === undefined) {
    throw new EnvironmentError('this Node process has WebAssembly disabled, which the Rust lexer and the SQL parser need: run boundary-lint without --jitless or --no-expose-wasm (check NODE_OPTIONS too)');
  }
  return api;
}
