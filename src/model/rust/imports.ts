import type { Diagnostic } from '../types.js';
import { EdgeSet } from './edge-set.js';
import { inFocus, scopeOf, type SourceIndex } from './source-index.js';

/** Segments that never name another crate. */
const LOCAL_ROOTS = new Set(['crate', 'self', 'super', 'Self', 'std', 'core', 'alloc']);

/**
 * Import edges: a `use other_crate::...` or a qualified path `other_crate::x::y` in compiled code
 * naming a workspace member the unit depends on (by its code name: package name with `-` as
 * `_`, or the manifest rename).
 */
export function resolveImportEdges(index: SourceIndex): { edges: EdgeSet; diagnostics: Diagnostic[] } {
  const edges = new EdgeSet();
  for (const sources of index.units.values()) {
    if (sources.crateNames.size === 0 || !inFocus(index, sources.unit.name)) continue;
    const from = sources.unit.name;
    const targetOf = (segments: readonly string[]): string | undefined => {
      const first = segments[0] === '' ? segments[1] : segments[0];
      if (first === undefined || LOCAL_ROOTS.has(first)) return undefined;
      return sources.crateNames.get(first);
    };
    for (const file of sources.files) {
      const { facts } = file;
      for (const use of facts.uses) {
        const to = targetOf(use.segments);
        if (to) edges.add({ from, to, kind: 'import', scope: scopeOf(file, use), evidence: [use.location] });
      }
      for (const path of facts.paths) {
        const to = targetOf(path.segments);
        if (to) edges.add({ from, to, kind: 'import', scope: scopeOf(file, path), evidence: [path.location] });
      }
      for (const macro of facts.macros) {
        if (macro.segments.length < 2) continue;
        const to = targetOf(macro.segments);
        if (to) edges.add({ from, to, kind: 'import', scope: scopeOf(file, macro), evidence: [macro.location] });
      }
    }
  }
  return { edges, diagnostics: [] };
}
