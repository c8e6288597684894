import type { CargoManifest } from '../../scan/cargo/manifest.js';
import { noTiming, type StageTimer } from '../../util/timing.js';
import type { ProtoFile } from '../../scan/proto/proto.js';
import type { CompiledProto, Diagnostic, Edge, Unit } from '../types.js';
import { readBuildScripts } from './build-scripts.js';
import { creditLibrarySites, type Site } from './library-calls.js';
import { DYNAMIC_PLACEHOLDER, findSqlSites, type SqlSite, type TextReader } from './sql-sites.js';
import { findGeneratedQuerySites, type QueryFile } from './query-files.js';
import { statementsFromSqlxMetadata, type SqlxMetadataFile } from './sqlx-offline.js';
import type { StatementSite } from '../sql/table-accesses.js';
import { resolveEventEdges, type TopicUse, type TopicUseSite } from './events.js';
import { collectGrpcUses, grpcEdgesOf } from './grpc.js';
import { resolveHttpEdges } from './http.js';
import { resolveImportEdges } from './imports.js';
import { buildModuleTree, type CompiledFile, type FactsReader } from './module-tree.js';
import { buildSourceIndex, type SourceFile } from './source-index.js';

export interface RustModel {
  edges: Edge[];
  diagnostics: Diagnostic[];
  compiledFiles: CompiledFile[];
  /** Unit -> fully qualified gRPC services it serves. */
  servedBy: Map<string, Set<string>>;
  /** Kafka topics with their production producers and consumers (including topics with only one side). */
  topics: TopicUse[];
  /** The producer and consumer sites behind `topics` and the event edges (drawn again with TypeScript's). */
  topicSites: TopicUseSite[];
  /** Unit -> protos its build script compiles. */
  compiledProtos: Map<string, CompiledProto[]>;
  /** Statements run by the code, credited to the units that run them (through library functions). */
  statements: StatementSite[];
  /**
   * `edges` and `diagnostics` again, with the gRPC clients also matched against services that
   * units of other languages serve (fully qualified name -> units); the client uses found are
   * matched again, without reading any facts.
   */
  withExternalGrpcServers(servers: ReadonlyMap<string, ReadonlySet<string>>): { edges: Edge[]; diagnostics: Diagnostic[] };
}

export { DYNAMIC_PLACEHOLDER };

/**
 * Source-level edges of the Rust units: the module tree decides which files count, then
 * imports, gRPC calls, HTTP requests and Kafka topics are resolved across units. `aliases`
 * (config) are extra names of units in URLs and env vars.
 */
export function buildRustModel(
  units: readonly Unit[],
  crateEdges: readonly Edge[],
  manifests: ReadonlyMap<string, CargoManifest>,
  files: readonly string[],
  protos: readonly ProtoFile[],
  readFacts: FactsReader,
  aliases: Readonly<Record<string, string>> = {},
  readText: TextReader = () => undefined,
  queryFiles: readonly QueryFile[] = [],
  sqlxMetadata: readonly SqlxMetadataFile[] = [],
  /** Units of other languages (npm packages), which HTTP requests may name. */
  otherUnits: readonly Unit[] = [],
  timer: StageTimer = noTiming,
): RustModel {
  const tree = timer.time('module tree (reads and scans the files it reaches)', () => buildModuleTree(units, manifests, files, readFacts));
  const sources: SourceFile[] = [];
  for (const compiled of tree.files) {
    const facts = readFacts(compiled.file);
    if (facts) sources.push({ compiled, facts });
  }
  const index = buildSourceIndex(units, crateEdges, sources);
  timer.lap('source index');
  const imports = timer.time('imports', () => resolveImportEdges(index));
  const grpcUses = timer.time('gRPC', () => collectGrpcUses(index, protos));
  const grpc = grpcEdgesOf([grpcUses]);
  const http = timer.time('HTTP', () => resolveHttpEdges(index, aliases, otherUnits));
  const events = timer.time('events', () => resolveEventEdges(index));
  const sql = timer.time('SQL sites', () => findSqlSites(index, readText));
  const found = timer.time('statements credited through libraries', () => creditStatements(index, [...sql.sites, ...findGeneratedQuerySites(index, queryFiles)]));
  const offline = timer.time('sqlx offline metadata', () => statementsFromSqlxMetadata(sqlxMetadata, units, found));
  const statements = [...found, ...offline.statements];
  const withGrpc = (result: typeof grpc): { edges: Edge[]; diagnostics: Diagnostic[] } => ({
    edges: [...imports.edges.toArray(), ...result.edges.toArray(), ...http.edges.toArray(), ...events.edges],
    diagnostics: [...tree.diagnostics, ...imports.diagnostics, ...result.diagnostics, ...http.diagnostics, ...events.diagnostics, ...sql.diagnostics, ...offline.diagnostics],
  });
  return {
    ...withGrpc(grpc),
    withExternalGrpcServers: (servers) => withGrpc(grpcEdgesOf([grpcUses], servers)),
    compiledFiles: tree.files,
    servedBy: grpc.servedBy,
    topics: events.topics,
    topicSites: events.sites,
    compiledProtos: readBuildScripts(index, new Set(protos.map((p) => p.file))),
    statements,
  };
}

function statementOf(site: SqlSite, unit: string, scope: StatementSite['scope'], via?: StatementSite['via']): StatementSite {
  return {
    unit,
    sql: site.sql,
    location: site.location,
    ...(site.sourceFile ? { sourceFile: site.sourceFile } : {}),
    dynamic: site.dynamic,
    scope,
    datastore: site.datastore,
    ...(via ? { via } : {}),
  };
}

/**
 * A statement in a library function belongs to the units that call the function (the access
 * records `via`); one that no unit reaches stays attributed to the library alone.
 */
function creditStatements(index: Parameters<typeof creditLibrarySites>[0], sites: readonly SqlSite[]): StatementSite[] {
  const statements: StatementSite[] = [];
  const librarySites: Site<SqlSite>[] = [];
  for (const site of sites) {
    if (site.inLibraryCode && site.fn >= 0) librarySites.push({ unit: site.unit, file: site.file, fn: site.fn, location: site.location, scope: site.scope, payload: site });
    else statements.push(statementOf(site, site.unit, site.scope));
  }
  const credited = new Set<SqlSite>();
  for (const entry of creditLibrarySites(index, librarySites)) {
    if (entry.inLibraryCode) continue;
    credited.add(entry.site.payload);
    const via = { function: entry.via.map((v) => `${v.unit}::${v.function}`).join(' → '), unit: entry.via[0]!.unit, callSite: entry.callSite };
    statements.push(statementOf(entry.site.payload, entry.unit, entry.scope, via));
  }
  for (const site of librarySites) if (!credited.has(site.payload)) statements.push(statementOf(site.payload, site.unit, site.scope));
  return statements;
}
