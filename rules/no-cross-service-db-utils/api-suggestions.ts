import type { Suggestion } from '../../src/check/types.js';
import type { GrpcService, Model, TableAccess } from '../../src/model/types.js';
import { compareStrings, formatLocation } from '../../src/util/location.js';

/**
 * Fix suggestions of no-cross-service-db, in the repository's own terms: the owner's RPCs that
 * return or change the table (matched on the table's entity name), the RPC to add when there is
 * none, and the owner's topics. Every suggestion is display-only: it names code to write.
 */

/** Words that may start a read RPC (`GetUser`, `ListUsers`, `BatchGetUsers`). */
const READ_VERBS = new Set(['get', 'list', 'find', 'fetch', 'lookup', 'search', 'read', 'query', 'load', 'resolve']);
/** Words that may start a write RPC (`CreatePost`, `UpsertUser`, `SendNotification`). */
const WRITE_VERBS = new Set(['create', 'update', 'delete', 'upsert', 'insert', 'add', 'remove', 'set', 'save', 'put', 'patch', 'send']);
/** Words that may sit before or after the verb without changing what the RPC returns. */
const QUANTIFIERS = new Set(['batch', 'bulk', 'multi', 'many', 'all', 'multiple']);
/** Words that may follow the entity: `GetUsersByIds`, `ListPostsForAuthor`. */
const QUALIFIERS = new Set(['by', 'for', 'from', 'with', 'of', 'in', 'at', 'on']);
/** Words a column name may end with that an RPC name leaves out: `last_login_at` ~ `UpdateLastLogin`. */
const COLUMN_SUFFIXES = new Set(['at', 'on', 'id', 'ts', 'time']);

/** `GetUsersByIds` -> [get, users, by, ids]. */
export function pascalWords(name: string): string[] {
  return name
    .split(/(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|[_\W]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

function pascal(words: readonly string[]): string {
  return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

function singular(word: string): string {
  if (/ies$/.test(word) && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|us|is)$/.test(word)) return word;
  if (/(sses|uses|xes|ches|shes|zes)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && word.length > 1) return word.slice(0, -1);
  return word;
}

function plural(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|ch|sh|z)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

/** The entity a table holds, as words: `feed_items` -> singular [feed, item], plural [feed, items]. */
export function entityOf(table: string): { singular: string[]; plural: string[] } {
  const words = (table.split(/[.:]/).pop() ?? table).split('_').filter((w) => w.length > 0).map((w) => w.toLowerCase());
  const last = words.pop() ?? table;
  const one = singular(last);
  const many = one === last ? plural(last) : last;
  return { singular: [...words, one], plural: [...words, many] };
}

function startsWith(words: readonly string[], at: number, prefix: readonly string[]): boolean {
  return prefix.every((w, i) => words[at + i] === w);
}

/** Whether an RPC name is `[Batch]Verb[Many]Entity[By...]` with a verb from `verbs`. */
export function rpcMatches(rpc: string, verbs: ReadonlySet<string>, entity: { singular: string[]; plural: string[] }): boolean {
  const words = pascalWords(rpc);
  let i = 0;
  while (QUANTIFIERS.has(words[i] ?? '')) i++;
  if (!verbs.has(words[i] ?? '')) return false;
  i++;
  while (QUANTIFIERS.has(words[i] ?? '')) i++;
  for (const form of [entity.plural, entity.singular]) {
    if (!startsWith(words, i, form)) continue;
    const next = words[i + form.length];
    if (next === undefined || QUALIFIERS.has(next)) return true;
  }
  return false;
}

/** Columns an `UPDATE ... SET a = .., b = ..` statement assigns, as words. */
function updatedColumns(statement: string): string[][] {
  const match = /\bset\s+(.*?)(?:\s+(?:where|returning|from)\b|$)/i.exec(statement);
  if (!match) return [];
  return match[1]!
    .split(',')
    .map((assignment) => /^\s*"?([A-Za-z_][\w]*)"?\s*=/.exec(assignment)?.[1])
    .filter((c): c is string => c !== undefined)
    .map((c) => c.toLowerCase().split('_').filter((w) => w.length > 0));
}

/** `UpdateLastLogin` for a statement that sets `last_login_at`: a write RPC named after a column it sets. */
function rpcSetsColumn(rpc: string, columns: readonly string[][]): boolean {
  const words = pascalWords(rpc);
  if (!WRITE_VERBS.has(words[0] ?? '') || words.length < 2) return false;
  const object = words.slice(1);
  return columns.some((column) => {
    const trimmed = column.length > 1 && COLUMN_SUFFIXES.has(column[column.length - 1]!) ? column.slice(0, -1) : column;
    return [column, trimmed].some((c) => c.length === object.length && c.every((w, i) => w === object[i]));
  });
}

/** The verb of the RPC to add for a statement kind. */
function verbFor(statementKind: string): string {
  switch (statementKind) {
    case 'insert':
      return 'Create';
    case 'delete':
    case 'truncate':
      return 'Delete';
    case 'merge':
    case 'upsert':
      return 'Upsert';
    default:
      return 'Update';
  }
}

function rpcLine(name: string): string {
  return `\`rpc ${name}(${name}Request) returns (${name}Response);\``;
}

function list(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

function displayOnly(title: string): Suggestion {
  return { title, applicability: 'display-only', edits: [] };
}

/** The gRPC services a unit serves. */
function servicesOf(model: Model, owner: string): GrpcService[] {
  return model.grpcServices.filter((s) => s.servedBy.includes(owner));
}

/** Where to add an RPC when the owner serves no gRPC service: a proto it compiles for a server, if any. */
function serverProtoOf(model: Model, owner: string): string | undefined {
  return model.units.find((u) => u.name === owner)?.protos?.find((p) => p.server && p.found)?.file;
}

/** What to add when no RPC fits: to the service the owner serves, to a proto it compiles, or to an API it does not have yet. */
function addRpc(model: Model, owner: string, services: readonly GrpcService[], rpcs: readonly string[], purpose: string): Suggestion {
  const lines = rpcs.map(rpcLine).join(' and ');
  const service = services[0];
  if (service) {
    return displayOnly(
      `${service.fullName} (${owner}) has no RPC that ${purpose}: add ${lines} to service ${service.name} in ${service.file} and call it with ${service.name}Client`,
    );
  }
  if (!model.units.some((u) => u.name === owner)) {
    return displayOnly(`${owner} is not a unit of this repository: ask its team for an RPC that ${purpose} (e.g. ${lines}) and call it`);
  }
  const file = serverProtoOf(model, owner);
  return displayOnly(`${owner} serves no gRPC service${file ? ` yet (its build compiles ${file})` : ''}: give it one with ${lines} and call that instead`);
}

function describeTopics(topics: readonly string[]): string {
  return topics.map((t) => `\`${t}\``).join(', ');
}

/** Suggestions for a service that reads a table another service owns. */
export function readSuggestions(model: Model, reader: string, table: string, owner: string): Suggestion[] {
  const entity = entityOf(table);
  const services = servicesOf(model, owner);
  const suggestions: Suggestion[] = [];
  for (const service of services) {
    const rpcs = service.rpcs.filter((r) => rpcMatches(r.name, READ_VERBS, entity));
    if (rpcs.length === 0) continue;
    suggestions.push(
      displayOnly(
        `Read ${table} through ${owner}'s API instead: call ${list(rpcs.map((r) => r.name))} of ${service.fullName} with ${service.name}Client (${formatLocation(rpcs[0]!.location)})`,
      ),
    );
  }
  if (suggestions.length === 0) suggestions.push(addRpc(model, owner, services, [`Get${pascal(entity.plural)}ByIds`], `returns ${table}`));
  const published = model.topics.filter((t) => t.producers.includes(owner)).map((t) => t.topic).sort(compareStrings);
  if (published.length > 0) {
    const consumed = model.topics.filter((t) => published.includes(t.topic) && t.consumers.includes(reader)).map((t) => t.topic);
    const already = consumed.length > 0 ? ` (${reader} already consumes ${describeTopics(consumed)})` : '';
    suggestions.push(displayOnly(`Or keep a local read model of ${table} in ${reader}: consume ${describeTopics(published)}, which ${owner} publishes${already}`));
  }
  return suggestions;
}

/** Suggestions for a service that writes a table another service owns. */
export function writeSuggestions(model: Model, writer: string, table: string, owner: string, accesses: readonly TableAccess[]): Suggestion[] {
  const entity = entityOf(table);
  const columns = accesses.filter((a) => a.statementKind === 'update').flatMap((a) => updatedColumns(a.statement));
  const services = servicesOf(model, owner);
  const suggestions: Suggestion[] = [];
  for (const service of services) {
    const rpcs = service.rpcs.filter((r) => rpcMatches(r.name, WRITE_VERBS, entity) || rpcSetsColumn(r.name, columns));
    if (rpcs.length === 0) continue;
    suggestions.push(
      displayOnly(
        `Let ${owner} write ${table}: call ${list(rpcs.map((r) => r.name))} of ${service.fullName} with ${service.name}Client (${formatLocation(rpcs[0]!.location)}) instead of the statement`,
      ),
    );
  }
  if (suggestions.length === 0) {
    const verbs = [...new Set(accesses.map((a) => verbFor(a.statementKind)))].sort(compareStrings);
    suggestions.push(addRpc(model, owner, services, verbs.map((verb) => `${verb}${pascal(entity.singular)}`), `changes ${table}`));
  }
  const consumed = model.topics.filter((t) => t.consumers.includes(owner)).map((t) => t.topic).sort(compareStrings);
  if (consumed.length > 0) {
    suggestions.push(displayOnly(`Or publish an event ${owner} consumes (${describeTopics(consumed)}) and let ${owner} write ${table}`));
  }
  return suggestions;
}

/** The suggestion for DDL on another service's table. */
export function ddlSuggestions(table: string, owner: string): Suggestion[] {
  return [displayOnly(`The definition of ${table} belongs to ${owner}: move this DDL into ${owner}'s migrations`)];
}
