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
import type { Edge, Unit } from '../../src/model/types.js';
import { renderJson } from '../../src/report/json.js';
import {
  expectSameSet,
  normaliseFinding,
  projectDiagnostic,
  projectEdgeEvidenceList,
  projectFinding,
  projectSourceEdge as projectSourceEdgeViaSorted,
  projectTableAccess,
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
const fixtureRoot = path.join(repoRoot, 'fixtures', 'repos', 'ts-workspace');

interface Expected {
  units: TruthUnit[];
  unitDetails: TruthUnitDetails[];
  edges: unknown[];
  packageEdges: TruthEdge[];
  importEdges: TruthEdge[];
  sourceEdges: TruthEdge[];
  topics: TruthTopic[];
  tableAccesses: TruthTableAccess[];
  owners: TruthOwners;
  externalDependencies: Record<string, string[]>;
  diagnostics: TruthDiagnostic[];
  runs: TruthRun[];
}

const expected = JSON.parse(readFileSync(path.join(fixtureRoot, 'expected.json'), 'utf8')) as Expected;

/** Package and import edges: evidence location by location. */
const projectEdge = projectEdgeEvidenceList;

/** Source edges as the shared projection, but `via` in its order (outermost library function first). */
function projectSourceEdge(e: Edge | TruthEdge): TruthEdge {
  const out = projectSourceEdgeViaSorted(e);
  if (out.via) out.via = e.via!.map((v) => ({ unit: v.unit, function: v.function }));
  return out;
}

const SOURCE_KINDS = new Set(['import', 'http', 'event', 'grpc']);

const results = new Map<string, RunResult>();
for (const args of [[], ...expected.runs.map((r) => r.args)]) {
  if (!results.has(args.join(' '))) results.set(args.join(' '), await run(runOptions(fixtureRoot, args)));
}
const model = (): RunResult['model'] => results.get('')!.model;

describe('fixture ts-workspace (pnpm workspace)', () => {
  it('units (name, kind, path, language) equal expected.json', () => {
    expectSameSet(expected.units, model().units.map(projectUnit));
  });

  it('units (manifest, workspace, kindSource) equal expected.json', () => {
    expectSameSet(expected.unitDetails, model().units.map(projectUnitDetails));
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
    expectSameSet(expected.tableAccesses, uniqueByCanonical(model().tableAccesses.map(projectTableAccess)));
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
    expectSameSet(expected.diagnostics, model().diagnostics.map(projectDiagnostic));
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
    expectSameSet(expected.units, json.units.map(projectUnit));
    expectSameSet([...expected.packageEdges, ...expected.importEdges].map(projectEdge), json.edges.filter((e) => e.kind === 'import' || e.kind.startsWith('package')).map(projectEdge));
    expectSameSet(expected.sourceEdges.filter((e) => e.kind !== 'import').map(projectSourceEdge), json.edges.filter((e) => e.kind !== 'import' && !e.kind.startsWith('package')).map(projectSourceEdge));
  });

  for (const expectedRun of expected.runs) {
    describe(`run "${expectedRun.name}" [${expectedRun.args.join(' ')}]`, () => {
      const result = (): RunResult => results.get(expectedRun.args.join(' '))!;

      it('findings equal expected.json', () => {
        expectSameSet(expectedRun.findings.map(normaliseFinding), result().findings.map(projectFinding));
      });

      it(`exit code is ${expectedRun.exitCode}`, () => {
        expect(result().findings.some((f) => f.severity === 'error') ? 1 : 0).toBe(expectedRun.exitCode);
      });
    });
  }
});
