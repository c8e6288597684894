import path from 'node:path';
import type { UnitExplanation } from '../graph/explain.js';
import type { Edge, Location } from '../model/types.js';
import { neutralizeControl } from '../util/text.js';

export interface ExplainContext {
  root: string;
  cwd: string;
}

function shown(context: ExplainContext, loc: Location): string {
  const relative = path.relative(context.cwd, path.join(context.root, loc.file)).split(path.sep).join('/');
  return `${relative}:${loc.line}:${loc.column}`;
}

function edgeLines(context: ExplainContext, edges: readonly Edge[], direction: 'out' | 'in'): string[] {
  const lines: string[] = [];
  for (const edge of edges) {
    const other = direction === 'out' ? `→ ${edge.to}` : `← ${edge.from}`;
    const details = [
      edge.service ?? '',
      edge.endpoint ?? '',
      edge.topic ? `topic ${edge.topic}` : '',
      edge.usage ?? '',
      edge.via ? `via ${edge.via.map((v) => `${v.unit}::${v.function}`).join(', ')}` : '',
      edge.scope === 'test' ? 'test' : '',
      edge.optional ? 'optional' : '',
      edge.target ?? '',
    ].filter(Boolean);
    lines.push(`    ${edge.kind.padEnd(11)} ${other}${details.length > 0 ? ` (${details.join(', ')})` : ''}`);
    for (const loc of edge.evidence) lines.push(`        ${shown(context, loc)}`);
  }
  return lines.length > 0 ? lines : ['    (none)'];
}

/** `boundary-lint explain <unit>`: every edge in and out, by kind, with its evidence. */
export function renderExplainText(explanation: UnitExplanation, context: ExplainContext): string {
  const { unit } = explanation;
  const lines = [
    `${neutralizeControl(unit.name)} (${unit.kind}, ${unit.path}, ${unit.manifest})`,
    '',
    `  depends on (${explanation.outgoing.length}):`,
    ...edgeLines(context, explanation.outgoing, 'out'),
    '',
    `  depended on by (${explanation.incoming.length}):`,
    ...edgeLines(context, explanation.incoming, 'in'),
  ];
  if (unit.kind === 'service') {
    const through = (links: UnitExplanation['servicesItDependsOn'], arrow: string, pick: 'from' | 'to'): string[] =>
      links.length === 0
        ? ['    (none)']
        : links.flatMap((link) => [
            `    ${arrow} ${link[pick]}`,
            ...link.routes.filter((r) => r.length > 1).map((r) => `        via ${r.map((e) => `${e.from} → ${e.to} (${e.kind}) at ${shown(context, e.evidence[0]!)}`).join(', ')}`),
          ]);
    lines.push('', '  services it depends on through libraries:', ...through(explanation.servicesItDependsOn, '→', 'to'));
    lines.push('', '  services depending on it through libraries:', ...through(explanation.servicesDependingOnIt, '←', 'from'));
  }
  if (unit.externalDependencies.length > 0) {
    lines.push('', `  external dependencies (${unit.externalDependencies.length}):`);
    for (const dep of unit.externalDependencies) {
      lines.push(`    ${dep.name}${dep.rename ? ` as ${dep.rename}` : ''} (${dep.kind}, ${dep.source})  ${shown(context, dep.location)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function renderExplainJson(explanation: UnitExplanation): string {
  return `${JSON.stringify({ version: 1, ...explanation }, null, 2)}\n`;
}
