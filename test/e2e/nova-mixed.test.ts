/**
 * The tool on fixtures/repos/nova-mixed (Rust services in a Cargo workspace, a TypeScript gateway
 * and worker in a pnpm workspace, calling each other over HTTP, gRPC and topics, and reading and
 * writing each other's tables) equals the truth written by hand in its expected.json
 * (EXPECTED.md says why, with the location conventions for TypeScript evidence).
 *
 * Every comparison is two-way. Source edges and table accesses are compared per kind and per
 * language of their evidence (Rust sources vs TypeScript sources), so a missing scanner on one
 * side does not hide a regression on the other.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run, type RunResult } from '../../src/run.js';
import type { Edge, Location } from '../../src/model/types.js';
import {
  exitCodeOf,
  expectSameSet,
  locationKey,
  normaliseFinding,
  ownerList,
  projectDiagnostic,
  projectEdge,
  projectFinding,
  projectTableAccess,
  projectTopic,
  projectUnit,
  projectUnitDetails,
  runOptions,
  uniqueByCanonical,
  type TruthDiagnostic,
  type TruthEdge,
  type TruthOwners,
  type TruthRun,
  type TruthTableAccess,
  type TruthTopic,
  type TruthUnit,
  type TruthUnitDetails,
} from '../helpers/expected-truth.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixtureRoot = path.join(repoRoot, 'fixtures', 'repos', 'nova-mixed');

interface Expected {
  units: TruthUnit[];
  unitDetails: TruthUnitDetails[];
  /** Crate edges (the key test/e2e/fixtures.test.ts compares with the model's `crate*` edges). */
  edges: TruthEdge[];
  packageEdges: TruthEdge[];
  /** import, grpc, http and event edges of both languages. */
  sourceEdges: TruthEdge[];
  topics: TruthTopic[];
  diagnostics: TruthDiagnostic[];
  tableAccesses: TruthTableAccess[];
  /** `file:line:column` of a statement -> its statementKind (a property of the statement, not of each table). */
  statementKinds: Record<string, string>;
  owners: TruthOwners;
  runs: TruthRun[];
}

const expected = JSON.parse(readFileSync(path.join(fixtureRoot, 'expected.json'), 'utf8')) as Expected;

const results = new Map<string, RunResult>();
for (const args of [[], ...expected.runs.map((r) => r.args)]) {
  if (!results.has(args.join(' '))) results.set(args.join(' '), await run(runOptions(fixtureRoot, args)));
}
const model = (): RunResult['model'] => results.get('')!.model;

const SOURCE_KINDS = ['import', 'grpc', 'http', 'event'] as const;
const isTypeScriptFile = (file: string): boolean => /\.[cm]?[jt]sx?$/.test(file);
/** Which scanner has to see the fact: any TypeScript evidence makes it a TypeScript-side fact. */
type Side = 'rust' | 'typescript';
const sideOfEdge = (e: { evidence: { file: string }[]; calls?: { file: string }[] }): Side =>
  [...e.evidence, ...(e.calls ?? [])].some((l) => isTypeScriptFile(l.file)) ? 'typescript' : 'rust';
const sideOfFile = (file: string): Side => (isTypeScriptFile(file) ? 'typescript' : 'rust');

const fileLines = new Map<string, string[]>();
function lineOf(file: string, line: number): string {
  let lines = fileLines.get(file);
  if (!lines) {
    lines = readFileSync(path.join(fixtureRoot, file), 'utf8').split('\n');
    fileLines.set(file, lines);
  }
  return lines[line - 1] ?? '';
}

describe('fixture nova-mixed (Rust Cargo workspace + TypeScript pnpm workspace)', () => {
  it('units (name, kind, path, language) equal expected.json', () => {
    expectSameSet(expected.units, model().units.map(projectUnit));
  });

  it('units (manifest, workspace, kindSource) equal expected.json', () => {
    expectSameSet(expected.unitDetails, model().units.map(projectUnitDetails));
  });

  it('crate edges (Cargo.toml, with workspace inheritance) equal expected.json', () => {
    expectSameSet(expected.edges.map(projectEdge), model().edges.filter((e) => e.kind.startsWith('crate')).map(projectEdge));
  });

  it('package edges (package.json) equal expected.json', () => {
    expectSameSet(expected.packageEdges.map(projectEdge), model().edges.filter((e) => e.kind.startsWith('package')).map(projectEdge));
  });

  for (const kind of SOURCE_KINDS) {
    for (const side of ['rust', 'typescript'] as const) {
      it(`${kind} edges with ${side === 'rust' ? 'only Rust' : 'TypeScript'} evidence equal expected.json`, () => {
        const want = expected.sourceEdges.filter((e) => e.kind === kind && sideOfEdge(e) === side);
        const got = model().edges.filter((e) => e.kind === kind && sideOfEdge(e) === side);
        expectSameSet(want.map(projectEdge), got.map(projectEdge));
      });
    }
  }

  it('topics (producers and consumers of both languages) equal expected.json', () => {
    expectSameSet(expected.topics.map(projectTopic), model().topics.map(projectTopic));
  });

  for (const side of ['rust', 'typescript'] as const) {
    it(`table accesses in ${side === 'rust' ? 'Rust' : 'TypeScript'} sources equal expected.json`, () => {
      const want = expected.tableAccesses.filter((a) => sideOfFile(a.location.file) === side);
      const got = model().tableAccesses.filter((a) => sideOfFile(a.location.file) === side).map(projectTableAccess);
      expectSameSet(uniqueByCanonical(want), uniqueByCanonical(got));
    });

    it(`statement kinds in ${side === 'rust' ? 'Rust' : 'TypeScript'} sources equal expected.json`, () => {
      const want = Object.entries(expected.statementKinds)
        .filter(([at]) => sideOfFile(at.slice(0, at.indexOf(':'))) === side)
        .map(([at, statementKind]) => ({ at, statementKind }));
      const got = model()
        .tableAccesses.filter((a) => sideOfFile(a.location.file) === side)
        .map((a) => ({ at: locationKey(a.location), statementKind: a.statementKind }));
      expectSameSet(want, uniqueByCanonical(got));
    });
  }

  it('table owners (service, source) equal expected.json: migrations for the Rust tables, config for the rest', () => {
    expectSameSet(ownerList(expected.owners), ownerList(model().owners));
  });

  it('diagnostics equal expected.json (none)', () => {
    expectSameSet(expected.diagnostics, model().diagnostics.map(projectDiagnostic));
  });

  for (const expectedRun of expected.runs) {
    describe(`run "${expectedRun.name}" [${expectedRun.args.join(' ')}]`, () => {
      const result = (): RunResult => results.get(expectedRun.args.join(' '))!;

      it('findings equal expected.json', () => {
        expectSameSet(expectedRun.findings.map(normaliseFinding), result().findings.map(projectFinding));
      });

      it(`exit code is ${expectedRun.exitCode}`, () => {
        expect(exitCodeOf(result().findings)).toBe(expectedRun.exitCode);
      });
    });
  }
});

/** EXPECTED.md, "Not evidence": the traps yield nothing, whatever the scanners find elsewhere. */
describe('fixture nova-mixed: traps and the language boundary', () => {
  const places = (e: Edge): Location[] => [...e.evidence, ...(e.calls ?? [])];
  const factsAt = (file: string, line?: number): string[] => [
    ...model()
      .edges.filter((e) => places(e).some((l) => l.file === file && (line === undefined || l.line === line)))
      .map((e) => `${e.kind} ${e.from} -> ${e.to}`),
    ...model()
      .tableAccesses.filter((a) => a.location.file === file && (line === undefined || a.location.line === line))
      .map((a) => `${a.op} ${a.unit} ${a.table}`),
  ];

  it('the URL config object of @nova/clients (never requested) is evidence of nothing', () => {
    expect(factsAt('packages/clients/src/config.ts')).toEqual([]);
  });

  it('a comment naming user-service, and an address string handed to a gRPC helper, are evidence of nothing', () => {
    expect(lineOf('apps/gateway/src/server.ts', 10)).toContain('// Profiles will come from user-service');
    expect(factsAt('apps/gateway/src/server.ts', 10)).toEqual([]);
    expect(lineOf('apps/gateway/src/server.ts', 11)).toContain("'user-service:50051'");
    expect(factsAt('apps/gateway/src/server.ts', 11)).toEqual([]);
  });

  it("the log string 'SELECT failed for users' is no table access", () => {
    expect(lineOf('apps/worker/src/emails.ts', 10)).toContain("console.log('SELECT failed for users'");
    expect(factsAt('apps/worker/src/emails.ts', 10)).toEqual([]);
  });

  it('the gateway test file is test scope: its DELETE FROM users is in no finding of the default run', () => {
    const testFile = 'apps/gateway/src/server.test.ts';
    expect(model().tableAccesses.filter((a) => a.location.file === testFile && a.scope !== 'test')).toEqual([]);
    const findings = results.get('')!.findings;
    expect(findings.filter((f) => f.location.file === testFile || f.related.some((r) => r.location.file === testFile))).toEqual([]);
  });

  it('libraries originate no gRPC, HTTP or event edge (@nova/clients, db)', () => {
    const libraries = new Set(expected.units.filter((u) => u.kind === 'library').map((u) => u.name));
    expect(model().edges.filter((e) => libraries.has(e.from) && ['grpc', 'http', 'event'].includes(e.kind))).toEqual([]);
  });

  it('events are asynchronous: user-service -> @nova/worker (topic) against @nova/worker -> user-service (gRPC) is no cycle', () => {
    const eventSites = new Set(
      model()
        .edges.filter((e) => e.kind === 'event')
        .flatMap((e) => e.evidence.map((l) => `${l.file}:${l.line}`)),
    );
    for (const expectedRun of expected.runs) {
      const cycles = results.get(expectedRun.args.join(' '))!.findings.filter((f) => f.ruleId === 'no-cycles');
      expect(cycles.map((f) => String(f.data.path)).filter((p) => p.includes('@nova/worker'))).toEqual([]);
      expect(cycles.flatMap((f) => f.related.filter((r) => eventSites.has(`${r.location.file}:${r.location.line}`)))).toEqual([]);
    }
  });

  it('the truth itself: every expected location is inside its file and outside a line comment', () => {
    const locations = [
      ...[...expected.edges, ...expected.packageEdges, ...expected.sourceEdges].flatMap((e) => [...e.evidence, ...(e.calls ?? [])]),
      ...expected.tableAccesses.map((a) => a.location),
      ...expected.runs.flatMap((r) => r.findings.map((f) => ({ file: f.file, line: f.line, column: f.column }))),
    ];
    for (const at of locations) {
      const line = lineOf(at.file, at.line);
      const before = line.slice(0, at.column - 1).replace(/(['"`])(?:\\.|(?!\1).)*\1/g, '""');
      expect({ at, inside: at.column >= 1 && at.column <= line.length, inComment: /\/\/|\/\*|^\s*#/.test(before) }).toEqual({ at, inside: true, inComment: false });
    }
    for (const at of Object.keys(expected.statementKinds)) {
      expect(expected.tableAccesses.some((a) => locationKey(a.location) === at)).toBe(true);
    }
    for (const access of expected.tableAccesses) expect(expected.statementKinds[locationKey(access.location)]).toBeDefined();
  });
});
