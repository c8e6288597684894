/**
 * The tool's output on each realistic fixture repository equals the truth written by hand in
 * `fixtures/repos/<name>/expected.json` (see EXPECTED.md beside it for the reasoning).
 *
 * Every comparison is two-way: nothing expected may be missing and nothing unexpected may be
 * present. Units, edges, diagnostics and each run's findings are separate tests, so one bug
 * does not hide another.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run, type RunResult } from '../../src/run.js';
import type { Diagnostic, Edge, Location, Unit } from '../../src/model/types.js';
import type { Finding } from '../../src/check/types.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixturesDir = path.join(repoRoot, 'fixtures', 'repos');

interface ExpectedUnit {
  name: string;
  kind: string;
  path: string;
  language: string;
}
interface ExpectedLocation {
  file: string;
  line: number;
  column: number;
}
interface ExpectedEdge {
  from: string;
  to: string;
  kind: string;
  scope: string;
  evidence: ExpectedLocation[];
  optional?: true;
  target?: string;
  rename?: string;
}
interface ExpectedDiagnostic {
  severity: string;
  code: string;
  file: string | null;
  line: number | null;
}
interface ExpectedFinding {
  ruleId: string;
  severity: string;
  messageId: string;
  path: string;
  file: string;
  line: number;
  column: number;
  related: { file: string; line: number }[];
}
interface ExpectedRun {
  name: string;
  args: string[];
  exitCode: 0 | 1;
  findings: ExpectedFinding[];
}
interface Expected {
  units: ExpectedUnit[];
  edges: ExpectedEdge[];
  diagnostics: ExpectedDiagnostic[];
  runs: ExpectedRun[];
}

/** Translates CLI-style args into run() options; only the flags the fixtures use. */
function optionsFor(fixtureRoot: string, args: readonly string[]): Parameters<typeof run>[0] {
  const options: Parameters<typeof run>[0] = { root: '.', cwd: fixtureRoot, includeTests: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--include-tests') options.includeTests = true;
    else if (arg === '-c' || arg === '--config') options.configPath = args[++i];
    else throw new Error(`fixtures.test.ts does not understand the argument ${arg}`);
  }
  return options;
}

const byJson = (a: unknown, b: unknown): number => {
  const x = canonical(a);
  const y = canonical(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

const compareLoc = (a: { file: string; line: number; column?: number }, b: { file: string; line: number; column?: number }): number =>
  a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.column ?? 0) - (b.column ?? 0);

function projectUnit(u: Unit): ExpectedUnit {
  return { name: u.name, kind: u.kind, path: u.path, language: u.language };
}

function projectLocation(l: Location): ExpectedLocation {
  return { file: l.file, line: l.line, column: l.column };
}

function projectEdge(e: Edge): ExpectedEdge {
  const out: ExpectedEdge = {
    from: e.from,
    to: e.to,
    kind: e.kind,
    scope: e.scope,
    evidence: e.evidence.map(projectLocation).sort(compareLoc),
  };
  if (e.optional) out.optional = true;
  if (e.target !== undefined) out.target = e.target;
  if (e.rename !== undefined) out.rename = e.rename;
  return out;
}

function normaliseExpectedEdge(e: ExpectedEdge): ExpectedEdge {
  const out: ExpectedEdge = { ...e, evidence: [...e.evidence].sort(compareLoc) };
  return out;
}

function projectDiagnostic(d: Diagnostic): ExpectedDiagnostic {
  return { severity: d.severity, code: d.code, file: d.location?.file ?? null, line: d.location?.line ?? null };
}

function projectFinding(f: Finding): ExpectedFinding {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    messageId: f.messageId,
    path: String(f.data.path ?? ''),
    file: f.location.file,
    line: f.location.line,
    column: f.location.column,
    // Order of related locations is not part of the truth; the set is.
    related: f.related.map((r) => ({ file: r.location.file, line: r.location.line })).sort(compareLoc),
  };
}

function normaliseExpectedFinding(f: ExpectedFinding): ExpectedFinding {
  return { ...f, related: [...f.related].sort(compareLoc) };
}

/** JSON with object keys sorted, so key order never matters. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** Two-way multiset difference, so a failure says exactly what is missing and what is extra. */
function difference<T>(expected: readonly T[], actual: readonly T[]): { missing: T[]; extra: T[] } {
  const remaining = new Map<string, number>();
  for (const item of actual) remaining.set(canonical(item), (remaining.get(canonical(item)) ?? 0) + 1);
  const missing: T[] = [];
  for (const item of expected) {
    const key = canonical(item);
    const count = remaining.get(key) ?? 0;
    if (count > 0) remaining.set(key, count - 1);
    else missing.push(item);
  }
  const extra: T[] = [];
  for (const item of actual) {
    const key = canonical(item);
    const count = remaining.get(key) ?? 0;
    if (count > 0) {
      extra.push(item);
      remaining.set(key, count - 1);
    }
  }
  return { missing: missing.sort(byJson), extra: extra.sort(byJson) };
}

function expectSameSet<T>(expected: readonly T[], actual: readonly T[]): void {
  expect(difference(expected, actual)).toEqual({ missing: [], extra: [] });
}

const fixtures = existsSync(fixturesDir)
  ? readdirSync(fixturesDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(path.join(fixturesDir, entry.name, 'expected.json')))
      .map((entry) => entry.name)
      .sort()
  : [];

describe('fixtures/repos', () => {
  it('has fixtures with expected.json', () => {
    expect(fixtures).toEqual(expect.arrayContaining(['cargo-malformed', 'nova-after', 'nova-before']));
  });
});

for (const name of fixtures) {
  const fixtureRoot = path.join(fixturesDir, name);
  const expected = JSON.parse(readFileSync(path.join(fixtureRoot, 'expected.json'), 'utf8')) as Expected;

  describe(`fixture ${name}`, () => {
    // The model does not depend on --include-tests; the default config decides unit kinds.
    let modelRun: RunResult | undefined;
    const model = (): RunResult => (modelRun ??= run(optionsFor(fixtureRoot, [])));

    it('runs without throwing', () => {
      expect(() => model()).not.toThrow();
    });

    it('units equal expected.json', () => {
      expectSameSet(expected.units, model().model.units.map(projectUnit));
    });

    it('units come out sorted by manifest path', () => {
      const manifests = model().model.units.map((u) => u.manifest);
      expect(manifests).toEqual([...manifests].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    });

    it('crate edges (with evidence file/line/column) equal expected.json', () => {
      const crateEdges = model().model.edges.filter((e) => e.kind.startsWith('crate'));
      expectSameSet(expected.edges.map(normaliseExpectedEdge), crateEdges.map(projectEdge));
    });

    it('edges come out sorted by from, to, kind', () => {
      const keys = model().model.edges.map((e) => [e.from, e.to, e.kind]);
      const sorted = [...keys].sort((a, b) => {
        for (let i = 0; i < 3; i++) if (a[i]! !== b[i]!) return a[i]! < b[i]! ? -1 : 1;
        return 0;
      });
      expect(keys).toEqual(sorted);
    });

    it('diagnostics (severity, code, file, line) equal expected.json', () => {
      expectSameSet(expected.diagnostics, model().model.diagnostics.map(projectDiagnostic));
    });

    for (const expectedRun of expected.runs) {
      describe(`run "${expectedRun.name}" [${expectedRun.args.join(' ')}]`, () => {
        let result: RunResult | undefined;
        const get = (): RunResult => (result ??= run(optionsFor(fixtureRoot, expectedRun.args)));

        it('findings equal expected.json', () => {
          expectSameSet(expectedRun.findings.map(normaliseExpectedFinding), get().findings.map(projectFinding));
        });

        it(`exit code is ${expectedRun.exitCode}`, () => {
          const exitCode = get().findings.some((f) => f.severity === 'error') ? 1 : 0;
          expect(exitCode).toBe(expectedRun.exitCode);
        });
      });
    }
  });
}

describe('fixture cargo-malformed: the symlink loop crates/ok-lib/parent -> ..', () => {
  const fixtureRoot = path.join(fixturesDir, 'cargo-malformed');

  it('is not followed: the run finishes and no crate is seen twice through the link', () => {
    const result = run(optionsFor(fixtureRoot, []));
    const paths = result.model.units.map((u) => u.path);
    expect(paths.filter((p) => p.includes('/parent'))).toEqual([]);
    expect(new Set(paths).size).toBe(paths.length);
  });
});
