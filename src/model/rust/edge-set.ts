import type { Edge, Location } from '../types.js';
import { compareLocations, compareStrings } from '../../util/location.js';

/** Collects source-level edges, merging by (from, to, kind, scope, service/topic/endpoint) and de-duplicating evidence. */
export class EdgeSet {
  private readonly edges = new Map<string, Edge>();

  add(edge: Omit<Edge, 'evidence'> & { evidence: Location[] }): void {
    if (edge.from === edge.to) return;
    const key = [edge.from, edge.to, edge.kind, edge.scope, edge.service ?? '', edge.topic ?? '', edge.endpoint ?? '', edge.typeOnly ? 'type' : ''].join('\u0000');
    const existing = this.edges.get(key);
    if (!existing) {
      this.edges.set(key, { ...edge, evidence: [...edge.evidence], ...(edge.calls ? { calls: [...edge.calls] } : {}), ...(edge.via ? { via: [...edge.via] } : {}) });
      return;
    }
    mergeLocations(existing.evidence, edge.evidence);
    if (edge.calls) mergeLocations((existing.calls ??= []), edge.calls);
    if (edge.usage === 'called') existing.usage = 'called';
    for (const step of edge.via ?? []) {
      const via = (existing.via ??= []);
      if (!via.some((v) => v.unit === step.unit && v.function === step.function)) via.push(step);
    }
  }

  /**
   * The edges in a stable order. Evidence keeps the order it was found in (files sorted, then
   * source order), so the first piece is the one findings point at: a call before its URL.
   */
  toArray(): Edge[] {
    const result = [...this.edges.values()];
    for (const edge of result) {
      edge.via?.sort((a, b) => compareStrings(a.unit, b.unit) || compareStrings(a.function, b.function));
    }
    return result.sort(
      (a, b) =>
        compareStrings(a.from, b.from) ||
        compareStrings(a.to, b.to) ||
        compareStrings(a.kind, b.kind) ||
        compareStrings(a.scope, b.scope) ||
        compareStrings(a.service ?? a.topic ?? a.endpoint ?? '', b.service ?? b.topic ?? b.endpoint ?? '') ||
        Number(a.typeOnly ?? false) - Number(b.typeOnly ?? false),
    );
  }
}

function mergeLocations(into: Location[], from: readonly Location[]): void {
  for (const location of from) {
    if (!into.some((l) => compareLocations(l, location) === 0)) into.push(location);
  }
}
