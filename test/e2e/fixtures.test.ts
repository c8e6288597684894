/**
 * The tool's output on each realistic fixture repository equals the truth written by hand in
 * `fixtures/repos/<name>/expected.json` (see EXPECTED.md beside it for the reasoning).
 *
 * Every comparison is two-way: nothing expected may be missing and nothing unexpected may be
 * present. Units, crate edges, source edges (import, grpc, http, event), topics, diagnostics and
 * each run's findings are separate tests, so one bug does not hide another.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run, type RunResult } from '../../src/run.js';
import type { Edge, Location } from '../../src/model/types.js';
import {
  exitCodeOf,
  expectSameSet,
  normaliseFinding,
  ownerList,
  projectDiagnostic,
  projectEdgeEvidenceList,
  projectFinding,
  projectSourceEdge,
  projectTableAccess,
  projectTopic,
  projectUnit,
  runOptions,
  uniqueByCanonical,
  type TruthDiagnostic,
  type TruthEdge,
  type TruthOwners,
  type TruthRun,
  type TruthTableAccess,
  type TruthTopic,
  type TruthUnit,
} from '../helpers/expected-truth.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixturesDir = path.join(repoRoot, 'fixtures', 'repos');

interface Expected {
  units: TruthUnit[];
  /** Crate edges, evidence location by location. */
  edges: TruthEdge[];
  /** Every edge of kind import, grpc, http or event; absent for fixtures without Rust sources. */
  sourceEdges?: TruthEdge[];
  topics?: TruthTopic[];
  diagnostics: TruthDiagnostic[];
  /** Every table access of the model (default config), compared as a set; absent: not checked. */
  tableAccesses?: TruthTableAccess[];
  /** The model's owners map (default config); absent: not checked. */
  owners?: TruthOwners;
  runs: TruthRun[];
}

const SOURCE_EDGE_KINDS = new Set(['import', 'grpc', 'http', 'event']);

const fixtures = existsSync(fixturesDir)
  ? readdirSync(fixturesDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(path.join(fixturesDir, entry.name, 'expected.json')))
      .map((entry) => entry.name)
      .sort()
  : [];

/** Every run the tests below look at, computed up front (run() is asynchronous): fixture x args. */
const precomputed = new Map<string, RunResult>();
const runKey = (root: string, args: readonly string[]): string => `${root}\u0000${args.join(' ')}`;
for (const name of fixtures) {
  const root = path.join(fixturesDir, name);
  const expected = JSON.parse(readFileSync(path.join(root, 'expected.json'), 'utf8')) as Expected;
  for (const args of [[], ...expected.runs.map((r) => r.args)]) {
    if (!precomputed.has(runKey(root, args))) precomputed.set(runKey(root, args), await run(runOptions(root, args)));
  }
}

/** The precomputed run of a fixture with these CLI-style args. */
function runFixture(root: string, args: readonly string[]): RunResult {
  const result = precomputed.get(runKey(root, args));
  if (!result) throw new Error(`fixtures.test.ts: no precomputed run for ${root} ${args.join(' ')}`);
  return result;
}

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
    const model = (): RunResult => (modelRun ??= runFixture(fixtureRoot, []));

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
      expectSameSet(expected.edges.map(projectEdgeEvidenceList), crateEdges.map(projectEdgeEvidenceList));
    });

    if (expected.sourceEdges) {
      const sourceEdges = expected.sourceEdges;
      it('source edges (import, grpc, http, event; evidence and calls as sets) equal expected.json', () => {
        const actual = model().model.edges.filter((e) => SOURCE_EDGE_KINDS.has(e.kind));
        expectSameSet(sourceEdges.map(projectSourceEdge), actual.map(projectSourceEdge));
      });
    }

    if (expected.topics) {
      const topics = expected.topics;
      it('topics equal expected.json', () => {
        expectSameSet(topics.map(projectTopic), model().model.topics.map(projectTopic));
      });
    }

    it('edges come out sorted by from, to, kind', () => {
      const keys = model().model.edges.map((e) => [e.from, e.to, e.kind]);
      const sorted = [...keys].sort((a, b) => {
        for (let i = 0; i < 3; i++) if (a[i]! !== b[i]!) return a[i]! < b[i]! ? -1 : 1;
        return 0;
      });
      expect(keys).toEqual(sorted);
    });

    if (expected.tableAccesses) {
      const tableAccesses = expected.tableAccesses;
      it('table accesses (unit, table, datastore, database, op, scope, dynamic, uncertain, via function, location) equal expected.json', () => {
        expectSameSet(uniqueByCanonical(tableAccesses), uniqueByCanonical(model().model.tableAccesses.map(projectTableAccess)));
      });
    }

    if (expected.owners) {
      const owners = expected.owners;
      it('table owners (service, source) equal expected.json', () => {
        expectSameSet(ownerList(owners), ownerList(model().model.owners));
      });
    }

    it('diagnostics (severity, code, file, line) equal expected.json', () => {
      expectSameSet(expected.diagnostics, model().model.diagnostics.map(projectDiagnostic));
    });

    for (const expectedRun of expected.runs) {
      describe(`run "${expectedRun.name}" [${expectedRun.args.join(' ')}]`, () => {
        let result: RunResult | undefined;
        const get = (): RunResult => (result ??= runFixture(fixtureRoot, expectedRun.args));

        it('findings equal expected.json', () => {
          expectSameSet(expectedRun.findings.map(normaliseFinding), get().findings.map(projectFinding));
        });

        it(`exit code is ${expectedRun.exitCode}`, () => {
          expect(exitCodeOf(get().findings)).toBe(expectedRun.exitCode);
        });
      });
    }
  });
}

describe('fixture cargo-malformed: the symlink loop crates/ok-lib/parent -> ..', () => {
  const fixtureRoot = path.join(fixturesDir, 'cargo-malformed');

  it('is not followed: the run finishes and no crate is seen twice through the link', () => {
    const result = runFixture(fixtureRoot, []);
    const paths = result.model.units.map((u) => u.path);
    expect(paths.filter((p) => p.includes('/parent'))).toEqual([]);
    expect(new Set(paths).size).toBe(paths.length);
  });
});

/**
 * The done-when for nova-before: "the orphan file, stub, declared-only client, comments and
 * config URL lists produce no edge". EXPECTED.md ("Not edges") says why each trap is one.
 */
describe('fixture nova-before: traps produce no edge', () => {
  const fixtureRoot = path.join(fixturesDir, 'nova-before');
  const expected = JSON.parse(readFileSync(path.join(fixtureRoot, 'expected.json'), 'utf8')) as Expected;
  let cached: RunResult | undefined;
  const result = (): RunResult => (cached ??= runFixture(fixtureRoot, []));
  const sourceEdges = (): Edge[] => result().model.edges.filter((e) => SOURCE_EDGE_KINDS.has(e.kind));
  const places = (e: Edge): Location[] => [...e.evidence, ...(e.calls ?? [])];
  const touching = (predicate: (file: string) => boolean): Edge[] => sourceEdges().filter((e) => places(e).some((l) => predicate(l.file)));
  const hasDiagnostic = (code: string, file: string): boolean =>
    result().model.diagnostics.some((d) => d.code === code && d.location?.file === file);

  it('the orphan feed-service/src/startup.rs (no `mod startup;`) is evidence of nothing, only a not-compiled note', () => {
    expect(touching((f) => f === 'backend/feed-service/src/startup.rs')).toEqual([]);
    expect(sourceEdges().filter((e) => e.from === 'feed-service' && e.to === 'user-service')).toEqual([]);
    expect(hasDiagnostic('not-compiled', 'backend/feed-service/src/startup.rs')).toBe(true);
  });

  it('the hand-written ContentServiceClient stub in search-service (and its uses) is evidence of nothing, only grpc-client-stub', () => {
    expect(touching((f) => f === 'backend/search-service/src/hydrate.rs')).toEqual([]);
    expect(sourceEdges().filter((e) => e.from === 'search-service' && e.kind !== 'import')).toEqual([]);
    expect(hasDiagnostic('grpc-client-stub', 'backend/search-service/src/hydrate.rs')).toBe(true);
  });

  it('the config struct listing every service URL (grpc-clients/src/config.rs) is evidence of nothing', () => {
    expect(touching((f) => f === 'backend/libs/grpc-clients/src/config.rs')).toEqual([]);
    // The gateway and every service build that config; none gets an HTTP edge from it.
    expect(sourceEdges().filter((e) => e.kind === 'http').map((e) => `${e.from} -> ${e.to}`).sort()).toEqual([
      'auth-service -> user-service',
      'notification-service -> messaging-service',
    ]);
    // A library originates no gRPC/HTTP edge of its own: depending on grpc-clients is no call.
    expect(sourceEdges().filter((e) => e.from === 'grpc-clients' && e.kind !== 'import')).toEqual([]);
  });

  it('the declared-only client user-service -> auth-service is an edge with usage declared, in no error-level cycle', () => {
    const declared = sourceEdges().filter((e) => e.from === 'user-service' && e.to === 'auth-service');
    expect(declared.map((e) => ({ kind: e.kind, usage: e.usage, calls: e.calls ?? [] }))).toEqual([{ kind: 'grpc', usage: 'declared', calls: [] }]);
    const site = declared[0]!.evidence[0]!;
    const isSite = (l: Location): boolean => l.file === site.file && l.line === site.line;
    for (const expectedRun of expected.runs) {
      const findings = runFixture(fixtureRoot, expectedRun.args).findings;
      expect(findings.filter((f) => f.severity === 'error' && f.related.some((r) => isSite(r.location)))).toEqual([]);
      const info = findings.filter((f) => f.related.some((r) => isSite(r.location)));
      expect(info.map((f) => [f.severity, f.messageId])).toEqual([['info', 'declaredCycle']]);
    }
  });

  it('comments and strings that name services are never evidence', () => {
    for (const edge of sourceEdges()) {
      for (const location of places(edge)) {
        if (!location.file.endsWith('.rs')) continue;
        const line = readFileSync(path.join(fixtureRoot, location.file), 'utf8').split('\n')[location.line - 1] ?? '';
        // Before the evidence, outside string literals, there is no `//`.
        const before = line.slice(0, location.column - 1).replace(/"(?:[^"\\]|\\.)*"/g, '""');
        expect({ location, inComment: before.includes('//') || before.includes('/*') }).toEqual({ location, inComment: false });
      }
    }
    // cdn-service names media-service only in a comment; nova-admin names user-service only in a string.
    expect(sourceEdges().filter((e) => e.from === 'cdn-service')).toEqual([]);
    expect(sourceEdges().filter((e) => e.from === 'nova-admin').map((e) => `${e.kind} ${e.to}`)).toEqual(['import db-pool']);
  });

  it('legacy and non-member crates (legacy-auth-service, recommendation-service, tools/loadgen) are evidence of nothing', () => {
    const notMembers = ['backend/legacy-auth-service/', 'backend/recommendation-service/', 'backend/tools/loadgen/'];
    expect(touching((f) => notMembers.some((dir) => f.startsWith(dir)))).toEqual([]);
  });

  it('test-only code gives test-scope edges only, and no evidence of production findings', () => {
    const isTestFile = (f: string): boolean => /(^|\/)tests\//.test(f);
    expect(sourceEdges().filter((e) => e.scope === 'prod' && places(e).some((l) => isTestFile(l.file)))).toEqual([]);
    for (const expectedRun of expected.runs.filter((r) => !r.args.includes('--include-tests'))) {
      const findings = runFixture(fixtureRoot, expectedRun.args).findings;
      expect(findings.flatMap((f) => f.related.filter((r) => isTestFile(r.location.file)))).toEqual([]);
    }
  });

  it('events are not part of any cycle: notification-service -> messaging-service (event) appears in no finding', () => {
    const event = sourceEdges().filter((e) => e.kind === 'event' && e.from === 'notification-service' && e.to === 'messaging-service');
    expect(event.map((e) => e.topic)).toEqual(['notification.events']);
    const eventPlaces = new Set(places(event[0]!).map((l) => `${l.file}:${l.line}`));
    for (const expectedRun of expected.runs) {
      const findings = runFixture(fixtureRoot, expectedRun.args).findings;
      expect(findings.flatMap((f) => f.related.filter((r) => eventPlaces.has(`${r.location.file}:${r.location.line}`)))).toEqual([]);
    }
  });
});
