import type { GraphView } from '../graph/view.js';

/** Formats of `boundary-lint graph`. */
export const GRAPH_FORMATS = ['mermaid', 'dot', 'json'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

function mermaidId(name: string): string {
  return `n_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

function mermaidLabel(text: string): string {
  return text.replace(/"/g, '#quot;');
}

/** Mermaid flowchart: services as boxes, libraries as rounded, events dashed, violations red. */
export function renderGraphMermaid(view: GraphView): string {
  const lines = ['flowchart LR'];
  for (const node of view.nodes) {
    const id = mermaidId(node.name);
    lines.push(node.kind === 'service' ? `  ${id}["${mermaidLabel(node.name)}"]` : `  ${id}("${mermaidLabel(node.name)}")`);
  }
  const violating: number[] = [];
  view.links.forEach((link, index) => {
    const asynchronous = link.kinds.every((k) => k === 'event');
    const arrow = asynchronous || link.declaredOnly ? '-.->' : '-->';
    const label = link.declaredOnly ? `${link.kinds.join(', ')} (declared)` : link.kinds.join(', ');
    lines.push(`  ${mermaidId(link.from)} ${arrow}|${label}| ${mermaidId(link.to)}`);
    if (link.violating) violating.push(index);
  });
  if (violating.length > 0) lines.push(`  linkStyle ${violating.join(',')} stroke:#d00,stroke-width:3px`);
  return `${lines.join('\n')}\n`;
}

function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Graphviz DOT: the same picture for `dot -Tsvg`. */
export function renderGraphDot(view: GraphView): string {
  const lines = ['digraph boundaries {', '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=11];'];
  for (const node of view.nodes) {
    lines.push(`  ${dotString(node.name)} [shape=${node.kind === 'service' ? 'box' : 'ellipse'}];`);
  }
  for (const link of view.links) {
    const attributes = [`label=${dotString(link.declaredOnly ? `${link.kinds.join(', ')} (declared)` : link.kinds.join(', '))}`];
    if (link.kinds.every((k) => k === 'event')) attributes.push('style=dashed');
    else if (link.declaredOnly) attributes.push('style=dotted', 'color=gray');
    if (link.violating) attributes.push('color=red', 'penwidth=2');
    lines.push(`  ${dotString(link.from)} -> ${dotString(link.to)} [${attributes.join(', ')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

export function renderGraphJson(view: GraphView): string {
  return `${JSON.stringify({ version: 1, nodes: view.nodes, links: view.links }, null, 2)}\n`;
}

export function renderGraph(format: GraphFormat, view: GraphView): string {
  return format === 'mermaid' ? renderGraphMermaid(view) : format === 'dot' ? renderGraphDot(view) : renderGraphJson(view);
}
