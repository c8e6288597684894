/**
 * The model build: scan every input and resolve units, edges, table accesses and owners. Loaded
 * with a dynamic import from run.ts, so a run answered from the model cache never compiles the
 * scanners (about 40% of the bundle; docs/benchmarks.md, warm path).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import picomatch from 'picomatch';
import type { ResolvedConfig } from '../config/resolve.js';
import { readRepositoryText, type ReadResult, type RepositoryFiles } from '../discover/files.js';
import type { CachedModel } from '../cache/model-cache.js';
import { buildCargoGraph } from '../model/cargo.js';
import type { Datastore, Diagnostic, Edge, GrpcService, Model, TableAccess, Unit } from '../model/types.js';
import { scanCargoManifest, type CargoManifest } from '../scan/cargo/manifest.js';
import { scanProto, type ProtoFile } from '../scan/proto/proto.js';
import { scanRustFile, type RustFileFacts } from '../scan/rust/facts.js';
import { scanPackageJson, type PackageJson } from '../scan/npm/package-json.js';
import { scanPnpmWorkspace, type PnpmWorkspace } from '../scan/npm/pnpm-workspace.js';
import { buildNpmGraph } from '../model/npm.js';
import { buildDeclaredUnits } from '../model/declared-units.js';
import { hasTsJsUnits } from '../model/ts/source-files.js';
import type { TsSourceCache, TsSourceModel } from '../model/ts/index.js';
import { scanPrismaSchema } from '../scan/prisma/schema.js';
import { eventEdgesOf } from '../model/rust/events.js';
import { buildRustModel, DYNAMIC_PLACEHOLDER, type RustModel } from '../model/rust/index.js';
import type { QueryFile } from '../model/rust/query-files.js';
import { buildTableAccesses } from '../model/sql/table-accesses.js';
import { resolveOwnership, type MigrationFile, type Ownership } from '../model/sql/ownership.js';
import { createStoredAnalyzer, loadStatementAnalyzer, type AnalysisStore, type StatementAnalyzer } from '../scan/sql/analyze.js';
import { noTiming, type StageTimer } from '../util/timing.js';
import { isSqlcConfigFile } from '../scan/sqlc/file-names.js';
import { sqlcStatements } from '../model/sql/sqlc.js';
import { mayHoldSuppressions } from '../check/suppressions.js';
import { compareLocations, compareStrings } from '../util/location.js';
import { configFileOf, configLocations } from './config-locations.js';

function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.location && b.location) return compareLocations(a.location, b.location) || compareStrings(a.code, b.code);
  if (a.location) return -1;
  if (b.location) return 1;
  return compareStrings(a.message, b.message);
}

/**
 * Which database a unit's table lives in: a config `databases` entry naming the unit (by name or
 * glob) for that datastore; otherwise every service's SQLite file is its own and PostgreSQL,
 * MySQL and ClickHouse are one shared database each.
 */
function databaseResolver(config: ResolvedConfig): (unit: string, datastore: Datastore) => string {
  const declared = Object.entries(config.databases).map(([name, db]) => ({ name, datastore: db.datastore, isMatch: picomatch(db.services) }));
  return (unit, datastore) => {
    const match = declared.find((db) => db.datastore === datastore && db.isMatch(unit));
    // A declared database's tables are `name:table`; a database declared as "postgres" keeps bare names.
    if (match) return match.name;
    return datastore === 'sqlite' ? `sqlite:${unit}` : datastore;
  };
}

/** Edges by from, to, kind, scope, then the service/topic/endpoint they concern. */
function compareEdges(a: Edge, b: Edge): number {
  return (
    compareStrings(a.from, b.from) ||
    compareStrings(a.to, b.to) ||
    compareStrings(a.kind, b.kind) ||
    compareStrings(a.scope, b.scope) ||
    compareStrings(a.service ?? a.topic ?? a.endpoint ?? '', b.service ?? b.topic ?? b.endpoint ?? '') ||
    Number(a.typeOnly ?? false) - Number(b.typeOnly ?? false)
  );
}

/** Scans the repository and builds the model: manifests, protos, Rust sources, edges. */
/**
 * A workspace with up to this many `.rs` files in leaf units (units nothing depends on) is
 * resolved in one pass, the fastest way: the benchmark's target size (550 leaf files) is.
 * A larger one is resolved in batches of DEFAULT_RUST_FILES_PER_BATCH leaf files, so it never
 * holds every file's facts at once: at 10x the target, peak RSS ~605 -> ~290 MB for ~1.6x the
 * time (docs/benchmarks.md, fourth session).
 */
export const RUST_SINGLE_PASS_LIMIT = 2000;
export const DEFAULT_RUST_FILES_PER_BATCH = 300;

/**
 * A full garbage collection, for the moments a batch's facts have just become garbage. V8 lets
 * the heap grow to several times the live data before it collects on its own, and at 10x scale
 * that garbage (~170 MB) was the peak of the run's memory. Exposing `gc` after start-up is the
 * documented V8 flag; the function is fetched from a fresh context.
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

// Re-exported for src/run.ts, which loads this module lazily (the bundle's model chunk).
export { analysesFromStored, storedAnalysesOf } from '../scan/sql/stored-analyses.js';

export interface BuildModelOptions {
  /**
   * Resolve at most this many leaf-unit Rust files at once, whatever the workspace's size (see
   * RUST_SINGLE_PASS_LIMIT); changes memory and time, never the model.
   */
  rustFilesPerBatch?: number;
  /**
   * Statement analyses of an earlier run of this build (the model cache keeps them). When every
   * statement of the run is among them, libpg-query is not even loaded; the model is the same.
   */
  knownAnalyses?: AnalysisStore;
}

/** The model, and the analysis of every statement in it, for the next run (see `knownAnalyses`). */
export interface BuiltModel extends CachedModel {
  analyses: AnalysisStore;
}

export async function buildModel(repository: RepositoryFiles, config: ResolvedConfig, timer: StageTimer = noTiming, options: BuildModelOptions = {}): Promise<BuiltModel> {
  const diagnostics: Diagnostic[] = [...repository.diagnostics];
  // Files holding a suppression directive, noted while they are read anyway (no second pass).
  const suppressionFiles = new Set<string>();
  const readInput = (file: string): ReadResult => {
    const read = readRepositoryText(repository.root, file);
    if ('text' in read && mayHoldSuppressions(read.text)) suppressionFiles.add(file);
    return read;
  };

  const manifests: CargoManifest[] = [];
  for (const file of repository.files) {
    if (file !== 'Cargo.toml' && !file.endsWith('/Cargo.toml')) continue;
    const read = readInput(file);
    if ('diagnostic' in read) {
      diagnostics.push(read.diagnostic);
      continue;
    }
    manifests.push(scanCargoManifest(file, read.text));
  }
  const cargo = buildCargoGraph(manifests, new Set(repository.files), {
    services: config.services,
    libraries: config.libraries,
  });
  diagnostics.push(...cargo.diagnostics);

  // npm/yarn/pnpm workspaces: package units and package edges; then units declared by folder in the config.
  const packageJsons: PackageJson[] = [];
  const pnpmWorkspaces: PnpmWorkspace[] = [];
  for (const file of repository.files) {
    const base = file.slice(file.lastIndexOf('/') + 1);
    if (base !== 'package.json' && base !== 'pnpm-workspace.yaml') continue;
    const read = readInput(file);
    if ('diagnostic' in read) diagnostics.push(read.diagnostic);
    else if (base === 'package.json') packageJsons.push(scanPackageJson(file, read.text));
    else pnpmWorkspaces.push(scanPnpmWorkspace(file, read.text));
  }
  const npm = buildNpmGraph(packageJsons, pnpmWorkspaces, repository.files, {
    services: config.services,
    libraries: config.libraries,
    takenNames: new Set(cargo.units.map((u) => u.name)),
  });
  diagnostics.push(...npm.diagnostics);
  const declared = buildDeclaredUnits(config.units, repository.files, {
    manifest: configFileOf(config, repository.root) ?? config.file ?? 'boundary.config.json',
    takenNames: new Set([...cargo.units, ...npm.units].map((u) => u.name)),
  });
  diagnostics.push(...declared.diagnostics);
  timer.lap('manifests and units (Cargo, npm, config)');
  // TypeScript/JavaScript imports between units; the compiler loads only when such a unit exists.
  let tsImportEdges: Edge[] = [];
  // Source facts of TS/JS packages (SQL, Prisma, HTTP, topics, gRPC) come from the same parse as their imports.
  let tsSources: TsSourceCache | undefined;
  // The TS scanners (~180 KB of bundle) load with the compiler, only for repositories with TS/JS units.
  let tsModel: typeof import('../model/ts/index.js') | undefined;
  let resolveModule: ((from: string, specifier: string) => string | undefined) | undefined;
  if (hasTsJsUnits(npm.units, declared.filesOf)) {
    const { buildTsImportEdges, loadTypeScript } = await import('../model/ts-imports.js');
    const ts = await loadTypeScript();
    tsModel = await import('../model/ts/index.js');
    timer.lap('TypeScript/JavaScript: load the compiler');
    const { TsconfigPaths, TsSourceCache, tsconfigModuleResolver } = tsModel;
    // One reading of each tsconfig serves both the import scanner and the source facts' resolver.
    const tsconfigs = new TsconfigPaths(ts, repository.root, repository.files);
    resolveModule = tsconfigModuleResolver(ts, repository.root, npm.units, repository.files, tsconfigs);
    tsSources = new TsSourceCache(ts, npm.units, repository.files, (file) => {
      const read = readInput(file);
      return 'text' in read ? read.text : undefined;
    });
    const tsImports = buildTsImportEdges(ts, {
      parse: tsSources.parse,
      tsconfigs,
      root: repository.root,
      units: [...cargo.units, ...npm.units, ...declared.units],
      declaredFiles: declared.filesOf,
      packageJsons,
      files: repository.files,
      readText: (file) => {
        const read = readInput(file);
        return 'text' in read ? read.text : undefined;
      },
    });
    tsImportEdges = tsImports.edges;
    diagnostics.push(...tsImports.diagnostics);
    timer.lap('TypeScript/JavaScript: parse, imports');
  }

  const protos: ProtoFile[] = [];
  for (const file of repository.files) {
    if (!file.endsWith('.proto')) continue;
    const read = readInput(file);
    if ('diagnostic' in read) diagnostics.push(read.diagnostic);
    else protos.push(scanProto(file, read.text));
  }
  for (const proto of protos) diagnostics.push(...proto.diagnostics);
  timer.lap('protos');

  // Rust facts are read lazily: only files the module tree reaches are scanned.
  const factsCache = new Map<string, RustFileFacts | undefined>();
  const readFacts = (file: string): RustFileFacts | undefined => {
    if (!factsCache.has(file)) {
      const read = timer.time('read files', () => readInput(file));
      if ('diagnostic' in read) {
        diagnostics.push(read.diagnostic);
        factsCache.set(file, undefined);
      } else {
        factsCache.set(file, timer.time('lex and scan files', () => scanRustFile(file, read.text)));
      }
    }
    return factsCache.get(file);
  };
  const readText = (file: string): string | undefined => {
    const read = readInput(file);
    return 'text' in read ? read.text : undefined;
  };
  // Query files of code generators (cornucopia `--! name` blocks): their statements belong to the callers.
  const queryFiles: QueryFile[] = [];
  for (const file of repository.files) {
    if (!file.endsWith('.sql') || file.split('/').includes('migrations')) continue;
    const text = readText(file);
    if (text !== undefined && /^--!\s*\w/m.test(text)) queryFiles.push({ file, text });
  }
  // sqlx offline metadata (`cargo sqlx prepare`): every query! text, to catch what the scan missed.
  const sqlxMetadata = repository.files
    .filter((file) => /(^|\/)\.sqlx\/query-[^/]+\.json$/.test(file))
    .flatMap((file) => {
      const text = readText(file);
      return text === undefined ? [] : [{ file, text }];
    });
  timer.lap('query files, sqlx metadata');
  let rust: RustModel | undefined = timer.time('Rust sources: module tree, facts, resolvers', () =>
    buildRustModel(cargo.units, cargo.edges, new Map(manifests.map((m) => [m.file, m])), repository.files, protos, readFacts, config.aliases, readText, queryFiles, sqlxMetadata, npm.units, timer, {
      filesPerBatch: options.rustFilesPerBatch ?? DEFAULT_RUST_FILES_PER_BATCH,
      singlePassLimit: options.rustFilesPerBatch ?? RUST_SINGLE_PASS_LIMIT,
      release: (file) => factsCache.delete(file),
      afterBatch: collectGarbage,
    }),
  );
  let tsFacts: TsSourceModel | undefined;
  if (tsSources && tsModel) {
    const prismaSchemas = repository.files.filter((file) => file.endsWith('.prisma')).flatMap((file) => {
      const text = readText(file);
      return text === undefined ? [] : [scanPrismaSchema(file, text)];
    });
    for (const schema of prismaSchemas) diagnostics.push(...schema.diagnostics);
    timer.lap('Prisma schemas');
    tsFacts = tsModel.buildTsSourceModel({ units: [...cargo.units, ...npm.units], packageJsons, files: repository.files, sources: tsSources, prismaSchemas, protos, rustServedBy: rust.servedBy, aliases: config.aliases, packageEdges: npm.edges, ...(resolveModule ? { resolveModule } : {}) });
    diagnostics.push(...tsFacts.diagnostics);
    timer.lap('TypeScript/JavaScript: source facts');
  }
  // Rust gRPC clients of services TypeScript units serve: the gRPC part of the Rust model is redone with them.
  const tsServers = new Map<string, Set<string>>();
  for (const [unit, services] of tsFacts?.servedBy ?? []) for (const service of services) tsServers.set(service, new Set([...(tsServers.get(service) ?? []), unit]));
  const rustResult = tsServers.size > 0 ? rust.withExternalGrpcServers(tsServers) : { edges: rust.edges, diagnostics: rust.diagnostics };
  diagnostics.push(...rustResult.diagnostics);
  // Topics of both languages are drawn into edges together: a Rust producer and a TS consumer meet.
  const events = tsFacts && tsFacts.topicSites.length > 0 ? eventEdgesOf([...rust.topicSites, ...tsFacts.topicSites]) : undefined;
  const { statements: rustStatements, compiledProtos, servedBy: rustServedBy, topics: rustTopics } = rust;
  // Every file's facts and token stream (and the TS syntax trees) are the peak of the run's
  // memory, and nothing below needs them: let them go before the SQL phase adds its own
  // (10x bench: peak RSS 937 -> 866 MB).
  rust = undefined;
  factsCache.clear();
  tsSources = undefined;
  // sqlc query files: their statements belong to the unit that receives the generated code.
  timer.lap('gRPC across languages, events');
  const sqlcConfigFiles = repository.files.filter(isSqlcConfigFile);
  // The YAML parser loads only when there is a sqlc config to read.
  const scanSqlcConfig = sqlcConfigFiles.length > 0 ? (await import('../scan/sqlc/config.js')).scanSqlcConfig : undefined;
  const sqlcConfigs = sqlcConfigFiles.flatMap((file) => {
    const text = readText(file);
    return text === undefined || scanSqlcConfig === undefined ? [] : [scanSqlcConfig(file, text)];
  });
  for (const config of sqlcConfigs) diagnostics.push(...config.diagnostics);
  const sqlc = sqlcStatements(sqlcConfigs, repository.files, [...cargo.units, ...npm.units, ...declared.units], readText);
  diagnostics.push(...sqlc.diagnostics);
  const statements = [...rustStatements, ...(tsFacts?.statements ?? []), ...sqlc.statements];

  // SQL: statements the code runs, and migrations (ownership). The parser loads only when needed.
  const migrations: MigrationFile[] = [];
  for (const file of repository.files) {
    if (!file.endsWith('.sql') || !file.split('/').includes('migrations')) continue;
    const read = readInput(file);
    if ('diagnostic' in read) diagnostics.push(read.diagnostic);
    else migrations.push({ file, text: read.text });
  }
  let tableAccesses: TableAccess[] = [];
  let ownership: Ownership = { owners: {}, conflicts: [], created: new Map(), diagnostics: [] };
  let analyses: AnalysisStore = new Map();
  if (statements.length > 0 || migrations.length > 0 || Object.keys(config.tables).length > 0) {
    timer.lap('sqlc configs, migrations');
    // Both steps are pure in the analyzer, so a pass answered from stored analyses is the real
    // one when nothing was missing, and is simply done again with the parser when something was.
    const analyse = (analyzer: StatementAnalyzer, stage: string) => {
      const built = buildTableAccesses(statements, analyzer, { dynamicPlaceholder: DYNAMIC_PLACEHOLDER, databaseOf: databaseResolver(config) });
      timer.lap(`SQL: statements of the code${stage}`);
      const owned = resolveOwnership([...cargo.units, ...npm.units], config.tables, migrations, built.accesses, analyzer, configLocations(config, config.tableLocations, repository.root));
      timer.lap(`SQL: migrations and ownership${stage}`);
      return { built, owned };
    };
    let result: ReturnType<typeof analyse> | undefined;
    if (options.knownAnalyses) {
      const stored = createStoredAnalyzer(options.knownAnalyses);
      result = analyse(stored, ' (stored analyses)');
      if (stored.misses === 0) analyses = stored.used();
      else result = undefined;
    }
    if (result === undefined) {
      const analyzer = await loadStatementAnalyzer(options.knownAnalyses);
      timer.lap('SQL: load libpg-query');
      result = analyse(analyzer, '');
      analyses = analyzer.used();
    }
    tableAccesses = result.built.accesses;
    diagnostics.push(...result.built.diagnostics);
    ownership = result.owned;
    diagnostics.push(...ownership.diagnostics);
  }

  // Units gain what only their sources say: the protos they compile and the services they serve.
  const units = cargo.units.map((unit) => {
    const protos = compiledProtos.get(unit.name);
    const serves = rustServedBy.get(unit.name);
    return {
      ...unit,
      ...(protos ? { protos } : {}),
      ...(serves ? { serves: [...serves].sort(compareStrings) } : {}),
    };
  });
  const allUnits = [...units, ...npm.units.map((unit) => withServes(unit, tsFacts?.servedBy.get(unit.name))), ...declared.units];
  const model: Model = {
    units: allUnits.sort((a, b) => compareStrings(a.manifest, b.manifest) || compareStrings(a.name, b.name)),
    edges: [...cargo.edges, ...npm.edges, ...tsImportEdges, ...(events ? rustResult.edges.filter((e) => e.kind !== 'event') : rustResult.edges), ...(events?.edges ?? []), ...(tsFacts?.edges ?? [])].sort(compareEdges),
    diagnostics: diagnostics.sort(compareDiagnostics),
    topics: events?.topics ?? rustTopics,
    grpcServices: grpcServicesOf(protos, allUnits),
    tableAccesses,
    owners: ownership.owners,
    ownershipConflicts: ownership.conflicts,
  };
  timer.lap('assemble the model');
  return { model, stats: { files: repository.files.length, manifests: manifests.length + packageJsons.length }, suppressionFiles: [...suppressionFiles].sort(compareStrings), analyses };
}

/** A TS/JS unit with the gRPC services its code serves (`server.addService(..)`). */
function withServes(unit: Unit, served: ReadonlySet<string> | undefined): Unit {
  return served && served.size > 0 ? { ...unit, serves: [...served].sort(compareStrings) } : unit;
}

/** The gRPC services the protos declare, with the units that serve each (fix suggestions name their RPCs). */
function grpcServicesOf(protos: readonly ProtoFile[], units: readonly Unit[]): GrpcService[] {
  const services = protos.flatMap((proto) =>
    proto.services.map((service) => ({
      fullName: service.fullName,
      name: service.name,
      file: proto.file,
      location: service.location,
      rpcs: service.rpcs.map((rpc) => ({ name: rpc.name, location: rpc.location })),
      servedBy: units.filter((u) => u.serves?.includes(service.fullName)).map((u) => u.name).sort(compareStrings),
    })),
  );
  return services.sort((a, b) => compareStrings(a.file, b.file) || compareLocations(a.location, b.location));
}
