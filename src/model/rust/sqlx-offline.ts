import path from 'node:path';
import type { Diagnostic, Unit } from '../types.js';
import type { StatementSite } from '../sql/table-accesses.js';
import { normalizeStatement } from '../sql/table-accesses.js';

const posix = path.posix;

/** A `.sqlx/query-<hash>.json` file written by `cargo sqlx prepare`. */
export interface SqlxMetadataFile {
  file: string;
  text: string;
}

/**
 * Statements from sqlx's offline metadata that the source scan did not find. Every `query!`
 * macro's text is in `.sqlx/`, so a query there but not in the code is one the scanner missed
 * (or stale metadata): it is analysed for the crate that holds the `.sqlx` directory and noted.
 * Metadata of a workspace-level `.sqlx/` names no crate, so it is only noted.
 */
export function statementsFromSqlxMetadata(
  files: readonly SqlxMetadataFile[],
  units: readonly Unit[],
  found: readonly StatementSite[],
): { statements: StatementSite[]; diagnostics: Diagnostic[] } {
  const statements: StatementSite[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set(found.map((s) => normalizeStatement(s.sql)));
  for (const file of files) {
    let query: unknown;
    try {
      query = (JSON.parse(file.text) as { query?: unknown }).query;
    } catch (error) {
      diagnostics.push({ severity: 'warning', code: 'sqlx-metadata-unreadable', message: `cannot read sqlx offline metadata: ${(error as Error).message}`, location: { file: file.file, line: 1, column: 1 } });
      continue;
    }
    if (typeof query !== 'string' || seen.has(normalizeStatement(query))) continue;
    const lines = file.text.split('\n');
    const line = Math.max(1, lines.findIndex((l) => l.includes('"query"')) + 1);
    const location = { file: file.file, line, column: 1 };
    const crateDir = posix.dirname(posix.dirname(file.file));
    const unit = units.find((u) => u.path === crateDir);
    if (unit && unit.path !== '.') {
      statements.push({ unit: unit.name, sql: query, location, dynamic: false, scope: 'prod', datastore: 'postgres' });
    }
    diagnostics.push({
      severity: 'info',
      code: 'sqlx-query-not-in-code',
      message: unit && unit.path !== '.'
        ? `sqlx offline metadata holds a query the source scan did not find; it is counted for \`${unit.name}\` (stale metadata, or SQL built in a way the scanner cannot follow)`
        : 'sqlx offline metadata holds a query the source scan did not find, and its directory names no crate; not counted',
      location,
    });
  }
  return { statements, diagnostics };
}
