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
    // Prisma schemas map models to tables, sqlc configs say which queries run where, and a
    // tsconfig that others extend carries their paths: a change to any must rebuild the model.
    'apps/worker/prisma/schema.prisma',
    'prisma/schema/user.prisma',
    'apps/worker/sqlc.yaml',
    'db/sqlc.yml',
    'sqlc.json',
    'tsconfig.base.json',
    'packages/web/tsconfig.build.json',
    'packages/legacy/jsconfig.json',
  ])('%s is an input', (file) => {
    expect(isModelInput(file)).toBe(true);
  });

  it.each(['README.md', 'package-lock.json', 'pnpm-lock.yaml', 'docs/tsconfig.md', 'img/logo.png', 'mysqlc.yaml', 'tsconfig.json.bak'])('%s is not', (file) => {
    expect(isModelInput(file)).toBe(false);
  });
});
