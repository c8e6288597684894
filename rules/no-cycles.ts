import { defineRule, type DraftFinding, type RelatedLocation } from '../src/check/types.js';
import { buildDependencyGraph, cyclicComponents, elementaryCycles, type Link } from '../src/graph/dependency-graph.js';
import { SYNCHRONOUS_EDGE_KINDS, type EdgeKind, type Location } from '../src/model/types.js';
import { formatLocation } from '../src/util/location.js';

export interface NoCyclesOptions {
  between: 'services' | 'units';
  kinds: EdgeKind[];
  maxCycles: number;
}

type MessageId = 'cycle' | 'tooManyCycles';

const EDGE_KINDS: EdgeKind[] = ['crate', 'crate-dev', 'crate-build', 'import', 'grpc', 'http', 'event'];

function describeRoute(link: Link): string {
  return link.routes
    .map((route) => route.map((edge) => `${edge.from} → ${edge.to} (${edge.kind})`).join(', '))
    .join('; ');
}

/** Every edge of every route of the links along the cycle, in cycle order. */
function cycleEvidence(links: Link[]): RelatedLocation[] {
  const related: RelatedLocation[] = [];
  const seen = new Set<string>();
  for (const link of links) {
    for (const route of link.routes) {
      for (const edge of route) {
        for (const location of edge.evidence) {
          const key = `${edge.from}\u0000${edge.to}\u0000${edge.kind}\u0000${formatLocation(location)}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const via = route.length > 1 ? ` (part of ${link.from} → ${link.to} through ${route.slice(0, -1).map((e) => e.to).join(' → ')})` : '';
          related.push({ location, message: `${edge.from} → ${edge.to} (${edge.kind})${via}` });
        }
      }
    }
  }
  return related;
}

function firstLocation(link: Link): Location {
  return link.routes[0]![0]!.evidence[0]!;
}

export default defineRule<NoCyclesOptions, MessageId>({
  id: 'no-cycles',
  meta: {
    description: 'Services must not depend on each other in a cycle over synchronous edges',
    kind: 'problem',
    defaultSeverity: 'error',
    fix: 'none',
    tags: ['architecture', 'cycles'],
    messages: {
      cycle: 'dependency cycle between {nodeKind}: {path}',
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
          description: 'Edge kinds that can form a cycle. Default: the synchronous ones (crate, crate-build, import, grpc, http).',
        },
        maxCycles: {
          type: 'integer',
          minimum: 1,
          description: 'At most this many cycles are listed per strongly connected group; a summary finding says when more exist.',
        },
      },
    },
    defaults: { between: 'services', kinds: [...SYNCHRONOUS_EDGE_KINDS], maxCycles: 100 },
  },
  *check({ model, options, includeTests }) {
    // Dev-dependencies are test-scope edges of their own kind; --include-tests brings them in.
    const kinds = includeTests && !options.kinds.includes('crate-dev') ? [...options.kinds, 'crate-dev' as const] : options.kinds;
    const dependencyGraph = buildDependencyGraph(model, { kinds, includeTests, between: options.between });
    const nodeKind = options.between === 'units' ? 'units' : 'services';
    for (const component of cyclicComponents(dependencyGraph.graph)) {
      const { cycles, truncated } = elementaryCycles(dependencyGraph.graph, component, options.maxCycles);
      for (const cycle of cycles) {
        const links = cycle.map((node, i) => dependencyGraph.link(node, cycle[(i + 1) % cycle.length]!)!);
        const draft: DraftFinding<MessageId> = {
          messageId: 'cycle',
          data: {
            nodeKind,
            path: [...cycle, cycle[0]!].join(' → '),
            edges: links.map(describeRoute).join(' | '),
          },
          location: firstLocation(links[0]!),
          related: cycleEvidence(links),
          identity: [nodeKind, ...cycle],
        };
        yield draft;
      }
      if (truncated) {
        yield {
          messageId: 'tooManyCycles',
          data: { count: cycles.length, nodeKind, members: component.join(', '), listed: options.maxCycles },
          location: firstLocation(dependencyGraph.link(cycles[0]![0]!, cycles[0]![1 % cycles[0]!.length]!)!),
          identity: ['too-many', nodeKind, ...component],
        };
      }
    }
  },
});
