import type { SqlSite } from './sql-sites.js';
import { readNamedQueries, type NamedQuery, type QueryFile } from '../sql/named-queries.js';
import { isLibraryCode, readsFile, scopeOf, type SourceFile, type SourceIndex } from './source-index.js';

export type { QueryFile };

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
      if (!readsFile(index, sources, file)) continue;
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
