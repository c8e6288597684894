import path from 'node:path';
import type { ConstFact, LetFact, StringExpr } from '../../scan/rust/facts.js';
import type { Datastore, Diagnostic, Location, Scope } from '../types.js';
import { inFocus, isLibraryCode, letsIn, readsFile, scopeOf, significantReceiver, type SourceFile, type SourceIndex, type UnitSources } from './source-index.js';

const posix = path.posix;

/** Stands for a value only known at run time; an identifier, so the statement still parses. */
export const DYNAMIC_PLACEHOLDER = 'boundary_lint_runtime_value';

/** A statement found in Rust code, with its text as far as it can be resolved. */
export interface SqlSite {
  unit: string;
  file: SourceFile;
  /** Enclosing function (index in the file's facts), for crediting library functions. */
  fn: number;
  /** How the code runs it: `sqlx::query!`, `QueryBuilder`, `execute`, ... */
  sink: string;
  /** The statement text; runtime parts are `DYNAMIC_PLACEHOLDER`. */
  sql: string;
  /** Where the statement is: its first string literal (or the included file). */
  location: Location;
  /** For `include_str!` and `query_file!`: the statement's text comes from this file. */
  sourceFile?: string;
  dynamic: boolean;
  scope: Scope;
  datastore: Datastore;
  /** The site lies in a library's lib target: its accesses are credited to callers. */
  inLibraryCode: boolean;
}

/** Reads another repository file (for include_str!, query_file!); undefined when unreadable. */
export type TextReader = (file: string) => string | undefined;

const SQLX_MACROS = new Map<string, { sqlArg: number; file?: true }>(Object.entries({
  query: { sqlArg: 0 },
  query_unchecked: { sqlArg: 0 },
  query_scalar: { sqlArg: 0 },
  query_scalar_unchecked: { sqlArg: 0 },
  query_as: { sqlArg: 1 },
  query_as_unchecked: { sqlArg: 1 },
  query_file: { sqlArg: 0, file: true },
  query_file_unchecked: { sqlArg: 0, file: true },
  query_file_scalar: { sqlArg: 0, file: true },
  query_file_as: { sqlArg: 1, file: true },
  query_file_as_unchecked: { sqlArg: 1, file: true },
}));

/** Functions that take the SQL as their first argument. */
const SQL_FUNCTIONS = new Set(['query', 'query_as', 'query_scalar', 'query_with', 'query_as_with', 'query_scalar_with', 'raw_sql', 'sql_query']);

/** Methods that run a statement given as their first argument (sqlx executors, tokio-postgres, clickhouse). */
const SQL_METHODS = new Set([
  'execute', 'fetch_all', 'fetch_one', 'fetch_optional', 'fetch', 'fetch_many',
  'query', 'query_one', 'query_opt', 'query_raw', 'prepare', 'prepare_cached', 'simple_query', 'batch_execute',
]);

const SQL_START = /^\s*(?:\(\s*)*(select|insert|update|delete|with|create|alter|drop|truncate|merge|copy|upsert|replace|grant|revoke|comment|vacuum|analyze|refresh|optimize|exchange|rename|attach|detach|system)\b/i;

/** Whether a text looks like a whole SQL statement (not a log message that mentions one). */
export function looksLikeSql(text: string): boolean {
  // A file run at start-up often opens with comments: look past them.
  text = text.replace(/^(\s*(--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/))*/, '');
  if (!SQL_START.test(text)) return false;
  // "delete failed for user" is prose: a statement has SQL structure after its verb.
  return /\b(from|into|set|table|index|view|values|where|join|select|on|as|database|schema|exists|to|by)\b/i.test(text) || /^\s*truncate\b/i.test(text);
}

/** Whether `a` starts before `b` in the same file. */
function startsBefore(a: Location, b: Location): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}

/** Whether a `let` initialiser spans `at` (`let query = sqlx::query_with(&query, ..)` names the previous `query`). */
function initialiserSpans(binding: LetFact, at: Location): boolean {
  const parts = binding.init.expressions?.() ?? [];
  const last = parts[parts.length - 1];
  if (!last) return false;
  const end = { file: last.location.file, line: last.location.endLine ?? last.location.line, column: last.location.endColumn ?? last.location.column };
  return !startsBefore(end, at);
}

/**
 * What stands for a runtime value in a statement, by the text around it: `${}` is a parameter
 * number, a runtime `SET {}` list is an assignment and `VALUES {}` a row, so the statement still
 * parses; anywhere else an identifier.
 */
function runtimeHole(before: string, after: string): string {
  if (/\$$/.test(before)) return '1';
  // An optional clause between a complete condition and the next clause (`= $1 {cursor} ORDER BY`):
  // leaving it out keeps the statement's shape.
  if (/(\$\d+|\w|\)|')\s*$/.test(before) && !/(\b(WHERE|AND|OR|ON|SET|FROM|JOIN|INTO|UPDATE|TABLE|BY|VALUES|SELECT|IN|NOT|LIKE|ILIKE|IS|ANY|ALL|EXISTS|WITH|AS|BETWEEN|CASE|WHEN|THEN|ELSE|RETURNING|LIMIT|OFFSET|USING|HAVING|DISTINCT)|[=<>+\-*/,(])\s*$/i.test(before) && /^\s*(ORDER|GROUP|LIMIT|OFFSET|HAVING|RETURNING|UNION|WINDOW|FOR|;|$)/i.test(after)) return '';
  if (/\bSET\s*$/i.test(before) && !/^\s*=/.test(after)) return `${DYNAMIC_PLACEHOLDER} = NULL`;
  if (/\bVALUES\s*$/i.test(before) && !/^\s*\(/.test(after)) return `(${DYNAMIC_PLACEHOLDER})`;
  return DYNAMIC_PLACEHOLDER;
}

interface Resolved {
  text: string;
  dynamic: boolean;
  /** Location of the first literal part, the statement's evidence. */
  location?: Location;
  sourceFile?: string;
  unresolved?: string;
}

/** Type names that say which driver a handle belongs to. */
const DRIVER_TYPES = new Set(['SqlitePool', 'SqliteConnection', 'Sqlite', 'MySqlPool', 'MySqlConnection', 'MySql', 'PgPool', 'PgConnection', 'Postgres', 'PgExecutor', 'clickhouse']);

/** Datastore by receiver types and crate dependencies; PostgreSQL unless something says otherwise. */
/** Driver types named by the struct fields of a unit's files, computed once per unit (many sites ask). */
const fieldDriverTypesByUnit = new WeakMap<UnitSources, ReadonlySet<string>>();
function fieldDriverTypes(sources: UnitSources): ReadonlySet<string> {
  let types = fieldDriverTypesByUnit.get(sources);
  if (types === undefined) {
    const found = new Set<string>();
    for (const other of sources.files) for (const field of other.facts.fields) for (const i of field.typeIdents) if (DRIVER_TYPES.has(i)) found.add(i);
    types = found;
    fieldDriverTypesByUnit.set(sources, types);
  }
  return types;
}

function datastoreOf(sources: UnitSources, file: SourceFile, fn: number, receiver: readonly string[], sql: string, sink: string): Datastore {
  if (/\bENGINE\s*=\s*\w*MergeTree|\bFORMAT\s+JSONEachRow\b|\bLIMIT\s+\d+\s+BY\b|\bEXCHANGE\s+TABLES\b|\bINTERVAL\s+\d+\s+(DAY|HOUR|MINUTE|MONTH)\b/i.test(sql)) {
    return 'clickhouse';
  }
  const idents = new Set<string>();
  const step = significantReceiver(receiver);
  const fact = fn >= 0 ? file.facts.fns[fn] : undefined;
  if (step !== undefined) {
    for (const binding of letsIn(file, fn)) if (binding.name === step) for (const i of [...binding.typeIdents, ...binding.init.idents]) idents.add(i);
    for (const field of file.facts.fields) if (field.name === step) for (const i of field.typeIdents) idents.add(i);
    if (fact?.paramIdents.includes(step)) for (const i of fact.paramIdents) idents.add(i);
  } else if (fact) {
    // `sqlx::query(..).fetch_all(pool)`: the executor comes later in the chain; the function's
    // parameter and local types say which pool it is.
    for (const i of fact.paramIdents) idents.add(i);
    for (const binding of letsIn(file, fn)) for (const i of binding.typeIdents) idents.add(i);
  }
  if (![...idents].some((i) => DRIVER_TYPES.has(i))) {
    // Still nothing: the pool types the unit's structs hold.
    for (const i of fieldDriverTypes(sources)) idents.add(i);
  }
  const has = (...names: string[]): boolean => names.some((n) => idents.has(n));
  if (has('SqlitePool', 'SqliteConnection', 'Sqlite', 'rusqlite', 'Connection') && sources.externalCrates.has('rusqlite')) return 'sqlite';
  if (has('SqlitePool', 'SqliteConnection', 'Sqlite')) return 'sqlite';
  if (has('MySqlPool', 'MySqlConnection', 'MySql')) return 'mysql';
  // sqlx has no ClickHouse driver, so its macros, functions and QueryBuilder never run ClickHouse SQL.
  const sqlxSink = sink.startsWith('sqlx') || sink === 'QueryBuilder' || SQL_FUNCTIONS.has(sink);
  if (!sqlxSink && (has('clickhouse') || (sources.externalCrates.has('clickhouse') && !sources.externalCrates.has('sqlx') && !sources.externalCrates.has('tokio-postgres')))) return 'clickhouse';
  if (has('PgPool', 'PgConnection', 'Postgres', 'PgExecutor', 'tokio_postgres')) return 'postgres';
  if (sources.externalCrates.has('rusqlite') && !sources.externalCrates.has('sqlx')) return 'sqlite';
  return 'postgres';
}

/**
 * Finds every statement a unit runs: sqlx macros and functions, QueryBuilder, executor methods
 * given a string, tokio-postgres and diesel calls. The SQL may be a literal, a const in any module
 * of the unit (or of a crate it depends on), `concat!`, `include_str!`, `format!` (runtime
 * arguments become a placeholder), `.replace(..)` templates, or a local `String` built with
 * `push_str`. Only strings that reach a sink count, so log messages never do.
 */
export function findSqlSites(index: SourceIndex, readText: TextReader): { sites: SqlSite[]; diagnostics: Diagnostic[] } {
  const sites: SqlSite[] = [];
  const diagnostics: Diagnostic[] = [];
  // Consts by unit, then by name (in file order): SQL refers to them by name, site after site.
  const constsByUnit: ConstsByUnit = new Map();
  for (const sources of index.units.values()) {
    const byName = new Map<string, { fact: ConstFact; file: SourceFile }[]>();
    for (const file of sources.files) {
      for (const fact of file.facts.consts) {
        const list = byName.get(fact.name);
        if (list === undefined) byName.set(fact.name, [{ fact, file }]);
        else list.push({ fact, file });
      }
    }
    constsByUnit.set(sources.unit.name, byName);
  }

  for (const sources of index.units.values()) {
    const usesSql = ['sqlx', 'tokio-postgres', 'postgres', 'diesel', 'rusqlite', 'clickhouse', 'deadpool-postgres', 'sqlx-core'].some((c) => sources.externalCrates.has(c));
    if (!usesSql) continue;
    const reports = inFocus(index, sources.unit.name);
    for (const file of sources.files) {
      if (!readsFile(index, sources, file)) continue;
      const resolver = new ExprResolver(index, sources, file, constsByUnit, readText);
      const seen = new Set<string>();
      /**
       * `requireSqlShape`: the sink may run other things (an executor method), so only text that
       * looks like a statement counts. `certainSink`: the sink always runs SQL (a sqlx macro or
       * function), so text it cannot resolve is reported.
       */
      const push = (sink: string, fn: number, expr: StringExpr, receiver: readonly string[], test: boolean, fallbackLocation: Location, requireSqlShape: boolean, certainSink = !requireSqlShape): void => {
        const resolved = resolver.resolve(expr, fn, 0);
        if (resolved.unresolved !== undefined) {
          if (certainSink && reports) {
            diagnostics.push({
              severity: 'info',
              code: 'sql-unresolved',
              message: `cannot tell which statement \`${sink}\` runs: ${resolved.unresolved}; its tables are unknown`,
              location: fallbackLocation,
            });
          }
          return;
        }
        if (requireSqlShape && !looksLikeSql(resolved.text)) return;
        const location = resolved.location ?? fallbackLocation;
        const scope = scopeOf(file, { test });
        // Two sinks of one function running the same text (an if/else over one `query`) are one statement.
        const key = `${fn}\u0000${location.file}:${location.line}:${location.column}\u0000${scope}\u0000${resolved.text}`;
        if (seen.has(key)) return;
        seen.add(key);
        sites.push({
          unit: sources.unit.name,
          file,
          fn,
          sink,
          sql: resolved.text,
          location,
          ...(resolved.sourceFile ? { sourceFile: resolved.sourceFile } : {}),
          dynamic: resolved.dynamic,
          scope,
          datastore: datastoreOf(sources, file, fn, receiver, resolved.text, sink),
          inLibraryCode: isLibraryCode(sources, file),
        });
      };
      const { facts } = file;
      for (const macro of facts.macros) {
        const spec = SQLX_MACROS.get(macro.name);
        if (!spec || (macro.segments.length > 1 && macro.segments[0] !== 'sqlx')) continue;
        const expr = macro.args.expressions?.()[spec.sqlArg];
        if (!expr) continue;
        const sink = `sqlx::${macro.name}!`;
        if (spec.file) {
          if (expr.kind !== 'literal') continue;
          // query_file! paths are relative to the crate root (CARGO_MANIFEST_DIR).
          const target = posix.normalize(sources.unit.path === '.' ? expr.value : posix.join(sources.unit.path, expr.value));
          push(sink, macro.fn, { kind: 'include', path: `/${target}`, location: expr.location }, [], macro.test, macro.location, false);
          continue;
        }
        push(sink, macro.fn, expr, [], macro.test, macro.location, false);
      }
      for (const call of facts.paths) {
        if (!call.call || !call.args) continue;
        const last = call.segments[call.segments.length - 1]!;
        const isBuilder = last === 'new' && call.segments[call.segments.length - 2] === 'QueryBuilder';
        if (!isBuilder && !SQL_FUNCTIONS.has(last)) continue;
        if (!isBuilder && !(call.segments.includes('sqlx') || call.segments.includes('diesel') || last === 'sql_query' || last === 'raw_sql')) continue;
        const expr = call.args.expressions?.()[0];
        if (!expr) continue;
        if (isBuilder) {
          push('QueryBuilder', call.fn, resolver.withBuilderPushes(expr, call), [], call.test, call.location, false);
        } else {
          push(`${call.segments.join('::')}`, call.fn, expr, [], call.test, call.location, true, true);
        }
      }
      for (const call of facts.calls) {
        if (!SQL_FUNCTIONS.has(call.name)) continue;
        const imported = facts.uses.some((u) => (u.segments[0] === 'sqlx' || u.segments[0] === 'diesel') && (u.segments[u.segments.length - 1] === call.name || u.glob));
        if (!imported) continue;
        const expr = call.args.expressions?.()[0];
        if (expr) push(call.name, call.fn, expr, [], call.test, call.location, true, true);
      }
      for (const call of facts.methodCalls) {
        if (!SQL_METHODS.has(call.name)) continue;
        const expr = call.args.expressions?.()[0];
        if (!expr) continue;
        push(`.${call.name}`, call.fn, expr, call.receiver, call.test, call.location, true);
      }
    }
  }
  return { sites, diagnostics };
}

/** Unit -> const name -> the consts of that name, in file order. */
type ConstsByUnit = Map<string, Map<string, { fact: ConstFact; file: SourceFile }[]>>;

/** Turns a StringExpr into text, following consts, locals, includes and templates. */
class ExprResolver {
  constructor(
    private readonly index: SourceIndex,
    private readonly sources: UnitSources,
    private readonly file: SourceFile,
    private readonly consts: ConstsByUnit,
    private readonly readText: TextReader,
  ) {}

  resolve(expr: StringExpr, fn: number, depth: number): Resolved {
    if (depth > 8) return { text: '', dynamic: true, unresolved: 'too many indirections' };
    switch (expr.kind) {
      case 'literal':
        return { text: expr.value, dynamic: false, location: expr.location };
      case 'concat': {
        const parts = expr.parts.map((p) => this.resolve(p, fn, depth + 1));
        const failed = parts.find((p) => p.unresolved !== undefined);
        if (failed) return failed;
        return {
          text: parts.map((p) => p.text).join(''),
          dynamic: parts.some((p) => p.dynamic),
          location: parts.find((p) => p.location)?.location,
        };
      }
      case 'include': {
        // include_str! is relative to the including file; query_file! paths arrive absolute (`/..`).
        const target = expr.path.startsWith('/') ? expr.path.slice(1) : posix.normalize(posix.join(posix.dirname(this.file.compiled.file), expr.path));
        const text = this.readText(target);
        if (text === undefined) return { text: '', dynamic: false, unresolved: `${target} cannot be read` };
        return { text, dynamic: false, location: { file: target, line: 1, column: 1 }, sourceFile: target };
      }
      case 'format': {
        const template = this.resolve(expr.template, fn, depth + 1);
        if (template.unresolved !== undefined) return template;
        let dynamic = template.dynamic;
        let position = 0;
        const text = template.text.replace(/\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*|\d*)(?::[^}]*)?\}/g, (whole: string, name: string | undefined, offset: number, all: string) => {
          if (whole === '{{') return '{';
          if (whole === '}}') return '}';
          let arg: StringExpr | undefined;
          if (name === undefined || name === '') arg = expr.args[position++];
          else if (/^\d+$/.test(name)) arg = expr.args[Number(name)];
          else arg = expr.named[name] ?? { kind: 'ref', segments: [name], location: expr.location };
          const value = arg ? this.resolve(arg, fn, depth + 1) : undefined;
          if (!value || value.unresolved !== undefined) {
            dynamic = true;
            return runtimeHole(all.slice(0, offset), all.slice(offset + whole.length));
          }
          dynamic ||= value.dynamic;
          return value.text;
        });
        return { text, dynamic, location: template.location };
      }
      case 'replace': {
        const base = this.resolve(expr.base, fn, depth + 1);
        if (base.unresolved !== undefined) return base;
        const from = this.resolve(expr.from, fn, depth + 1);
        if (from.unresolved !== undefined || from.dynamic) return { ...base, dynamic: true };
        const to = this.resolve(expr.to, fn, depth + 1);
        const replacement = to.unresolved !== undefined ? DYNAMIC_PLACEHOLDER : to.text;
        return { text: base.text.split(from.text).join(replacement), dynamic: base.dynamic || to.dynamic || to.unresolved !== undefined, location: base.location };
      }
      case 'ref':
        return this.resolveRef(expr.segments, fn, depth, expr.location);
      case 'unknown':
        return { text: '', dynamic: true, unresolved: `\`${expr.text.length > 60 ? `${expr.text.slice(0, 57)}...` : expr.text}\` is computed at run time` };
    }
  }

  private resolveRef(segments: readonly string[], fn: number, depth: number, at?: Location): Resolved {
    const name = segments[segments.length - 1]!;
    // A local: `let sql = ...;` plus `sql.push_str(..)` in the same function. With shadowing, the
    // binding in effect where the name is used: the last one before it whose initialiser does not
    // hold the use itself.
    if (segments.length === 1 && fn >= 0) {
      const bindings = letsIn(this.file, fn).filter((l) => l.name === name);
      const inEffect = at && at.file === this.file.compiled.file ? [...bindings].reverse().find((l) => startsBefore(l.location, at) && !initialiserSpans(l, at)) : undefined;
      const binding = inEffect ?? bindings[bindings.length - 1];
      if (binding) {
        const init = binding.init.expressions?.()[0];
        if (!init) return { text: '', dynamic: true, unresolved: `\`${name}\` has no initialiser` };
        const base = this.resolve(init, fn, depth + 1);
        if (base.unresolved !== undefined) return base;
        let text = base.text;
        let dynamic = base.dynamic;
        for (const call of this.file.facts.methodCalls) {
          if (call.fn !== fn || call.name !== 'push_str' || call.receiver.length !== 1 || call.receiver[0] !== name) continue;
          const piece = call.args.expressions?.()[0];
          const value = piece ? this.resolve(piece, fn, depth + 1) : undefined;
          if (!value || value.unresolved !== undefined) {
            text += ` ${runtimeHole(text, '')} `;
            dynamic = true;
          } else {
            text += value.text;
            dynamic ||= value.dynamic;
          }
        }
        return { ...base, text, dynamic };
      }
      const fact = this.file.facts.fns[fn];
      if (fact?.paramIdents.includes(name)) return { text: '', dynamic: true, unresolved: `\`${name}\` is a parameter` };
    }
    // A const or static: in this unit, or in a crate it depends on (`db::queries::GET_USER`).
    const candidates: { fact: ConstFact; file: SourceFile }[] = [];
    const dependency = segments.length > 1 ? this.sources.crateNames.get(segments[0]!) : undefined;
    const units = dependency ? [dependency] : [this.sources.unit.name];
    for (const unit of units) for (const entry of this.consts.get(unit)?.get(name) ?? []) candidates.push(entry);
    const sameFile = candidates.find((c) => c.file === this.file);
    const chosen = sameFile ?? candidates[0];
    if (!chosen) return { text: '', dynamic: true, unresolved: `\`${segments.join('::')}\` is not a string const found in ${units.join(', ')}` };
    if (chosen.fact.value !== undefined) {
      return { text: chosen.fact.value, dynamic: false, location: chosen.fact.init.strings[0]?.location ?? chosen.fact.location };
    }
    const init = chosen.fact.init.expressions?.()[0];
    if (!init) return { text: '', dynamic: true, unresolved: `\`${name}\` has no value` };
    return new ExprResolver(this.index, this.index.units.get(chosen.file.compiled.unit) ?? this.sources, chosen.file, this.consts, this.readText).resolve(init, -1, depth + 1);
  }

  /** A QueryBuilder's text: `new(..)` plus every `.push(..)` on the same variable in the function. */
  withBuilderPushes(initial: StringExpr, call: { fn: number; location: Location }): StringExpr {
    const binding = letsIn(this.file, call.fn).find((l) => l.location.line === call.location.line);
    if (!binding) return initial;
    const parts: StringExpr[] = [initial];
    for (const push of this.file.facts.methodCalls) {
      if (push.fn !== call.fn || push.receiver[0] !== binding.name) continue;
      if (push.name !== 'push' && push.name !== 'push_bind' && push.name !== 'separated') continue;
      if (push.name === 'push') {
        const piece = push.args.expressions?.()[0];
        parts.push(piece ?? { kind: 'unknown', text: 'push', location: push.location });
      } else {
        parts.push({ kind: 'literal', value: ' $1 ', location: push.location });
      }
    }
    return { kind: 'concat', parts: parts.map((p) => (p.kind === 'unknown' ? { kind: 'literal' as const, value: ` ${DYNAMIC_PLACEHOLDER} `, location: p.location } : p)), location: initial.location };
  }
}
