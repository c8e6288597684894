import type { CargoManifest } from '../../scan/cargo/manifest.js';
import type { ProtoFile } from '../../scan/proto/proto.js';
import type { CompiledProto, Diagnostic, Edge, Unit } from '../types.js';
import { readBuildScripts } from './build-scripts.js';
import { resolveEventEdges, type TopicUse } from './events.js';
import { resolveGrpcEdges } from './grpc.js';
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
  /** Unit -> protos its build script compiles. */
  compiledProtos: Map<string, CompiledProto[]>;
}

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
): RustModel {
  const tree = buildModuleTree(units, manifests, files, readFacts);
  const sources: SourceFile[] = [];
  for (const compiled of tree.files) {
    const facts = readFacts(compiled.file);
    if (facts) sources.push({ compiled, facts });
  }
  const index = buildSourceIndex(units, crateEdges, sources);
  const imports = resolveImportEdges(index);
  const grpc = resolveGrpcEdges(index, protos);
  const http = resolveHttpEdges(index, aliases);
  const events = resolveEventEdges(index);
  return {
    edges: [...imports.edges.toArray(), ...grpc.edges.toArray(), ...http.edges.toArray(), ...events.edges],
    diagnostics: [...tree.diagnostics, ...imports.diagnostics, ...grpc.diagnostics, ...http.diagnostics, ...events.diagnostics],
    compiledFiles: tree.files,
    servedBy: grpc.servedBy,
    topics: events.topics,
    compiledProtos: readBuildScripts(index, new Set(protos.map((p) => p.file))),
  };
}
