import { describe, expect, it } from 'vitest';
import { scanPnpmWorkspace } from '../../../src/scan/npm/pnpm-workspace.js';

const FILE = 'pnpm-workspace.yaml';
const read = (text: string): { patterns: string[]; at: string[]; problems: string[] } => {
  const facts = scanPnpmWorkspace(FILE, text);
  return {
    patterns: facts.patterns,
    at: facts.patternLocations.map((l) => `${l.line}:${l.column}-${l.endColumn}`),
    problems: facts.diagnostics.map((d) => `${d.location?.line}:${d.location?.column} ${d.message}`),
  };
};

describe('scanPnpmWorkspace', () => {
  it('reads a block list of plain, single- and double-quoted globs, with comments and other keys around it', () => {
    const text = [
      '# workspace',
      'packages:',
      '  # apps first',
      "  - 'apps/*'",
      '  - "packages/**"   # every package',
      '  - tools/cli',
      "  - '!**/test/**'",
      "  - 'it''s'",
      '',
      'catalog:',
      '  react: ^18.3.0',
      '  - not-a-package',
      'onlyBuiltDependencies: [esbuild]',
    ].join('\n');
    expect(read(text)).toEqual({
      patterns: ['apps/*', 'packages/**', 'tools/cli', '!**/test/**', "it's"],
      at: ['4:5-13', '5:5-18', '6:5-14', '7:5-18', '8:5-12'],
      problems: [],
    });
    expect(scanPnpmWorkspace(FILE, text)).toMatchObject({ hasPackages: true, location: { line: 2, column: 1 } });
  });

  it('reads a zero-indented list, CRLF line ends and a one-line flow list', () => {
    expect(read('packages:\r\n- apps/*\r\n- "libs/*"\r\n').patterns).toEqual(['apps/*', 'libs/*']);
    expect(read(`packages: ['apps/*', "libs/*" , tools/cli]  # all`)).toEqual({
      patterns: ['apps/*', 'libs/*', 'tools/cli'],
      at: ['1:12-20', '1:22-30', '1:33-42'],
      problems: [],
    });
    expect(read('packages: []').patterns).toEqual([]);
  });

  it('without a packages key there is no pattern', () => {
    expect(scanPnpmWorkspace(FILE, 'catalog:\n  pg: ^8\n')).toMatchObject({ hasPackages: false, patterns: [], diagnostics: [] });
  });

  it('YAML the subset does not read is a diagnostic on its line, never a guess', () => {
    const { patterns, problems } = read(['packages:', '  - !packages/legacy', '  - *anchor', '  - |', '  - apps/*', '  key: value', "  - 'unclosed"].join('\n'));
    expect(patterns).toEqual(['apps/*']);
    expect(problems).toEqual([
      "2:5 `!packages/legacy` unquoted is a YAML tag, not a negated pattern; write '!packages/legacy'; the entry is ignored",
      "3:5 `*anchor` unquoted is a YAML alias; quote the glob: '*anchor'; the entry is ignored",
      '4:5 `|` starts with a YAML indicator this reader does not support; quote it; the entry is ignored',
      '6:3 only `- <glob>` entries are read under `packages`; the entry is ignored',
      '7:5 unterminated single-quoted string; the entry is ignored',
    ]);
    expect(read('packages: apps/*').problems).toEqual(['1:11 `packages` is neither a list of globs nor a one-line `[...]` list; the entry is ignored']);
  });
});
