import type { Suggestion } from '../../src/check/types.js';
import type { Link } from '../../src/graph/dependency-graph.js';
import type { Edge, Location, Topic } from '../../src/model/types.js';
import { compareLocations, compareStrings, formatLocation } from '../../src/util/location.js';

/**
 * Which edge of a cycle to cut, and what replaces it. The edge is the link (one hop of the
 * cycle, `from → to`) with the fewest call sites in `from`'s code; ties go to the cheaper kind
 * (a client that is never called, then manifest and import dependencies, then gRPC and HTTP
 * calls), then to a link an existing topic can replace, then to the first link in cycle order.
 */

/** How many call sites are listed in a suggestion; the rest are counted. */
const SITES_SHOWN = 5;

export interface CutCandidate {
  link: Link;
  /** The edges out of `from` that make the link (the first hop of each route), without repeats. */
  edges: Edge[];
  /** Places in `from`'s code that use the link: RPC calls, requests, imports. */
  sites: Location[];
  /** 0: a client never called; 1: manifest or import; 2: gRPC or HTTP calls; 3: anything else. */
  rank: number;
  /** Topics `from` publishes and `to` consumes already. */
  topics: string[];
}

function isManifestKind(edge: Edge): boolean {
  return edge.kind.startsWith('crate') || edge.kind.startsWith('package');
}

function isCallKind(edge: Edge): boolean {
  return edge.kind === 'grpc' || edge.kind === 'http';
}

/** A call-kind edge's calls (none when it only constructs a client), an import's evidence, nothing for a manifest edge. */
function sitesOf(edge: Edge): Location[] {
  if (isCallKind(edge)) return edge.usage === 'declared' ? [] : (edge.calls ?? edge.evidence);
  if (edge.kind === 'import') return edge.evidence;
  return [];
}

function rankOf(edge: Edge): number {
  if (isCallKind(edge)) return edge.usage === 'declared' ? 0 : 2;
  if (isManifestKind(edge) || edge.kind === 'import') return 1;
  return 3;
}

function candidate(link: Link, topics: readonly Topic[]): CutCandidate {
  const edges = [...new Set(link.routes.map((route) => route[0]!))];
  const byPlace = new Map(edges.flatMap(sitesOf).map((l) => [formatLocation(l), l]));
  const sites = [...byPlace.values()].sort(compareLocations);
  return {
    link,
    edges,
    sites,
    rank: Math.max(...edges.map(rankOf)),
    topics: topics.filter((t) => t.producers.includes(link.from) && t.consumers.includes(link.to)).map((t) => t.topic).sort(compareStrings),
  };
}

/** The link of the cycle to cut (see the module comment for the order). */
export function edgeToCut(links: readonly Link[], topics: readonly Topic[]): CutCandidate {
  const candidates = links.map((link) => candidate(link, topics));
  const order = candidates.map((c, index) => ({ c, index }));
  order.sort(
    (a, b) =>
      a.c.sites.length - b.c.sites.length ||
      a.c.rank - b.c.rank ||
      Number(b.c.topics.length > 0) - Number(a.c.topics.length > 0) ||
      a.index - b.index,
  );
  return order[0]!.c;
}

function describe(edge: Edge): string {
  const details: string[] = [edge.kind];
  if (edge.service) details.push(edge.service.split('.').pop()!);
  if (edge.endpoint) details.push(edge.endpoint);
  if (edge.usage === 'declared') details.push('declared only');
  return details.join(' ');
}

function listSites(sites: readonly Location[]): string {
  const shown = sites.slice(0, SITES_SHOWN).map(formatLocation).join(', ');
  return sites.length > SITES_SHOWN ? `${shown} (+${sites.length - SITES_SHOWN} more)` : shown;
}

/** What replaces the cut edge: the topic `to` already consumes from `from`, or an event to introduce. */
function replacement(cut: CutCandidate, topics: readonly Topic[]): string {
  const { from, to } = cut.link;
  if (cut.topics.length > 0) {
    return `publish to ${cut.topics.map((t) => `\`${t}\``).join(' or ')} instead, which ${to} already consumes from ${from}`;
  }
  if (!cut.edges.some(isCallKind)) return `move what ${from} uses of ${to} into a library that depends on neither`;
  const consumed = topics.filter((t) => t.consumers.includes(to)).map((t) => `\`${t.topic}\``).sort(compareStrings);
  if (consumed.length > 0) return `replace the call with an event ${to} consumes (it consumes ${consumed.join(', ')})`;
  return `replace the call with an event ${from} publishes and ${to} consumes (no topic links them yet)`;
}

/** The display-only suggestion of a cycle finding: the edge to cut, its call sites, and its replacement. */
export function cutSuggestion(links: readonly Link[], topics: readonly Topic[]): Suggestion {
  const cut = edgeToCut(links, topics);
  const { from, to } = cut.link;
  const through = [...new Set(cut.link.routes.filter((r) => r.length > 1).flatMap((r) => r.slice(0, -1).map((e) => e.to)))];
  const name = `${from} → ${to}${through.length > 0 ? ` through ${through.join(', ')}` : ''} (${[...new Set(cut.edges.map(describe))].join(', ')})`;
  const parts = [`Cut ${name}, the edge of this cycle with the fewest call sites`];
  if (cut.sites.length > 0) {
    parts[0] += ` (${cut.sites.length}): ${listSites(cut.sites)}`;
  } else {
    parts[0] += ' (none)';
  }
  const clients = cut.edges.filter((e) => isCallKind(e) && e.usage === 'declared').flatMap((e) => e.evidence);
  if (clients.length > 0) parts.push(`remove the client built at ${listSites(clients)}, which is never called`);
  const declarations = cut.edges.filter(isManifestKind).map((e) => e.evidence[0]!).sort(compareLocations);
  if (declarations.length > 0) parts.push(`remove the dependency declared at ${listSites(declarations)}`);
  // A client that is never called needs no replacement.
  if (!cut.edges.every((e) => isCallKind(e) && e.usage === 'declared')) parts.push(replacement(cut, topics));
  return { title: parts.join('; '), applicability: 'display-only', edits: [] };
}
