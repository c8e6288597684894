import type { ExpressionSummary, StringValue } from '../../scan/rust/facts.js';
import type { Diagnostic, Edge, Location, Scope } from '../types.js';
import { compareLocations, compareStrings, formatLocation } from '../../util/location.js';
import { ConstLookup, callAt, expandArgument, fileAt, usesParameter } from './http.js';
import { creditLibrarySites, type Site } from './library-calls.js';
import { crateIdent, inFocus, isLibraryCode, letsIn, readsFile, runsInCallers, scopeOf, type SourceFile, type SourceIndex, type UnitSources } from './source-index.js';

/** Packages of Kafka clients: only units depending on one (directly) have producer/consumer sites. */
export const KAFKA_CLIENT_CRATES = new Set(['rdkafka', 'kafka', 'rskafka', 'samsa']);
/** Packages exposing redis-rs commands (`con.xadd(key, ..)`): only units depending on one have Redis Stream sites. */
export const REDIS_STREAM_CRATES = new Set(['redis', 'deadpool-redis', 'bb8-redis']);
/** redis-rs stream commands whose first argument is the stream key: appending is producing ... */
const REDIS_STREAM_PRODUCERS = new Set(['xadd', 'xadd_map', 'xadd_maxlen', 'xadd_maxlen_map', 'xadd_options']);
/** ... and reading, creating a consumer group, acknowledging or claiming is consuming. */
const REDIS_STREAM_CONSUMERS = new Set(['xread', 'xread_options', 'xgroup_create', 'xgroup_create_mkstream', 'xack', 'xautoclaim_options', 'xclaim', 'xclaim_options']);
/** Redis stream keys are named `redis:<key>` in edges and topics, so a Kafka topic of the same name stays a different channel. */
const REDIS_TOPIC_PREFIX = 'redis:';
/** rdkafka record types that can be written as struct literals: `FutureRecord { topic, payload, .. }`. */
const RECORD_LITERAL = /^(?:Future|Base)Record$/;
/** Their fields (a literal names one first, or uses it as shorthand). */
const RECORD_FIELDS = new Set(['topic', 'partition', 'payload', 'key', 'timestamp', 'headers', 'delivery_opaque']);

/** A topic's production producers and consumers (units), for the model's topic list. */
export interface TopicUse {
  topic: string;
  producers: string[];
  consumers: string[];
}

/** What the Rust code does with topics; `eventEdgesOf` draws the edges from the sites. */
export interface TopicSites {
  /** Each producer and consumer site, credited to its unit (through library functions). */
  sites: TopicUseSite[];
  diagnostics: Diagnostic[];
}

export type Role = 'producer' | 'consumer';
type Transport = 'kafka' | 'redis';

/** Where a unit produces or consumes a topic: the call site, then the library site when credited. */
export interface TopicSite {
  locations: Location[];
  via?: { unit: string; function: string }[];
}

interface ChannelCall {
  role: Role;
  transport: Transport;
  /** A `FutureRecord { .. }` literal: `args` holds only its identifiers that name a topic. */
  recordLiteral?: boolean;
  args: ExpressionSummary;
  fn: number;
  location: Location;
  scope: Scope;
}

interface LibraryTopicPayload {
  role: Role;
  transport: Transport;
  topics: string[];
  /** The topic comes from a parameter: resolve it at the callers' call sites. */
  fromParameter: boolean;
}

/** Producer sites then consumer sites, each group ordered by its first location, each location once. */
function flattenSites(produced: TopicSite[], consumed: TopicSite[]): Location[] {
  const bySite = (a: TopicSite, b: TopicSite): number => compareLocations(a.locations[0]!, b.locations[0]!) || a.locations.length - b.locations.length;
  const result: Location[] = [];
  for (const site of [...[...produced].sort(bySite), ...[...consumed].sort(bySite)]) {
    for (const location of site.locations) if (!result.some((l) => compareLocations(l, location) === 0)) result.push(location);
  }
  return result;
}

/** The library functions through which the producer sites were credited (consumers credited too are in their own unit). */
function viaOf(produced: readonly TopicSite[]): { unit: string; function: string }[] {
  const via: { unit: string; function: string }[] = [];
  for (const site of produced) {
    for (const step of site.via ?? []) if (!via.some((v) => v.unit === step.unit && v.function === step.function)) via.push(step);
  }
  return via.sort((a, b) => compareStrings(a.unit, b.unit) || compareStrings(a.function, b.function));
}

/** A topic name: dotted/dashed words, not an ALL_CAPS env var name, no template or URL. */
export function looksLikeTopic(text: string): boolean {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(text)) return false;
  if (/^[A-Z0-9_]+$/.test(text) && /[A-Z]/.test(text)) return false;
  return true;
}

/**
 * The identifiers of a `FutureRecord { topic: .., .. }` / `BaseRecord { .. }` literal passed to
 * `send`/`send_result`, directly or through a fn-local let; undefined when the argument is no
 * such literal (a `FutureRecord::to(..)` builder is found as a path instead).
 */
function recordLiteralIdents(file: SourceFile, fn: number, args: ExpressionSummary): string[] | undefined {
  // In a summary a literal reads `FutureRecord topic ..`; a builder `FutureRecord::to(t).key(k)` reads `FutureRecord` alone.
  const literal = (idents: readonly string[]): boolean => idents.some((i, n) => RECORD_LITERAL.test(i) && RECORD_FIELDS.has(idents[n + 1] ?? ''));
  if (literal(args.idents)) return args.idents;
  if (fn < 0) return undefined;
  for (const name of args.idents) {
    for (const binding of letsIn(file, fn)) {
      if (binding.name === name && literal(binding.init.idents)) return binding.init.idents;
    }
  }
  return undefined;
}

/** Producer and consumer calls of a file of a unit that depends on a Kafka client. */
function kafkaCalls(sources: UnitSources, file: SourceFile): ChannelCall[] {
  const calls: ChannelCall[] = [];
  const crates = new Set([...sources.externalCrates].map(crateIdent));
  for (const path of file.facts.paths) {
    if (!path.call || !path.args || path.segments.length < 2) continue;
    const last = path.segments[path.segments.length - 1]!;
    const type = path.segments[path.segments.length - 2]!;
    // rdkafka: `FutureRecord::to(topic)`, `BaseRecord::to(topic)`; kafka: `Record::from_value(topic, ..)`.
    const producer = (last === 'to' && /Record$/.test(type)) || (crates.has('kafka') && type === 'Record' && (last === 'from_value' || last === 'from_key_value'));
    if (producer) calls.push({ role: 'producer', transport: 'kafka', args: path.args, fn: path.fn, location: path.location, scope: scopeOf(file, path) });
  }
  for (const call of file.facts.methodCalls) {
    // rdkafka: `producer.send_result(FutureRecord { topic: &self.topic, payload, .. })`. Facts summarise the
    // literal as one bag of identifiers and strings, so the topic is taken only from identifiers that name one
    // (`topic` shorthand or let, `self.orders_topic`, `ORDERS_TOPIC`); the literal's strings may be keys or payloads.
    if (call.name === 'send' || call.name === 'send_result') {
      const idents = recordLiteralIdents(file, call.fn, call.args);
      if (idents) {
        const named = [...new Set(idents.filter((i) => /topic/i.test(i)))];
        calls.push({ role: 'producer', transport: 'kafka', recordLiteral: true, args: { idents: named, strings: [] }, fn: call.fn, location: call.location, scope: scopeOf(file, call) });
      }
      continue;
    }
    // rdkafka: `consumer.subscribe(&["a", "b"])`; kafka: `Consumer::from_hosts(..).with_topic("a")`.
    const consumer = call.name === 'subscribe' || (crates.has('kafka') && (call.name === 'with_topic' || call.name === 'with_topic_partitions'));
    if (!consumer || (call.args.idents.length === 0 && call.args.strings.length === 0)) continue;
    calls.push({ role: 'consumer', transport: 'kafka', args: call.args, fn: call.fn, location: call.location, scope: scopeOf(file, call) });
  }
  return calls;
}

/** Redis Stream commands of a file of a unit that depends on redis-rs: `con.xadd(key, ..)` produces, `con.xread_options(&[key], ..)` consumes. */
function redisStreamCalls(file: SourceFile): ChannelCall[] {
  const calls: ChannelCall[] = [];
  for (const call of file.facts.methodCalls) {
    const role: Role | undefined = REDIS_STREAM_PRODUCERS.has(call.name) ? 'producer' : REDIS_STREAM_CONSUMERS.has(call.name) ? 'consumer' : undefined;
    if (!role || (call.args.idents.length === 0 && call.args.strings.length === 0)) continue;
    calls.push({ role, transport: 'redis', args: call.args, fn: call.fn, location: call.location, scope: scopeOf(file, call) });
  }
  return calls;
}

/** Channel calls of a file: Kafka when the unit depends on a Kafka client, Redis Streams when on redis-rs. */
function channelCalls(sources: UnitSources, file: SourceFile): ChannelCall[] {
  const depends = (crates: ReadonlySet<string>): boolean => [...sources.externalCrates].some((c) => crates.has(c));
  return [...(depends(KAFKA_CLIENT_CRATES) ? kafkaCalls(sources, file) : []), ...(depends(REDIS_STREAM_CRATES) ? redisStreamCalls(file) : [])];
}

const channelName = (transport: Transport, topic: string): string => (transport === 'redis' ? `${REDIS_TOPIC_PREFIX}${topic}` : topic);

/**
 * Where units produce to and consume from Kafka topics (and Redis streams), for `eventEdgesOf`
 * to draw the event edges from. Producers: `FutureRecord::to(topic)` / `BaseRecord::to(topic)`
 * (rdkafka), `Record::from_value(topic, ..)` (kafka); consumers: `.subscribe(&[..])` (rdkafka),
 * `.with_topic(..)` (kafka); only in units depending on a Kafka client crate, or credited from
 * library functions to the units that call them (resolving a topic parameter at the call site).
 * Topics come from string literals, fn-local lets (an env var's default:
 * `env::var("KAFKA_X_TOPIC").unwrap_or_else(|_| "x.events".into())`; the ALL_CAPS name is not
 * the topic) and string consts of the unit or of the crates it depends on. A topic built at run
 * time or not found is an info diagnostic `topic-unresolved`, no site.
 */
export function collectTopicSites(index: SourceIndex): TopicSites {
  const consts = new ConstLookup(index);
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<string>();
  const librarySites: Site<LibraryTopicPayload>[] = [];
  const sites: TopicUseSite[] = [];
  const record = (topic: string, role: Role, unit: string, scope: Scope, site: TopicSite): void => {
    sites.push({ topic, role, unit, scope, ...site });
  };

  const unresolved = (location: Location, role: Role, transport: Transport, why: string): void => {
    const key = `${location.file}:${location.line}:${location.column}`;
    if (reported.has(key)) return;
    reported.add(key);
    diagnostics.push({
      severity: 'info',
      code: 'topic-unresolved',
      message: `cannot tell which ${transport === 'redis' ? 'Redis stream' : 'Kafka topic'} this ${role === 'producer' ? 'produces to' : 'consumes from'} (${why}); no event edge`,
      location,
    });
  };

  /** Topics named by an argument; `templated` when it is built at run time. */
  const topicsAt = (sources: UnitSources, file: SourceFile, fn: number, args: ExpressionSummary): { topics: string[]; templated: boolean; idents: Set<string> } => {
    const expanded = expandArgument(file, fn, args);
    const values: StringValue[] = [...expanded.strings];
    for (const ident of expanded.idents) values.push(...consts.valuesOf(sources.unit.name, ident));
    const topics = [...new Set(values.map((v) => v.value).filter(looksLikeTopic))].sort(compareStrings);
    return { topics: expanded.templated ? [] : topics, templated: expanded.templated, idents: expanded.idents };
  };

  const NO_TOPIC = 'no topic literal or const found';
  const LITERAL_NO_TOPIC = 'a `FutureRecord { topic: .. }` literal whose topic names no literal, let or const';
  for (const sources of index.units.values()) {
    const unit = sources.unit.name;
    const reports = inFocus(index, unit);
    for (const file of sources.files) {
      if (!readsFile(index, sources, file)) continue;
      for (const call of channelCalls(sources, file)) {
        const found = topicsAt(sources, file, call.fn, call.args);
        const { templated, idents } = found;
        const topics = found.topics.map((t) => channelName(call.transport, t));
        // A library is neither producer nor consumer: its calls are credited to its callers below.
        // A service's lib target is credited to its callers too, and is the service's own as well.
        const inLibrary = isLibraryCode(sources, file);
        if (!inLibrary && reports) {
          for (const topic of topics) record(topic, call.role, unit, call.scope, { locations: [call.location] });
        }
        if (runsInCallers(file) && call.fn >= 0) {
          const fromParameter = topics.length === 0 && !templated && usesParameter(file, call.fn, idents);
          if (topics.length > 0 || fromParameter) {
            librarySites.push({ unit, file, fn: call.fn, location: call.location, scope: call.scope, payload: { role: call.role, transport: call.transport, topics, fromParameter } });
          }
          if (fromParameter && inLibrary) continue;
        }
        if (topics.length === 0 && reports) unresolved(call.location, call.role, call.transport, templated ? 'the topic name is formatted at run time' : call.recordLiteral ? LITERAL_NO_TOPIC : NO_TOPIC);
      }
    }
  }

  // Producers and consumers inside library functions belong to the units that call them.
  for (const credited of creditLibrarySites(index, librarySites)) {
    if (credited.inLibraryCode || !inFocus(index, credited.unit)) continue;
    const { role, transport, fromParameter } = credited.site.payload;
    let topics = credited.site.payload.topics;
    if (fromParameter) {
      const caller = index.units.get(credited.unit)!;
      const file = fileAt(caller, credited.callSite);
      const call = file ? callAt(file, credited.callSite) : undefined;
      if (!file || !call) continue;
      const resolved = topicsAt(caller, file, call.fn, call.args);
      topics = resolved.topics.map((t) => channelName(transport, t));
      const through = credited.via.map((v) => `${v.unit}::${v.function}`).join(' → ');
      if (topics.length === 0) unresolved(credited.callSite, role, transport, `${resolved.templated ? 'the topic name is formatted at run time' : NO_TOPIC}; passed to ${through}`);
    }
    for (const topic of topics) record(topic, role, credited.unit, credited.scope, { locations: [credited.callSite, credited.site.location], via: credited.via });
  }

  diagnostics.sort((a, b) => compareLocations(a.location!, b.location!) || compareStrings(a.code, b.code));
  return { sites, diagnostics };
}

/**
 * Where a unit produces to or consumes from a topic, whatever the language: Rust and TypeScript
 * sites are drawn into edges together, so a Rust producer and a TypeScript consumer of one topic
 * are an edge. `locations`: the call site, then the library site when credited.
 */
export interface TopicUseSite extends TopicSite {
  topic: string;
  role: Role;
  unit: string;
  scope: Scope;
}

/** One event edge per producer unit, consumer unit, topic and scope; and every topic with a production producer or consumer. */
export function eventEdgesOf(sites: readonly TopicUseSite[]): { edges: Edge[]; topics: TopicUse[] } {
  /** topic -> role -> unit -> scope -> sites (each site: its locations, call site first). */
  const uses = new Map<string, Record<Role, Map<string, Map<Scope, TopicSite[]>>>>();
  for (const { topic, role, unit, scope, locations, via } of sites) {
    let entry = uses.get(topic);
    if (!entry) uses.set(topic, (entry = { producer: new Map(), consumer: new Map() }));
    const byUnit = entry[role];
    const byScope = byUnit.get(unit) ?? new Map<Scope, TopicSite[]>();
    byUnit.set(unit, byScope);
    const list = byScope.get(scope) ?? [];
    byScope.set(scope, list);
    const key = locations.map(formatLocation).join(' ');
    if (!list.some((s) => s.locations.map(formatLocation).join(' ') === key)) list.push({ locations, ...(via ? { via } : {}) });
  }
  // One edge per producer unit, consumer unit, topic and scope.
  const edges: Edge[] = [];
  const topicList: TopicUse[] = [];
  for (const [topic, entry] of [...uses].sort(([a], [b]) => compareStrings(a, b))) {
    const producers = [...entry.producer.keys()].sort(compareStrings);
    const consumers = [...entry.consumer.keys()].sort(compareStrings);
    const live = (byUnit: Map<string, Map<Scope, TopicSite[]>>, units: string[]): string[] => units.filter((u) => byUnit.get(u)!.has('prod'));
    const liveProducers = live(entry.producer, producers);
    const liveConsumers = live(entry.consumer, consumers);
    if (liveProducers.length > 0 || liveConsumers.length > 0) topicList.push({ topic, producers: liveProducers, consumers: liveConsumers });
    for (const from of producers) {
      for (const to of consumers) {
        if (from === to) continue;
        const byScope = new Map<Scope, { produced: TopicSite[]; consumed: TopicSite[] }>();
        for (const [producerScope, produced] of entry.producer.get(from)!) {
          for (const [consumerScope, consumed] of entry.consumer.get(to)!) {
            const scope: Scope = producerScope === 'prod' && consumerScope === 'prod' ? 'prod' : 'test';
            const bucket = byScope.get(scope) ?? { produced: [], consumed: [] };
            byScope.set(scope, bucket);
            for (const site of produced) if (!bucket.produced.includes(site)) bucket.produced.push(site);
            for (const site of consumed) if (!bucket.consumed.includes(site)) bucket.consumed.push(site);
          }
        }
        for (const scope of ['prod', 'test'] as const) {
          const bucket = byScope.get(scope);
          if (!bucket) continue;
          const via = viaOf(bucket.produced);
          edges.push({ from, to, kind: 'event', scope, topic, evidence: flattenSites(bucket.produced, bucket.consumed), ...(via.length > 0 ? { via } : {}) });
        }
      }
    }
  }
  edges.sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to) || compareStrings(a.scope, b.scope) || compareStrings(a.topic!, b.topic!));
  return { edges, topics: topicList };
}
