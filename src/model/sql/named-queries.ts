import path from 'node:path';
import type { Location } from '../types.js';

const posix = path.posix;

/** A `.sql` file of named queries compiled into code by a generator (cornucopia, sqlc). */
export interface QueryFile {
  file: string;
  text: string;
}

export interface NamedQuery {
  /** The annotation's name: the generated function is named after it. */
  name: string;
  /** The module the generator makes of the file: its stem (`queries/jobs.sql` -> `jobs`). */
  module: string;
  sql: string;
  /** The query's first line of SQL. */
  location: Location;
}

/** `--! get_job` (cornucopia; optional `: Type` or `(param?)` after the name). */
export const CORNUCOPIA_ANNOTATION = /^--!\s*([A-Za-z_][A-Za-z0-9_]*)/;
/** `-- name: GetAuthor :one` (sqlc; the command after the name is `:one`, `:many`, `:exec`, ...). */
export const SQLC_ANNOTATION = /^--\s*name:\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\w+/;

/** The named queries of a file: each annotation up to the next one; other comment lines are dropped. */
export function readNamedQueries(file: QueryFile, annotation: RegExp = CORNUCOPIA_ANNOTATION): NamedQuery[] {
  const queries: NamedQuery[] = [];
  const lines = file.text.split('\n');
  let current: { name: string; start: number; body: string[] } | undefined;
  const flush = (): void => {
    if (!current) return;
    const sql = current.body.join('\n').trim();
    if (sql !== '') {
      const offset = current.body.findIndex((l) => l.trim() !== '');
      queries.push({ name: current.name, module: posix.basename(file.file, '.sql'), sql, location: { file: file.file, line: current.start + 1 + Math.max(0, offset), column: 1 } });
    }
  };
  lines.forEach((line, index) => {
    const match = annotation.exec(line.trim());
    if (match) {
      flush();
      current = { name: match[1]!, start: index + 1, body: [] };
    } else if (current && !line.trim().startsWith('--')) {
      current.body.push(line);
    }
  });
  flush();
  return queries;
}
