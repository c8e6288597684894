import { defineRule, type RelatedLocation } from '../src/check/types.js';
import type { TableAccess } from '../src/model/types.js';
import { tableId } from '../src/model/sql/table-accesses.js';
import { compareLocations } from '../src/util/location.js';

export interface UnownedTableOptions {
  ignore: string[];
}

type MessageId = 'unowned';

export default defineRule<UnownedTableOptions, MessageId>({
  id: 'unowned-table',
  meta: {
    description: 'Production code accesses a table that no service owns',
    kind: 'suggestion',
    defaultSeverity: 'warning',
    fix: 'none',
    tags: ['database', 'ownership'],
    messages: {
      unowned: '{unit} uses {table}, which no service owns: declare its owner in the config `tables` map or in its migration',
    },
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ignore: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          description: 'Table names or globs that need no owner (e.g. "pg_*", "schema_migrations").',
        },
      },
    },
    defaults: { ignore: ['pg_*', 'information_schema.*', 'pg_catalog.*', '_sqlx_migrations'] },
  },
  *check({ model, options, includeTests }) {
    const ignored = (table: string): boolean => options.ignore.some((pattern) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(table));
    // A table with disputed owners is not unowned: ambiguous-ownership reports it.
    const disputed = new Set(model.ownershipConflicts.map((c) => c.table));
    const groups = new Map<string, TableAccess[]>();
    for (const access of model.tableAccesses) {
      if (access.table === '?' || (access.scope === 'test' && !includeTests)) continue;
      const id = tableId(access.database, access.table);
      if (model.owners[id] || disputed.has(id) || ignored(access.table)) continue;
      const key = `${access.unit}\u0000${id}`;
      groups.set(key, [...(groups.get(key) ?? []), access]);
    }
    for (const accesses of groups.values()) {
      const sorted = [...accesses].sort((a, b) => compareLocations(a.location, b.location));
      const first = sorted[0]!;
      const related: RelatedLocation[] = sorted.slice(1).map((a) => ({ location: a.location, message: `${a.op} of ${a.table}` }));
      yield {
        messageId: 'unowned',
        data: { unit: first.unit, table: tableId(first.database, first.table), count: accesses.length },
        location: first.via?.callSite ?? first.location,
        related,
        identity: [first.unit, tableId(first.database, first.table)],
      };
    }
  },
});
