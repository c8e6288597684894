/**
 * A directed graph over unit names: nodes and successors in insertion order, no parallel edges,
 * no self-loops. All the cycle algorithms need; graphology did the same in 133 KB of bundle
 * that every run had to compile (docs/benchmarks.md, warm path).
 */
export class Digraph {
  private readonly successors = new Map<string, string[]>();
  private readonly edgeKeys = new Set<string>();

  /** Adds a node; adding one that exists is a no-op. */
  addNode(node: string): void {
    if (!this.successors.has(node)) this.successors.set(node, []);
  }

  hasNode(node: string): boolean {
    return this.successors.has(node);
  }

  /** Nodes in the order they were added. */
  nodes(): string[] {
    return [...this.successors.keys()];
  }

  /** Adds the edge `from -> to` once; both nodes must exist, and a self-loop is refused. */
  addEdge(from: string, to: string): void {
    const out = this.successors.get(from);
    if (out === undefined || !this.successors.has(to)) throw new Error(`Digraph: edge ${from} -> ${to} between unknown nodes`);
    if (from === to) throw new Error(`Digraph: self-loop on ${from}`);
    const key = `${from}\u0000${to}`;
    if (this.edgeKeys.has(key)) return;
    this.edgeKeys.add(key);
    out.push(to);
  }

  /** Successors of a node in the order their edges were added (a copy; empty for an unknown node). */
  outNeighbors(node: string): string[] {
    return [...(this.successors.get(node) ?? [])];
  }
}
