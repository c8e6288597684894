import picomatch from 'picomatch';
import { defineRule, type DraftFinding, type RelatedLocation, type Severity } from '../src/check/types.js';
import type { Location, TableAccess } from '../src/model/types.js';
import { tableId } from '../src/model/sql/table-accesses.js';
import { compareLocations } from '../src/util/location.js';
import { ddlSuggestions, readSuggestions, writeSuggestions } from './no-cross-service-db-utils/api-suggestions.js';

type OpSeverity = 'off' | 'info' | 'warn' | 'error';

export interface AllowEntry {
  service: string;
  table: string;
  op?: 'read' | 'write' | 'ddl';
  because: string;
}

export interface NoCrossServiceDbOptions {
  /** Severity of reads; absent: the rule's own severity. */
  reads?: OpSeverity;
  /** Severity of writes and DDL; absent: the rule's own severity. */
  writes?: OpSeverity;
  allow: AllowEntry[];
}

type MessageId = 'read' | 'write' | 'ddl';

const SEVERITIES: OpSeverity[] = ['off', 'info', 'warn', 'error'];

/** The finding severity an option asks for; `null` when the option turns the finding off. */
function toSeverity(value: OpSeverity | undefined): Severity | undefined | null {
  if (value === undefined) return undefined;
  return value === 'off' ? null : value === 'warn' ? 'warning' : value;
}

/** Where a finding about an access points: the service's call into the library, or the statement. */
function primaryOf(access: TableAccess): Location {
  return access.via?.callSite ?? access.location;
}

function excerpt(statement: string): string {
  return statement.length > 80 ? `${statement.slice(0, 77)}...` : statement;
}

export default defineRule<NoCrossServiceDbOptions, MessageId>({
  id: 'no-cross-service-db',
  meta: {
    description: 'A service must not read or write a table that another service owns',
    kind: 'problem',
    defaultSeverity: 'error',
    fix: 'always',
    tags: ['architecture', 'database', 'ownership'],
    messages: {
      read: '{service} reads {table}, which {owner} owns ({statements})',
      write: '{service} writes {table}, which {owner} owns ({statements})',
      ddl: '{service} changes the definition of {table}, which {owner} owns ({statements})',
    },
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        reads: { type: 'string', enum: SEVERITIES, description: 'Severity of reads of another service\'s table (default: the rule\'s severity).' },
        writes: { type: 'string', enum: SEVERITIES, description: 'Severity of writes and DDL on another service\'s table (default: the rule\'s severity).' },
        allow: {
          type: 'array',
          description: 'Sanctioned exceptions; each needs a reason.',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['service', 'table', 'because'],
            properties: {
              service: { type: 'string', minLength: 1, description: 'Unit name or glob.' },
              table: { type: 'string', minLength: 1, description: 'Table name or glob.' },
              op: { type: 'string', enum: ['read', 'write', 'ddl'], description: 'Only this kind of access (default: any).' },
              because: { type: 'string', minLength: 1, description: 'Why this access is sanctioned.' },
            },
          },
        },
      },
    },
    defaults: { allow: [] },
  },
  *check({ model, options, includeTests }) {
    const services = new Set(model.units.filter((u) => u.kind === 'service').map((u) => u.name));
    const allowed = options.allow.map((entry) => ({ ...entry, service: picomatch(entry.service), table: picomatch(entry.table) }));
    const groups = new Map<string, TableAccess[]>();
    for (const access of model.tableAccesses) {
      if (!services.has(access.unit) || access.table === '?') continue;
      if (access.scope === 'test' && !includeTests) continue;
      const id = tableId(access.database, access.table);
      const owner = model.owners[id];
      if (!owner || owner.service === access.unit) continue;
      if (allowed.some((a) => a.service(access.unit) && a.table(id) && (a.op === undefined || a.op === access.op))) continue;
      const key = `${access.unit}\u0000${id}\u0000${access.op}`;
      const list = groups.get(key) ?? [];
      list.push(access);
      groups.set(key, list);
    }
    for (const accesses of groups.values()) {
      const first = accesses[0]!;
      const id = tableId(first.database, first.table);
      const owner = model.owners[id]!;
      const severity = toSeverity(first.op === 'read' ? options.reads : options.writes);
      if (severity === null) continue;
      const sorted = [...accesses].sort((a, b) => compareLocations(primaryOf(a), primaryOf(b)));
      const related: RelatedLocation[] = [];
      const verb = first.op === 'read' ? 'reads' : first.op === 'write' ? 'writes' : 'defines';
      for (const access of sorted) {
        if (access.via) related.push({ location: access.via.callSite, message: `calls ${access.via.function}, which ${verb} ${first.table}` });
        related.push({ location: access.location, message: `${verb} ${first.table}: ${excerpt(access.statement)}`, content: access.statement });
      }
      if (owner.location) related.push({ location: owner.location, message: `${first.table} is owned by ${owner.service} (${owner.source})` });
      const draft: DraftFinding<MessageId> = {
        messageId: first.op,
        data: {
          service: first.unit,
          table: id,
          owner: owner.service,
          ownerSource: owner.source,
          count: accesses.length,
          statements: accesses.length === 1 ? '1 statement' : `${accesses.length} statements`,
          op: first.op,
        },
        location: primaryOf(sorted[0]!),
        related: related.filter((r, i) => related.findIndex((o) => compareLocations(o.location, r.location) === 0 && o.message === r.message) === i),
        identity: [first.unit, id, first.op],
        ...(severity ? { severity } : {}),
        suggestions:
          first.op === 'read'
            ? readSuggestions(model, first.unit, first.table, owner.service)
            : first.op === 'write'
              ? writeSuggestions(model, first.unit, first.table, owner.service, sorted)
              : ddlSuggestions(first.table, owner.service),
      };
      yield draft;
    }
  },
});
