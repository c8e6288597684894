import type { CallFact, MethodCallFact, PathFact } from '../../scan/rust/facts.js';
import type { Location, Scope } from '../types.js';
import { expandThroughLets, isLibraryCode, runsInCallers, scopeOf, significantReceiver, type SourceFile, type SourceIndex, type UnitSources } from './source-index.js';

/**
 * Libraries are not nodes of the service graph: a gRPC or HTTP call made inside a library
 * function belongs to the services that call that function. This module follows calls from
 * units into library functions (through `use` imports, qualified paths and methods of the
 * library's types), transitively, and says which service call site reaches which library site.
 */

/** Something found inside a function of a unit (an RPC call, an HTTP call). */
export interface Site<T> {
  unit: string;
  file: SourceFile;
  /** Index of the enclosing function in `file.facts.fns`, or -1 at module level. */
  fn: number;
  location: Location;
  scope: Scope;
  payload: T;
}

/** A library site credited to a unit that calls into the library. */
export interface CreditedSite<T> {
  /** The unit the site is credited to. */
  unit: string;
  /** Where that unit calls into the library. */
  callSite: Location;
  scope: Scope;
  /** The library functions on the way, outermost first, e.g. `grpc-clients::send_notification`. */
  via: { unit: string; function: string }[];
  /** The original site inside the library. */
  site: Site<T>;
  /**
   * The call into the library is itself library code (a library's lib target calling another
   * library): it is credited further to that library's callers, and is no edge of its own.
   */
  inLibraryCode: boolean;
}

interface FnKey {
  unit: string;
  name: string;
  implType?: string;
  /**
   * Module path (`workspace::ops`, `''` for the root) of a free function of the library's lib
   * target; undefined for methods and for other targets. Glob imports are matched against it.
   */
  module?: string;
  /**
   * Whether any method call of the name counts as a call of this method. Facts have no receiver
   * types, so that is a guess by name. It is made for libraries, whose methods are their API. It
   * is not made for a service's lib target, whose methods include names like `push`, `build` and
   * `run` that every caller also calls on its own values. There a method counts when called as
   * `Type::name(..)`, or on a receiver the caller's code types as it (`methodCallMatcher`).
   */
  byMethodName: boolean;
  /** The trait the method implements (`impl Trait for Type`): `Trait::name(..)` calls it too. */
  trait?: string;
}

/** The key of the function at `fn` in `file` of `unit` (a library, or a service's lib target). */
function keyOf(index: SourceIndex, unit: string, file: SourceFile, fn: number): FnKey {
  const fact = file.facts.fns[fn]!;
  const key: FnKey = { unit, name: fact.name, implType: fact.implType, byMethodName: index.units.get(unit)?.unit.kind === 'library' };
  const trait = fact.traitPath?.[fact.traitPath.length - 1];
  if (trait !== undefined) key.trait = trait;
  if (fact.implType === undefined && file.compiled.root === 'lib') key.module = file.compiled.modulePath.join('::');
  return key;
}

/** Same-named free functions of different modules are kept apart, so a glob of one module does not reach the other. */
function idOf(key: FnKey): string {
  return `${key.unit}\u0000${key.implType ?? ''}\u0000${key.name}\u0000${key.module ?? ''}`;
}

/**
 * For a library, the modules whose free functions `use lib::<module>::*` brings in: the module
 * itself plus descendants it re-exports by glob (`pub use child::*;`, transitively). Only
 * descendants count: visibility is not in the facts, and re-exporting children is the facade
 * pattern, while a private `use crate::other::*` is a convenience import that exports nothing.
 */
function globReach(index: SourceIndex, unit: string): (module: string) => Set<string> {
  const library = index.units.get(unit)!;
  const modules = new Set<string>();
  for (const file of library.files) if (file.compiled.root === 'lib') modules.add(file.compiled.modulePath.join('::'));
  const reexports = new Map<string, string[]>();
  for (const file of library.files) {
    if (file.compiled.root !== 'lib') continue;
    const here = file.compiled.modulePath;
    for (const use of file.facts.uses) {
      if (!use.glob || use.test || use.fn >= 0) continue;
      let target: string[] | undefined;
      const [first, ...rest] = use.segments;
      if (first === 'crate') target = rest;
      else if (first === 'self') target = [...here, ...rest];
      else if (first !== undefined && first !== 'super') target = [...here, ...use.segments];
      if (target === undefined || target.length <= here.length || here.some((s, i) => target![i] !== s)) continue;
      const name = target.join('::');
      if (!modules.has(name)) continue;
      const key = here.join('::');
      reexports.set(key, [...(reexports.get(key) ?? []), name]);
    }
  }
  const cache = new Map<string, Set<string>>();
  return (module) => {
    let reach = cache.get(module);
    if (reach) return reach;
    reach = new Set([module]);
    const stack = [module];
    while (stack.length > 0) {
      for (const child of reexports.get(stack.pop()!) ?? []) {
        if (reach.has(child)) continue;
        reach.add(child);
        stack.push(child);
      }
    }
    cache.set(module, reach);
    return reach;
  };
}

/** The outermost function containing index `fn` (nested fns belong to their parent's callers). */
function outermost(file: SourceFile, fn: number): number {
  let current = fn;
  while (current >= 0 && file.facts.fns[current]!.parent >= 0) current = file.facts.fns[current]!.parent;
  return current;
}

const dependenciesCache = new WeakMap<SourceIndex, Map<string, Set<string>>>();

/**
 * Units each unit depends on by crate edges, transitively (excluding itself). Computed once per
 * index: every resolver's crediting and the gRPC accessors ask.
 */
export function transitiveDependencies(index: SourceIndex): ReadonlyMap<string, ReadonlySet<string>> {
  const cached = dependenciesCache.get(index);
  if (cached) return cached;
  const direct = new Map<string, Set<string>>();
  for (const [name, sources] of index.units) direct.set(name, new Set(sources.crateNames.values()));
  const result = new Map<string, Set<string>>();
  for (const name of index.units.keys()) {
    const seen = new Set<string>();
    const stack = [...(direct.get(name) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next) || next === name) continue;
      seen.add(next);
      stack.push(...(direct.get(next) ?? []));
    }
    result.set(name, seen);
  }
  dependenciesCache.set(index, result);
  return result;
}

/**
 * Credits every site that lies inside a function of a lib target to the other units that call
 * that function, following calls through lib targets transitively. Pass library sites, and the
 * sites in services' lib targets (which are also those services' own). A unit is never credited
 * with its own site.
 */
export function creditLibrarySites<T>(index: SourceIndex, sites: readonly Site<T>[]): CreditedSite<T>[] {
  if (sites.length === 0) return [];
  const dependencies = transitiveDependencies(index);
  const globReaches = new Map<string, (module: string) => Set<string>>();
  const globReachOf = (unit: string): ((module: string) => Set<string>) => {
    let reach = globReaches.get(unit);
    if (!reach) globReaches.set(unit, (reach = globReach(index, unit)));
    return reach;
  };
  const results: CreditedSite<T>[] = [];
  // Work list of (library, function) -> sites it reaches (with the via chain so far).
  type Reach = { site: Site<T>; via: { unit: string; function: string }[] };
  let frontier: { unit: string; file: SourceFile; fn: number; reach: Reach }[] = [];
  for (const site of sites) {
    if (!index.units.has(site.unit) || !runsInCallers(site.file)) continue;
    const fn = outermost(site.file, site.fn);
    if (fn < 0) continue;
    frontier.push({ unit: site.unit, file: site.file, fn, reach: { site, via: [] } });
  }
  const seen = new Set<string>();
  for (let depth = 0; depth < 6 && frontier.length > 0; depth++) {
    // Group reaches by library function, closing over calls inside the same library.
    const byFunction = new Map<string, { key: FnKey; reaches: Reach[] }>();
    for (const entry of frontier) {
      const key = keyOf(index, entry.unit, entry.file, entry.fn);
      const id = idOf(key);
      const bucket = byFunction.get(id) ?? { key, reaches: [] };
      bucket.reaches.push({ site: entry.reach.site, via: [...entry.reach.via] });
      byFunction.set(id, bucket);
    }
    closeWithinLibraries(index, byFunction);
    const next: typeof frontier = [];
    for (const { key, reaches } of byFunction.values()) {
      for (const [callerName, callerDeps] of dependencies) {
        if (callerName === key.unit || !callerDeps.has(key.unit)) continue;
        const caller = index.units.get(callerName)!;
        const codeName = [...caller.crateNames].find(([, target]) => target === key.unit)?.[0];
        const typed = methodCallMatcher(index, caller, key, false);
        for (const calling of callsByName(index, caller).get(key.name) ?? NONE) {
          const file = calling.file;
          for (const call of callSitesOf(calling, key, codeName, globReachOf(key.unit), typed)) {
            for (const reach of reaches) {
              const via = [{ unit: key.unit, function: key.implType ? `${key.implType}::${key.name}` : key.name }, ...reach.via];
              const id = `${callerName}\u0000${call.location.file}:${call.location.line}:${call.location.column}\u0000${reach.site.location.file}:${reach.site.location.line}:${reach.site.location.column}`;
              if (seen.has(id)) continue;
              seen.add(id);
              const scope: Scope = call.scope === 'test' || reach.site.scope === 'test' ? 'test' : 'prod';
              const inLibraryCode = isLibraryCode(caller, file);
              results.push({ unit: callerName, callSite: call.location, scope, via, site: reach.site, inLibraryCode });
              // A call in a lib target runs in that unit's callers too: a library's only, a service's as well as its own.
              if (runsInCallers(file)) {
                const fn = outermost(file, call.fn);
                if (fn >= 0) next.push({ unit: callerName, file, fn, reach: { site: reach.site, via } });
              }
            }
          }
        }
      }
    }
    frontier = next;
  }
  return results;
}

/** Adds, for every library function that calls another one with reaches, those reaches (fixpoint). */
function closeWithinLibraries<T>(index: SourceIndex, byFunction: Map<string, { key: FnKey; reaches: { site: Site<T>; via: { unit: string; function: string }[] }[] }>): void {
  for (let round = 0; round < 5; round++) {
    let changed = false;
    for (const { key, reaches } of [...byFunction.values()]) {
      const library = index.units.get(key.unit)!;
      const typed = methodCallMatcher(index, library, key, true);
      for (const calling of callsByName(index, library).get(key.name) ?? NONE) {
        const file = calling.file;
        for (const call of callSitesOf(calling, key, undefined, undefined, typed)) {
          const fn = outermost(file, call.fn);
          if (fn < 0) continue;
          const callerKey = keyOf(index, key.unit, file, fn);
          const id = idOf(callerKey);
          if (id === idOf(key)) continue;
          const bucket = byFunction.get(id) ?? { key: callerKey, reaches: [] };
          for (const reach of reaches) {
            if (bucket.reaches.some((r) => r.site === reach.site)) continue;
            bucket.reaches.push(reach);
            changed = true;
          }
          byFunction.set(id, bucket);
        }
      }
    }
    if (!changed) break;
  }
}

/**
 * `name(..)` resolves through a glob of a library module that defines (or re-exports) it, unless
 * the file has an item of that name itself: local items and explicit imports beat globs.
 */
function globImported(facts: SourceFile['facts'], key: FnKey, codeName: string, globReach: ((module: string) => Set<string>) | undefined): boolean {
  if (key.implType !== undefined || key.module === undefined || globReach === undefined) return false;
  const module = key.module;
  const globbed = facts.uses.some((u) => u.glob && u.segments[0] === codeName && globReach(u.segments.slice(1).join('::')).has(module));
  if (!globbed) return false;
  const localFn = facts.fns.some((f) => f.name === key.name && f.implType === undefined && f.parent < 0);
  const explicitImport = facts.uses.some((u) => !u.glob && u.segments[0] !== codeName && (u.alias ?? u.segments[u.segments.length - 1]) === key.name);
  return !localFn && !explicitImport;
}

interface CallSite {
  location: Location;
  fn: number;
  scope: Scope;
}

/** The facts of one file that call a given name: method calls, called paths ending in it, plain calls, each in file order. */
const aliasesCache = new WeakMap<SourceIndex, Map<string, Set<string>>>();

/** Type name -> the aliases naming it (`type CollabAccessControlStorage = CollabStorageImpl<..>`), over every unit of the index. */
function typeAliases(index: SourceIndex): Map<string, Set<string>> {
  let aliases = aliasesCache.get(index);
  if (aliases !== undefined) return aliases;
  aliases = new Map();
  for (const sources of index.units.values()) {
    for (const file of sources.files) {
      for (const alias of file.facts.typeAliases) {
        for (const ident of alias.typeIdents) {
          let names = aliases.get(ident);
          if (names === undefined) aliases.set(ident, (names = new Set()));
          names.add(alias.name);
        }
      }
    }
  }
  aliasesCache.set(index, aliases);
  return aliases;
}

const fieldTypesCache = new WeakMap<UnitSources, Map<string, string[]>>();

/**
 * Field name -> the type identifiers of every field of that name in the unit's structs; and
 * `Struct\u0000field` -> that one field's, for `self.field` in a method of `Struct`.
 */
function fieldTypes(sources: UnitSources): Map<string, string[]> {
  let types = fieldTypesCache.get(sources);
  if (types !== undefined) return types;
  types = new Map();
  for (const file of sources.files) {
    for (const field of file.facts.fields) {
      for (const name of [field.name, `${field.struct}\u0000${field.name}`]) {
        const known = types.get(name);
        types.set(name, known === undefined ? field.typeIdents : [...known, ...field.typeIdents]);
      }
    }
  }
  fieldTypesCache.set(sources, types);
  return types;
}

type MethodCallMatcher = (file: SourceFile, call: MethodCallFact) => boolean;
const ANY_METHOD_CALL: MethodCallMatcher = () => true;

/**
 * Which method calls of `key`'s name in `caller` count as calls of it:
 * - a library's method, called from another unit: any call of the name (FnKey.byMethodName);
 * - a library's method called inside the library, when the library has methods of that name on
 *   two or more types (AppFlowy's database crate has `insert_encode_collab_data` on the
 *   PostgreSQL cache and on the Redis one): only a call on a typed receiver;
 * - a service's method: only a call on a typed receiver.
 *
 * A receiver is typed when the caller's code shows that it is of the method's type, its trait or
 * an alias of the type. The evidence is the receiver's field types (`state.storage` with
 * `storage: Arc<CollabAccessControlStorage>`), `self` in a method of that type, a parameter list
 * naming it, a `let` whose type, initialiser or the fields it reads name it, or a type in the
 * receiver chain itself.
 */
function methodCallMatcher(index: SourceIndex, caller: UnitSources, key: FnKey, withinUnit: boolean): MethodCallMatcher {
  if (key.implType === undefined) return ANY_METHOD_CALL; // no method: never asked
  if (key.byMethodName && !(withinUnit && ambiguousMethod(index, key.unit, key.name))) return ANY_METHOD_CALL;
  const names = new Set([key.implType, ...(typeAliases(index).get(key.implType) ?? [])]);
  if (key.trait !== undefined) names.add(key.trait);
  const fields = fieldTypes(caller);
  const named = (idents: readonly string[]): boolean => idents.some((ident) => names.has(ident));
  return (file, call) => {
    const step = significantReceiver(call.receiver);
    if (step === undefined) return false;
    if (named(call.receiver)) return true;
    if (step.endsWith('()')) return false;
    const fn = call.fn >= 0 ? file.facts.fns[call.fn] : undefined;
    if (step === 'self') {
      return fn !== undefined && ((fn.implType !== undefined && names.has(fn.implType)) || (fn.traitPath !== undefined && names.has(fn.traitPath[fn.traitPath.length - 1]!)));
    }
    // `self.field`: the field of the method's own struct; another receiver's field: any struct's.
    const ownField = call.receiver.length === 2 && call.receiver[0] === 'self' && fn?.implType !== undefined;
    if (named((ownField ? fields.get(`${fn!.implType}\u0000${step}`) : fields.get(step)) ?? NONE)) return true;
    if (fn !== undefined && fn.paramIdents.includes(step) && named(fn.paramIdents)) return true;
    // `let cache = self.mem_cache.clone();`: the let's type and initialiser, and the fields it reads.
    const bound = expandThroughLets(file, call.fn, { idents: [step], strings: [] }).idents;
    return named(bound) || bound.some((ident) => ident !== step && named(fields.get(ident) ?? NONE));
  };
}

const methodTypesCache = new WeakMap<SourceIndex, Map<string, Map<string, Set<string>>>>();

/** Whether `unit` has methods called `name` on two or more types. */
function ambiguousMethod(index: SourceIndex, unit: string, name: string): boolean {
  let byUnit = methodTypesCache.get(index);
  if (byUnit === undefined) methodTypesCache.set(index, (byUnit = new Map()));
  let byName = byUnit.get(unit);
  if (byName === undefined) {
    byName = new Map();
    for (const file of index.units.get(unit)?.files ?? []) {
      for (const fn of file.facts.fns) {
        if (fn.implType === undefined) continue;
        let types = byName.get(fn.name);
        if (types === undefined) byName.set(fn.name, (types = new Set()));
        types.add(fn.implType);
      }
    }
    byUnit.set(unit, byName);
  }
  return (byName.get(name)?.size ?? 0) > 1;
}

interface NamedCalls {
  file: SourceFile;
  methodCalls: MethodCallFact[];
  paths: PathFact[];
  calls: CallFact[];
}

const NONE: readonly never[] = [];

const callsByNameCache = new WeakMap<UnitSources, Map<string, NamedCalls[]>>();
const libraryFnNamesCache = new WeakMap<SourceIndex, Set<string>>();

/** Names of the functions of library units and of services' lib targets: the only names a function key can have. */
function libraryFnNames(index: SourceIndex): Set<string> {
  let names = libraryFnNamesCache.get(index);
  if (names !== undefined) return names;
  names = new Set();
  for (const sources of index.units.values()) {
    const library = sources.unit.kind === 'library';
    // A service's functions are called into only through its lib target.
    for (const file of sources.files) if (library || runsInCallers(file)) for (const fn of file.facts.fns) names.add(fn.name);
  }
  libraryFnNamesCache.set(index, names);
  return names;
}

/**
 * A unit's calls of library function names, grouped by the name they call, then by file (in file
 * order). Built once per unit: every library function is looked up in every file of every dependent unit, and scanning
 * all calls for each function was O(functions x calls). Only names and segments are read here,
 * so lazy facts keep their receivers and locations unresolved.
 */
function callsByName(index: SourceIndex, sources: UnitSources): Map<string, NamedCalls[]> {
  let byName = callsByNameCache.get(sources);
  if (byName !== undefined) return byName;
  byName = new Map();
  const map = byName;
  const wanted = libraryFnNames(index);
  for (const file of sources.files) {
    const inFile = (name: string): NamedCalls => {
      let list = map.get(name);
      if (list === undefined) map.set(name, (list = []));
      let last = list[list.length - 1];
      if (last === undefined || last.file !== file) list.push((last = { file, methodCalls: [], paths: [], calls: [] }));
      return last;
    };
    const { facts } = file;
    for (const call of facts.methodCalls) if (wanted.has(call.name)) inFile(call.name).methodCalls.push(call);
    for (const path of facts.paths) {
      if (!path.call) continue;
      const name = path.segments[path.segments.length - 1]!;
      if (wanted.has(name)) inFile(name).paths.push(path);
    }
    for (const call of facts.calls) if (wanted.has(call.name)) inFile(call.name).calls.push(call);
  }
  callsByNameCache.set(sources, byName);
  return byName;
}

/**
 * Places in `calling.file` that call the library function `key`: a method call of that name (when
 * the function is a method), `Type::name(..)` / `crate::path::name(..)`, or `name(..)` imported
 * from the library, by name or by a glob of a module that has it (`use lib::module::*;`).
 * `calling` holds the file's calls named `key.name`. `codeName` is the library's name in the
 * calling crate (undefined inside the library itself); `globReach` gives the modules a glob of a
 * library module brings in.
 */
function callSitesOf(
  calling: NamedCalls,
  key: FnKey,
  codeName: string | undefined,
  globReach: ((module: string) => Set<string>) | undefined,
  /** Which method calls of the name count (see `methodCallMatcher`). */
  methodCalls: MethodCallMatcher,
): CallSite[] {
  const sites: CallSite[] = [];
  const { file } = calling;
  const facts = file.facts;
  if (key.implType !== undefined) {
    for (const call of calling.methodCalls) {
      if (methodCalls(file, call)) sites.push({ location: call.location, fn: call.fn, scope: scopeOf(file, call) });
    }
  }
  if (calling.paths.length > 0) {
    // Modules of the library imported by name: `use test_utils::{fixtures, ..}` then `fixtures::insert_user()`.
    const importedModules = new Set(
      codeName === undefined
        ? []
        : facts.uses.filter((u) => u.segments[0] === codeName && u.segments.length > 1).map((u) => u.alias ?? u.segments[u.segments.length - 1]!),
    );
    for (const path of calling.paths) {
      const qualifier = path.segments[path.segments.length - 2];
      // A method or associated function is called as `Type::name(..)` (or `Trait::name(..)`);
      // `Other::new(..)` is another type's. A free function is called through the library's
      // name or one of its modules.
      const matches =
        key.implType !== undefined
          ? qualifier === key.implType || (key.trait !== undefined && qualifier === key.trait)
          : codeName === undefined
            ? path.segments[0] === 'crate' || path.segments[0] === 'self' || path.segments[0] === 'super'
            : path.segments[0] === codeName || importedModules.has(path.segments[0]!);
      if (matches) sites.push({ location: path.location, fn: path.fn, scope: scopeOf(file, path) });
    }
  }
  if (calling.calls.length === 0) return sites;
  const imported =
    codeName === undefined
      ? key.implType === undefined
      : facts.uses.some((u) => u.segments[0] === codeName && !u.glob && u.segments[u.segments.length - 1] === key.name && (u.alias ?? key.name) === key.name) ||
        globImported(facts, key, codeName, globReach);
  if (imported) {
    for (const call of calling.calls) sites.push({ location: call.location, fn: call.fn, scope: scopeOf(file, call) });
  }
  return sites;
}
