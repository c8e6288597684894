import type { Finding } from '../check/types.js';
import type { Diagnostic, Edge, Location, Unit } from '../model/types.js';
import type { ReportContext, ReportInput } from './types.js';

/** Version of the JSON output contract (docs/json-output.md); bump on any incompatible change. */
export const JSON_OUTPUT_VERSION = 1;

function location(loc: Location): Location {
  const out: Location = { file: loc.file, line: loc.line, column: loc.column };
  if (loc.endLine !== undefined) out.endLine = loc.endLine;
  if (loc.endColumn !== undefined) out.endColumn = loc.endColumn;
  return out;
}

function unit(u: Unit): object {
  return {
    name: u.name,
    kind: u.kind,
    path: u.path,
    language: u.language,
    manifest: u.manifest,
    workspace: u.workspace,
    kindSource: u.kindSource,
    binaries: u.binaries,
    hasLibrary: u.hasLibrary,
    externalDependencies: u.externalDependencies.map((d) => ({
      name: d.name,
      ...(d.rename !== undefined ? { rename: d.rename } : {}),
      kind: d.kind,
      scope: d.scope,
      source: d.source,
      optional: d.optional,
      ...(d.target !== undefined ? { target: d.target } : {}),
      location: location(d.location),
    })),
    ...(u.protos ? { protos: u.protos.map((p) => ({ file: p.file, server: p.server, client: p.client, found: p.found, location: location(p.location) })) } : {}),
    ...(u.serves ? { serves: u.serves } : {}),
  };
}

function edge(e: Edge): object {
  return {
    from: e.from,
    to: e.to,
    kind: e.kind,
    scope: e.scope,
    ...(e.optional ? { optional: true } : {}),
    ...(e.target !== undefined ? { target: e.target } : {}),
    ...(e.rename !== undefined ? { rename: e.rename } : {}),
    ...(e.usage !== undefined ? { usage: e.usage } : {}),
    ...(e.typeOnly ? { typeOnly: true } : {}),
    ...(e.service !== undefined ? { service: e.service } : {}),
    ...(e.endpoint !== undefined ? { endpoint: e.endpoint } : {}),
    ...(e.topic !== undefined ? { topic: e.topic } : {}),
    ...(e.via !== undefined ? { via: e.via } : {}),
    evidence: e.evidence.map(location),
    ...(e.calls !== undefined ? { calls: e.calls.map(location) } : {}),
  };
}

function finding(f: Finding, withSuggestions: boolean): object {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    messageId: f.messageId,
    message: f.message,
    location: location(f.location),
    related: f.related.map((r) => ({ message: r.message, location: location(r.location) })),
    fingerprint: f.fingerprint,
    data: f.data,
    ...(withSuggestions ? { suggestions: f.suggestions } : {}),
    ...(f.suppressed ? { suppressed: { reason: f.suppressed.reason, location: location(f.suppressed.location) } } : {}),
    ...(f.baselineState ? { baselineState: f.baselineState } : {}),
    ...(f.newEvidence ? { newEvidence: f.newEvidence.map(location) } : {}),
  };
}

function diagnostic(d: Diagnostic): object {
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.location ? { location: location(d.location) } : {}),
  };
}

/** Findings plus the model, for other tools. Keys come out in a fixed order; no timestamps. */
export function renderJson(input: ReportInput, context: ReportContext): string {
  const output = {
    version: JSON_OUTPUT_VERSION,
    tool: { name: context.toolName, version: context.toolVersion },
    units: input.model.units.map(unit),
    edges: input.model.edges.map(edge),
    findings: input.findings.map((f) => finding(f, context.fixSuggestions)),
    ...(input.baseline
      ? {
          baseline: {
            file: input.baseline.file,
            fixed: input.baseline.fixed.map((e) => ({ ruleId: e.ruleId, fingerprint: e.fingerprint, message: e.message, file: e.file, evidence: e.evidence })),
          },
        }
      : {}),
    diagnostics: input.model.diagnostics.map(diagnostic),
    topics: input.model.topics.map((t) => ({ topic: t.topic, producers: t.producers, consumers: t.consumers })),
    tableAccesses: input.model.tableAccesses.map((a) => ({
      unit: a.unit,
      table: a.table,
      datastore: a.datastore,
      database: a.database,
      op: a.op,
      statementKind: a.statementKind,
      scope: a.scope,
      dynamic: a.dynamic,
      uncertain: a.uncertain,
      ...(a.via ? { via: { function: a.via.function, unit: a.via.unit, callSite: location(a.via.callSite) } } : {}),
      location: location(a.location),
    })),
    owners: Object.fromEntries(
      Object.entries(input.model.owners)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([table, owner]) => [table, { service: owner.service, source: owner.source, ...(owner.pattern ? { pattern: owner.pattern } : {}), ...(owner.location ? { location: location(owner.location) } : {}) }]),
    ),
  };
  return `${JSON.stringify(output, null, 2)}\n`;
}
