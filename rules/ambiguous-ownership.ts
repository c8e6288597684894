import { defineRule, type RelatedLocation } from '../src/check/types.js';
import type { Location } from '../src/model/types.js';

type MessageId = 'ambiguous';

export default defineRule<Record<string, never>, MessageId>({
  id: 'ambiguous-ownership',
  meta: {
    description: 'A table is claimed by two services from sources of equal rank',
    kind: 'problem',
    defaultSeverity: 'error',
    fix: 'none',
    tags: ['database', 'ownership'],
    messages: {
      ambiguous: '{table} has {count} owners from {source}: {services}; keep one, or settle it in the config `tables` map',
    },
    schema: { type: 'object', additionalProperties: false, properties: {} },
    defaults: {},
  },
  *check({ model }) {
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
      };
    }
  },
});
