import { setFlagsFromString } from 'node:v8';
import { extractTablesByTokens, tableName, type SqlDialect, type StatementKind } from './fallback.js';
import { skipSqlLiteral, splitSqlStatements } from './split.js';
import { webAssembly } from '../../util/webassembly.js';

export type { SqlDialect, StatementKind } from './fallback.js';

/** What one SQL statement does to which tables. Lists are sorted, without duplicates and without CTE names. */
export interface StatementAnalysis {
  kind: StatementKind;
  /** Tables read: FROM, JOIN, subqueries, `UPDATE .. FROM`, `DELETE .. USING`, `MERGE .. USING`. */
  reads: readonly string[];
  /** Tables whose rows change: INSERT/UPDATE/DELETE/TRUNCATE/MERGE targets, data-modifying CTEs included. */
  writes: readonly string[];
  /** Tables (and views) created, altered, dropped, indexed or given a trigger or policy. */
  ddl: readonly string[];
  /** True when the lists may be wrong or incomplete: they come from the token fallback, or a function body uses dynamic EXECUTE or does not compile. */
  uncertain: boolean;
  parser: 'libpg-query' | 'fallback';
  /** PostgreSQL rejected the statement: the parser's message and the UTF-16 offset in `sql`. */
  error?: { message: string; offset: number };
}

/** Statement analysis with a loaded parser and a cache by dialect and statement text. */
export interface StatementAnalyzer {
  analyzeStatement(sql: string, dialect: SqlDialect): StatementAnalysis;
}

/** Analyses by dialect and statement text: what an analyzer was asked, or what an earlier run stored. */
export type AnalysisStore = Map<SqlDialect, Map<string, StatementAnalysis>>;

/** An analyzer that also tells which analyses it handed out. */
export interface RecordingAnalyzer extends StatementAnalyzer {
  /** Every statement asked for since the analyzer was made, with its analysis. */
  used(): AnalysisStore;
}

/** An analyzer answering from stored analyses only, without a parser. */
export interface StoredAnalyzer extends RecordingAnalyzer {
  /** Statements asked for that the store did not hold; they were answered by the token fallback. */
  readonly misses: number;
}

type ParseSync = (sql: string) => { stmts?: { stmt?: unknown }[] };

/** libpg-query's entry points: the SQL grammar, and the PL/pgSQL compiler for function and DO bodies. */
export interface PostgresParser {
  parse: ParseSync;
  parsePlPgSQL?: (sql: string) => unknown;
}

/**
 * Loads the PostgreSQL grammar (libpg-query, WASM read from its own package directory, no
 * network) and returns an analyzer. Loading takes tens of milliseconds, so it is done once per
 * run and only when there is SQL to analyse.
 */
export async function loadStatementAnalyzer(known?: AnalysisStore): Promise<RecordingAnalyzer> {
  // Baseline (Liftoff) code only: optimising the 1.7 MB module in the background costs ~250 ms
  // of CPU on the core the scan's GC and JIT need, and parsing a run's statements never gains
  // it back (docs/benchmarks.md, third session). V8 reads the flag when the module compiles.
  setFlagsFromString('--liftoff-only');
  webAssembly(); // a clear error, before libpg-query fails on a missing global
  const pg = await import('libpg-query');
  await pg.loadModule();
  return createStatementAnalyzer({ parse: pg.parseSync as ParseSync, parsePlPgSQL: pg.parsePlPgSQLSync }, known);
}

/**
 * An analyzer over given PostgreSQL parse functions (libpg-query's `parseSync` and
 * `parsePlPgSQLSync`). Analyses in `known` (an earlier run's, for the same build of the tool)
 * are taken as they are, without parsing again.
 */
export function createStatementAnalyzer(parser: PostgresParser, known?: AnalysisStore): RecordingAnalyzer {
  return recordingAnalyzer((sql, dialect) => known?.get(dialect)?.get(sql) ?? analyzeUncached(parser, sql, dialect));
}

/**
 * An analyzer that answers from `known` alone, so that a run whose statements were all analysed
 * before need not load the parser. A statement it does not know is counted in `misses` and
 * answered by the token fallback; a caller seeing misses analyses again with the parser.
 */
export function createStoredAnalyzer(known: AnalysisStore): StoredAnalyzer {
  let misses = 0;
  const analyzer = recordingAnalyzer((sql, dialect) => {
    const analysis = known.get(dialect)?.get(sql);
    if (analysis !== undefined) return analysis;
    misses++;
    return fallback(sql, dialect, undefined);
  });
  return {
    ...analyzer,
    get misses() {
      return misses;
    },
  };
}

/** Caches `analyze` by dialect and text, and remembers what was asked. */
function recordingAnalyzer(analyze: (sql: string, dialect: SqlDialect) => StatementAnalysis): RecordingAnalyzer {
  // One map per dialect, keyed by the text itself: no key string to build (and hash) per lookup.
  const asked: AnalysisStore = new Map();
  return {
    analyzeStatement(sql, dialect) {
      let cache = asked.get(dialect);
      if (cache === undefined) asked.set(dialect, (cache = new Map()));
      let analysis = cache.get(sql);
      if (analysis === undefined) {
        analysis = analyze(sql, dialect);
        cache.set(sql, analysis);
      }
      return analysis;
    },
    used: () => asked,
  };
}

function analyzeUncached(parser: PostgresParser, sql: string, dialect: SqlDialect): StatementAnalysis {
  // ClickHouse and MySQL differ from PostgreSQL in identifier case and quoting, so a PostgreSQL
  // parse of their text could name the wrong tables even when it succeeds.
  if (dialect === 'clickhouse' || dialect === 'mysql') return fallback(sql, dialect, undefined);
  const prepared = translatePlaceholders(sql, dialect);
  let tree: ReturnType<ParseSync>;
  try {
    tree = parser.parse(prepared.text);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const details = typeof cause === 'object' && cause !== null ? (cause as { sqlDetails?: { cursorPosition?: number } }).sqlDetails : undefined;
    const offset = prepared.toOriginal(codePointToUtf16(prepared.text, details?.cursorPosition ?? 0));
    return fallback(sql, dialect, dialect === 'postgres' ? { message, offset } : undefined);
  }
  return extractFromTree(parser, tree, prepared.text);
}

function fallback(sql: string, dialect: SqlDialect, error: StatementAnalysis['error']): StatementAnalysis {
  const extraction = extractTablesByTokens(sql, dialect);
  const analysis: StatementAnalysis = { ...extraction, uncertain: true, parser: 'fallback' };
  if (error) analysis.error = error;
  return analysis;
}

/** libpg_query reports positions in code points; JavaScript strings index UTF-16 units. */
function codePointToUtf16(text: string, codePoints: number): number {
  let offset = 0;
  for (let seen = 0; seen < codePoints && offset < text.length; seen++) {
    const code = text.charCodeAt(offset);
    offset += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
  }
  return offset;
}

interface Translation {
  text: string;
  toOriginal(offset: number): number;
}

/** `A-Z`, `a-z` or `_`: the first character of a placeholder name. */
function isNameStart(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x5f;
}

/** `A-Z`, `a-z`, `0-9` or `_`: the rest of a placeholder name. */
function isNamePart(code: number): boolean {
  return isNameStart(code) || (code >= 0x30 && code <= 0x39);
}

/** The characters at which skipSqlLiteral can find a comment, string, quoted name or dollar quote. */
function mayStartLiteral(code: number): boolean {
  return code === 0x2d /* - */ || code === 0x2f /* / */ || code === 0x27 /* ' */ || code === 0x22 /* " */ || code === 0x60 /* ` */ || code === 0x24 /* $ */;
}

const COLON = 0x3a;
const DOLLAR = 0x24;
/** The characters a SQLite placeholder starts with. */
const SQLITE_PLACEHOLDER = /[:?@$]/;

/**
 * Rewrites placeholders PostgreSQL does not know into `$1`: cornucopia's `:name` (and, for
 * SQLite, `?`, `?NNN`, `@name`, `$name`). `::` casts, strings, quoted names and comments
 * (cornucopia's `--!` annotations are comments) are left alone.
 */
export function translatePlaceholders(sql: string, dialect: SqlDialect): Translation {
  const sqlite = dialect === 'sqlite';
  // Most statements hold no placeholder candidate at all: no scan, no copy.
  if (sqlite ? !SQLITE_PLACEHOLDER.test(sql) : !sql.includes(':')) return { text: sql, toOriginal: (offset) => offset };
  const edits: { at: number; from: number; to: number }[] = [];
  let out = '';
  let last = 0;
  let i = 0;
  const length = sql.length;
  while (i < length) {
    const code = sql.charCodeAt(i);
    if (mayStartLiteral(code)) {
      const skipped = skipSqlLiteral(sql, i);
      if (skipped > i) {
        i = skipped;
        continue;
      }
    }
    let end = i;
    if (code === COLON && sql.charCodeAt(i - 1) !== COLON && isNameStart(sql.charCodeAt(i + 1))) {
      end = i + 1;
      while (end < length && isNamePart(sql.charCodeAt(end))) end++;
    } else if (sqlite && (code === 0x3f /* ? */ || ((code === 0x40 /* @ */ || code === DOLLAR) && isNameStart(sql.charCodeAt(i + 1))))) {
      end = i + 1;
      while (end < length && isNamePart(sql.charCodeAt(end))) end++;
    } else if (isNamePart(code) || code === DOLLAR) {
      // Skip whole words so `a:b` inside an identifier-ish run and `x$y` are not split.
      end = i + 1;
      while (end < length && (isNamePart(sql.charCodeAt(end)) || sql.charCodeAt(end) === DOLLAR)) end++;
      i = end;
      continue;
    }
    if (end > i) {
      out += sql.slice(last, i) + '$1';
      edits.push({ at: out.length - 2, from: i, to: end });
      last = end;
      i = end;
      continue;
    }
    i++;
  }
  if (edits.length === 0) return { text: sql, toOriginal: (offset) => offset };
  out += sql.slice(last);
  return {
    text: out,
    toOriginal(offset) {
      let delta = 0;
      for (const edit of edits) {
        if (offset < edit.at) break;
        if (offset < edit.at + 2) return edit.from;
        delta = edit.to - (edit.at + 2);
      }
      return offset + delta;
    },
  };
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface RangeVarJson {
  schemaname?: string;
  relname?: string;
}

const TABLE_OBJECTS = new Set(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_FOREIGN_TABLE']);

const KINDS: Record<string, StatementKind> = {
  SelectStmt: 'select',
  InsertStmt: 'insert',
  UpdateStmt: 'update',
  DeleteStmt: 'delete',
  MergeStmt: 'merge',
  TruncateStmt: 'truncate',
  CopyStmt: 'copy',
  CreateStmt: 'create-table',
  CreateTableAsStmt: 'create-table',
  ViewStmt: 'create-view',
  IndexStmt: 'create-index',
  CreateFunctionStmt: 'create-function',
  CreateTrigStmt: 'create-trigger',
  AlterTableStmt: 'alter-table',
  RenameStmt: 'alter-table',
  DropStmt: 'drop',
};

/** Collects the tables of parse trees: one walk, with the CTE names in scope on a stack. */
class TableCollector {
  readonly reads = new Set<string>();
  readonly writes = new Set<string>();
  readonly ddl = new Set<string>();
  private readonly ctes: Set<string>[] = [];

  private name(rangeVar: unknown): string | undefined {
    if (!isObject(rangeVar)) return undefined;
    const { schemaname, relname } = rangeVar as RangeVarJson;
    if (relname === undefined) return undefined;
    if (schemaname === undefined && this.ctes.some((scope) => scope.has(relname))) return undefined;
    return tableName(schemaname === undefined ? [relname] : [schemaname, relname]);
  }

  /** Adds the tables of an inner analysis (a function body statement). */
  absorb(inner: { reads: readonly string[]; writes: readonly string[]; ddl: readonly string[] }): void {
    for (const name of inner.reads) this.reads.add(name);
    for (const name of inner.writes) this.writes.add(name);
    for (const name of inner.ddl) this.ddl.add(name);
  }

  private add(into: Set<string>, rangeVar: unknown): void {
    const name = this.name(rangeVar);
    if (name !== undefined) into.add(name);
  }

  /** A top-level statement: utility statements contribute only what they name; queries are walked. */
  statement(node: Json): void {
    const [type, body] = Object.entries(node)[0] ?? [];
    if (type === undefined || !isObject(body)) return;
    switch (type) {
      case 'CreateStmt':
        this.add(this.ddl, body.relation);
        // PARTITION OF / INHERITS parents change too; FOREIGN KEY targets are not read.
        for (const parent of (body.inhRelations as unknown[] | undefined) ?? []) if (isObject(parent)) this.add(this.ddl, parent.RangeVar);
        return;
      case 'CreateTableAsStmt':
        this.add(this.ddl, (body.into as Json | undefined)?.rel);
        this.walk(body.query);
        return;
      case 'ViewStmt':
        this.add(this.ddl, body.view);
        this.walk(body.query);
        return;
      case 'IndexStmt':
      case 'CreateTrigStmt':
        this.add(this.ddl, body.relation);
        return;
      case 'CreatePolicyStmt':
        this.add(this.ddl, body.table);
        return;
      case 'AlterTableStmt':
        if (TABLE_OBJECTS.has(String(body.objtype))) this.add(this.ddl, body.relation);
        return;
      case 'RenameStmt':
        if (TABLE_OBJECTS.has(String(body.renameType)) || TABLE_OBJECTS.has(String(body.relationType))) {
          this.add(this.ddl, body.relation);
          if (TABLE_OBJECTS.has(String(body.renameType)) && typeof body.newname === 'string') {
            const schema = (body.relation as RangeVarJson | undefined)?.schemaname;
            this.ddl.add(tableName(schema === undefined ? [body.newname] : [schema, body.newname]));
          }
        }
        return;
      case 'DropStmt':
        if (!TABLE_OBJECTS.has(String(body.removeType))) return;
        for (const object of (body.objects as unknown[] | undefined) ?? []) {
          const items = isObject(object) && isObject(object.List) ? (object.List.items as unknown[] | undefined) : undefined;
          const parts = (items ?? []).map((item) => (isObject(item) && isObject(item.String) ? String(item.String.sval) : ''));
          if (parts.length > 0 && parts.every((part) => part !== '')) this.ddl.add(tableName(parts));
        }
        return;
      case 'CopyStmt':
        this.add(body.is_from === true ? this.writes : this.reads, body.relation);
        this.walk(body.query);
        return;
      case 'CreateFunctionStmt':
        // BEGIN ATOMIC bodies arrive parsed; string bodies are handled by routineBodyTables.
        this.walk(body.sql_body);
        return;
      case 'ExplainStmt':
      case 'PrepareStmt':
      case 'DeclareCursorStmt':
        this.walk(body.query);
        return;
      case 'SelectStmt':
      case 'InsertStmt':
      case 'UpdateStmt':
      case 'DeleteStmt':
      case 'MergeStmt':
      case 'TruncateStmt':
        this.walk(node);
        return;
      default:
        // GRANT, COMMENT, CREATE FUNCTION, DO, SET, ...: names in them are not reads.
        return;
    }
  }

  /** Walks a query tree; RangeVar nodes are reads unless a statement node places them as targets. */
  walk(node: unknown): void {
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) {
      for (const item of node) this.walk(item);
      return;
    }
    // for..in rather than Object.entries: no array per node. Parse trees are plain JSON objects,
    // so it visits the same own keys; the order does not matter, the result sets are sorted.
    for (const key in node) {
      const child = (node as Json)[key];
      if (typeof child !== 'object' || child === null) continue;
      if (Array.isArray(child)) {
        this.walk(child);
        continue;
      }
      const value = child as Json;
      switch (key) {
        case 'RangeVar':
          this.add(this.reads, value);
          break;
        case 'SelectStmt':
        case 'InsertStmt':
        case 'UpdateStmt':
        case 'DeleteStmt':
        case 'MergeStmt':
          this.dml(key, value);
          break;
        case 'TruncateStmt':
          for (const item of (value.relations as unknown[] | undefined) ?? []) if (isObject(item)) this.add(this.writes, item.RangeVar);
          break;
        // Leaves: in PostgreSQL's parse nodes these hold only scalars, names (String) and `*`
        // (A_Star), never a relation or a subquery, so nothing below them can name a table.
        case 'String':
        case 'ColumnRef':
        case 'A_Const':
        case 'ParamRef':
          break;
        default:
          this.walk(value);
      }
    }
  }

  private dml(type: string, body: Json): void {
    const withClause = isObject(body.withClause) ? body.withClause : undefined;
    const scope = new Set<string>();
    for (const cte of (withClause?.ctes as unknown[] | undefined) ?? []) {
      if (isObject(cte) && isObject(cte.CommonTableExpr) && typeof cte.CommonTableExpr.ctename === 'string') scope.add(cte.CommonTableExpr.ctename);
    }
    this.ctes.push(scope);
    if (type !== 'SelectStmt') this.add(this.writes, body.relation);
    if (type === 'SelectStmt' && isObject(body.intoClause)) this.add(this.ddl, body.intoClause.rel);
    for (const key in body) {
      if (key === 'relation' || key === 'intoClause') continue;
      this.walk(body[key]);
    }
    this.ctes.pop();
  }
}

/** A string option of CREATE FUNCTION / DO (`language`, or the first string of `as`). */
function routineOption(options: unknown, name: string): string | undefined {
  for (const option of Array.isArray(options) ? options : []) {
    const def = isObject(option) && isObject(option.DefElem) ? option.DefElem : undefined;
    if (def?.defname !== name || !isObject(def.arg)) continue;
    if (isObject(def.arg.String)) return String(def.arg.String.sval);
    const items = isObject(def.arg.List) ? (def.arg.List.items as unknown[] | undefined) : undefined;
    const first = items?.[0];
    if (isObject(first) && isObject(first.String)) return String(first.String.sval);
  }
  return undefined;
}

function collectPlPgSqlQueries(node: unknown, queries: string[], dynamic: { found: boolean }): void {
  if (Array.isArray(node)) {
    for (const item of node) collectPlPgSqlQueries(item, queries, dynamic);
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'PLpgSQL_stmt_dynexecute' || key === 'PLpgSQL_stmt_dynfors') dynamic.found = true;
    if (key === 'PLpgSQL_expr' && isObject(value) && typeof value.query === 'string') {
      // parseMode 0 is a whole statement; the others are expressions (IF conditions, assignments).
      queries.push(value.parseMode === 0 || value.parseMode === undefined ? value.query : `SELECT ${value.query}`);
    } else collectPlPgSqlQueries(value, queries, dynamic);
  }
}

/**
 * Tables used by the bodies of CREATE FUNCTION and DO: SQL-language bodies are parsed as SQL,
 * PL/pgSQL bodies through libpg-query's PL/pgSQL compiler. Dynamic EXECUTE, or a body that does
 * not compile, makes the result uncertain.
 */
function routineBodyTables(parser: PostgresParser, type: string, body: Json, text: string, collector: TableCollector): boolean {
  const options = type === 'DoStmt' ? body.args : body.options;
  const language = (routineOption(options, 'language') ?? (type === 'DoStmt' ? 'plpgsql' : '')).toLowerCase();
  const source = routineOption(options, 'as');
  let queries: string[] = [];
  let uncertain = false;
  if (language === 'sql' && source !== undefined) {
    queries = splitSqlStatements(source).map((statement) => statement.text);
  } else if (language === 'plpgsql' && source !== undefined) {
    const dynamic = { found: false };
    try {
      if (!parser.parsePlPgSQL) throw new Error('no PL/pgSQL parser');
      collectPlPgSqlQueries(parser.parsePlPgSQL(text), queries, dynamic);
    } catch {
      collector.absorb(extractTablesByTokens(source, 'postgres'));
      return true;
    }
    uncertain = dynamic.found;
  }
  for (const query of queries) {
    try {
      const inner = extractFromTree(parser, parser.parse(query), query);
      collector.absorb(inner);
      uncertain ||= inner.uncertain;
    } catch {
      collector.absorb(extractTablesByTokens(query, 'postgres'));
      uncertain = true;
    }
  }
  return uncertain;
}

function extractFromTree(parser: PostgresParser, tree: ReturnType<ParseSync>, text: string): StatementAnalysis {
  const collector = new TableCollector();
  let kind: StatementKind | undefined;
  let uncertain = false;
  for (const { stmt } of tree.stmts ?? []) {
    if (!isObject(stmt)) continue;
    const type = Object.keys(stmt)[0] ?? '';
    let stmtKind = KINDS[type] ?? (type.startsWith('Create') ? 'create-other' : type.startsWith('Alter') ? 'alter-other' : 'other');
    if (type === 'CreateTableAsStmt' && isObject(stmt[type]) && stmt[type].objtype === 'OBJECT_MATVIEW') stmtKind = 'create-view';
    if (type === 'AlterTableStmt' && isObject(stmt[type]) && !TABLE_OBJECTS.has(String(stmt[type].objtype))) stmtKind = 'alter-other';
    kind ??= stmtKind;
    collector.statement(stmt);
    if ((type === 'CreateFunctionStmt' || type === 'DoStmt') && isObject(stmt[type])) {
      uncertain = routineBodyTables(parser, type, stmt[type], text, collector) || uncertain;
    }
  }
  const sorted = (set: Set<string>): string[] => [...set].sort();
  return {
    kind: kind ?? 'empty',
    reads: sorted(collector.reads),
    writes: sorted(collector.writes),
    ddl: sorted(collector.ddl),
    uncertain,
    parser: 'libpg-query',
  };
}
