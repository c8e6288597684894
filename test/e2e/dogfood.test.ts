/**
 * boundary-lint checks its own architecture (docs/decisions/0019-dogfooding.md): the root
 * boundary.config.json declares each stage of docs/style.md §1 as a folder unit and states which
 * stage may import which. The repository must pass; a copy with wrong-way imports must fail with
 * the import as evidence.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, type RunResult } from '../../src/run.js';
import { buildDeclaredUnits } from '../../src/model/declared-units.js';

const repo = path.resolve(__dirname, '../..');
const bin = path.join(repo, 'bin/boundary-lint.js');

function lint(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined } });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Repo-relative POSIX paths of the .ts files below `dir`. */
function tsFiles(dir: string): string[] {
  return readdirSync(path.join(repo, dir)).flatMap((name) => {
    const relative = `${dir}/${name}`;
    if (statSync(path.join(repo, relative)).isDirectory()) return tsFiles(relative);
    return name.endsWith('.ts') ? [relative] : [];
  });
}

describe('boundary-lint on its own repository', () => {
  let result: RunResult;
  beforeAll(async () => {
    result = await run({ root: '.', cwd: repo, includeTests: false });
  }, 120_000);

  it('has no findings; model -> scan and report -> graph are type-only, other stage arrows are real imports', () => {
    expect(result.rules.map((r) => r.id)).toContain('forbidden-dependency');
    expect(result.findings.map((f) => `${f.ruleId} ${f.location.file}:${f.location.line} ${f.message}`)).toEqual([]);
    expect(result.model.diagnostics.filter((d) => /unit/.test(d.code)).map((d) => `${d.code}: ${d.message}`)).toEqual([]);

    const imports = result.model.edges.filter((e) => e.kind === 'import' && e.scope === 'prod');
    const pair = (from: string, to: string) => imports.filter((e) => e.from === from && e.to === to);
    expect(pair('model', 'scan').length).toBeGreaterThan(0);
    expect(pair('model', 'scan').every((e) => e.typeOnly)).toBe(true);
    expect(pair('report', 'graph').length).toBeGreaterThan(0);
    expect(pair('report', 'graph').every((e) => e.typeOnly)).toBe(true);
    // The SQL splitter is the model's one value import from a scanner: a unit of its own.
    expect(pair('model', 'scan-sql').some((e) => !e.typeOnly)).toBe(true);
    for (const [from, to] of [['cli', 'run'], ['run', 'rules'], ['rules', 'check'], ['scan', 'util']]) {
      expect(pair(from!, to!).some((e) => !e.typeOnly), `${from} -> ${to}`).toBe(true);
    }
  });

  it('every source file of src/ and rules/ belongs to a declared unit, and every unit but test has an allow-list', () => {
    const files = [...tsFiles('src'), ...tsFiles('rules')].sort();
    const declared = buildDeclaredUnits(result.config.units, files, { manifest: 'boundary.config.json' });
    const claimed = new Set([...declared.filesOf.values()].flat());
    // A new stage folder must be declared in boundary.config.json, or it escapes the check.
    expect(files.filter((f) => !claimed.has(f))).toEqual([]);
    const options = result.config.rules['forbidden-dependency']?.options as { allow: Record<string, string[]> };
    expect(Object.keys(options.allow).sort()).toEqual(result.config.units.map((u) => u.name).filter((n) => n !== 'test').sort());
  });

  it('the built CLI exits 0 on the repository (the CI self-check)', () => {
    const result = lint(['.', '--no-cache'], repo);
    expect(result.stdout).toMatch(/^✔ no problems · \d+ units \(0 services\), \d+ edges/m);
    expect(result.code).toBe(0);
  }, 120_000);
});

describe('a copy with wrong-way imports', () => {
  const copy = mkdtempSync(path.join(os.tmpdir(), 'boundary-dogfood-'));
  afterAll(() => rmSync(copy, { recursive: true, force: true }));
  beforeAll(() => {
    // Only what the check reads: the sources of the stages, the config and the tsconfig.
    for (const dir of ['src', 'rules']) cpSync(path.join(repo, dir), path.join(copy, dir), { recursive: true, filter: (f) => statSync(f).isDirectory() || f.endsWith('.ts') });
    cpSync(path.join(repo, 'tsconfig.json'), path.join(copy, 'tsconfig.json'));
    // The root config as it is, minus the `test` unit: test/ is not copied.
    const config = JSON.parse(readFileSync(path.join(repo, 'boundary.config.json'), 'utf8')) as { units: { name: string }[] };
    writeFileSync(path.join(copy, 'boundary.config.json'), JSON.stringify({ ...config, units: config.units.filter((u) => u.name !== 'test') }, null, 2));
    writeFileSync(path.join(copy, 'src/scan/cargo/wrong-way.ts'), "// a scanner that renders a report\nimport { renderText } from '../../report/text.js';\nexport const render = renderText;\n");
    writeFileSync(path.join(copy, 'rules/uses-cli.ts'), "import { execute } from '../src/cli/main.js';\nexport const cli = execute;\n");
    // A type-only import of graph is fine for a reporter; this value import is not.
    writeFileSync(path.join(copy, 'src/report/builds-graph.ts'), "import type { GraphView } from '../graph/view.js';\nimport { buildGraphView } from '../graph/view.js';\nexport const build: typeof buildGraphView = buildGraphView;\nexport type { GraphView };\n");
  });

  it('are forbidden-dependency findings at the import, and the CLI exits 1', () => {
    const result = lint(['.', '--no-cache', '--format', 'concise'], copy);
    const lines = result.stdout.split('\n').filter((l) => l !== '');
    expect(lines.filter((l) => l.endsWith('[forbidden-dependency]'))).toEqual([
      'rules/uses-cli.ts:1:25: error: rules depends on cli (import), which is not in its allow-list (check, model, graph, util) [forbidden-dependency]',
      'src/report/builds-graph.ts:2:32: error: report must not depend on graph (import): a reporter renders the graph view it is given (import type); it never builds or queries a graph [forbidden-dependency]',
      'src/scan/cargo/wrong-way.ts:2:28: error: scan depends on report (import), which is not in its allow-list (scan-sql, model, util) [forbidden-dependency]',
    ]);
    // The rule importing the CLI also closes a cycle, reported at its first edge (the cli -> run import).
    expect(lines.filter((l) => l.endsWith('[no-cycles]'))).toEqual([
      expect.stringMatching(/^src\/cli\/main\.ts:\d+:\d+: error: dependency cycle between units: cli → run → rules → cli \[no-cycles\]$/),
    ]);
    expect(lines.at(-1)).toMatch(/^✖ 4 problems \(4 errors, 0 warnings\) · 13 units \(0 services\)/);
    expect(result.code).toBe(1);
  }, 120_000);
});
