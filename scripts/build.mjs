// Bundles the CLI into one ES module. Loading one file instead of ~200 small modules cuts
// start-up by ~150 ms, which matters for a pre-commit hook (docs/decisions/0009-startup.md).
// The model build (scanners, resolvers) is a second chunk, imported only on a model-cache miss,
// so a warm run compiles ~40% less code.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry content hashes, so old chunks would pile up in dist/chunks (and in the package).
rmSync('dist/chunks', { recursive: true, force: true });

await build({
  entryPoints: { 'boundary-lint': 'src/cli/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  legalComments: 'none',
  // libpg-query loads its WASM from its own package directory, so it stays a real dependency.
  // ts-morph (the TypeScript compiler, ~13 MB) loads lazily for TS/JS repositories only (decision 0016).
  external: ['libpg-query', 'ts-morph'],
  logLevel: 'warning',
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
