import type { CargoManifest } from '../../scan/cargo/manifest.js';
import type { ProtoFile } from '../../scan/proto/proto.js';
import type { Diagnostic, Edge, Unit } from '../types.js';
import { resolveGrpcEdges } from './grpc.js';
import { resolveImportEdges } from './imports.js';
import { buildModuleTree, type CompiledFile, type FactsReader } from './module-tree.js';
import { buildSourceIndex, type SourceFile } from './source-index.js';

export interface RustModel {
  edges: Edge[];
  diagnostics: Diagnostic[];
  compiledFiles: CompiledFile[];
  /** Unit -> fully qualified gRPC services it serves. */
  servedBy: Map<string, Set<string>>;
}

/**
 * Source-level edges of the Rust units: the module tree decides which files count, then
 * imports and gRPC calls are resolved across units.
 */
export function buildRustModel(
  units: readonly Unit[],
  crateEdges: readonly Edge[],
  manifests: ReadonlyMap<string, CargoManifest>,
  files: readonly string[],
  protos: readonly ProtoFile[],
  readFacts: FactsReader,
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
  return {
    edges: [...imports.edges.toArray(), ...grpc.edges.toArray()],
    diagnostics: [...tree.diagnostics, ...imports.diagnostics, ...grpc.diagnostics],
    compiledFiles: tree.files,
    servedBy: grpc.servedBy,
  };
}
