import type { StatementAnalyzer } from '../../scan/sql/analyze.js';
import { splitSqlStatements } from '../../scan/sql/split.js';
import type { Datastore, Diagnostic, Location, Scope, TableAccess } from '../types.js';
import { compareLocations, compareStrings } from '../../util/location.js';
import { lineIndex } from '../../util/line-index.js';

/** A statement ready for analysis, wherever it was found (Rust code today). */
export interface StatementSite {
  unit: string;
  sql: string;
  location: Location;
  /** The statement text comes from this `.sql` file (include_str!, query_file!): locations are lines in it. */
  sourceFile?: string;
  dynamic: boolean;
  scope: Scope;
  datastore: Datastore;
  via?: TableAccess['via'];
  /**
   * Tables already known without SQL (a Prisma model method, a ClickHouse `insert({ table })`):
   * not parsed; `sql` is then a synthetic description such as `prisma.user.findMany`.
   */
  analysed?: { statementKind: string; reads: readonly string[]; writes: readonly string[] };
}

/** Which database a datastore's table lives in, given the config `databases` map. */
export type DatabaseResolver = (unit: string, datastore: Datastore) => string;

/** Placeholder identifiers the site resolver puts where a value is only known at run time. */
export interface TableAccessOptions {
  dynamicPlaceholder: string;
  databaseOf: DatabaseResolver;
}

/** Collapses whitespace so the same statement at another line or indentation compares equal. */
export function normalizeStatement(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim();
}

/** `users` in the default PostgreSQL database, `clickhouse:events`, `sqlite:auth-service:sessions`. */
export function tableId(database: string, table: string): string {
  return database === 'postgres' ? table : `${database}:${table}`;
}

/**
 * Table accesses of the given statements: each statement is split (a file run at start-up holds
 * many), parsed, and every table read, written or defined becomes one access at the statement's
 * location. A statement the parser rejects is an info diagnostic and its tables come from the
 * conservative fallback, marked uncertain; none is dropped silently.
 */
export function buildTableAccesses(
  sites: readonly StatementSite[],
  analyzer: StatementAnalyzer,
  options: TableAccessOptions,
): { accesses: TableAccess[]; diagnostics: Diagnostic[] } {
  const accesses: TableAccess[] = [];
  const diagnostics: Diagnostic[] = [];
  const reportedErrors = new Set<string>();
  // The same statement text recurs across sites (and is already hashed by the analyzer's cache).
  const normalizedTexts = new Map<string, string>();
  const normalized = (sql: string): string => {
    let text = normalizedTexts.get(sql);
    if (text === undefined) normalizedTexts.set(sql, (text = normalizeStatement(sql)));
    return text;
  };
  for (const site of sites) {
    if (site.analysed) {
      const { statementKind, reads, writes } = site.analysed;
      const database = options.databaseOf(site.unit, site.datastore);
      const base = { unit: site.unit, datastore: site.datastore, database, statementKind, scope: site.scope, dynamic: site.dynamic, uncertain: false, ...(site.via ? { via: site.via } : {}), location: site.location, statement: normalized(site.sql) };
      for (const table of writes) accesses.push({ ...base, table, op: 'write' });
      for (const table of reads) if (!writes.includes(table)) accesses.push({ ...base, table, op: 'read' });
      continue;
    }
    const statements = site.sourceFile !== undefined ? splitSqlStatements(site.sql) : [{ text: site.sql, offset: 0 }];
    const positionOf = site.sourceFile !== undefined ? lineIndex(site.sql) : undefined;
    for (const statement of statements) {
      if (statement.text.trim() === '') continue;
      const location: Location = site.sourceFile !== undefined ? { file: site.sourceFile, ...positionOf!(statement.offset) } : site.location;
      const analysis = analyzer.analyzeStatement(statement.text, site.datastore);
      if (analysis.error) {
        const key = `${location.file}:${location.line}:${location.column}`;
        if (!reportedErrors.has(key)) {
          reportedErrors.add(key);
          diagnostics.push({
            severity: 'info',
            code: 'sql-parse-error',
            message: `the ${site.datastore === 'postgres' ? 'PostgreSQL' : site.datastore} parser rejects this statement (${analysis.error.message}); its tables come from a conservative reading and are marked uncertain`,
            location,
          });
        }
      }
      const database = options.databaseOf(site.unit, site.datastore);
      const statementText = normalized(statement.text);
      const add = (table: string, op: TableAccess['op']): void => {
        const unknownTable = table.includes(options.dynamicPlaceholder);
        accesses.push({
          unit: site.unit,
          table: unknownTable ? '?' : table,
          datastore: site.datastore,
          database,
          op,
          statementKind: analysis.kind,
          scope: site.scope,
          dynamic: site.dynamic,
          uncertain: analysis.uncertain,
          ...(site.via ? { via: site.via } : {}),
          location,
          statement: statementText,
        });
      };
      for (const table of analysis.writes) add(table, 'write');
      for (const table of analysis.reads) if (!analysis.writes.includes(table)) add(table, 'read');
      for (const table of analysis.ddl) add(table, 'ddl');
    }
  }
  accesses.sort(
    (a, b) =>
      compareStrings(a.unit, b.unit) ||
      compareStrings(tableId(a.database, a.table), tableId(b.database, b.table)) ||
      compareStrings(a.op, b.op) ||
      compareLocations(a.location, b.location),
  );
  return { accesses, diagnostics };
}
