/** A place in the analysed repository: repo-relative POSIX path, 1-based line and column (UTF-16 code units). */
export interface Location {
  file: string;
  line: number;
  column: number;
  /** Inclusive end line; with `endColumn` (exclusive) it spans the evidence, e.g. a dependency key. */
  endLine?: number;
  endColumn?: number;
  /** Manifest evidence: the last line of the entry when its value continues past the key's line (fixes delete through it). */
  entryEndLine?: number;
}

export type UnitKind = 'service' | 'library';
export type Language = 'rust' | 'typescript' | 'javascript';
export type Scope = 'prod' | 'test';

/**
 * Why a unit got its kind: a config glob, a binary target, or neither (Cargo); a `start` script,
 * a Dockerfile, or neither (npm packages); a config `units` entry (folder-declared units).
 */
export type KindSource =
  | 'config:services'
  | 'config:libraries'
  | 'config:units'
  | 'binary-target'
  | 'no-binary-target'
  | 'start-script'
  | 'dockerfile'
  | 'no-start-script';

/** A registry, git or unresolved path dependency of a unit: a crate, or an npm package (bans of external dependencies build on this). */
export interface ExternalDependency {
  /** The package name as published (after `package = "..."` renames). */
  name: string;
  /** The key in the manifest, i.e. the name the code uses, when it differs from `name`. */
  rename?: string;
  /** `crate*` for Cargo; `package` (dependencies, peer and optional) or `package-dev` (devDependencies) for npm. */
  kind: CrateEdgeKind | PackageEdgeKind;
  scope: Scope;
  source: 'registry' | 'git' | 'path';
  optional: boolean;
  /** `cfg(...)` or target triple from a `[target.'...'.dependencies]` table. */
  target?: string;
  location: Location;
}

/** A `.proto` file a crate's build script compiles, and what tonic generates from it. */
export interface CompiledProto {
  /** Repo-relative path as written in build.rs, resolved against the crate directory. */
  file: string;
  server: boolean;
  client: boolean;
  /** Whether that file exists in the repository. */
  found: boolean;
  location: Location;
}

/** A workspace member (crate or package): the vertex of every graph. */
export interface Unit {
  name: string;
  kind: UnitKind;
  /** Directory of the unit, repo-relative POSIX ('.' for the root). */
  path: string;
  language: Language;
  /** Repo-relative path of the manifest that declares the unit. */
  manifest: string;
  /** Repo-relative path of the workspace manifest the unit belongs to (its own manifest when standalone). */
  workspace: string;
  kindSource: KindSource;
  /** Binary targets found (names), used for the default service/library split. */
  binaries: string[];
  hasLibrary: boolean;
  externalDependencies: ExternalDependency[];
  /** Protos compiled by the build script (Rust units with a build.rs that runs tonic/prost). */
  protos?: CompiledProto[];
  /** Fully qualified gRPC services the unit serves (registers a server or implements the trait). */
  serves?: string[];
}

export type CrateEdgeKind = 'crate' | 'crate-dev' | 'crate-build';
/** package.json dependencies on workspace packages: `dependencies`, `peerDependencies`, `optionalDependencies` -> `package`; `devDependencies` -> `package-dev`. */
export type PackageEdgeKind = 'package' | 'package-dev';
/** Every edge kind the model knows; later scanners add source-level kinds. */
export type EdgeKind = CrateEdgeKind | PackageEdgeKind | 'import' | 'grpc' | 'http' | 'event';
/** Kinds that make one unit wait on another at build or run time; events are asynchronous. */
export const SYNCHRONOUS_EDGE_KINDS: readonly EdgeKind[] = ['crate', 'crate-build', 'package', 'import', 'grpc', 'http'];

/** A directed dependency between two units, with every place that proves it. */
export interface Edge {
  from: string;
  to: string;
  kind: EdgeKind;
  scope: Scope;
  evidence: Location[];
  /** Crate edges: declared `optional = true` (behind a feature). */
  optional?: boolean;
  /** Crate edges: only for a `[target.'cfg(..)']` table. */
  target?: string;
  /** Crate edges: the key used in the manifest when it differs from the package name. */
  rename?: string;
  /** gRPC and HTTP edges: an RPC or request is made (`called`), or a client is only constructed (`declared`). */
  usage?: 'called' | 'declared';
  /** gRPC edges: the fully qualified proto service, e.g. `nova.feed_service.v1.FeedService`. */
  service?: string;
  /**
   * gRPC and HTTP edges: the places in `from`'s own code that make the call (an RPC invocation,
   * a request, or the call into the library function that makes it); also in `evidence`.
   */
  calls?: Location[];
  /** HTTP edges: the name that identifies the target (env var, config field or URL host). */
  endpoint?: string;
  /** Event edges: the topic published by `from` and consumed by `to`. */
  topic?: string;
  /**
   * Import edges (TypeScript): every import behind it is type-only (`import type`, `export type`,
   * `import('x')` in a type), erased at compile time. no-cycles ignores these edges.
   */
  typeOnly?: true;
  /** Library functions through which the edge was credited to `from` (calls made inside libraries). */
  via?: { unit: string; function: string }[];
}

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

/** Something the tool could not read or resolve; not a rule violation, never silently dropped. */
export interface Diagnostic {
  severity: DiagnosticSeverity;
  /** Stable kebab-case code, e.g. `manifest-parse-error`, `not-a-workspace-member`. */
  code: string;
  message: string;
  location?: Location;
}

/** A message topic with the units that publish to it and consume from it (production code). */
export interface Topic {
  topic: string;
  producers: string[];
  consumers: string[];
}

export type Datastore = 'postgres' | 'sqlite' | 'mysql' | 'clickhouse';

/** One table touched by one SQL statement of a unit, with the statement as evidence. */
export interface TableAccess {
  /** The unit the access is credited to (a service calling a library function gets it, with `via`). */
  unit: string;
  /** `users`, or `analytics.events` for a non-public schema. */
  table: string;
  datastore: Datastore;
  /** The database the table lives in (config `databases`; by default one per datastore, one per service for SQLite). */
  database: string;
  op: 'read' | 'write' | 'ddl';
  /** `select`, `insert`, `update`, `delete`, `merge`, `truncate`, `create`, ... */
  statementKind: string;
  scope: Scope;
  /** Part of the statement is built at run time (`format!` with a runtime value). */
  dynamic: boolean;
  /** The parser rejected the statement; the table comes from the conservative fallback. */
  uncertain: boolean;
  /** Present when the statement sits in a library function and a unit calls it. */
  via?: { function: string; unit: string; callSite: Location };
  /** The statement itself (its first string literal, or its line in a `.sql` file). */
  location: Location;
  /** The statement text, whitespace-normalised (baselines match evidence by content, not line). */
  statement: string;
}

/** Who owns a table, and which source said so. */
export interface TableOwner {
  service: string;
  /** `config` (the `tables` map), `check-constraint`, `owner-comment`, or `migrations` (the service's own migrations create it). */
  source: 'config' | 'check-constraint' | 'owner-comment' | 'migrations';
  /** The config pattern that matched, for config ownership. */
  pattern?: string;
  location?: Location;
}

/** One RPC of a gRPC service, at its name in the `.proto` file. */
export interface GrpcRpc {
  name: string;
  location: Location;
}

/** A gRPC service declared in a `.proto` file of the repository, with the units that serve it. */
export interface GrpcService {
  /** Fully qualified: `nova.user_service.v1.UserService`. */
  fullName: string;
  /** As declared: `UserService` (tonic's client type is `UserServiceClient`). */
  name: string;
  /** Repo-relative path of the `.proto` file. */
  file: string;
  /** The service name in that file. */
  location: Location;
  rpcs: GrpcRpc[];
  /** Units that serve it (`Unit.serves`), sorted; empty when no unit does. */
  servedBy: string[];
}

/** Everything the scanners established about the repository, before any rule runs. */
export interface Model {
  units: Unit[];
  edges: Edge[];
  diagnostics: Diagnostic[];
  /** Topics seen in production code, including those with no producer or no consumer. */
  topics: Topic[];
  /** gRPC services of the repository's `.proto` files, by file then name (fix suggestions name their RPCs). */
  grpcServices: GrpcService[];
  /** Every table access found in SQL (empty until the SQL scanner runs). */
  tableAccesses: TableAccess[];
  /** Table id (`users`, or `clickhouse:events` outside the default PostgreSQL database) -> owner. */
  owners: Record<string, TableOwner>;
  /** Tables claimed by two services from sources of equal rank (the ambiguous-ownership rule reports them). */
  ownershipConflicts: OwnershipConflict[];
}

/** Two or more equal-rank sources that name different owners for one table. */
export interface OwnershipConflict {
  table: string;
  source: TableOwner['source'];
  claims: (TableOwner & { table: string })[];
}
