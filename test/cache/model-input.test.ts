import { describe, expect, it } from 'vitest';
import { isModelInput } from '../../src/cache/model-cache.js';

describe('isModelInput: npm and TypeScript inputs are part of the model cache key', () => {
  it.each([
    'package.json',
    'apps/api/package.json',
    'pnpm-workspace.yaml',
    'packages/db/tsconfig.json',
    'apps/worker/Dockerfile',
    'src/scan/a.ts',
    'web/App.tsx',
    'lib/x.mjs',
    'lib/y.cjs',
    'Cargo.toml',
  ])('%s is an input', (file) => {
    expect(isModelInput(file)).toBe(true);
  });

  it.each(['README.md', 'package-lock.json', 'pnpm-lock.yaml', 'docs/tsconfig.md', 'img/logo.png'])('%s is not', (file) => {
    expect(isModelInput(file)).toBe(false);
  });
});
