import { describe, expect, it } from 'vitest';
import { buildNpmGraph, parseSpec, type NpmGraphOptions } from '../../src/model/npm.js';
import { scanPackageJson } from '../../src/scan/npm/package-json.js';
import { scanPnpmWorkspace } from '../../src/scan/npm/pnpm-workspace.js';

type FileMap = Record<string, string>;

function npmModelOf(files: FileMap, options: NpmGraphOptions = { services: undefined, libraries: undefined }): ReturnType<typeof buildNpmGraph> {
  const paths = Object.keys(files).sort();
  const packageJsons = paths.filter((f) => f.endsWith('package.json')).map((f) => scanPackageJson(f, files[f]!));
  const pnpm = paths.filter((f) => f.endsWith('pnpm-workspace.yaml')).map((f) => scanPnpmWorkspace(f, files[f]!));
  return buildNpmGraph(packageJsons, pnpm, paths, options);
}

const pkg = (name: string, extra: Record<string, unknown> = {}): string => JSON.stringify({ name, version: '1.0.0', ...extra }, null, 2);
const edgesOf = (graph: ReturnType<typeof buildNpmGraph>): string[] =>
  graph.edges.map((e) => `${e.from} -> ${e.to} ${e.kind} ${e.scope}${e.optional ? ' optional' : ''}${e.rename ? ` rename=${e.rename}` : ''} @${e.evidence.map((l) => `${l.file}:${l.line}:${l.column}`).join(',')}`);
const diagnosticsOf = (graph: ReturnType<typeof buildNpmGraph>): string[] => graph.diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}:${d.location?.line}`);

describe('buildNpmGraph: units', () => {
  it('npm workspaces: glob members and negated patterns; the root is the workspace, not a unit', () => {
    const graph = npmModelOf({
      'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*', 'services/**', '!packages/legacy'] }, null, 2),
      'packages/db/package.json': pkg('@acme/db'),
      'packages/legacy/package.json': pkg('@acme/legacy'),
      'services/api/package.json': pkg('@acme/api', { scripts: { start: 'node .' } }),
      'services/nested/deep/package.json': pkg('deep'),
      'tools/x/package.json': pkg('x'),
    });
    expect(graph.units.map((u) => [u.name, u.path, u.kind, u.kindSource, u.workspace])).toEqual([
      ['@acme/db', 'packages/db', 'library', 'no-start-script', 'package.json'],
      ['@acme/api', 'services/api', 'service', 'start-script', 'package.json'],
      ['deep', 'services/nested/deep', 'library', 'no-start-script', 'package.json'],
    ]);
    expect(diagnosticsOf(graph)).toEqual([
      'info excluded-from-workspace packages/legacy/package.json:2',
      'info not-a-workspace-member tools/x/package.json:2',
    ]);
  });

  it('yarn `workspaces: { packages }` and pnpm-workspace.yaml (which wins over package.json workspaces)', () => {
    const yarn = npmModelOf({ 'package.json': JSON.stringify({ workspaces: { packages: ['libs/*'] } }), 'libs/a/package.json': pkg('a') });
    expect(yarn.units.map((u) => u.name)).toEqual(['a']);
    const pnpm = npmModelOf({
      'package.json': JSON.stringify({ name: 'root', workspaces: ['ignored/*'] }),
      'pnpm-workspace.yaml': "packages:\n  - 'apps/*'\n",
      'apps/web/package.json': pkg('web'),
      'ignored/a/package.json': pkg('a'),
    });
    expect(pnpm.units.map((u) => [u.name, u.workspace])).toEqual([['web', 'pnpm-workspace.yaml']]);
    expect(diagnosticsOf(pnpm)).toEqual(['info not-a-workspace-member ignored/a/package.json:2']);
  });

  it('standalone packages outside any workspace are units of their own', () => {
    const graph = npmModelOf({ 'frontend/package.json': pkg('frontend'), 'svc/package.json': pkg('svc', { scripts: { start: 'node .' } }) });
    expect(graph.units.map((u) => [u.name, u.kind, u.workspace])).toEqual([
      ['frontend', 'library', 'frontend/package.json'],
      ['svc', 'service', 'svc/package.json'],
    ]);
  });

  it('language: typescript with a tsconfig.json or a .ts/.tsx source of its own (not .d.ts, not a nested package)', () => {
    const graph = npmModelOf({
      'package.json': JSON.stringify({ workspaces: ['p/*', 'p/a/nested'] }),
      'p/a/package.json': pkg('a'),
      'p/a/index.js': '',
      'p/a/types.d.ts': '',
      'p/a/nested/package.json': pkg('nested'),
      'p/a/nested/src/x.tsx': '',
      'p/b/package.json': pkg('b'),
      'p/b/tsconfig.json': '{}',
      'p/c/package.json': pkg('c'),
      'p/c/src/deep/y.mts': '',
    });
    expect(graph.units.map((u) => [u.name, u.language])).toEqual([
      // sorted by manifest path: p/a/nested/package.json before p/a/package.json
      ['nested', 'typescript'],
      ['a', 'javascript'],
      ['b', 'typescript'],
      ['c', 'typescript'],
    ]);
  });

  it('service vs library: config globs first, then a start script or a Dockerfile in the package directory; a bin alone is a library', () => {
    const files = {
      'package.json': JSON.stringify({ workspaces: ['*'] }),
      'api/package.json': pkg('api', { scripts: { start: 'node .' } }),
      'worker/package.json': pkg('worker'),
      'worker/Dockerfile': 'FROM node:20',
      'cli/package.json': pkg('cli', { bin: { cli: './cli.js' } }),
      'lib/package.json': pkg('lib'),
      'lib/docker/Dockerfile': 'FROM node:20',
    };
    expect(npmModelOf(files).units.map((u) => `${u.name}:${u.kind}:${u.kindSource}`)).toEqual([
      'api:service:start-script',
      'cli:library:no-start-script',
      'lib:library:no-start-script',
      'worker:service:dockerfile',
    ]);
    expect(npmModelOf(files).units.find((u) => u.name === 'cli')!.binaries).toEqual(['cli']);
    const configured = npmModelOf(files, { services: ['cli'], libraries: ['api'] });
    expect(configured.units.map((u) => `${u.name}:${u.kind}:${u.kindSource}`)).toEqual([
      'api:library:config:libraries',
      'cli:service:config:services',
      'lib:library:config:services',
      'worker:library:config:services',
    ]);
  });

  it('a missing name, a literal member that does not exist, and a clash with a taken name are diagnostics', () => {
    const graph = npmModelOf(
      {
        'package.json': '{\n  "workspaces": [\n    "packages/*",\n    "packages/gone"\n  ]\n}',
        'packages/anon/package.json': '{"version": "1.0.0"}',
        'packages/db/package.json': pkg('db'),
        'packages/broken/package.json': '{"name": "broken",',
      },
      { services: undefined, libraries: undefined, takenNames: new Set(['db']) },
    );
    expect(graph.units.map((u) => u.name)).toEqual(['db@packages/db']);
    expect(diagnosticsOf(graph)).toEqual([
      'warning manifest-parse-error packages/broken/package.json:1',
      'warning manifest-missing-name packages/anon/package.json:1',
      'warning member-not-found package.json:4',
      'warning duplicate-unit-name packages/db/package.json:2',
    ]);
  });
});

describe('buildNpmGraph: package edges', () => {
  const workspace = (files: FileMap): FileMap => ({ 'package.json': JSON.stringify({ private: true, workspaces: ['packages/*', 'apps/*'] }), ...files });

  it('every dependency field and version spec naming a workspace package is an edge, at the key', () => {
    const graph = npmModelOf(
      workspace({
        'packages/db/package.json': pkg('@n/db'),
        'packages/events/package.json': pkg('@n/events'),
        'packages/config/package.json': pkg('@n/config'),
        'packages/metrics/package.json': pkg('@n/metrics'),
        'apps/api/package.json': [
          '{',
          '  "name": "@n/api",',
          '  "dependencies": { "@n/db": "workspace:*", "@n/events": "workspace:^1.0.0", "express": "^4" },',
          '  "peerDependencies": { "@n/config": "^1.0.0" },',
          '  "optionalDependencies": { "@n/metrics": "workspace:~" },',
          '  "devDependencies": { "@n/config": "file:../../packages/config", "@n/db": "link:../../packages/db" }',
          '}',
        ].join('\n'),
      }),
    );
    expect(edgesOf(graph)).toEqual([
      '@n/api -> @n/config package prod @apps/api/package.json:4:25',
      '@n/api -> @n/config package-dev test @apps/api/package.json:6:24',
      '@n/api -> @n/db package prod @apps/api/package.json:3:21',
      '@n/api -> @n/db package-dev test @apps/api/package.json:6:67',
      '@n/api -> @n/events package prod @apps/api/package.json:3:45',
      '@n/api -> @n/metrics package prod optional @apps/api/package.json:5:29',
    ]);
    expect(graph.units.find((u) => u.name === '@n/api')!.externalDependencies.map((d) => `${d.name} ${d.kind} ${d.source} ${d.location.line}:${d.location.column}`)).toEqual([
      'express package registry 3:78',
    ]);
    expect(graph.diagnostics).toEqual([]);
  });

  it('one edge per kind: the same package in dependencies and peerDependencies is one edge with two pieces of evidence; optional only if every declaration is', () => {
    const graph = npmModelOf(
      workspace({
        'packages/a/package.json': pkg('a', { dependencies: { b: 'workspace:*' }, peerDependencies: { b: 'workspace:*' }, optionalDependencies: { c: '*' } }),
        'packages/b/package.json': pkg('b'),
        'packages/c/package.json': pkg('c'),
      }),
    );
    expect(graph.edges.map((e) => [e.from, e.to, e.kind, e.evidence.length, e.optional ?? false])).toEqual([
      ['a', 'b', 'package', 2, false],
      ['a', 'c', 'package', 1, true],
    ]);
  });

  it('pnpm aliases and paths: workspace:<name>@<range>, workspace:../dir, file: to a directory by path (rename when the key differs)', () => {
    const graph = npmModelOf(
      workspace({
        'packages/db/package.json': pkg('@n/db'),
        'packages/api/package.json': pkg('api', { dependencies: { db: 'workspace:@n/db@*', 'db-by-path': 'workspace:../db', local: 'file:../db' } }),
      }),
    );
    expect(edgesOf(graph)).toEqual(['api -> @n/db package prod rename=db @packages/api/package.json:5:5,packages/api/package.json:6:5,packages/api/package.json:7:5']);
  });

  it('externals: registry, npm: aliases, git and tarballs; unresolved workspace: and path specs are diagnostics', () => {
    const graph = npmModelOf(
      workspace({
        'packages/other/package.json': pkg('other'),
        'apps/api/package.json': pkg('api', {
          dependencies: {
            lodash: '^4.17.21',
            legacy: 'npm:lodash@3',
            gh: 'github:acme/gh',
            short: 'acme/short#main',
            giturl: 'git+https://example.com/a.git',
            ghost: 'workspace:*',
            dangling: 'file:../../nowhere',
            outside: 'file:../../../elsewhere',
            tarball: 'file:../../vendor/x-1.0.0.tgz',
            other: '2.0.0',
          },
          devDependencies: { vitest: '^2' },
        }),
      }),
    );
    const api = graph.units.find((u) => u.name === 'api')!;
    expect(api.externalDependencies.map((d) => `${d.name}${d.rename ? ` (as ${d.rename})` : ''} ${d.kind} ${d.scope} ${d.source}`)).toEqual([
      'dangling package prod path',
      'gh package prod git',
      'giturl package prod git',
      'lodash package prod registry',
      'lodash (as legacy) package prod registry',
      'outside package prod path',
      'short package prod git',
      'tarball package prod path',
      'vitest package-dev test registry',
    ]);
    // A plain range naming a workspace package links it (npm, yarn).
    expect(edgesOf(graph).map((e) => e.split(' @')[0])).toEqual(['api -> other package prod']);
    expect(graph.diagnostics.map((d) => d.code)).toEqual(['unresolved-workspace-dependency', 'unresolved-path-dependency', 'path-dependency-outside-repository']);
  });

  it('a standalone package resolves only paths; workspace: there is a diagnostic', () => {
    const graph = npmModelOf({
      'a/package.json': pkg('a', { dependencies: { b: 'file:../b', c: '1.0.0', d: 'workspace:*' } }),
      'b/package.json': pkg('b'),
      'c/package.json': pkg('c'),
    });
    expect(edgesOf(graph).map((e) => e.split(' @')[0])).toEqual(['a -> b package prod']);
    expect(graph.diagnostics.map((d) => d.code)).toEqual(['unresolved-workspace-dependency']);
  });

  it('names resolve within the package\'s own workspace only', () => {
    const graph = npmModelOf({
      'one/package.json': JSON.stringify({ workspaces: ['p/*'] }),
      'one/p/x/package.json': pkg('x', { dependencies: { y: 'workspace:*' } }),
      'two/package.json': JSON.stringify({ workspaces: ['p/*'] }),
      'two/p/y/package.json': pkg('y'),
    });
    expect(graph.edges).toEqual([]);
    expect(graph.diagnostics.map((d) => d.code)).toEqual(['unresolved-workspace-dependency']);
  });
});

describe('parseSpec', () => {
  it.each([
    ['workspace:*', { type: 'workspace' }],
    ['workspace:^1.2.0', { type: 'workspace' }],
    ['workspace:~', { type: 'workspace' }],
    ['workspace:@a/b@*', { type: 'workspace', name: '@a/b' }],
    ['workspace:b@^1', { type: 'workspace', name: 'b' }],
    ['workspace:../b', { type: 'path', path: '../b' }],
    ['file:../b', { type: 'path', path: '../b' }],
    ['link:./b', { type: 'path', path: './b' }],
    ['../b', { type: 'path', path: '../b' }],
    ['npm:@a/b@1', { type: 'alias', name: '@a/b' }],
    ['github:a/b', { type: 'git' }],
    ['a/b', { type: 'git' }],
    ['git+ssh://git@github.com/a/b.git#v1', { type: 'git' }],
    ['^1.0.0', { type: 'registry' }],
    ['catalog:', { type: 'registry' }],
    ['https://example.com/x.tgz', { type: 'registry' }],
  ])('%s', (spec, expected) => {
    expect(parseSpec(spec)).toEqual(expected);
  });
});

describe('buildNpmGraph: a tooling package.json beside a Cargo workspace', () => {
  it('is not a unit when it declares only devDependencies and no entry point or start script', () => {
    const graph = npmModelOf({
      'Cargo.toml': '[workspace]\nmembers = ["svc"]\n',
      'package.json': pkg('repo-tools', { private: true, devDependencies: { prettier: '3.0.0', husky: '9.0.0' } }),
      '.prettierrc.js': 'module.exports = {};\n',
    });
    expect(graph.units).toEqual([]);
    expect(diagnosticsOf(graph)).toEqual(['info tooling-package-json package.json:2']);
  });

  it('stays a unit when it has runtime dependencies, an entry point or a start script, or no Cargo.toml beside it', () => {
    const cargo = { 'Cargo.toml': '[workspace]\nmembers = ["svc"]\n' };
    expect(npmModelOf({ ...cargo, 'package.json': pkg('web', { dependencies: { react: '18.0.0' } }) }).units.map((u) => u.name)).toEqual(['web']);
    expect(npmModelOf({ ...cargo, 'package.json': pkg('lib', { main: 'index.js' }) }).units.map((u) => u.name)).toEqual(['lib']);
    expect(npmModelOf({ ...cargo, 'package.json': pkg('app', { scripts: { start: 'node .' } }) }).units.map((u) => u.name)).toEqual(['app']);
    expect(npmModelOf({ 'package.json': pkg('tools', { devDependencies: { prettier: '3.0.0' } }) }).units.map((u) => u.name)).toEqual(['tools']);
  });
});
