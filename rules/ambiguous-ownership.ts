import { defineRule, type RelatedLocation, type Suggestion } from '../src/check/types.js';
import type { Location, Model, OwnershipConflict } from '../src/model/types.js';
import { tableId } from '../src/model/sql/table-accesses.js';
import { formatLocation } from '../src/util/location.js';

type MessageId = 'ambiguous';

export default defineRule<Record<string, never>, MessageId>({
  id: 'ambiguous-ownership',
  meta: {
    description: 'A table is claimed by two services from sources of equal rank',
    kind: 'problem',
    defaultSeverity: 'error',
    fix: 'always',
    tags: ['database', 'ownership'],
    messages: {
      ambiguous: '{table} has {count} owners from {source}: {services}; keep one, or settle it in the config `tables` map',
    },
    schema: { type: 'object', additionalProperties: false, properties: {} },
    defaults: {},
  },
  *check({ model, configFile }) {
    for (const conflict of model.ownershipConflicts) {
      const located = conflict.claims.filter((c): c is typeof c & { location: Location } => c.location !== undefined);
      if (located.length === 0) continue;
      const related: RelatedLocation[] = located.slice(1).map((c) => ({ location: c.location, message: `${c.service} claims ${conflict.table} (${c.source})` }));
      const services = [...new Set(conflict.claims.map((c) => c.service))].sort();
      yield {
        messageId: 'ambiguous',
        data: { table: conflict.table, count: services.length, source: conflict.source, services: services.join(', ') },
        location: located[0]!.location,
        related: [{ location: located[0]!.location, message: `${located[0]!.service} claims ${conflict.table} (${located[0]!.source})` }, ...related],
        identity: [conflict.table, ...services],
        suggestions: keepSuggestions(model, conflict, configFile),
      };
    }
  },
});

/** What a claim of each source is, in a suggestion. */
const CLAIM: Record<OwnershipConflict['source'], string> = {
  config: '`tables` entry',
  'check-constraint': 'CHECK constraint',
  'owner-comment': 'owner comment',
  migrations: 'CREATE TABLE',
};

/**
 * One display-only suggestion per claimant: keep its claim, settle it in the config `tables` map
 * and remove the other claims. The claimant that writes the table most comes first (then the
 * one that uses it most, then the first claim).
 */
function keepSuggestions(model: Model, conflict: OwnershipConflict, configFile: string | undefined): Suggestion[] {
  const uses = (service: string, op?: 'write'): number =>
    model.tableAccesses.filter((a) => a.unit === service && tableId(a.database, a.table) === conflict.table && (op === undefined || a.op === op)).length;
  const services = [...new Set(conflict.claims.map((c) => c.service))];
  const ranked = services
    .map((service, index) => ({ service, index, writes: uses(service, 'write'), all: uses(service) }))
    .sort((a, b) => b.writes - a.writes || b.all - a.all || a.index - b.index);
  return ranked.map(({ service, writes, all }) => {
    const others = conflict.claims.filter((c) => c.service !== service);
    const where = others.map((c) => `${c.service}'s ${CLAIM[c.source]}${c.location ? ` at ${formatLocation(c.location)}` : ''}`).join(', ');
    const usage = `${service} runs ${all} statement${all === 1 ? '' : 's'} on it, ${writes} writing`;
    return {
      title: `Keep ${service}'s claim (${usage}): add \`${JSON.stringify(conflict.table)}: ${JSON.stringify(service)}\` to "tables" in ${configFile ?? 'boundary.config.json'}, and remove the other claim${others.length === 1 ? '' : 's'} (${where})`,
      applicability: 'display-only' as const,
      edits: [],
    };
  });
}
