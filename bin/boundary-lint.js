#!/usr/bin/env node
// Thin launcher: the CLI lives in the compiled output so the package runs without a TypeScript toolchain.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/boundary-lint.mjs', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('boundary-lint: the compiled CLI is missing (dist/). Run `npm run build` in the package directory.\n');
  process.exitCode = 2;
} else {
  const { main } = await import(entry.href);
  process.exitCode = await main(process.argv.slice(2));
}
