import path from 'node:path';
import type { Location } from '../types.js';
import type { SqlSite } from './sql-sites.js';
import { isLibraryCode, scopeOf, type SourceFile, type SourceIndex } from './source-index.js';

const posix = path.posix;

/** A `.sql` file of named queries compiled by a code generator (cornucopia: `--! name`). */
export interface QueryFile {
  file: string;
  text: string;
}

interface NamedQuery {
  /** The generated function's name: the annotation's name. */
  name: string;
  /** The module the generator makes of the file: its stem (`queries/jobs.sql` -> `jobs`). */
  module: string;
  sql: string;
  location: Location;
}

/** `--! get_job` (cornucopia; optional `: Type` or `(param?)` after the name) starts a named query. */
const ANNOTATION = /^--!\s*([A-Za-z_][A-Za-z0-9_]*)/;

/** The named queries of a file: each annotation up to the next one. */
export function readNamedQueries(file: QueryFile): NamedQuery[] {
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
    const match = ANNOTATION.exec(line.trim());
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

/**
 * Statements of generated query files, credited to the code that calls the generated function:
 * `queries::jobs::get_job()`, or `get_job()` imported from a path that names the module. The
 * statement's location is its line in the `.sql` file.
 */
export function findGeneratedQuerySites(index: SourceIndex, files: readonly QueryFile[]): SqlSite[] {
  const byName = new Map<string, NamedQuery[]>();
  for (const file of files) for (const query of readNamedQueries(file)) byName.set(query.name, [...(byName.get(query.name) ?? []), query]);
  if (byName.size === 0) return [];
  const sites: SqlSite[] = [];
  for (const sources of index.units.values()) {
    for (const file of sources.files) {
      const { facts } = file;
      const add = (query: NamedQuery, fn: number, test: boolean): void => {
        sites.push({
          unit: sources.unit.name,
          file,
          fn,
          sink: `${query.module}::${query.name}`,
          sql: query.sql,
          location: query.location,
          dynamic: false,
          scope: scopeOf(file, { test }),
          datastore: 'postgres',
          inLibraryCode: isLibraryCode(sources, file),
        });
      };
      for (const call of facts.paths) {
        if (!call.call) continue;
        const name = call.segments[call.segments.length - 1]!;
        for (const query of byName.get(name) ?? []) if (call.segments.includes(query.module)) add(query, call.fn, call.test);
      }
      for (const call of facts.calls) {
        for (const query of byName.get(call.name) ?? []) if (importsFrom(file, call.name, query.module)) add(query, call.fn, call.test);
      }
    }
  }
  return sites;
}

function importsFrom(file: SourceFile, name: string, module: string): boolean {
  return file.facts.uses.some((u) => u.segments[u.segments.length - 1] === name && u.segments.includes(module));
}
