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

  it('sites deep in a file, in a module block or behind an escaped keyword are found (the walk skips only subtrees without the words)', async () => {
    const { edges } = await importEdges(
      workspace({
        'packages/a/src/main.ts': [
          '// importing nothing here: export, require',
          'export function load(flag: boolean) {',
          '  if (flag) { return () => [1, { x: require(\'@x/b\') }]; }',
          "  type T = Array<Promise<typeof import('@x/c')>>;",
          '  return null as unknown as T;',
          '}',
          "declare module 'ambient' {",
          "  export * from '@x/b/sub';",
          '}',
          '',
        ].join('\n'),
        // `\u0072equire` is `require` to the compiler; the text holds no `require`.
        'packages/c/src/escaped.js': "const x = \\u0072equire('@x/b');\n",
      }),
    );
    expect(edges.map(brief)).toEqual([
      '@x/a -> @x/b prod @ packages/a/src/main.ts:3:45, packages/a/src/main.ts:8:17',
      '@x/a -> @x/c prod type @ packages/a/src/main.ts:4:40',
      '@x/c -> @x/b prod @ packages/c/src/escaped.js:1:24',
    ]);
  });

  it('one bare specifier from importers in different directories resolves for each (paths, and node_modules walked up)', async () => {
    const { edges } = await importEdges(
      workspace({
        'packages/a/tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '#c/*': ['../c/src/*'] } } }),
        'packages/a/src/main.ts': "import { util } from '#c/util';\nimport ext from 'ext';\n",
        'packages/a/src/deep/more.ts': "import { util } from '#c/util';\nimport ext from 'ext';\n",
        'packages/c/src/util.ts': 'export const util = 1;\n',
        'packages/a/src/deep/node_modules/ext/index.d.ts': 'export default 1;\n',
      }),
    );
    expect(edges.map(brief)).toEqual(['@x/a -> @x/c prod @ packages/a/src/deep/more.ts:1:22, packages/a/src/main.ts:1:22']);
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

  it('test files are test scope (test/, e2e/, __fixtures__/, *.spec.*); node_modules, dist and .d.ts files are not read', async () => {
    const { edges } = await importEdges(
      workspace({
        'packages/a/test/a.ts': "import '@x/b';\n",
        'packages/a/src/a.spec.ts': "import '@x/b';\n",
        'packages/a/e2e/login.ts': "import '@x/b';\n",
        'packages/a/src/__fixtures__/user.ts': "import '@x/b';\n",
        'packages/a/src/types.d.ts': "import '@x/c';\n",
        'packages/a/dist/index.js': "require('@x/c');\n",
        'packages/a/node_modules/dep/index.js': "require('@x/c');\n",
      }),
      true,
    );
    expect(edges.map(brief)).toEqual(['@x/a -> @x/b test @ packages/a/e2e/login.ts:1:8, packages/a/src/__fixtures__/user.ts:1:8, packages/a/src/a.spec.ts:1:8, packages/a/test/a.ts:1:8']);
  });
});

/** A repository without package.json whose folders are declared as units in the config. */
function folders(units: Record<string, string[]>, files: FileMap): FileMap {
  const declared = Object.entries(units).map(([name, paths]) => ({ name, paths, kind: 'library' }));
  return { 'boundary.config.json': JSON.stringify({ units: declared }), ...files };
}

describe('import edges between folder-declared units', () => {
  it('relative imports resolve to files as the compiler does (.js -> .ts, .mjs -> .mts, directory index); a file in no unit gives no edge', async () => {
    const { edges } = await importEdges(
      folders(
        { a: ['src/a/**'], b: ['src/b/**'], c: ['src/c/**'] },
        {
          'src/a/main.ts': [
            "import { b } from '../b/index.js';",
            "import type { C } from '../c/types.js';",
            "import { x } from './x.js';",
            "import { o } from '../orphan/o.js';",
            "import { m } from '../b/mod.mjs';",
            "import c from '../c';",
            "import { js } from '../b/plain.js';",
            '',
          ].join('\n'),
          'src/a/x.ts': 'export const x = 1;\n',
          'src/b/index.ts': 'export const b = 1;\n',
          'src/b/mod.mts': 'export const m = 1;\n',
          'src/b/plain.js': 'export const js = 1;\n',
          'src/c/types.ts': 'export type C = number;\n',
          'src/c/index.ts': 'export default 1;\n',
          'src/orphan/o.ts': "import { x } from '../a/x.js';\nexport const o = x;\n",
        },
      ),
    );
    expect(edges.map(brief)).toEqual([
      'a -> b prod @ src/a/main.ts:1:19, src/a/main.ts:5:19, src/a/main.ts:7:20',
      'a -> c prod @ src/a/main.ts:6:15',
      'a -> c prod type @ src/a/main.ts:2:24',
    ]);
  });

  it('the most specific glob owns a file, as importer and as target; no file-in-two-units warning', async () => {
    const files = folders(
      { scan: ['src/scan/**'], 'scan-sql': ['src/scan/sql/**'], model: ['src/model/**'] },
      {
        'src/model/build.ts': "import { split } from '../scan/sql/split.js';\nimport type { Facts } from '../scan/rust/facts.js';\n",
        'src/scan/sql/split.ts': "import { lex } from '../rust/lexer.js';\nexport const split = lex;\n",
        'src/scan/rust/lexer.ts': 'export const lex = 1;\n',
        'src/scan/rust/facts.ts': 'export interface Facts { n: number }\n',
      },
    );
    const result = await run({ root: '.', cwd: writeRepo(files), includeTests: false });
    expect(result.model.edges.map(brief)).toEqual([
      'model -> scan prod type @ src/model/build.ts:2:28',
      'model -> scan-sql prod @ src/model/build.ts:1:23',
      'scan-sql -> scan prod @ src/scan/sql/split.ts:1:21',
    ]);
    expect(result.model.diagnostics).toEqual([]);
  });

  it('a folder unit inside a package owns its files; the package keeps the rest and imports it by path', async () => {
    const { edges } = await importEdges(
      workspace({
        'boundary.config.json': JSON.stringify({ units: [{ name: 'a-core', paths: ['packages/a/src/core/**'], kind: 'library' }] }),
        'packages/a/src/core/x.ts': "import { b } from '@x/b';\nexport const x = b;\n",
        'packages/a/src/main.ts': "import { x } from './core/x.js';\n",
        'packages/b/src/index.ts': "import { x } from '../../a/src/core/x';\nimport { y } from '../../a/src/other';\n",
      }),
    );
    expect(edges.map(brief)).toEqual([
      '@x/a -> a-core prod @ packages/a/src/main.ts:1:19',
      'a-core -> @x/b prod @ packages/a/src/core/x.ts:1:19',
      // `other` does not exist: by directory it is package a's.
      '@x/b -> @x/a prod @ packages/b/src/index.ts:2:19',
      '@x/b -> a-core prod @ packages/b/src/index.ts:1:19',
    ].sort());
  });

  it('tsconfig paths from the nearest tsconfig above the file resolve to the folder unit claiming the target', async () => {
    const { edges } = await importEdges(
      folders(
        { app: ['src/app/**'], core: ['src/core/**'] },
        {
          'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@core/*': ['src/core/*'] } } }),
          'src/app/main.ts': "import { thing } from '@core/thing';\nimport { gone } from '@core/gone';\nimport chalk from 'chalk';\n",
          'src/core/thing.ts': 'export const thing = 1;\n',
        },
      ),
    );
    expect(edges.map(brief)).toEqual(['app -> core prod @ src/app/main.ts:1:23']);
  });

  it('files under a test directory are test scope, judged by their repository path', async () => {
    const { edges } = await importEdges(
      folders(
        { lib: ['src/**'], tests: ['test/**'], app: ['app/**'] },
        {
          'src/index.ts': 'export const lib = 1;\n',
          'test/helpers/repo.ts': "import { lib } from '../../src/index.js';\n",
          'src/index.test.ts': "import '../test/helpers/repo.js';\n",
          'app/main.ts': "import { lib } from '../src/index.js';\n",
        },
      ),
    );
    expect(edges.map(brief)).toEqual([
      'app -> lib prod @ app/main.ts:1:21',
      'lib -> tests test @ src/index.test.ts:1:8',
      'tests -> lib test @ test/helpers/repo.ts:1:21',
    ]);
  });
});
