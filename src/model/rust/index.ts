import type { CargoManifest } from '../../scan/cargo/manifest.js';
import { noTiming, type StageTimer } from '../../util/timing.js';
import type { ProtoFile } from '../../scan/proto/proto.js';
import type { CompiledProto, Diagnostic, Edge, Unit } from '../types.js';
import { compareStrings } from '../../util/location.js';
import { readBuildScripts } from './build-scripts.js';
import { creditLibrarySites, type Site } from './library-calls.js';
import { DYNAMIC_PLACEHOLDER, findSqlSites, type SqlSite, type TextReader } from './sql-sites.js';
import { findGeneratedQuerySites, type QueryFile } from './query-files.js';
import { statementsFromSqlxMetadata, type SqlxMetadataFile } from './sqlx-offline.js';
import type { StatementSite } from '../sql/table-accesses.js';
import { collectTopicSites, eventEdgesOf, type TopicUse, type TopicUseSite } from './events.js';
import { collectGrpcUses, grpcEdgesOf, type GrpcResult } from './grpc.js';
import { resolveHttpEdges } from './http.js';
import { resolveImportEdges } from './imports.js';
import { buildModuleTree, type CompiledFile, type FactsReader } from './module-tree.js';
import { buildSourceIndex, inFocus, runsInCallers, type SourceFile, type SourceIndex } from './source-index.js';

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

/** How a large workspace is resolved in batches (see buildRustModel). */
export interface RustBatching {
  /**
   * At most this many `.rs` files of leaf units (units no other unit depends on) per batch;
   * undefined resolves everything at once.
   */
  filesPerBatch?: number;
  /** Up to this many leaf-unit files, everything is resolved at once anyway (default: `filesPerBatch`). */
  singlePassLimit?: number;
  /** Called for each file whose facts no later batch needs, so the caller can let them go. */
  release?: (file: string) => void;
  /** Called after a batch's facts were released, before the next batch reads its files. */
  afterBatch?: () => void;
}

/**
 * Source-level edges of the Rust units: the module tree decides which files count, then
 * imports, gRPC calls, HTTP requests and Kafka topics are resolved across units. `aliases`
 * (config) are extra names of units in URLs and env vars.
 *
 * A workspace with more leaf-unit files than `batching.singlePassLimit` is resolved in batches
 * of `batching.filesPerBatch` leaf-unit files, so that the facts of every file are never alive
 * at once (the peak of a run's memory; decision 0022). Each batch
 * reports for some units (its focus) and holds everything they depend on; the units others
 * depend on are in the first batch's focus and stay loaded throughout. Servers and clients, topic
 * producers and consumers, and library statements nobody calls meet after the last batch.
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
  batching: RustBatching = {},
): RustModel {
  const batches = planBatches(units, crateEdges, files, batching.filesPerBatch, batching.singlePassLimit ?? batching.filesPerBatch);
  // With TIMING=1, a batched run shows how many batches it took (the stages nest under it).
  const batchStage = batches.length > 1 ? `batches of leaf units (${batches.length})` : undefined;
  const parts = batches.map((batch) => {
    const inputs = { units, crateEdges, manifests, files, protos, readFacts, aliases, readText, queryFiles, otherUnits, timer };
    const part = batchStage ? timer.time(batchStage, () => resolveBatch(batch, inputs)) : resolveBatch(batch, inputs);
    if (batch.focus && batching.release) for (const file of part.releasable) batching.release(file);
    if (batch.focus) batching.afterBatch?.();
    return part;
  });

  const grpcUses = parts.map((p) => p.grpcUses);
  const grpc = grpcEdgesOf(grpcUses);
  const topicSites = parts.flatMap((p) => p.events.sites);
  const events = eventEdgesOf(topicSites);
  const credited = new Set(parts.flatMap((p) => [...p.statements.credited]));
  const found = [...parts.flatMap((p) => p.statements.statements), ...uncreditedStatements(parts.flatMap((p) => p.statements.ownLibrarySites), credited)];
  const offline = timer.time('sqlx offline metadata', () => statementsFromSqlxMetadata(sqlxMetadata, units, found));
  const statements = [...found, ...offline.statements];
  const withGrpc = (result: GrpcResult): { edges: Edge[]; diagnostics: Diagnostic[] } => ({
    edges: [...parts.flatMap((p) => [...p.imports.edges.toArray(), ...p.http.edges.toArray()]), ...result.edges.toArray(), ...events.edges],
    diagnostics: [
      ...parts.flatMap((p) => [...p.tree.diagnostics, ...p.imports.diagnostics, ...p.http.diagnostics, ...p.events.diagnostics, ...p.sqlDiagnostics]),
      ...result.diagnostics,
      ...offline.diagnostics,
    ],
  });
  const compiledProtos = new Map<string, CompiledProto[]>();
  for (const part of parts) for (const [unit, compiled] of part.compiledProtos) compiledProtos.set(unit, compiled);
  return {
    ...withGrpc(grpc),
    withExternalGrpcServers: (servers) => withGrpc(grpcEdgesOf(grpcUses, servers)),
    compiledFiles: parts.flatMap((p) => p.compiledFiles).sort((a, b) => compareStrings(a.file, b.file)),
    servedBy: grpc.servedBy,
    topics: events.topics,
    topicSites,
    compiledProtos,
    statements,
  };
}

/** Units a batch reports for (undefined: all) and the units it holds (those and what they depend on). */
interface Batch {
  focus?: ReadonlySet<string>;
  members: readonly Unit[];
  /** Focus units no unit depends on, whose files no later batch reads. */
  leaves: ReadonlySet<string>;
}

/**
 * Splits the units into batches of at most `filesPerBatch` leaf-unit `.rs` files (a unit larger
 * than that is a batch of its own), unless there are no more than `singlePassLimit` of them.
 * Units that others depend on go to the first batch.
 */
function planBatches(units: readonly Unit[], crateEdges: readonly Edge[], files: readonly string[], filesPerBatch: number | undefined, singlePassLimit: number | undefined): Batch[] {
  if (filesPerBatch === undefined || singlePassLimit === undefined) return [{ members: units, leaves: new Set() }];
  const byName = new Map(units.map((u) => [u.name, u]));
  const direct = new Map<string, Set<string>>();
  for (const edge of crateEdges) {
    if ((edge.kind !== 'crate' && edge.kind !== 'crate-dev' && edge.kind !== 'crate-build') || !byName.has(edge.from) || !byName.has(edge.to)) continue;
    direct.set(edge.from, (direct.get(edge.from) ?? new Set()).add(edge.to));
  }
  const dependedOn = new Set([...direct.values()].flatMap((set) => [...set]));
  // A size estimate only: `.rs` files under each leaf unit's directory.
  const rustFiles = files.filter((file) => file.endsWith('.rs'));
  const sizeOf = (unit: Unit): number => (unit.path === '.' ? rustFiles.length : rustFiles.filter((f) => f.startsWith(`${unit.path}/`)).length);
  const leaves = units.filter((u) => !dependedOn.has(u.name)).map((unit) => ({ unit, size: sizeOf(unit) }));
  if (leaves.reduce((sum, leaf) => sum + leaf.size, 0) <= singlePassLimit) return [{ members: units, leaves: new Set() }];

  const focusSets: Set<string>[] = [new Set(units.filter((u) => dependedOn.has(u.name)).map((u) => u.name))];
  let size = 0;
  for (const leaf of leaves) {
    let current = focusSets[focusSets.length - 1]!;
    if (size > 0 && size + leaf.size > filesPerBatch) {
      focusSets.push((current = new Set()));
      size = 0;
    }
    current.add(leaf.unit.name);
    size += leaf.size;
  }
  return focusSets.map((focus) => {
    const held = new Set(focus);
    const stack = [...focus];
    while (stack.length > 0) {
      for (const dependency of direct.get(stack.pop()!) ?? []) {
        if (held.has(dependency)) continue;
        held.add(dependency);
        stack.push(dependency);
      }
    }
    return { focus, members: units.filter((u) => held.has(u.name)), leaves: new Set([...focus].filter((name) => !dependedOn.has(name))) };
  });
}

interface BatchInputs {
  units: readonly Unit[];
  crateEdges: readonly Edge[];
  manifests: ReadonlyMap<string, CargoManifest>;
  files: readonly string[];
  protos: readonly ProtoFile[];
  readFacts: FactsReader;
  aliases: Readonly<Record<string, string>>;
  readText: TextReader;
  queryFiles: readonly QueryFile[];
  otherUnits: readonly Unit[];
  timer: StageTimer;
}

/** Everything one batch finds for its focus units. */
function resolveBatch(batch: Batch, inputs: BatchInputs) {
  const { timer } = inputs;
  const tree = timer.time('module tree (reads and scans the files it reaches)', () => buildModuleTree(batch.members, inputs.manifests, inputs.files, inputs.readFacts, batch.focus));
  const sources: SourceFile[] = [];
  for (const compiled of tree.files) {
    const facts = inputs.readFacts(compiled.file);
    if (facts) sources.push({ compiled, facts });
  }
  const index = buildSourceIndex(batch.members, inputs.crateEdges, sources, batch.focus);
  timer.lap('source index');
  const imports = timer.time('imports', () => resolveImportEdges(index));
  const grpcUses = timer.time('gRPC', () => collectGrpcUses(index, inputs.protos));
  const http = timer.time('HTTP', () => resolveHttpEdges(index, inputs.aliases, inputs.otherUnits, inputs.units));
  const events = timer.time('events', () => collectTopicSites(index));
  const sql = timer.time('SQL sites', () => findSqlSites(index, inputs.readText));
  const statements = timer.time('statements credited through libraries', () => creditStatements(index, [...sql.sites, ...findGeneratedQuerySites(index, inputs.queryFiles)]));
  const focusFiles = tree.files.filter((file) => inFocus(index, file.unit));
  return {
    tree,
    imports,
    grpcUses,
    http,
    events,
    // Only what outlives the batch: SQL sites point at their file's facts.
    sqlDiagnostics: sql.diagnostics,
    statements,
    compiledProtos: readBuildScripts(index, new Set(inputs.protos.map((p) => p.file))),
    compiledFiles: focusFiles,
    /** Files of focus units no other unit depends on: no later batch reads them. */
    releasable: focusFiles.filter((file) => batch.leaves.has(file.unit)).map((file) => file.file),
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
 * records `via`); one that no unit reaches stays attributed to the library alone (see
 * `uncreditedStatements`, which runs once all batches have credited theirs).
 */
function creditStatements(index: SourceIndex, sites: readonly SqlSite[]): { statements: StatementSite[]; ownLibrarySites: Site<SqlSite>[]; credited: Set<string> } {
  const statements: StatementSite[] = [];
  const librarySites: Site<SqlSite>[] = [];
  /** Sites in a service's lib target: the service's own, and its callers' as well. */
  const serviceLibrarySites: Site<SqlSite>[] = [];
  for (const site of sites) {
    const callable = { unit: site.unit, file: site.file, fn: site.fn, location: site.location, scope: site.scope, payload: site };
    if (site.inLibraryCode && site.fn >= 0) librarySites.push(callable);
    else {
      if (inFocus(index, site.unit)) statements.push(statementOf(site, site.unit, site.scope));
      if (site.fn >= 0 && runsInCallers(site.file)) serviceLibrarySites.push(callable);
    }
  }
  const credited = new Set<string>();
  for (const entry of creditLibrarySites(index, [...librarySites, ...serviceLibrarySites])) {
    if (entry.inLibraryCode || !inFocus(index, entry.unit)) continue;
    credited.add(librarySiteKey(entry.site.payload));
    const via = { function: entry.via.map((v) => `${v.unit}::${v.function}`).join(' → '), unit: entry.via[0]!.unit, callSite: entry.callSite };
    statements.push(statementOf(entry.site.payload, entry.unit, entry.scope, via));
  }
  return { statements, ownLibrarySites: librarySites.filter((site) => inFocus(index, site.unit)), credited };
}

/** Identifies a library site across batches, which each find it anew. */
function librarySiteKey(site: SqlSite): string {
  return `${site.file.compiled.file}\u0000${site.fn}\u0000${site.location.file}:${site.location.line}:${site.location.column}\u0000${site.scope}\u0000${site.sql}`;
}

/** Library statements no unit's call reaches: attributed to the library itself. */
function uncreditedStatements(librarySites: readonly Site<SqlSite>[], credited: ReadonlySet<string>): StatementSite[] {
  return librarySites.filter((site) => !credited.has(librarySiteKey(site.payload))).map((site) => statementOf(site.payload, site.unit, site.scope));
}
