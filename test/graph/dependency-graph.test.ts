import { describe, expect, it } from 'vitest';
import { buildDependencyGraph, cyclicComponents, elementaryCycles } from '../../src/graph/dependency-graph.js';
import { Digraph } from '../../src/graph/digraph.js';
import type { Edge, Model, Unit } from '../../src/model/types.js';

function unit(name: string, kind: Unit['kind']): Unit {
  return { name, kind, path: name, language: 'rust', manifest: `${name}/Cargo.toml`, workspace: 'Cargo.toml', kindSource: 'binary-target', binaries: [], hasLibrary: true, externalDependencies: [] };
}
function edge(from: string, to: string, kind: Edge['kind'] = 'crate', scope: Edge['scope'] = 'prod'): Edge {
  return { from, to, kind, scope, evidence: [{ file: `${from}/Cargo.toml`, line: 7, column: 1 }] };
}
function graphOf(pairs: [string, string][]): Digraph {
  const graph = new Digraph();
  for (const [a, b] of pairs) {
    graph.addNode(a);
    graph.addNode(b);
    graph.addEdge(a, b);
  }
  return graph;
}

describe('buildDependencyGraph', () => {
  const model: Model = {
    units: [unit('media', 'service'), unit('video', 'service'), unit('upload', 'library'), unit('core', 'library'), unit('search', 'service')],
    edges: [edge('media', 'video'), edge('video', 'upload'), edge('upload', 'media'), edge('upload', 'core'), edge('search', 'core'), edge('core', 'search', 'crate-dev', 'test')],
    diagnostics: [],
    topics: [],
    grpcServices: [],
    tableAccesses: [],
    owners: {},
    ownershipConflicts: [],
  };

  it('folds libraries into service links and keeps every hop as the route', () => {
    const graph = buildDependencyGraph(model, { kinds: ['crate'], includeTests: false, between: 'services' });
    expect(graph.links.map((l) => `${l.from}->${l.to}`)).toEqual(['media->video', 'video->media']);
    expect(graph.link('video', 'media')!.routes.map((r) => r.map((e) => `${e.from}>${e.to}`))).toEqual([['video>upload', 'upload>media']]);
  });

  it('keeps libraries as nodes with between: units, and admits test edges only on request', () => {
    const without = buildDependencyGraph(model, { kinds: ['crate', 'crate-dev'], includeTests: false, between: 'units' });
    expect(without.link('core', 'search')).toBeUndefined();
    const withTests = buildDependencyGraph(model, { kinds: ['crate', 'crate-dev'], includeTests: true, between: 'units' });
    expect(withTests.link('core', 'search')?.routes[0]![0]!.kind).toBe('crate-dev');
  });
});

describe('cycle enumeration', () => {
  it('finds strongly connected groups', () => {
    const graph = graphOf([['a', 'b'], ['b', 'a'], ['c', 'd'], ['d', 'e'], ['e', 'c'], ['e', 'f']]);
    expect(cyclicComponents(graph)).toEqual([['a', 'b'], ['c', 'd', 'e']]);
  });

  it('lists each elementary cycle once, rotated to its smallest node, shortest first', () => {
    const graph = graphOf([['a', 'b'], ['b', 'a'], ['b', 'c'], ['c', 'a'], ['c', 'b']]);
    const { cycles, truncated } = elementaryCycles(graph, ['a', 'b', 'c'], 100);
    expect(truncated).toBe(false);
    expect(cycles).toEqual([['a', 'b'], ['b', 'c'], ['a', 'b', 'c']]);
  });

  it('stops at the cap on a dense group instead of enumerating exponentially many cycles', () => {
    const names = Array.from({ length: 12 }, (_, i) => `s${String(i).padStart(2, '0')}`);
    const pairs: [string, string][] = [];
    for (const a of names) for (const b of names) if (a !== b) pairs.push([a, b]);
    const graph = graphOf(pairs);
    const started = Date.now();
    const { cycles, truncated } = elementaryCycles(graph, names, 50);
    expect(truncated).toBe(true);
    expect(cycles).toHaveLength(50);
    expect(new Set(cycles.map((c) => c.join(','))).size).toBe(50);
    // Generous bound: the complete graph on 12 nodes has billions of cycles.
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
