/**
 * The tool on fixtures/repos/ts-workspace (a pnpm workspace) equals the truth written by hand in
 * its expected.json (EXPECTED.md says why). Every comparison is two-way: nothing expected may be
 * missing and nothing unexpected may be present. The JSON reporter's output is compared too, so
 * the package units and edges (package, import, http, event, grpc) reach `--format json` unchanged.
 * Source facts (decision 0017): HTTP, event and gRPC edges, topics, table accesses (SQL, Prisma,
 * ClickHouse) and owners are compared here with every field the truth states.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run, type RunResult } from '../../src/run.js';
import type { Finding } from '../../src/check/types.js';
import type { Diagnostic, Edge, Location, TableAccess, Unit } from '../../src/model/types.js';
import { renderJson } from '../../src/report/json.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixtureRoot = path.join(repoRoot, 'fixtures', 'repos', 'ts-workspace');

interface Loc {
  file: string;
  line: number;
  column: number;
}
interface ExpectedEdge {
  from: string;
  to: string;
  kind: string;
  scope: string;
  evidence: Loc[];
  optional?: true;
  rename?: string;
  typeOnly?: true;
}
interface ExpectedSourceEdge {
  from: string;
  to: string;
  kind: string;
  scope: string;
  usage?: string;
  service?: string;
  endpoint?: string;
  topic?: string;
  via?: { unit: string; function: string }[];
  evidence: Loc[];
  calls?: Loc[];
}
interface ExpectedAccess {
  unit: string;
  table: string;
  datastore: string;
  database: string;
  op: string;
  scope: string;
  dynamic: boolean;
  uncertain: boolean;
  via?: { function: string };
  location: Loc;
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
interface Expected {
  units: { name: string; kind: string; path: string; language: string }[];
  unitDetails: { name: string; manifest: string; workspace: string; kindSource: string }[];
  edges: unknown[];
  packageEdges: ExpectedEdge[];
  importEdges: ExpectedEdge[];
  sourceEdges: ExpectedSourceEdge[];
  topics: { topic: string; producers: string[]; consumers: string[] }[];
  tableAccesses: ExpectedAccess[];
  owners: Record<string, { service: string; source: string }>;
  externalDependencies: Record<string, string[]>;
  diagnostics: { severity: string; code: string; file: string | null; line: number | null }[];
  runs: { name: string; args: string[]; exitCode: 0 | 1; findings: ExpectedFinding[] }[];
}

const expected = JSON.parse(readFileSync(path.join(fixtureRoot, 'expected.json'), 'utf8')) as Expected;

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** Two-way multiset difference, so a failure says exactly what is missing and what is extra. */
function difference<T>(want: readonly T[], got: readonly T[]): { missing: T[]; extra: T[] } {
  const remaining = new Map<string, number>();
  for (const item of got) remaining.set(canonical(item), (remaining.get(canonical(item)) ?? 0) + 1);
  const missing = want.filter((item) => {
    const count = remaining.get(canonical(item)) ?? 0;
    if (count === 0) return true;
    remaining.set(canonical(item), count - 1);
    return false;
  });
  const extra = got.filter((item) => {
    const count = remaining.get(canonical(item)) ?? 0;
    if (count === 0) return false;
    remaining.set(canonical(item), count - 1);
    return true;
  });
  return { missing, extra };
}

function expectSameSet<T>(want: readonly T[], got: readonly T[]): void {
  expect(difference(want, got)).toEqual({ missing: [], extra: [] });
}

const byLocation = (a: { file: string; line: number; column?: number }, b: { file: string; line: number; column?: number }): number =>
  a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.column ?? 0) - (b.column ?? 0);

function projectEdge(e: Edge | ExpectedEdge): ExpectedEdge {
  const out: ExpectedEdge = {
    from: e.from,
    to: e.to,
    kind: e.kind,
    scope: e.scope,
    evidence: e.evidence.map((l) => ({ file: l.file, line: l.line, column: l.column })).sort(byLocation),
  };
  if (e.optional) out.optional = true;
  if (e.rename !== undefined) out.rename = e.rename;
  if (e.typeOnly) out.typeOnly = true;
  return out;
}

const loc = (l: Location | Loc): Loc => ({ file: l.file, line: l.line, column: l.column });
/** Sorted, each location once: evidence and calls are sets. */
const locSet = (list: readonly (Location | Loc)[]): Loc[] => list.map(loc).sort(byLocation).filter((l, i, all) => i === 0 || byLocation(l, all[i - 1]!) !== 0);

function projectSourceEdge(e: Edge | ExpectedSourceEdge): ExpectedSourceEdge {
  const out: ExpectedSourceEdge = { from: e.from, to: e.to, kind: e.kind, scope: e.scope, evidence: locSet(e.evidence) };
  if (e.usage !== undefined) out.usage = e.usage;
  if (e.service !== undefined) out.service = e.service;
  if (e.endpoint !== undefined) out.endpoint = e.endpoint;
  if (e.topic !== undefined) out.topic = e.topic;
  if (e.via !== undefined && e.via.length > 0) out.via = e.via.map((v) => ({ unit: v.unit, function: v.function }));
  if (e.calls !== undefined && e.calls.length > 0) out.calls = locSet(e.calls);
  return out;
}

function projectAccess(a: TableAccess): ExpectedAccess {
  const out: ExpectedAccess = { unit: a.unit, table: a.table, datastore: a.datastore, database: a.database, op: a.op, scope: a.scope, dynamic: a.dynamic, uncertain: a.uncertain, location: loc(a.location) };
  if (a.via) out.via = { function: a.via.function };
  return out;
}

const SOURCE_KINDS = new Set(['import', 'http', 'event', 'grpc']);

function projectFinding(f: Finding): ExpectedFinding {
  const related = f.related.map((r) => ({ file: r.location.file, line: r.location.line })).sort(byLocation);
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    messageId: f.messageId,
    path: String(f.data.path ?? ''),
    file: f.location.file,
    line: f.location.line,
    column: f.location.column,
    related: related.filter((r, i) => i === 0 || byLocation(r, related[i - 1]!) !== 0),
  };
}

function optionsFor(args: readonly string[]): Parameters<typeof run>[0] {
  const options: Parameters<typeof run>[0] = { root: '.', cwd: fixtureRoot, includeTests: false };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--include-tests') options.includeTests = true;
    else if (args[i] === '-c') options.configPath = args[++i];
    else throw new Error(`ts-workspace.test.ts does not understand ${args[i]}`);
  }
  return options;
}

const results = new Map<string, RunResult>();
for (const args of [[], ...expected.runs.map((r) => r.args)]) {
  if (!results.has(args.join(' '))) results.set(args.join(' '), await run(optionsFor(args)));
}
const model = (): RunResult['model'] => results.get('')!.model;

describe('fixture ts-workspace (pnpm workspace)', () => {
  it('units (name, kind, path, language) equal expected.json', () => {
    expectSameSet(expected.units, model().units.map((u: Unit) => ({ name: u.name, kind: u.kind, path: u.path, language: u.language })));
  });

  it('units (manifest, workspace, kindSource) equal expected.json', () => {
    expectSameSet(
      expected.unitDetails,
      model().units.map((u) => ({ name: u.name, manifest: u.manifest, workspace: u.workspace, kindSource: u.kindSource })),
    );
  });

  it('package edges (with evidence file/line/column) equal expected.json, and there are no other edges', () => {
    expectSameSet(expected.packageEdges.map(projectEdge), model().edges.filter((e) => e.kind.startsWith('package')).map(projectEdge));
    expect(model().edges.filter((e) => !e.kind.startsWith('package') && !SOURCE_KINDS.has(e.kind))).toEqual(expected.edges);
  });

  it('import edges (with typeOnly and evidence file/line/column) equal expected.json', () => {
    expectSameSet(expected.importEdges.map(projectEdge), model().edges.filter((e) => e.kind === 'import').map(projectEdge));
  });

  it('source edges (import, http, event, grpc; usage, endpoint, topic, service, via, evidence and calls as sets) equal expected.json', () => {
    expectSameSet(expected.sourceEdges.map(projectSourceEdge), model().edges.filter((e) => SOURCE_KINDS.has(e.kind)).map(projectSourceEdge));
  });

  it('sourceEdges repeats importEdges without typeOnly (test/e2e/fixtures.test.ts reads sourceEdges)', () => {
    const withoutTypeOnly = expected.importEdges.map(({ typeOnly: _typeOnly, ...rest }) => projectSourceEdge(rest));
    expectSameSet(withoutTypeOnly, expected.sourceEdges.filter((e) => e.kind === 'import').map(projectSourceEdge));
  });

  it('topics equal expected.json: BullMQ queues as bullmq:<name>, Kafka topics as named', () => {
    expectSameSet(expected.topics, model().topics.map((t) => ({ topic: t.topic, producers: [...t.producers], consumers: [...t.consumers] })));
  });

  it('table accesses (SQL in pg/Prisma/ClickHouse code, Prisma model methods; via for library functions) equal expected.json', () => {
    const unique = (items: ExpectedAccess[]): ExpectedAccess[] => items.filter((item, i) => items.findIndex((other) => canonical(other) === canonical(item)) === i);
    expectSameSet(expected.tableAccesses, unique(model().tableAccesses.map(projectAccess)));
  });

  it('Prisma accesses carry the model method as statementKind and a synthetic statement; raw SQL keeps its text', () => {
    const mediaApi = model().tableAccesses.filter((a) => a.unit === '@nova/media-api');
    expect(mediaApi.map((a) => `${a.statementKind} | ${a.statement}`).sort()).toEqual([
      'prisma.delete | prisma.media.delete',
      'prisma.deleteMany | prisma.mediaVariant.deleteMany',
      'prisma.findUnique | prisma.media.findUnique',
      'select | SELECT count(*) FROM "public"."media" WHERE thumbnail_ready = $1',
    ]);
  });

  it('owners equal expected.json (the media API owns what its Prisma migration creates)', () => {
    expect(Object.fromEntries(Object.entries(model().owners).map(([t, o]) => [t, { service: o.service, source: o.source }]))).toEqual(expected.owners);
  });

  it('the media API serves nova.media.v1.MediaService (server.addService)', () => {
    expect(model().units.find((u) => u.name === '@nova/media-api')?.serves).toEqual(['nova.media.v1.MediaService']);
    expect(model().grpcServices.map((s) => [s.fullName, s.servedBy])).toEqual([['nova.media.v1.MediaService', ['@nova/media-api']]]);
  });

  it('every import edge evidence spans the quoted specifier, which names the target package', () => {
    for (const edge of model().edges.filter((e) => e.kind === 'import')) {
      for (const at of edge.evidence) {
        const line = readFileSync(path.join(fixtureRoot, at.file), 'utf8').split('\n')[at.line - 1]!;
        const specifier = JSON.parse(line.slice(at.column - 1, at.endColumn! - 1).replace(/^'|'$/g, '"')) as string;
        expect({ at, specifier: specifier.startsWith(edge.to) }).toEqual({ at, specifier: true });
      }
    }
  });

  it('every package edge evidence points at the dependency key in package.json', () => {
    for (const edge of model().edges.filter((e) => e.kind.startsWith('package'))) {
      for (const at of edge.evidence) {
        const line = readFileSync(path.join(fixtureRoot, at.file), 'utf8').split('\n')[at.line - 1]!;
        const target = model().units.find((u) => u.name === edge.to)!;
        expect({ at, key: line.slice(at.column - 1, at.endColumn! - 1) }).toEqual({ at, key: JSON.stringify(target.name) });
      }
    }
  });

  it('external dependencies per unit equal expected.json', () => {
    const actual: Record<string, string[]> = {};
    for (const unit of model().units) {
      actual[unit.name] = unit.externalDependencies.map((d) => `${d.name} ${d.kind} ${d.source}${d.optional ? ' optional' : ''}`);
    }
    expect(actual).toEqual(expected.externalDependencies);
  });

  it('diagnostics (severity, code, file, line) equal expected.json', () => {
    expectSameSet(
      expected.diagnostics,
      model().diagnostics.map((d: Diagnostic) => ({ severity: d.severity, code: d.code, file: d.location?.file ?? null, line: d.location?.line ?? null })),
    );
  });

  it('the JSON output carries the same units and package edges', () => {
    const result = results.get('')!;
    const json = JSON.parse(
      renderJson(
        { root: result.root, model: result.model, findings: result.findings, rules: result.rules, stats: result.stats },
        {
          cwd: fixtureRoot,
          color: false,
          toolName: 'boundary-lint',
          toolVersion: '0.0.0',
          readSource: () => undefined,
          ruleHelp: () => ({ text: '', markdown: '' }),
          fixSuggestions: false,
          verbose: false,
          includeEnvironment: false,
        },
      ),
    ) as { units: Unit[]; edges: Edge[] };
    expectSameSet(expected.units, json.units.map((u) => ({ name: u.name, kind: u.kind, path: u.path, language: u.language })));
    expectSameSet([...expected.packageEdges, ...expected.importEdges].map(projectEdge), json.edges.filter((e) => e.kind === 'import' || e.kind.startsWith('package')).map(projectEdge));
    expectSameSet(expected.sourceEdges.filter((e) => e.kind !== 'import').map(projectSourceEdge), json.edges.filter((e) => e.kind !== 'import' && !e.kind.startsWith('package')).map(projectSourceEdge));
  });

  for (const expectedRun of expected.runs) {
    describe(`run "${expectedRun.name}" [${expectedRun.args.join(' ')}]`, () => {
      const result = (): RunResult => results.get(expectedRun.args.join(' '))!;

      it('findings equal expected.json', () => {
        const want = expectedRun.findings.map((f) => ({ ...f, related: [...f.related].sort(byLocation) }));
        expectSameSet(want, result().findings.map(projectFinding));
      });

      it(`exit code is ${expectedRun.exitCode}`, () => {
        expect(result().findings.some((f) => f.severity === 'error') ? 1 : 0).toBe(expectedRun.exitCode);
      });
    });
  }
});
