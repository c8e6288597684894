import { describe, expect, it } from 'vitest';
import { run } from '../../src/run.js';
import type { Edge } from '../../src/model/types.js';
import { writeRepo, type FileMap } from '../helpers/repo.js';

const pkg = (name: string, extra: Record<string, unknown> = {}): string => JSON.stringify({ name, version: '1.0.0', ...extra }, null, 2);

/** A pnpm workspace with packages a (service), b and c. */
function workspace(files: FileMap): FileMap {
  return {
    'pnpm-workspace.yaml': "packages:\n  - 'packages/*'\n",
    'package.json': JSON.stringify({ name: 'root', private: true }),
    'packages/a/package.json': pkg('@x/a', { scripts: { start: 'node index.js' } }),
    'packages/b/package.json': pkg('@x/b', { main: 'dist/index.js' }),
    'packages/c/package.json': pkg('@x/c'),
    ...files,
  };
}

async function importEdges(files: FileMap, includeTests = false): Promise<{ edges: Edge[]; findings: string[] }> {
  const result = await run({ root: '.', cwd: writeRepo(files), includeTests });
  return {
    edges: result.model.edges.filter((e) => e.kind === 'import'),
    findings: result.findings.filter((f) => f.ruleId === 'no-cycles').map((f) => String(f.data.path)),
  };
}

const brief = (e: Edge): string =>
  `${e.from} -> ${e.to} ${e.scope}${e.typeOnly ? ' type' : ''} @ ${e.evidence.map((l) => `${l.file}:${l.line}:${l.column}`).join(', ')}`;

describe('TypeScript/JavaScript import edges', () => {
  it('static imports, export-from, require and import() with a literal, by package name and subpath', async () => {
    const { edges } = await importEdges(
      workspace({
        'packages/a/src/main.ts': [
          "import { b } from '@x/b';",
          "export * from '@x/c/deep/file.js';",
          "const lazy = await import('@x/b/other');",
          "const dyn = await import(`@x/c`);",
          "import os from 'node:os';",
          "import ext from 'lodash';",
          "const notLiteral = await import('@x/' + 'c');",
          '',
        ].join('\n'),
        'packages/b/index.js': "const c = require('@x/c');\nmodule.exports = c;\n",
      }),
    );
    expect(edges.map(brief)).toEqual([
      '@x/a -> @x/b prod @ packages/a/src/main.ts:1:19, packages/a/src/main.ts:3:27',
      '@x/a -> @x/c prod @ packages/a/src/main.ts:2:15, packages/a/src/main.ts:4:26',
      '@x/b -> @x/c prod @ packages/b/index.js:1:19',
    ]);
    expect(edges[0]!.evidence[0]).toMatchObject({ endLine: 1, endColumn: 25 });
  });

  it('relative paths that cross into another unit, but not those within the unit', async () => {
    const { edges } = await importEdges(
      workspace({
        'packages/a/src/main.ts': "import { b } from '../../b/src/index';\nimport { local } from './local';\n",
        'packages/a/src/local.ts': 'export const local = 1;\n',
        'packages/b/src/index.ts': 'export const b = 1;\n',
      }),
    );
    expect(edges.map(brief)).toEqual(['@x/a -> @x/b prod @ packages/a/src/main.ts:1:19']);
  });

  it('tsconfig paths (with extends and baseUrl) resolve through the compiler to the unit holding the file', async () => {
    const { edges } = await importEdges(
      workspace({
        'tsconfig.base.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@shared/*': ['packages/c/src/*'] } } }),
        'packages/a/tsconfig.json': JSON.stringify({ extends: '../../tsconfig.base.json' }),
        'packages/a/src/main.ts': "import { util } from '@shared/util';\nimport { missing } from '@shared/missing';\n",
        'packages/c/src/util.ts': 'export const util = 1;\n',
      }),
    );
    expect(edges.map(brief)).toEqual(['@x/a -> @x/c prod @ packages/a/src/main.ts:1:22']);
  });

  it('type-only imports are marked and do not close a cycle', async () => {
    const { edges, findings } = await importEdges(
      workspace({
        'packages/b/src/index.ts': "import type { A } from '@x/c';\nexport type { C } from '@x/c';\nimport { value } from '@x/c';\n",
        'packages/c/src/index.ts': "import type { B } from '@x/b';\ntype T = import('@x/b').B;\nexport const value = 1;\n",
      }),
    );
    expect(edges.map(brief)).toEqual([
      '@x/b -> @x/c prod @ packages/b/src/index.ts:3:23',
      '@x/b -> @x/c prod type @ packages/b/src/index.ts:1:24, packages/b/src/index.ts:2:24',
      '@x/c -> @x/b prod type @ packages/c/src/index.ts:1:24, packages/c/src/index.ts:2:17',
    ]);
    expect(findings).toEqual([]);
  });

  it('a value import cycle between units is a no-cycles finding at the first import', async () => {
    const { findings } = await importEdges(
      workspace({
        'packages/a/src/index.ts': "import { b } from '@x/b';\nexport const a = b;\n",
        'packages/b/package.json': pkg('@x/b', { scripts: { start: 'node .' } }),
        'packages/b/src/index.ts': "import { a } from '@x/a';\nexport const b = a;\n",
      }),
    );
    expect(findings).toEqual(['@x/a → @x/b → @x/a']);
  });

  it('test files are test scope; node_modules, dist and .d.ts files are not read', async () => {
    const { edges } = await importEdges(
      workspace({
        'packages/a/test/a.ts': "import '@x/b';\n",
        'packages/a/src/a.spec.ts': "import '@x/b';\n",
        'packages/a/src/types.d.ts': "import '@x/c';\n",
        'packages/a/dist/index.js': "require('@x/c');\n",
        'packages/a/node_modules/dep/index.js': "require('@x/c');\n",
      }),
      true,
    );
    expect(edges.map(brief)).toEqual(['@x/a -> @x/b test @ packages/a/src/a.spec.ts:1:8, packages/a/test/a.ts:1:8']);
  });
});
