import type { Edge, EdgeKind, Model, Unit } from '../model/types.js';
import { compareStrings } from '../util/location.js';
import { buildDependencyGraph, type Link } from './dependency-graph.js';

/** Who a unit depends on and who depends on it, directly and (for services) through libraries. */
export interface UnitExplanation {
  unit: Unit;
  outgoing: Edge[];
  incoming: Edge[];
  /** Service-graph links through libraries (only for services): `S → this` and `this → T`. */
  servicesDependingOnIt: Link[];
  servicesItDependsOn: Link[];
}

const ALL_KINDS: EdgeKind[] = ['crate', 'crate-build', 'crate-dev', 'package', 'package-dev', 'import', 'grpc', 'http', 'event'];

export function explainUnit(model: Model, unit: Unit, includeTests: boolean): UnitExplanation {
  const visible = (e: Edge): boolean => includeTests || e.scope === 'prod';
  const byKind = (a: Edge, b: Edge): number => compareStrings(a.kind, b.kind) || compareStrings(a.from, b.from) || compareStrings(a.to, b.to);
  const outgoing = model.edges.filter((e) => e.from === unit.name && visible(e)).sort(byKind);
  const incoming = model.edges.filter((e) => e.to === unit.name && visible(e)).sort(byKind);
  let servicesDependingOnIt: Link[] = [];
  let servicesItDependsOn: Link[] = [];
  if (unit.kind === 'service') {
    const graph = buildDependencyGraph(model, { kinds: ALL_KINDS, includeTests, between: 'services' });
    // Only links that pass through a library add something the direct edges do not show.
    const throughLibraries = (link: Link): boolean => link.routes.some((r) => r.length > 1);
    servicesDependingOnIt = graph.links.filter((l) => l.to === unit.name && throughLibraries(l));
    servicesItDependsOn = graph.links.filter((l) => l.from === unit.name && throughLibraries(l));
  }
  return { unit, outgoing, incoming, servicesDependingOnIt, servicesItDependsOn };
}
