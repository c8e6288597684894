import path from 'node:path';
import type { SqlcConfig } from '../../scan/sqlc/config.js';
import type { Diagnostic, Unit } from '../types.js';
import { readNamedQueries, SQLC_ANNOTATION } from './named-queries.js';
import type { StatementSite } from './table-accesses.js';
import { deepestContaining } from '../../util/repo-path.js';

const posix = path.posix;

/**
 * Statements of sqlc query files (`-- name: GetAuthor :one` blocks), credited to the unit that
 * receives the generated code (`gen.<lang>.out`, `codegen[].out`, version 1 `path`), or, when
 * no output lies in a unit, to the unit holding the config. sqlc turns each query into one
 * function of that unit, so the unit runs it; which of its callers do is not followed (the
 * generated code may be in any language). Locations are the queries' lines in the `.sql` files.
 */
export function sqlcStatements(
  configs: readonly SqlcConfig[],
  files: readonly string[],
  units: readonly Unit[],
  readText: (file: string) => string | undefined,
): { statements: StatementSite[]; diagnostics: Diagnostic[] } {
  const statements: StatementSite[] = [];
  const diagnostics: Diagnostic[] = [];
  const fileSet = new Set(files);
  for (const config of configs) {
    const base = posix.dirname(config.file);
    for (const entry of config.entries) {
      const outputs = entry.outputs.map((out) => withoutTrailingSlash(posix.join(base, out)));
      const unit = outputs.map((dir) => deepestContaining(units, dir)).find((u) => u !== undefined) ?? deepestContaining(units, config.file);
      if (!unit) {
        diagnostics.push({ severity: 'info', code: 'sqlc-queries-unattributed', message: 'No unit contains this sqlc entry\'s generated code or its config; its queries are not attributed', location: entry.location });
        continue;
      }
      const queryFiles = entry.queries.flatMap((written) => sqlFilesAt(withoutTrailingSlash(posix.join(base, written)), files, fileSet));
      if (queryFiles.length === 0 && entry.queries.length > 0) {
        diagnostics.push({ severity: 'warning', code: 'sqlc-queries-missing', message: `sqlc queries not found: ${entry.queries.join(', ')}`, location: entry.location });
      }
      for (const file of queryFiles) {
        const text = readText(file);
        if (text === undefined) continue;
        for (const query of readNamedQueries({ file, text }, SQLC_ANNOTATION)) {
          statements.push({ unit: unit.name, sql: query.sql, location: query.location, dynamic: false, scope: 'prod', datastore: entry.datastore });
        }
      }
    }
  }
  return { statements, diagnostics };
}

/** `sql/` and `./sql/` name the directory `sql`. */
function withoutTrailingSlash(dir: string): string {
  return dir.length > 1 && dir.endsWith('/') ? dir.slice(0, -1) : dir;
}

/** A `.sql` file, or every `.sql` file below a directory (sqlc accepts both). */
function sqlFilesAt(target: string, files: readonly string[], fileSet: ReadonlySet<string>): string[] {
  if (fileSet.has(target)) return [target];
  const prefix = target === '.' ? '' : `${target}/`;
  return files.filter((f) => f.startsWith(prefix) && f.endsWith('.sql')).sort();
}
