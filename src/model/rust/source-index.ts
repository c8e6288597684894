import type { ExpressionSummary, FnFact, LetFact, RustFileFacts } from '../../scan/rust/facts.js';
import type { Edge, Location, Scope, Unit } from '../types.js';
import type { CompiledFile } from './module-tree.js';

/** One compiled file with its facts and the scope the module tree gave it. */
export interface SourceFile {
  compiled: CompiledFile;
  facts: RustFileFacts;
}

/** A unit's compiled sources and the names under which it sees its dependencies. */
export interface UnitSources {
  unit: Unit;
  files: SourceFile[];
  /** Name used in Rust code (`db_pool`, or a rename) -> dependency unit name, per crate edge. */
  crateNames: Map<string, string>;
  /** External (registry/git) dependency package names, e.g. `reqwest`, `rdkafka`. */
  externalCrates: Set<string>;
}

/** Everything the edge resolvers read: units with their compiled sources, by name. */
export interface SourceIndex {
  units: Map<string, UnitSources>;
  /**
   * The units this index reports for; undefined for all of them. A large workspace is resolved
   * in batches (see buildRustModel): each batch's index holds some units and everything they
   * depend on, and the dependencies are there only for what their library code does on behalf
   * of the focus units. They report nothing of their own; their own batch does.
   */
  focus?: ReadonlySet<string>;
}

/** Whether the resolvers report for `unit` in this index. */
export function inFocus(index: SourceIndex, unit: string): boolean {
  return index.focus === undefined || index.focus.has(unit);
}

/** Whether the resolvers read `file` at all: every file of a focus unit, and lib targets focus units may call into. */
export function readsFile(index: SourceIndex, sources: UnitSources, file: SourceFile): boolean {
  return inFocus(index, sources.unit.name) || runsInCallers(file);
}

/** A fact's scope: test when the file is test code or the fact sits in test code. */
export function scopeOf(file: SourceFile, fact: { test: boolean }): Scope {
  return file.compiled.scope === 'test' || fact.test ? 'test' : 'prod';
}

/** `db-pool` -> `db_pool`: how Rust code names a crate. */
export function crateIdent(packageName: string): string {
  return packageName.replace(/-/g, '_');
}

export function buildSourceIndex(units: readonly Unit[], edges: readonly Edge[], compiled: readonly SourceFile[], focus?: ReadonlySet<string>): SourceIndex {
  const index: SourceIndex = { units: new Map(), ...(focus ? { focus } : {}) };
  for (const unit of units) {
    index.units.set(unit.name, {
      unit,
      files: [],
      crateNames: new Map(),
      externalCrates: new Set(unit.externalDependencies.map((d) => d.name)),
    });
  }
  for (const edge of edges) {
    if (edge.kind !== 'crate' && edge.kind !== 'crate-dev' && edge.kind !== 'crate-build') continue;
    const sources = index.units.get(edge.from);
    const target = index.units.get(edge.to);
    if (!sources || !target) continue;
    // The manifest key is the name in code; without a rename it is the package name.
    const packageName = target.unit.name.split('@')[0]!;
    sources.crateNames.set(crateIdent(edge.rename ?? packageName), edge.to);
  }
  for (const file of compiled) index.units.get(file.compiled.unit)?.files.push(file);
  return index;
}

const NO_LETS: readonly LetFact[] = [];
const letsByFnCache = new WeakMap<RustFileFacts, Map<number, LetFact[]>>();

/**
 * The `let` bindings of function `fn` in `file`, in file order. Grouped once per file: resolvers
 * look bindings up per call site, and scanning all of a file's lets each time was
 * O(sites x lets).
 */
export function letsIn(file: SourceFile, fn: number): readonly LetFact[] {
  let byFn = letsByFnCache.get(file.facts);
  if (byFn === undefined) {
    byFn = new Map();
    for (const binding of file.facts.lets) {
      const list = byFn.get(binding.fn);
      if (list === undefined) byFn.set(binding.fn, [binding]);
      else list.push(binding);
    }
    letsByFnCache.set(file.facts, byFn);
  }
  return byFn.get(fn) ?? NO_LETS;
}

/** Identifiers and strings of a fn-local `let` initialiser, followed one level through other lets. */
export function expandThroughLets(file: SourceFile, fn: number, summary: ExpressionSummary, depth = 2): ExpressionSummary {
  const idents = [...summary.idents];
  const strings = [...summary.strings];
  if (fn < 0 || depth === 0) return { idents, strings };
  for (const name of summary.idents) {
    for (const binding of letsIn(file, fn)) {
      if (binding.name !== name) continue;
      const inner = expandThroughLets(file, fn, binding.init, depth - 1);
      idents.push(...inner.idents, ...binding.typeIdents);
      strings.push(...inner.strings);
    }
  }
  return { idents, strings };
}

/** The function a fact sits in, or undefined at module level. */
export function enclosingFn(file: SourceFile, fn: number): FnFact | undefined {
  return fn >= 0 ? file.facts.fns[fn] : undefined;
}

/** Trailing receiver steps that do not change which object a method is called on. */
const TRANSPARENT_STEPS = new Set(['?', 'await', 'clone()', 'unwrap()', 'expect()', 'lock()', 'read()', 'write()', 'as_ref()', 'as_mut()', 'borrow()', 'borrow_mut()', 'get_mut()', 'get_ref()', 'inner()', 'into_inner()', 'deref()', '[]']);

/** The receiver step that names the object: `['self', 'pool', 'feed()', 'await', '?']` gives `feed()`. */
export function significantReceiver(receiver: readonly string[]): string | undefined {
  for (let i = receiver.length - 1; i >= 0; i--) {
    if (!TRANSPARENT_STEPS.has(receiver[i]!)) return receiver[i];
  }
  return undefined;
}

export function sameLocation(a: Location, b: Location): boolean {
  return a.file === b.file && a.line === b.line && a.column === b.column;
}

/**
 * Code that runs inside its callers: a library's `lib` target. A library's tests, benches,
 * examples, binaries and build script are programs of their own, so their calls are the unit's.
 */
export function isLibraryCode(sources: UnitSources, file: SourceFile): boolean {
  return sources.unit.kind === 'library' && runsInCallers(file);
}

/**
 * Code that runs inside the units that call it: any unit's `lib` target. For a library that is
 * all it is (`isLibraryCode`). A service's lib target is the service's own code as well, and
 * when another unit depends on the service crate and calls it, it runs in that unit's process
 * too (AppFlowy's appflowy-cloud calls appflowy-collaborate's storage functions).
 */
export function runsInCallers(file: SourceFile): boolean {
  return file.compiled.root === 'lib';
}
