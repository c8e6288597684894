import { defineRule, type RelatedLocation, type Suggestion } from '../src/check/types.js';
import type { Model, TableAccess } from '../src/model/types.js';
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
    fix: 'always',
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
  *check({ model, options, includeTests, configFile }) {
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
        suggestions: [ownerSuggestion(model, tableId(first.database, first.table), first.table, configFile)],
      };
    }
  },
});

/**
 * Where to declare the owner: the `tables` entry to add to the config (display-only). The owner
 * proposed is the one service that uses the table, when exactly one does; else a placeholder.
 */
function ownerSuggestion(model: Model, id: string, table: string, configFile: string | undefined): Suggestion {
  const services = new Set(model.units.filter((u) => u.kind === 'service').map((u) => u.name));
  const users = [...new Set(model.tableAccesses.filter((a) => tableId(a.database, a.table) === id && services.has(a.unit)).map((a) => a.unit))].sort();
  const owner = users.length === 1 ? users[0]! : '<owning service>';
  const candidates = users.length > 1 ? ` (services using it: ${users.join(', ')})` : '';
  return {
    title: `Declare the owner of ${id}: add \`${JSON.stringify(id)}: ${JSON.stringify(owner)}\` to "tables" in ${configFile ?? 'boundary.config.json'}${candidates}, or add ${JSON.stringify(table)} to this rule's "ignore" option if no service owns it`,
    applicability: 'display-only',
    edits: [],
  };
}
