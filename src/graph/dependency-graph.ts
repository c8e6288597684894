import type { Edge, EdgeKind, Model } from '../model/types.js';
import { compareStrings } from '../util/location.js';
import { Digraph } from './digraph.js';

export interface GraphOptions {
  /** Edge kinds that take part. */
  kinds: readonly EdgeKind[];
  /** Whether test-scope edges (dev-dependencies, test code) take part. */
  includeTests: boolean;
  /** `services`: libraries are folded into the service edges that pass through them; `units`: every unit is a node. */
  between: 'services' | 'units';
  /** Extra filter on model edges (e.g. only gRPC edges with `called` usage). */
  accept?: (edge: Edge) => boolean;
  /** Whether type-only import edges take part (default: yes; no-cycles leaves them out). */
  includeTypeOnly?: boolean;
}

/** One route from a node to another: the model edges it follows (through libraries when folded). */
export type Route = readonly Edge[];

/** A directed link of the analysed graph with every route that makes it. */
export interface Link {
  from: string;
  to: string;
  routes: Route[];
}

export interface DependencyGraph {
  graph: Digraph;
  link(from: string, to: string): Link | undefined;
  links: Link[];
}

/** Edge kinds through which a library passes a dependency on to the units that use it. */
const STRUCTURAL_KINDS = new Set<EdgeKind>(['crate', 'crate-build', 'crate-dev', 'package', 'package-dev', 'import']);

function linkKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

/**
 * The graph the rules query. With `between: 'services'` a service that depends on a library that
 * depends on another service depends on that service; the route keeps every hop as evidence.
 */
export function buildDependencyGraph(model: Model, options: GraphOptions): DependencyGraph {
  const kinds = new Set(options.kinds);
  const kindOf = new Map(model.units.map((u) => [u.name, u.kind]));
  const edges = model.edges.filter(
    (e) =>
      kinds.has(e.kind) &&
      (options.includeTests || e.scope === 'prod') &&
      (options.includeTypeOnly !== false || !e.typeOnly) &&
      kindOf.has(e.from) &&
      kindOf.has(e.to) &&
      (options.accept ? options.accept(e) : true),
  );
  const outgoing = new Map<string, Edge[]>();
  for (const edge of edges) {
    const list = outgoing.get(edge.from) ?? [];
    list.push(edge);
    outgoing.set(edge.from, list);
  }
  for (const list of outgoing.values()) {
    list.sort((a, b) => compareStrings(a.to, b.to) || compareStrings(a.kind, b.kind));
  }

  const links = new Map<string, Link>();
  const addRoute = (from: string, to: string, route: Route): void => {
    const key = linkKey(from, to);
    const link = links.get(key) ?? { from, to, routes: [] };
    link.routes.push(route);
    links.set(key, link);
  };

  const nodes = model.units
    .filter((u) => options.between === 'units' || u.kind === 'service')
    .map((u) => u.name)
    .sort(compareStrings);
  if (options.between === 'units') {
    for (const edge of edges) if (edge.from !== edge.to) addRoute(edge.from, edge.to, [edge]);
  } else {
    for (const service of nodes) {
      for (const first of outgoing.get(service) ?? []) {
        if (first.to === service) continue;
        if (kindOf.get(first.to) === 'service') {
          addRoute(service, first.to, [first]);
          continue;
        }
        // Shortest routes from this first library hop to each service reachable through libraries only.
        const reached = new Map<string, Route>([[first.to, [first]]]);
        const queue = [first.to];
        while (queue.length > 0) {
          const current = queue.shift()!;
          const route = reached.get(current)!;
          for (const next of outgoing.get(current) ?? []) {
            // From a library only structural edges lead on: its own gRPC/HTTP calls are credited
            // to the services that call them, so depending on a client library is no call.
            if (!STRUCTURAL_KINDS.has(next.kind)) continue;
            if (reached.has(next.to)) continue;
            const extended = [...route, next];
            reached.set(next.to, extended);
            if (kindOf.get(next.to) === 'service') {
              if (next.to !== service) addRoute(service, next.to, extended);
            } else {
              queue.push(next.to);
            }
          }
        }
      }
    }
  }

  const graph = new Digraph();
  for (const node of nodes) graph.addNode(node);
  const sortedLinks = [...links.values()]
    .filter((l) => graph.hasNode(l.from) && graph.hasNode(l.to))
    .sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to));
  for (const link of sortedLinks) graph.addEdge(link.from, link.to);
  return { graph, links: sortedLinks, link: (from, to) => links.get(linkKey(from, to)) };
}

/** Strongly connected components with more than one node, each sorted, in a stable order. */
export function cyclicComponents(graph: Digraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  const nodes = graph.nodes().sort(compareStrings);
  const successors = (node: string): string[] => graph.outNeighbors(node).sort(compareStrings);
  // Iterative Tarjan, so a long chain cannot overflow the call stack.
  for (const start of nodes) {
    if (index.has(start)) continue;
    const work: { node: string; next: number; succ: string[] }[] = [];
    const visit = (node: string): void => {
      index.set(node, counter);
      low.set(node, counter);
      counter++;
      stack.push(node);
      onStack.add(node);
      work.push({ node, next: 0, succ: successors(node) });
    };
    visit(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      if (frame.next < frame.succ.length) {
        const successor = frame.succ[frame.next++]!;
        if (!index.has(successor)) visit(successor);
        else if (onStack.has(successor)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(successor)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        if (component.length > 1) components.push(component.sort(compareStrings));
      }
    }
  }
  return components.sort((a, b) => compareStrings(a[0]!, b[0]!));
}

export interface CycleEnumeration {
  /** Elementary cycles, each rotated to start at its smallest node, without repeating the start. */
  cycles: string[][];
  /** True when `limit` stopped the enumeration before every cycle was found. */
  truncated: boolean;
}

/**
 * Elementary cycles of one strongly connected component (Johnson's algorithm), at most `limit`.
 * A dense component has exponentially many cycles, so the cap keeps a run from hanging.
 */
export function elementaryCycles(graph: Digraph, component: readonly string[], limit: number): CycleEnumeration {
  const order = [...component].sort(compareStrings);
  const members = new Set(order);
  const successors = new Map(order.map((n) => [n, graph.outNeighbors(n).filter((m: string) => members.has(m)).sort(compareStrings)]));
  const cycles: string[][] = [];
  let truncated = false;
  for (let s = 0; s < order.length && !truncated; s++) {
    const start = order[s]!;
    const allowed = new Set(order.slice(s));
    const blocked = new Set<string>();
    const blockMap = new Map<string, Set<string>>();
    const path: string[] = [];
    const unblock = (node: string): void => {
      const pending = [node];
      while (pending.length > 0) {
        const current = pending.pop()!;
        if (!blocked.delete(current)) continue;
        const waiting = blockMap.get(current);
        if (waiting) {
          pending.push(...waiting);
          waiting.clear();
        }
      }
    };
    const circuit = (node: string): boolean => {
      let found = false;
      path.push(node);
      blocked.add(node);
      for (const next of successors.get(node)!) {
        if (!allowed.has(next)) continue;
        if (next === start) {
          cycles.push([...path]);
          found = true;
          if (cycles.length >= limit) {
            truncated = true;
            break;
          }
        } else if (!blocked.has(next)) {
          if (circuit(next)) found = true;
          if (truncated) break;
        }
      }
      if (found) unblock(node);
      else {
        for (const next of successors.get(node)!) {
          if (!allowed.has(next)) continue;
          const set = blockMap.get(next) ?? new Set<string>();
          set.add(node);
          blockMap.set(next, set);
        }
      }
      path.pop();
      return found;
    };
    circuit(start);
  }
  // Johnson finds cycles starting at their smallest node; sort short ones first for readability.
  cycles.sort((a, b) => a.length - b.length || compareStrings(a.join('\u0000'), b.join('\u0000')));
  return { cycles, truncated };
}
