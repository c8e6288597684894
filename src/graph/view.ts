import type { EdgeKind, Model, UnitKind } from '../model/types.js';
import { compareStrings } from '../util/location.js';
import { buildDependencyGraph } from './dependency-graph.js';

export interface GraphViewNode {
  name: string;
  kind: UnitKind;
}

export interface GraphViewLink {
  from: string;
  to: string;
  /** Kinds of the model edges behind this link (through libraries when folded), sorted. */
  kinds: EdgeKind[];
  /** Part of a reported violation (e.g. an edge of a cycle). */
  violating: boolean;
  /** How many pieces of evidence back the link. */
  evidence: number;
  /** Every gRPC/HTTP edge behind the link only constructs a client: no call is made. */
  declaredOnly: boolean;
}

export interface GraphView {
  nodes: GraphViewNode[];
  links: GraphViewLink[];
}

export interface GraphViewOptions {
  kinds: readonly EdgeKind[];
  includeTests: boolean;
  between: 'services' | 'units';
  /** Keep only this unit and its direct neighbours. */
  focus?: string;
}

/** The picture of the graph for `boundary-lint graph`: nodes, links with their kinds, violations marked. */
export function buildGraphView(model: Model, options: GraphViewOptions, violating: ReadonlySet<string>): GraphView {
  const graph = buildDependencyGraph(model, { kinds: options.kinds, includeTests: options.includeTests, between: options.between });
  let links: GraphViewLink[] = graph.links.map((link) => {
    const kinds = new Set<EdgeKind>();
    let evidence = 0;
    let declaredOnly = true;
    for (const route of link.routes) {
      for (const edge of route) {
        kinds.add(edge.kind);
        evidence += edge.evidence.length;
      }
      if (route[0]!.usage !== 'declared') declaredOnly = false;
    }
    return {
      from: link.from,
      to: link.to,
      kinds: [...kinds].sort(compareStrings),
      violating: violating.has(`${link.from}\u0000${link.to}`),
      evidence,
      declaredOnly,
    };
  });
  const kindOf = new Map(model.units.map((u) => [u.name, u.kind]));
  let names = graph.graph.nodes();
  if (options.focus !== undefined) {
    const focus = options.focus;
    links = links.filter((l) => l.from === focus || l.to === focus);
    const kept = new Set([focus, ...links.flatMap((l) => [l.from, l.to])]);
    names = names.filter((n) => kept.has(n));
  }
  const nodes = names.sort(compareStrings).map((name) => ({ name, kind: kindOf.get(name)! }));
  return { nodes, links };
}

/** Key of a directed pair in the `violating` set. */
export function pairKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}
