import { describe, expect, it } from 'vitest';
import { Digraph } from '../../src/graph/digraph.js';

describe('Digraph', () => {
  it('keeps nodes and successors in insertion order, each edge once', () => {
    const graph = new Digraph();
    for (const node of ['b', 'a', 'c', 'a']) graph.addNode(node);
    graph.addEdge('a', 'c');
    graph.addEdge('a', 'b');
    graph.addEdge('a', 'c');
    expect(graph.nodes()).toEqual(['b', 'a', 'c']);
    expect(graph.outNeighbors('a')).toEqual(['c', 'b']);
    expect(graph.outNeighbors('b')).toEqual([]);
    expect(graph.outNeighbors('missing')).toEqual([]);
    expect(graph.hasNode('c')).toBe(true);
    expect(graph.hasNode('d')).toBe(false);
  });

  it('hands out copies, so sorting successors does not reorder the graph', () => {
    const graph = new Digraph();
    for (const node of ['a', 'z', 'm']) graph.addNode(node);
    graph.addEdge('a', 'z');
    graph.addEdge('a', 'm');
    graph.outNeighbors('a').sort();
    expect(graph.outNeighbors('a')).toEqual(['z', 'm']);
  });

  it('refuses self-loops and edges to unknown nodes', () => {
    const graph = new Digraph();
    graph.addNode('a');
    expect(() => graph.addEdge('a', 'a')).toThrow(/self-loop/);
    expect(() => graph.addEdge('a', 'b')).toThrow(/unknown nodes/);
  });
});
