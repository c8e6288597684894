import type { Edge } from './types.js';
import { compareLocations } from '../util/location.js';

/**
 * Adds a manifest dependency edge (Cargo or npm), merging repeated declarations of the same
 * (from, to, kind) into one edge with every line as evidence. The edge is optional, or
 * target-specific, only if every declaration of it is.
 */
export function addManifestEdge(index: Map<string, Edge>, edge: Edge): void {
  if (edge.from === edge.to) return;
  const key = `${edge.from}\u0000${edge.to}\u0000${edge.kind}`;
  const existing = index.get(key);
  if (!existing) {
    const clean: Edge = { from: edge.from, to: edge.to, kind: edge.kind, scope: edge.scope, evidence: [...edge.evidence] };
    if (edge.optional) clean.optional = true;
    if (edge.target) clean.target = edge.target;
    if (edge.rename) clean.rename = edge.rename;
    index.set(key, clean);
    return;
  }
  for (const location of edge.evidence) {
    if (!existing.evidence.some((e) => compareLocations(e, location) === 0)) existing.evidence.push(location);
  }
  if (!edge.optional) delete existing.optional;
  if (!edge.target) delete existing.target;
}
