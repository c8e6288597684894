import { describe, expect, it } from 'vitest';
import { scanPackageJson } from '../../../src/scan/npm/package-json.js';

const FILE = 'packages/db/package.json';

describe('scanPackageJson', () => {
  it('reads name, dependencies of every field with the key location, start script, bin and entry point', () => {
    const facts = scanPackageJson(
      FILE,
      [
        '{',
        '  "name": "@nova/db",',
        '  "main": "dist/index.js",',
        '  "bin": "cli.js",',
        '  "scripts": { "start": "node dist/server.js" },',
        '  "dependencies": { "pg": "^8.13.0", "@nova/config": "workspace:*" },',
        '  "devDependencies": {',
        '    "@nova/events": "workspace:^1.0.0"',
        '  },',
        '  "peerDependencies": { "@nova/config": "workspace:^" },',
        '  "optionalDependencies": { "kafkajs": " ^2.2.4 " }',
        '}',
      ].join('\n'),
    );
    expect(facts).toMatchObject({ parsed: true, name: '@nova/db', hasStartScript: true, bins: ['db'], hasEntryPoint: true, diagnostics: [] });
    expect(facts.location).toEqual({ file: FILE, line: 2, column: 3, endLine: 2, endColumn: 9 });
    expect(facts.dependencies.map((d) => [d.field, d.key, d.spec, `${d.location.line}:${d.location.column}-${d.location.endColumn}`])).toEqual([
      ['dependencies', 'pg', '^8.13.0', '6:21-25'],
      ['dependencies', '@nova/config', 'workspace:*', '6:38-52'],
      ['devDependencies', '@nova/events', 'workspace:^1.0.0', '8:5-19'],
      ['peerDependencies', '@nova/config', 'workspace:^', '10:25-39'],
      ['optionalDependencies', 'kafkajs', '^2.2.4', '11:29-38'],
    ]);
  });

  it('reads `workspaces` as an array or as { packages }, with each pattern located', () => {
    const array = scanPackageJson('package.json', '{\n  "private": true,\n  "workspaces": ["apps/*", "!apps/legacy"]\n}');
    expect(array.workspaces?.patterns).toEqual(['apps/*', '!apps/legacy']);
    expect(array.workspaces?.patternLocations.map((l) => `${l.line}:${l.column}`)).toEqual(['3:18', '3:28']);
    expect(array.name).toBeUndefined();
    const yarn = scanPackageJson('package.json', '{"workspaces": {"packages": ["packages/*"], "nohoist": ["**/react"]}}');
    expect(yarn.workspaces?.patterns).toEqual(['packages/*']);
    expect(yarn.workspaces?.patternLocations[0]).toMatchObject({ line: 1, column: 30 });
  });

  it('bin as an object gives its names; no start script, no entry point', () => {
    const facts = scanPackageJson(FILE, '{"name": "tools", "bin": {"seed": "./seed.js", "migrate": "./m.js"}, "scripts": {"dev": "x", "start": " "}}');
    expect(facts).toMatchObject({ bins: ['migrate', 'seed'], hasStartScript: false, hasEntryPoint: false });
  });

  it('a malformed package.json is a manifest-parse-error at the line and column of the problem, not a crash', () => {
    const facts = scanPackageJson(FILE, '{\n  "name": "x",\n  "dependencies": {\n    "a": "1",\n  }\n}\n');
    expect(facts.parsed).toBe(false);
    expect(facts.dependencies).toEqual([]);
    expect(facts.diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'manifest-parse-error',
        message: 'package.json is not valid JSON: expected a property name in double quotes, found `}`; the package is not analysed',
        location: { file: FILE, line: 5, column: 3 },
      },
    ]);
  });

  it.each([
    ['an empty file', '', 1, 1],
    ['a truncated file', '{\n  "name": "x",\n  "version"', 3, 12],
    ['a comment', '{\n  // no comments in JSON\n  "name": "x"\n}', 2, 3],
  ])('%s is a manifest-parse-error with a position', (_what, text, line, column) => {
    const facts = scanPackageJson(FILE, text);
    expect(facts.diagnostics.map((d) => [d.code, d.location?.line, d.location?.column])).toEqual([['manifest-parse-error', line, column]]);
  });

  it('a document that is not an object, and entries of the wrong type, are diagnostics', () => {
    expect(scanPackageJson(FILE, '[1, 2]').diagnostics.map((d) => d.code)).toEqual(['manifest-parse-error']);
    const facts = scanPackageJson(FILE, '{\n"name": 7,\n"dependencies": {"a": 1, "b": "2"},\n"devDependencies": [],\n"workspaces": "apps/*"\n}');
    expect(facts.name).toBeUndefined();
    expect(facts.dependencies.map((d) => d.key)).toEqual(['b']);
    expect(facts.diagnostics.map((d) => `${d.code}@${d.location?.line}`)).toEqual([
      'manifest-invalid-workspaces@5',
      'manifest-invalid-dependency@3',
      'manifest-invalid-dependency@4',
    ]);
  });
});
