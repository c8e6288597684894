import { defineRule, type DraftFinding, type RelatedLocation } from '../src/check/types.js';
import { buildDependencyGraph, cyclicComponents, elementaryCycles, type Link } from '../src/graph/dependency-graph.js';
import { SYNCHRONOUS_EDGE_KINDS, type Edge, type EdgeKind, type Location, type Topic } from '../src/model/types.js';
import { formatLocation } from '../src/util/location.js';
import { cutSuggestion } from './no-cycles-utils/cut-edge.js';

export interface NoCyclesOptions {
  between: 'services' | 'units';
  kinds: EdgeKind[];
  includeDeclared: boolean;
  maxCycles: number;
}

type MessageId = 'cycle' | 'declaredCycle' | 'tooManyCycles';

const EDGE_KINDS: EdgeKind[] = ['crate', 'crate-dev', 'crate-build', 'package', 'package-dev', 'import', 'grpc', 'http', 'event'];

/** How an edge is shown: `a → b (grpc FeedService, called)`. */
function describeEdge(edge: Edge): string {
  const details: string[] = [edge.kind];
  if (edge.service) details.push(edge.service.split('.').pop()!);
  if (edge.endpoint) details.push(edge.endpoint);
  if (edge.usage === 'declared') details.push('declared only');
  if (edge.scope === 'test') details.push('test');
  return `${edge.from} → ${edge.to} (${details.join(' ')})`;
}

/** What a piece of call evidence is: the call itself, or where the client or URL comes from. */
function roleOf(edge: Edge, location: Location): string {
  if (edge.kind !== 'grpc' && edge.kind !== 'http') return '';
  const isCall = edge.calls?.some((c) => c.file === location.file && c.line === location.line && c.column === location.column);
  if (isCall) return ': call';
  return edge.kind === 'grpc' ? ': client' : ': target';
}

function describeRoute(link: Link): string {
  return link.routes.map((route) => route.map(describeEdge).join(', ')).join('; ');
}

/** At most this many locations per edge become related locations; the rest are counted. */
const EVIDENCE_PER_EDGE = 5;

/** Every edge of every route of the links along the cycle, in cycle order. */
function cycleEvidence(links: Link[]): RelatedLocation[] {
  const related: RelatedLocation[] = [];
  const seen = new Set<string>();
  for (const link of links) {
    for (const route of link.routes) {
      for (const edge of route) {
        const via = route.length > 1 ? ` (part of ${link.from} → ${link.to} through ${route.slice(0, -1).map((e) => e.to).join(' → ')})` : '';
        const shown = edge.evidence.slice(0, EVIDENCE_PER_EDGE);
        shown.forEach((location, i) => {
          const key = `${describeEdge(edge)}\u0000${formatLocation(location)}`;
          if (seen.has(key)) return;
          seen.add(key);
          const more = i === shown.length - 1 && edge.evidence.length > shown.length ? ` (+${edge.evidence.length - shown.length} more places)` : '';
          related.push({ location, message: `${describeEdge(edge)}${roleOf(edge, location)}${via}${more}` });
        });
      }
    }
  }
  return related;
}

/** Where a cycle finding points: the first call of the first edge when it has calls, else its first evidence. */
function firstLocation(link: Link): Location {
  const edge = link.routes[0]![0]!;
  return edge.calls?.[0] ?? edge.evidence[0]!;
}

export default defineRule<NoCyclesOptions, MessageId>({
  id: 'no-cycles',
  meta: {
    description: 'Services must not depend on each other in a cycle over synchronous edges',
    kind: 'problem',
    defaultSeverity: 'error',
    fix: 'sometimes',
    tags: ['architecture', 'cycles'],
    messages: {
      cycle: 'dependency cycle between {nodeKind}: {path}',
      declaredCycle: 'cycle between {nodeKind} if the clients they construct were called: {path} (no RPC is invoked on at least one edge)',
      tooManyCycles: '{count} or more cycles among {nodeKind} {members}; only the first {listed} are listed, cut edges and run again',
    },
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        between: {
          type: 'string',
          enum: ['services', 'units'],
          description: '"services": libraries are folded into the service edges through them; "units": every crate is a node.',
        },
        kinds: {
          type: 'array',
          items: { type: 'string', enum: EDGE_KINDS },
          description: 'Edge kinds that can form a cycle. Default: the synchronous ones (crate, crate-build, package, import, grpc, http).',
        },
        includeDeclared: {
          type: 'boolean',
          description: 'Count gRPC clients that are constructed but never called as edges of a cycle (default false: they give a separate info finding).',
        },
        maxCycles: {
          type: 'integer',
          minimum: 1,
          description: 'At most this many cycles are listed per strongly connected group; a summary finding says when more exist.',
        },
      },
    },
    defaults: { between: 'services', kinds: [...SYNCHRONOUS_EDGE_KINDS], includeDeclared: false, maxCycles: 100 },
  },
  *check({ model, options, includeTests }) {
    // Dev-dependencies are test-scope edges of their own kinds; --include-tests brings them in.
    const devKinds = includeTests ? (['crate-dev', 'package-dev'] as const).filter((k) => !options.kinds.includes(k)) : [];
    const kinds = devKinds.length > 0 ? [...options.kinds, ...devKinds] : options.kinds;
    const nodeKind = options.between === 'units' ? 'units' : 'services';
    const called = buildDependencyGraph(model, {
      kinds,
      includeTests,
      between: options.between,
      includeTypeOnly: false,
      accept: options.includeDeclared ? undefined : (edge) => edge.usage !== 'declared',
    });
    const reported = new Set<string>();
    for (const draft of cyclesOf(called, 'cycle', nodeKind, options.maxCycles, model.topics)) {
      reported.add(draft.identity.join('\u0000'));
      yield draft;
    }
    if (options.includeDeclared) return;
    // Cycles that need a declared-only edge: worth knowing, not worth failing a build.
    const withDeclared = buildDependencyGraph(model, { kinds, includeTests, between: options.between, includeTypeOnly: false });
    for (const draft of cyclesOf(withDeclared, 'declaredCycle', nodeKind, options.maxCycles, model.topics)) {
      if (draft.messageId === 'tooManyCycles' || reported.has(draft.identity.join('\u0000'))) continue;
      yield { ...draft, severity: 'info', identity: ['declared', ...draft.identity] };
    }
  },
});

function* cyclesOf(
  dependencyGraph: ReturnType<typeof buildDependencyGraph>,
  messageId: 'cycle' | 'declaredCycle',
  nodeKind: string,
  maxCycles: number,
  topics: readonly Topic[],
): Generator<DraftFinding<MessageId>> {
  for (const component of cyclicComponents(dependencyGraph.graph)) {
    const { cycles, truncated } = elementaryCycles(dependencyGraph.graph, component, maxCycles);
    for (const cycle of cycles) {
      const links = cycle.map((node, i) => dependencyGraph.link(node, cycle[(i + 1) % cycle.length]!)!);
      yield {
        messageId,
        data: {
          nodeKind,
          path: [...cycle, cycle[0]!].join(' → '),
          edges: links.map(describeRoute).join(' | '),
        },
        location: firstLocation(links[0]!),
        related: cycleEvidence(links),
        identity: [nodeKind, ...cycle],
        suggestions: [cutSuggestion(links, topics)],
      };
    }
    if (truncated) {
      yield {
        messageId: 'tooManyCycles',
        data: { count: cycles.length, nodeKind, members: component.join(', '), listed: maxCycles },
        location: firstLocation(dependencyGraph.link(cycles[0]![0]!, cycles[0]![1 % cycles[0]!.length]!)!),
        identity: ['too-many', nodeKind, ...component],
      };
    }
  }
}
