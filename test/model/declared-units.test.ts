import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDeclaredUnits } from '../../src/model/declared-units.js';
import { run } from '../../src/run.js';
import { writeRepo } from '../helpers/repo.js';

const FILES = [
  'bin/boundary-lint.js',
  'package.json',
  'src/cli/main.ts',
  'src/model/cargo.ts',
  'src/model/rust/index.ts',
  'src/scan/cargo/manifest.ts',
  'src/scan/npm/package-json.ts',
  'src/scan/npm/types.d.ts',
  'scripts/build.mjs',
  'scripts/bench.mjs',
  'scripts/helper.ts',
  'native/src/lib.rs',
  'native/src/other.rs',
  'native/build.js',
].sort();

describe('buildDeclaredUnits', () => {
  it('makes one unit per entry: path from the globs, language from the extensions, kind as declared', () => {
    const declared = buildDeclaredUnits(
      [
        { name: 'scan', paths: ['src/scan/**'], kind: 'library' },
        { name: 'model', paths: ['./src/model/'], kind: 'library' },
        { name: 'cli', paths: ['src/cli/**', 'bin/*.js'], kind: 'service' },
        { name: 'scripts', paths: ['scripts/*'], kind: 'library' },
        { name: 'native', paths: ['native/**'], kind: 'library' },
        { name: 'forced', paths: ['scripts/*.mjs'], kind: 'library', language: 'typescript' },
      ],
      FILES,
      { manifest: 'boundary.config.json' },
    );
    expect(declared.units.map((u) => [u.name, u.path, u.kind, u.language, u.kindSource, u.manifest])).toEqual([
      ['cli', '.', 'service', 'typescript', 'config:units', 'boundary.config.json'],
      ['forced', 'scripts', 'library', 'typescript', 'config:units', 'boundary.config.json'],
      ['model', 'src/model', 'library', 'typescript', 'config:units', 'boundary.config.json'],
      ['native', 'native', 'library', 'rust', 'config:units', 'boundary.config.json'],
      ['scan', 'src/scan', 'library', 'typescript', 'config:units', 'boundary.config.json'],
      ['scripts', 'scripts', 'library', 'javascript', 'config:units', 'boundary.config.json'],
    ]);
    expect(declared.filesOf.get('model')).toEqual(['src/model/cargo.ts', 'src/model/rust/index.ts']);
    expect(declared.filesOf.get('cli')).toEqual(['bin/boundary-lint.js', 'src/cli/main.ts']);
    // scripts/*.mjs match both `scripts` and `forced` with the same literal base (a tie: the first declared keeps them).
    expect(declared.filesOf.get('forced')).toEqual([]);
    expect(declared.diagnostics.map((d) => `${d.code} ${d.location?.file}: ${d.message}`)).toEqual([
      'file-in-two-units scripts/bench.mjs: 2 files (this is the first) match the paths of both declared units `scripts` and `forced` equally specifically; a file belongs to one unit, so it is counted in `scripts` only. Narrow the `paths` globs.',
      'declared-unit-without-files boundary.config.json: no file matches the paths of the declared unit `forced` (scripts/*.mjs)',
    ]);
  });

  it('a file belongs to the most specific glob: a named file, then the longest literal directory prefix; no diagnostic', () => {
    const declared = buildDeclaredUnits(
      [
        { name: 'src', paths: ['src/**'], kind: 'library' },
        { name: 'scan', paths: ['src/scan/**'], kind: 'library' },
        { name: 'npm', paths: ['src/*/npm/**', 'src/scan/npm'], kind: 'library' },
        { name: 'main', paths: ['src/cli/main.ts'], kind: 'library' },
      ],
      FILES,
      { manifest: 'boundary.config.json' },
    );
    expect(Object.fromEntries(declared.filesOf)).toEqual({
      main: ['src/cli/main.ts'],
      // `src/scan/npm` (3 literal segments) beats `src/scan/**` (2); `src/*/npm/**` alone would tie with `src/**` (1).
      npm: ['src/scan/npm/package-json.ts', 'src/scan/npm/types.d.ts'],
      scan: ['src/scan/cargo/manifest.ts'],
      src: ['src/model/cargo.ts', 'src/model/rust/index.ts'],
    });
    expect(declared.diagnostics).toEqual([]);
  });

  it('a single tied file is named as such; a name taken by a package gets name@path', () => {
    const declared = buildDeclaredUnits(
      [
        { name: 'a', paths: ['src/cli/**'], kind: 'library' },
        { name: 'b', paths: ['src/cli/*.ts'], kind: 'library' },
      ],
      FILES,
      { manifest: 'boundary.config.json', takenNames: new Set(['b']) },
    );
    expect(declared.units.map((u) => u.name)).toEqual(['a', 'b@src/cli']);
    expect(declared.filesOf.get('b@src/cli')).toEqual([]);
    expect(declared.diagnostics.map((d) => `${d.code} ${d.location?.file}`)).toEqual([
      'file-in-two-units src/cli/main.ts',
      'duplicate-unit-name boundary.config.json',
      'declared-unit-without-files boundary.config.json',
    ]);
    expect(declared.diagnostics[0]!.message).toMatch(/^this file matches the paths of both declared units `a` and `b` equally specifically/);
  });
});

describe('declared units in a run', () => {
  const root = writeRepo({
    'package.json': JSON.stringify({ name: 'tool', bin: { tool: 'bin/tool.js' } }),
    'bin/tool.js': '',
    'src/scan/a.ts': '',
    'src/model/b.ts': '',
    'src/model/c.ts': '',
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('appear in the model next to the package unit; a tie between two declared units is a diagnostic', async () => {
    writeFileSync(
      path.join(root, 'boundary.config.json'),
      JSON.stringify({
        units: [
          { name: 'scan', paths: ['src/scan/**'], kind: 'library' },
          { name: 'model', paths: ['src/model/**', 'src/**/c.ts'], kind: 'library' },
          { name: 'c', paths: ['src/model/c.ts'], kind: 'library', language: 'javascript' },
          { name: 'scan-ts', paths: ['src/scan/*.ts'], kind: 'library' },
        ],
      }),
    );
    const result = await run({ root, cwd: root, includeTests: false });
    expect(result.model.units.map((u) => [u.name, u.kind, u.path, u.language, u.manifest, u.kindSource])).toEqual([
      ['c', 'library', 'src/model/c.ts', 'javascript', 'boundary.config.json', 'config:units'],
      ['model', 'library', 'src', 'typescript', 'boundary.config.json', 'config:units'],
      ['scan', 'library', 'src/scan', 'typescript', 'boundary.config.json', 'config:units'],
      ['scan-ts', 'library', 'src/scan', 'typescript', 'boundary.config.json', 'config:units'],
      // A standalone package is a unit too; its .ts files make it TypeScript.
      ['tool', 'library', '.', 'typescript', 'package.json', 'no-start-script'],
    ]);
    expect(result.model.edges).toEqual([]);
    expect(result.model.diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}:${d.location?.line}`)).toEqual([
      'warning declared-unit-without-files boundary.config.json:1',
      'warning file-in-two-units src/scan/a.ts:1',
    ]);
    // The unit without files is `scan-ts` (the tie's loser), not `c`: `src/model/c.ts` names the file, so `c`
    // owns it although `model`'s `src/**/c.ts` matches too, and that is no tie.
    expect(result.model.diagnostics[0]!.message).toMatch(/`scan-ts`/);
    expect(result.findings).toEqual([]);
  });
});
