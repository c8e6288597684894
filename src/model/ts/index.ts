import path from 'node:path';
import type { PackageJson } from '../../scan/npm/package-json.js';
import type { PrismaSchema } from '../../scan/prisma/schema.js';
import type { ProtoFile } from '../../scan/proto/proto.js';
import type { Datastore, Diagnostic, Edge, Location, Scope, Unit } from '../types.js';
import type { StatementSite } from '../sql/table-accesses.js';
import { compareLocations, compareStrings } from '../../util/location.js';
import { deepestContaining } from '../../util/repo-path.js';
import { EdgeSet } from '../rust/edge-set.js';
import { looksLikeTopic, type TopicUseSite } from '../rust/events.js';
import { ServiceNames } from '../rust/service-names.js';
import { looksLikeSql } from '../rust/sql-sites.js';
import { isClient, isLibraryModule, libraryConstruct, libraryType, type Client, type ImportRef, type NameCandidates, type Shape, type StrPart, type UrlSource, type Value } from './file-context.js';

/** A resolved value: a client, or the members of an object type or class instance. */
type Resolved = Client | Shape;
/** An imported name: an export of a repository file, or a library's name re-exported by the repository. */
type Target = { fact: ExportFact; file: string; name: string } | { library: { module: string; name: string } };
import type { CallTarget, ClassRef, ExportFact, TsFileFacts } from './facts.js';
import { BULLMQ_PREFIX } from './events.js';
import { rpcMethodNames, type GrpcServiceRef } from './grpc.js';
import { httpTargets } from './http.js';
import { PRISMA_READS, findModel, modelTable, prismaDatastore } from './prisma.js';
import { renderSql } from './sql-sites.js';
import { unitSourceFiles, type TsSourceCache } from './sources.js';
import { packageNameOf, unitLookups } from './module-paths.js';

export { TsSourceCache } from './sources.js';
export { tsconfigModuleResolver, TsconfigPaths } from './module-paths.js';

const posix = path.posix;
const DEPTH = 6;

export interface TsSourceInputs {
  units: readonly Unit[];
  packageJsons: readonly PackageJson[];
  files: readonly string[];
  sources: TsSourceCache;
  prismaSchemas: readonly PrismaSchema[];
  protos: readonly ProtoFile[];
  /** gRPC services served by Rust units (TypeScript clients may call them). */
  rustServedBy: ReadonlyMap<string, ReadonlySet<string>>;
  aliases: Readonly<Record<string, string>>;
  /** Package edges: a unit without a Prisma schema of its own uses those of the packages it depends on. */
  packageEdges: readonly Edge[];
  /** Bare specifiers through tsconfig `paths` (`~/db.server`): the repository file, if any (`tsconfigModuleResolver`). */
  resolveModule?: (from: string, specifier: string) => string | undefined;
}

export interface TsSourceModel {
  /** SQL statements and pre-analysed Prisma/ClickHouse accesses, credited like Rust's. */
  statements: StatementSite[];
  /** Producer and consumer sites, drawn into edges together with Rust's. */
  topicSites: TopicUseSite[];
  /** HTTP and gRPC edges. */
  edges: Edge[];
  /** TypeScript unit -> fully qualified gRPC services it serves (`server.addService(..)`). */
  servedBy: Map<string, Set<string>>;
  diagnostics: Diagnostic[];
}

interface Credit {
  unit: string;
  scope: Scope;
  callSite: Location;
  /** Library functions on the way, outermost (the one the unit calls) first. */
  via: { unit: string; function: string }[];
}

const combine = (a: Scope, b: Scope): Scope => (a === 'test' || b === 'test' ? 'test' : 'prod');

/**
 * SQL statements, Prisma model accesses, HTTP and gRPC edges and topic sites of the TypeScript and
 * JavaScript package units (decision 0017). Per-file facts come from `inputs.sources`; here names
 * imported from other files are resolved, receivers checked, and sites inside library functions
 * credited to the units that call them.
 */
export function buildTsSourceModel(inputs: TsSourceInputs): TsSourceModel {
  const { sources } = inputs;
  const diagnostics: Diagnostic[] = [];
  const fileSet = new Set(inputs.files);
  const { unitByName, unitByPackage } = unitLookups(inputs.units, inputs.packageJsons);
  const filesByUnit = unitSourceFiles(inputs.units, inputs.files);
  const unitFacts = new Map<string, { facts: TsFileFacts; scope: Scope }[]>();
  for (const [unit, list] of [...filesByUnit].sort(([a], [b]) => compareStrings(a, b))) {
    const read: { facts: TsFileFacts; scope: Scope }[] = [];
    for (const { file, scope } of list) {
      const facts = sources.facts(file);
      if (facts) read.push({ facts, scope });
    }
    unitFacts.set(unit, read);
  }
  for (const failure of sources.failures) {
    diagnostics.push({ severity: 'warning', code: 'ts-scan-error', message: `could not read the SQL, HTTP, event and gRPC sites of this file (${failure.message}); they are missing from the model`, location: { file: failure.file, line: 1, column: 1 } });
  }

  // ---------------------------------------------------------------------------------------------
  // Names imported from other files: relative paths within the unit, workspace package names.
  // ---------------------------------------------------------------------------------------------
  const moduleFile = (from: string, module: string): string | undefined => {
    const base = posix.normalize(posix.join(posix.dirname(from), module));
    const stem = base.replace(/\.(?:[cm]?js|jsx)$/, '');
    const candidates = stem !== base ? [`${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.cts`, base] : [base, ...['.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs', '.jsx', '/index.ts', '/index.tsx', '/index.js'].map((ext) => base + ext)];
    return candidates.find((f) => fileSet.has(f));
  };
  const lookupIn = (facts: TsFileFacts, name: string, depth: number): Target | undefined => {
    const own = facts.exports.get(name);
    if (own) return { fact: own, file: facts.file, name };
    for (const re of facts.reexports) {
      if (re.as === name && re.name !== '*') return resolveName({ from: facts.file, module: re.module, name: re.name }, depth + 1);
    }
    // `export * from` repository modules first; a library's `export *` (whose names we cannot list) last.
    for (const re of facts.reexports) {
      if (re.name !== '*' || name === 'default' || isLibraryModule(re.module)) continue;
      const found = resolveName({ from: facts.file, module: re.module, name }, depth + 1);
      if (found) return found;
    }
    const library = facts.reexports.find((re) => re.name === '*' && name !== 'default' && isLibraryModule(re.module));
    return library ? { library: { module: library.module, name } } : undefined;
  };
  const packageNames = new Map<string, Target | undefined>();
  /** What an imported name is: an export of a repository file (facts), or a name of a library re-exported by the repository. */
  const resolveName = (ref: ImportRef, depth = 0): Target | undefined => {
    if (depth > DEPTH) return undefined;
    if (isLibraryModule(ref.module)) return { library: { module: ref.module, name: ref.name } };
    if (ref.module.startsWith('.')) {
      const file = moduleFile(ref.from, ref.module);
      const facts = file ? sources.facts(file) : undefined;
      return facts ? lookupIn(facts, ref.name, depth) : undefined;
    }
    const unit = unitByPackage.get(packageNameOf(ref.module));
    if (!unit) {
      // tsconfig `paths` (`~/db.server`): the file the compiler would load.
      const file = inputs.resolveModule?.(ref.from, ref.module);
      const facts = file ? sources.facts(file) : undefined;
      return facts ? lookupIn(facts, ref.name, depth) : undefined;
    }
    // The package's entry point is not resolved (no build output needed): its files are searched in order,
    // own exports first, then named re-exports, then a library re-exported whole (`export * from '@prisma/client'`).
    const key = `${unit.name}\u0000${ref.name}`;
    if (packageNames.has(key)) return packageNames.get(key);
    packageNames.set(key, undefined);
    const files = unitFacts.get(unit.name) ?? [];
    let found: Target | undefined;
    for (const { facts } of files) {
      const own = facts.exports.get(ref.name);
      if (own) {
        found = { fact: own, file: facts.file, name: ref.name };
        break;
      }
    }
    for (const { facts } of found ? [] : files) {
      const re = facts.reexports.find((r) => r.as === ref.name && r.name !== '*');
      if (re) {
        found = resolveName({ from: facts.file, module: re.module, name: re.name }, depth + 1);
        if (found) break;
      }
    }
    for (const { facts } of found || ref.name === 'default' ? [] : files) {
      const re = facts.reexports.find((r) => r.name === '*' && isLibraryModule(r.module));
      if (re) {
        found = { library: { module: re.module, name: ref.name } };
        break;
      }
    }
    packageNames.set(key, found);
    return found;
  };
  const resolveExport = (ref: ImportRef): ExportFact | undefined => {
    const found = resolveName(ref);
    return found && 'fact' in found ? found.fact : undefined;
  };
  /** A class's instances: its members, with those of its base classes (here or imported). */
  const instanceOf = (info: NonNullable<ExportFact['classInfo']>, depth: number): Resolved => {
    const members = { ...info.members };
    const base = info.base?.type === 'import' && depth < DEPTH ? resolveName(info.base.ref) : undefined;
    if (base && 'library' in base) {
      const made = libraryConstruct(base.library.module, base.library.name);
      if (made) return made;
    }
    const inherited = base && 'fact' in base && base.fact.classInfo ? instanceOf(base.fact.classInfo, depth + 1) : undefined;
    if (inherited?.type === 'shape') for (const [name, value] of Object.entries(inherited.members)) members[name] ??= value;
    else if (inherited) return inherited;
    return { type: 'shape', members };
  };
  /**
   * What a value is once other files are read: a client, a shape (members of an object type or class
   * instance), or undefined. Names imported from other files, types and classes re-exported by
   * workspace packages, base classes, generic wrappers and callback parameter types are followed.
   */
  const resolveValue = (value: Value | undefined, depth = 0): Resolved | undefined => {
    if (!value || depth > DEPTH) return undefined;
    switch (value.type) {
      case 'import': {
        const found = resolveName(value.ref);
        if (!found || !('fact' in found)) return undefined;
        if (!value.called) return resolveValue(found.fact.value, depth + 1);
        const returned = resolveValue(found.fact.returns, depth + 1);
        if (returned) return returned;
        const passes = found.fact.returnsArg;
        const arg = passes ? value.args?.[passes.index] : undefined;
        return arg ? resolveValue(passes!.call ? arg.returns : arg.value, depth + 1) : undefined;
      }
      case 'typed': {
        const found = resolveName(value.ref);
        if (!found) return undefined;
        if ('library' in found) return libraryType(found.library.module, found.library.name);
        if (found.fact.type) return resolveValue(found.fact.type, depth + 1);
        return found.fact.classInfo ? instanceOf(found.fact.classInfo, depth + 1) : undefined;
      }
      case 'new': {
        const found = resolveName(value.ref);
        if (found && 'library' in found) return libraryConstruct(found.library.module, found.library.name);
        // A generated gRPC client: not a class of the repository we can read (CommonJS, or a constructor made by a call).
        if (value.grpc !== undefined && !found?.fact.classInfo) return { type: 'grpc-client', name: value.grpc };
        return found?.fact.classInfo ? instanceOf(found.fact.classInfo, depth + 1) : undefined;
      }
      case 'member': {
        const found = resolveName(value.ref);
        const instance = found && 'fact' in found && found.fact.classInfo ? instanceOf(found.fact.classInfo, depth + 1) : undefined;
        return instance?.type === 'shape' ? resolveValue(instance.members[value.name], depth + 1) : undefined;
      }
      case 'prop': {
        const owner = resolveValue(value.of, depth + 1);
        return owner?.type === 'shape' ? resolveValue(owner.members[value.name], depth + 1) : undefined;
      }
      case 'either': {
        const options = value.options.map((o) => resolveValue(o, depth + 1));
        return options.find(isClient) ?? options.find((o) => o !== undefined);
      }
      case 'param': {
        const found = resolveName(value.ref);
        return found && 'fact' in found ? resolveValue(found.fact.callbacks?.[value.arg]?.[value.param], depth + 1) : undefined;
      }
      default:
        return value;
    }
  };
  const resolveClient = (value: Value | undefined): Client | undefined => {
    const resolved = resolveValue(value);
    return isClient(resolved) ? resolved : undefined;
  };
  /** `Prisma` imported from the repository is Prisma's namespace when a workspace package re-exports '@prisma/client'. */
  const isPrismaNamespace = (ref: ImportRef): boolean => {
    const found = resolveName(ref);
    return found !== undefined && 'library' in found && found.library.module === '@prisma/client' && found.library.name === 'Prisma';
  };
  const resolveParts = (parts: readonly StrPart[], depth = 0): StrPart[] =>
    parts.flatMap((part): StrPart[] => {
      // SQL fragments: text once shown to be one, else (plain values) bind parameters.
      if (part.kind === 'prisma') return depth < DEPTH && isPrismaNamespace(part.ns) ? resolveParts(part.parts, depth + 1) : [{ kind: 'param' }];
      if (part.kind === 'fragment') {
        const fragment = depth < DEPTH ? resolveExport(part.ref)?.fragment : undefined;
        return fragment ? resolveParts(fragment, depth + 1) : [{ kind: 'param' }];
      }
      if (part.kind !== 'ref') return [part];
      const str = depth < DEPTH ? resolveExport(part.ref)?.str : undefined;
      return str ? resolveParts(str, depth + 1) : [{ kind: 'dynamic' }];
    });
  const resolveUrls = (list: readonly UrlSource[], depth = 0): UrlSource[] =>
    list.flatMap((source): UrlSource[] => {
      if (source.kind !== 'ref') return [source];
      const url = depth < DEPTH ? resolveExport(source.ref)?.url : undefined;
      return url ? resolveUrls(url, depth + 1) : [];
    });
  const resolveNames = (names: NameCandidates, depth = 0): NameCandidates => {
    const result: NameCandidates = { values: [...names.values], refs: [], templated: names.templated };
    for (const ref of names.refs) {
      const found = depth < DEPTH ? resolveExport(ref)?.names : undefined;
      if (!found) continue;
      const inner = resolveNames(found, depth + 1);
      result.values.push(...inner.values);
      result.templated ||= inner.templated;
    }
    return result;
  };

  // ---------------------------------------------------------------------------------------------
  // Libraries: a site in a library function is credited to the units reaching it. Calls are
  // edges between functions (`file \0 key`); from a site's function we walk back through the
  // production code of libraries (the same one or others) to the first code of a service, of a
  // library's tests, or of another library's module level, which is credited.
  // ---------------------------------------------------------------------------------------------
  const fileOwner = new Map<string, { unit: Unit; scope: Scope; facts: TsFileFacts }>();
  for (const [unitName, list] of unitFacts) for (const { facts, scope } of list) fileOwner.set(facts.file, { unit: unitByName.get(unitName)!, scope, facts });
  const nodeId = (file: string, key: string): string => `${file}\u0000${key}`;
  /** An exported name's function: its file and key. */
  const exported = new Map<string, { file: string; key: string } | undefined>();
  const exportedFn = (ref: ImportRef): { file: string; key: string } | undefined => {
    // Every call of an imported name asks: memoized per importing file and name (thousands of calls in a large app).
    const id = `${ref.from}\u0000${ref.module}\u0000${ref.name}`;
    if (exported.has(id)) return exported.get(id);
    const found = resolveName(ref);
    const key = found && 'fact' in found ? fileOwner.get(found.file)?.facts.exportKeys.get(found.name) : undefined;
    const result = found && 'fact' in found && key !== undefined ? { file: found.file, key } : undefined;
    exported.set(id, result);
    return result;
  };
  /** Member `name` of a class, or of its base classes (here or in other files). */
  const methodFn = (file: string, cls: ClassRef, name: string, depth = 0): { file: string; key: string } | undefined => {
    const at = 'local' in cls ? { file, key: cls.local } : exportedFn(cls.ref);
    const facts = at ? fileOwner.get(at.file)?.facts : undefined;
    if (!at || !facts || depth > DEPTH) return undefined;
    if (facts.functions.has(`${at.key}.${name}`)) return { file: at.file, key: `${at.key}.${name}` };
    const base = facts.functions.get(at.key)?.base;
    return base ? methodFn(at.file, base, name, depth + 1) : undefined;
  };
  const calleeOf = (file: string, target: CallTarget): { file: string; key: string } | undefined => {
    if (target.kind === 'local') return fileOwner.get(file)?.facts.functions.has(target.key) ? { file, key: target.key } : undefined;
    if (target.kind === 'import') return exportedFn(target.ref);
    return methodFn(file, target.cls, target.name);
  };
  /** Callee node -> the calls reaching it: the calling file, its function (undefined at module level), where. */
  const callersOf = new Map<string, { file: string; fn?: string; location: Location }[]>();
  for (const [file, { facts }] of fileOwner) {
    const edges: [string | undefined, { target: CallTarget; location: Location }][] = [...facts.moduleCalls.map((c) => [undefined, c] as [undefined, typeof c])];
    for (const [key, fn] of facts.functions) for (const c of fn.calls) edges.push([key, c]);
    for (const [fn, call] of edges) {
      const callee = calleeOf(file, call.target);
      if (!callee || (callee.file === file && callee.key === fn)) continue;
      const id = nodeId(callee.file, callee.key);
      let list = callersOf.get(id);
      if (!list) callersOf.set(id, (list = []));
      list.push({ file, ...(fn !== undefined ? { fn } : {}), location: call.location });
    }
  }
  /** A site's function's credits, scope of the caller only (breadth first: each function once, by its shortest chain). */
  const reached = new Map<string, Credit[]>();
  const reach = (file: string, key: string): Credit[] => {
    const start = nodeId(file, key);
    const known = reached.get(start);
    if (known) return known;
    const result: Credit[] = [];
    const credited = new Set<string>();
    const seen = new Set([start]);
    let queue: { file: string; key: string; chain: { file: string; key: string }[] }[] = [{ file, key, chain: [{ file, key }] }];
    while (queue.length > 0) {
      const next: typeof queue = [];
      for (const node of queue) {
        const calleeUnit = fileOwner.get(node.file)!.unit;
        for (const call of callersOf.get(nodeId(node.file, node.key)) ?? []) {
          const caller = fileOwner.get(call.file)!;
          const inLibrary = caller.unit.kind === 'library' && caller.scope === 'prod' && call.fn !== undefined;
          if (inLibrary) {
            const id = nodeId(call.file, call.fn!);
            if (!seen.has(id)) {
              seen.add(id);
              next.push({ file: call.file, key: call.fn!, chain: [{ file: call.file, key: call.fn! }, ...node.chain] });
            }
            continue;
          }
          // A library's own tests and module-level code do not move its sites (as before); other units are credited.
          if (caller.unit === calleeUnit) continue;
          const id = `${caller.unit.name}\u0000${call.location.file}:${call.location.line}:${call.location.column}`;
          if (credited.has(id)) continue;
          credited.add(id);
          result.push({ unit: caller.unit.name, scope: caller.scope, callSite: call.location, via: viaOf(node.chain) });
        }
      }
      queue = next;
    }
    reached.set(start, result);
    return result;
  };
  /** `Engine → Engine.trigger` reads as `Engine.trigger`: a class is only the way to its members. */
  const viaOf = (chain: { file: string; key: string }[]): Credit['via'] =>
    chain.filter((n, i) => !(chain[i + 1]?.file === n.file && chain[i + 1]!.key.startsWith(`${n.key}.`))).map((n) => ({ unit: fileOwner.get(n.file)!.unit.name, function: n.key }));
  const credit = (file: string, fn: string | undefined, scope: Scope): Credit[] =>
    fn === undefined ? [] : reach(file, fn).map((c) => ({ ...c, scope: combine(scope, c.scope) }));
  const viaText = (via: Credit['via']): string => via.map((v) => `${v.unit}::${v.function}`).join(' → ');

  // ---------------------------------------------------------------------------------------------
  // SQL and Prisma
  // ---------------------------------------------------------------------------------------------
  const schemasOf = new Map<string, PrismaSchema[]>();
  const ownerOfFile = (file: string): Unit | undefined => deepestContaining(inputs.units, file);
  const schemasFor = (unit: Unit): PrismaSchema[] => {
    let found = schemasOf.get(unit.name);
    if (found) return found;
    const own = inputs.prismaSchemas.filter((s) => ownerOfFile(s.file) === unit);
    const dependencies = new Set(inputs.packageEdges.filter((e) => e.from === unit.name).map((e) => e.to));
    const fromDependencies = inputs.prismaSchemas.filter((s) => dependencies.has(ownerOfFile(s.file)?.name ?? ''));
    found = own.length > 0 ? own : fromDependencies.length > 0 ? fromDependencies : [...inputs.prismaSchemas];
    schemasOf.set(unit.name, found);
    return found;
  };
  const dependsOn = (unit: Unit, names: readonly string[]): boolean => unit.externalDependencies.some((d) => names.includes(d.name));
  const datastoreOf = (unit: Unit, client: Client['type']): Datastore | undefined => {
    if (client === 'clickhouse') return 'clickhouse';
    if (client === 'prisma') return prismaDatastore(schemasFor(unit)[0]?.provider);
    // knex speaks the dialect of the driver the package installs.
    if (client === 'knex' && !dependsOn(unit, ['pg', 'pg-native'])) {
      if (dependsOn(unit, ['mysql', 'mysql2'])) return 'mysql';
      if (dependsOn(unit, ['sqlite3', 'better-sqlite3'])) return 'sqlite';
    }
    return 'postgres';
  };

  const statements: StatementSite[] = [];
  const reportedSql = new Set<string>();
  const sqlDiagnostic = (code: string, message: string, location: Location): void => {
    const key = `${code}:${location.file}:${location.line}:${location.column}`;
    if (reportedSql.has(key)) return;
    reportedSql.add(key);
    diagnostics.push({ severity: 'info', code, message, location });
  };
  /** A statement of `unit`, or of the units calling the library function holding it (with `via`). */
  const addStatement = (unit: Unit, file: string, fn: string | undefined, statement: Omit<StatementSite, 'unit' | 'via'>): void => {
    const credits = unit.kind === 'library' ? credit(file, fn, statement.scope) : [];
    if (credits.length === 0) statements.push({ ...statement, unit: unit.name });
    for (const c of credits) statements.push({ ...statement, unit: c.unit, scope: c.scope, via: { function: viaText(c.via), unit: c.via[0]!.unit, callSite: c.callSite } });
  };

  for (const [unitName, list] of unitFacts) {
    const unit = unitByName.get(unitName)!;
    for (const { facts, scope } of list) {
      for (const site of facts.sql) {
        const client = site.receiver === undefined ? 'postgres' : resolveClient(site.receiver)?.type;
        const variant = client !== undefined ? site.variants[client] : undefined;
        if (!variant || client === undefined) continue;
        const datastore = datastoreOf(unit, client);
        if (datastore === undefined) continue;
        if (variant.insertTable) {
          const tables = [...new Set(resolveNames(variant.insertTable).values.map((v) => v.value))].sort(compareStrings);
          if (tables.length === 0) sqlDiagnostic('sql-unresolved', `the table of this \`${variant.sink}\` is only known at run time; no table access`, site.location);
          for (const table of tables) addStatement(unit, facts.file, site.fn, { sql: `${variant.sink} ${table}`, location: site.location, dynamic: false, scope, datastore, analysed: { statementKind: 'insert', reads: [], writes: [table] } });
          continue;
        }
        const parts = variant.text ? resolveParts(variant.text) : undefined;
        const rendered = parts ? renderSql(parts) : undefined;
        if (!rendered || !looksLikeSql(rendered.sql)) {
          // `client.query('BEGIN')` is no table access; a statement built by code we cannot follow is said so.
          if (!rendered || rendered.dynamic) sqlDiagnostic('sql-unresolved', `the statement of this \`${variant.sink}\` is built at run time; no table access`, site.location);
          continue;
        }
        // The statement's first literal, wherever it is (a const in another file, as for Rust consts).
        const first = parts!.find((p) => p.kind === 'text' && p.location !== undefined);
        const location = first?.kind === 'text' && first.location ? first.location : site.location;
        addStatement(unit, facts.file, site.fn, { sql: rendered.sql, location, dynamic: rendered.dynamic, scope, datastore });
      }
      for (const site of facts.prisma) {
        if (resolveClient(site.receiver)?.type !== 'prisma') continue;
        const found = findModel(schemasFor(unit), site.property);
        if (!found) {
          sqlDiagnostic('prisma-model-unknown', `\`${site.property}\` names no model of the Prisma schema${schemasFor(unit).length === 0 ? ' (no schema.prisma found)' : ''}; no table access`, site.location);
          continue;
        }
        const datastore = prismaDatastore(found.schema.provider);
        if (datastore === undefined) continue;
        const table = modelTable(found.model);
        const read = PRISMA_READS.has(site.method);
        addStatement(unit, facts.file, site.fn, {
          sql: `prisma.${site.property}.${site.method}`,
          location: site.location,
          dynamic: false,
          scope,
          datastore,
          analysed: { statementKind: `prisma.${site.method}`, reads: read ? [table] : [], writes: read ? [] : [table] },
        });
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP
  // ---------------------------------------------------------------------------------------------
  const names = new ServiceNames(inputs.units, inputs.aliases);
  const edges = new EdgeSet();
  for (const [unitName, list] of unitFacts) {
    const unit = unitByName.get(unitName)!;
    for (const { facts, scope } of list) {
      for (const site of facts.http) {
        let urls = site.url;
        if (site.receiver) {
          const client = resolveClient(site.receiver);
          if (client?.type !== 'http') continue;
          urls = [...client.base, ...site.url];
        }
        const resolved = resolveUrls(urls);
        if (unit.kind === 'library') {
          for (const c of credit(facts.file, site.fn, scope)) {
            for (const target of httpTargets(names, resolved, c.unit).targets) {
              edges.add({ from: c.unit, to: target.unit, kind: 'http', scope: c.scope, usage: 'called', endpoint: target.endpoint, evidence: [c.callSite, site.location, ...(target.location ? [target.location] : [])], calls: [c.callSite], via: c.via });
            }
          }
          continue;
        }
        const { targets, unknown } = httpTargets(names, resolved, unit.name);
        for (const target of targets) {
          edges.add({ from: unit.name, to: target.unit, kind: 'http', scope, usage: 'called', endpoint: target.endpoint, evidence: [site.location, ...(target.location ? [target.location] : [])], calls: [site.location] });
        }
        if (unknown.length > 0) {
          const endpoint = [...new Set(unknown)].sort(compareStrings)[0]!;
          diagnostics.push({ severity: 'info', code: 'http-target-unknown', message: `HTTP request to \`${endpoint}\`, which names no unit (add an \`aliases\` entry in the config if it is one); no edge`, location: site.location });
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Topics
  // ---------------------------------------------------------------------------------------------
  const topicSites: TopicUseSite[] = [];
  for (const [unitName, list] of unitFacts) {
    const unit = unitByName.get(unitName)!;
    for (const { facts, scope } of list) {
      for (const site of facts.topics) {
        let candidates = site.names;
        if (site.receiver) {
          const client = resolveClient(site.receiver);
          if (!client || client.type !== site.accepts) continue;
          if (client.type === 'queue') candidates = client.name;
        }
        const resolved = resolveNames(candidates);
        const topics = resolved.templated ? [] : [...new Set(resolved.values.map((v) => v.value).filter(looksLikeTopic))].sort(compareStrings);
        if (topics.length === 0) {
          const what = site.transport === 'bullmq' ? 'BullMQ queue' : 'Kafka topic';
          diagnostics.push({ severity: 'info', code: 'topic-unresolved', message: `cannot tell which ${what} this ${site.role === 'producer' ? 'produces to' : 'consumes from'} (${resolved.templated ? 'the name is built at run time' : 'no literal or const found'}); no event edge`, location: site.location });
          continue;
        }
        const channels = topics.map((t) => (site.transport === 'bullmq' ? `${BULLMQ_PREFIX}${t}` : t));
        if (unit.kind === 'library') {
          for (const c of credit(facts.file, site.fn, scope)) {
            for (const topic of channels) topicSites.push({ topic, role: site.role, unit: c.unit, scope: c.scope, locations: [c.callSite, site.location], via: c.via });
          }
          continue;
        }
        for (const topic of channels) topicSites.push({ topic, role: site.role, unit: unit.name, scope, locations: [site.location] });
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // gRPC
  // ---------------------------------------------------------------------------------------------
  const services = new Map<string, { fullName: string; rpcs: string[] }>();
  const byFullName = new Map<string, { fullName: string; rpcs: string[] }>();
  for (const proto of inputs.protos) {
    for (const service of proto.services) {
      const info = { fullName: service.fullName, rpcs: service.rpcs.map((r) => r.name) };
      if (!services.has(service.name)) services.set(service.name, info);
      byFullName.set(service.fullName, info);
    }
  }
  const serviceOf = (ref: GrpcServiceRef): { fullName: string; rpcs: string[] } | undefined => (ref.full !== undefined ? byFullName.get(ref.full) : services.get(ref.name));
  const servedBy = new Map<string, Set<string>>();
  const servers = new Map<string, Set<string>>();
  for (const [unit, served] of inputs.rustServedBy) for (const service of served) servers.set(service, new Set([...(servers.get(service) ?? []), unit]));
  for (const [unitName, list] of unitFacts) {
    for (const { facts, scope } of list) {
      if (scope === 'test') continue;
      for (const site of facts.grpc) {
        if (site.kind !== 'server') continue;
        const service = serviceOf(site.service);
        if (!service) continue;
        servedBy.set(unitName, new Set([...(servedBy.get(unitName) ?? []), service.fullName]));
        servers.set(service.fullName, new Set([...(servers.get(service.fullName) ?? []), unitName]));
      }
    }
  }
  const unserved = new Set<string>();
  for (const [unitName, list] of unitFacts) {
    const unit = unitByName.get(unitName)!;
    for (const { facts, scope } of list) {
      for (const site of facts.grpc) {
        let use: { service: { fullName: string }; usage: 'called' | 'declared' } | undefined;
        if (site.kind === 'client') {
          const service = serviceOf(site.service);
          if (service) use = { service, usage: 'declared' };
        } else if (site.kind === 'call') {
          const client = resolveClient(site.receiver);
          const service = client?.type === 'grpc-client' ? serviceOf({ name: client.name, ...(client.full !== undefined ? { full: client.full } : {}) }) : undefined;
          if (service && service.rpcs.some((rpc) => rpcMethodNames(rpc).includes(site.method))) use = { service, usage: 'called' };
        }
        if (!use) continue;
        const targets = [...(servers.get(use.service.fullName) ?? [])].sort(compareStrings);
        if (targets.length === 0) {
          const key = `${unitName}\u0000${use.service.fullName}`;
          if (!unserved.has(key)) {
            unserved.add(key);
            diagnostics.push({ severity: 'warning', code: 'grpc-service-not-served', message: `\`${unitName}\` uses a client of ${use.service.fullName}, which no unit serves (no \`server.addService(..)\`, \`XServer::new\` or trait impl found); no edge`, location: site.location });
          }
          continue;
        }
        if (unit.kind === 'library') {
          // Clients a library constructs (one for every service) are no edge; its RPC calls belong to its callers.
          if (use.usage !== 'called') continue;
          for (const c of credit(facts.file, site.fn, scope)) {
            for (const to of targets) edges.add({ from: c.unit, to, kind: 'grpc', scope: c.scope, usage: 'called', service: use.service.fullName, evidence: [c.callSite, site.location], calls: [c.callSite], via: c.via });
          }
          continue;
        }
        for (const to of targets) {
          edges.add({ from: unitName, to, kind: 'grpc', scope, usage: use.usage, service: use.service.fullName, evidence: [site.location], ...(use.usage === 'called' ? { calls: [site.location] } : {}) });
        }
      }
    }
  }

  diagnostics.sort((a, b) => compareLocations(a.location!, b.location!) || compareStrings(a.code, b.code));
  return { statements, topicSites, edges: edges.toArray(), servedBy, diagnostics };
}
