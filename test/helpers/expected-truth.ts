/**
 * Comparing a run of the tool with a fixture's hand-written truth (`fixtures/repos/<name>/expected.json`):
 * projections of model facts onto the fields the truth records, and a two-way set comparison
 * that says exactly what is missing and what is extra. Used by every fixture truth test under test/e2e.
 */
import { expect } from 'vitest';
import type { run } from '../../src/run.js';
import type { Finding } from '../../src/check/types.js';
import type { Diagnostic, Edge, Location, TableAccess, TableOwner, Topic, Unit } from '../../src/model/types.js';

export interface TruthLocation {
  file: string;
  line: number;
  column: number;
}

export interface TruthUnit {
  name: string;
  kind: string;
  path: string;
  language: string;
}

export interface TruthUnitDetails {
  name: string;
  manifest: string;
  workspace: string;
  kindSource: string;
}

/** Any edge: crate and package edges use `optional`, `target`, `rename`; source edges the rest. */
export interface TruthEdge {
  from: string;
  to: string;
  kind: string;
  scope: string;
  evidence: TruthLocation[];
  optional?: true;
  target?: string;
  rename?: string;
  typeOnly?: true;
  usage?: string;
  service?: string;
  endpoint?: string;
  topic?: string;
  via?: { unit: string; function: string }[];
  calls?: TruthLocation[];
}

export interface TruthTopic {
  topic: string;
  producers: string[];
  consumers: string[];
}

export interface TruthDiagnostic {
  severity: string;
  code: string;
  file: string | null;
  line: number | null;
}

export interface TruthTableAccess {
  unit: string;
  table: string;
  datastore: string;
  database: string;
  op: string;
  scope: string;
  dynamic: boolean;
  uncertain: boolean;
  via?: { function: string };
  location: TruthLocation;
}

/** Table id -> owner and the source that said so. */
export type TruthOwners = Record<string, { service: string; source: string }>;

export interface TruthFinding {
  ruleId: string;
  severity: string;
  messageId: string;
  path: string;
  file: string;
  line: number;
  column: number;
  related: { file: string; line: number }[];
}

export interface TruthRun {
  name: string;
  args: string[];
  exitCode: 0 | 1;
  findings: TruthFinding[];
}

/** JSON with object keys sorted, so key order never matters. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

const byCanonical = (a: unknown, b: unknown): number => {
  const x = canonical(a);
  const y = canonical(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Two-way multiset difference, so a failure says exactly what is missing and what is extra. */
export function difference<T>(expected: readonly T[], actual: readonly T[]): { missing: T[]; extra: T[] } {
  const remaining = new Map<string, number>();
  for (const item of actual) remaining.set(canonical(item), (remaining.get(canonical(item)) ?? 0) + 1);
  const missing = expected.filter((item) => {
    const count = remaining.get(canonical(item)) ?? 0;
    if (count === 0) return true;
    remaining.set(canonical(item), count - 1);
    return false;
  });
  const extra = actual.filter((item) => {
    const count = remaining.get(canonical(item)) ?? 0;
    if (count === 0) return false;
    remaining.set(canonical(item), count - 1);
    return true;
  });
  return { missing: missing.sort(byCanonical), extra: extra.sort(byCanonical) };
}

export function expectSameSet<T>(expected: readonly T[], actual: readonly T[]): void {
  expect(difference(expected, actual)).toEqual({ missing: [], extra: [] });
}

export const compareLocation = (a: { file: string; line: number; column?: number }, b: { file: string; line: number; column?: number }): number =>
  a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.column ?? 0) - (b.column ?? 0);

/** Sorted, each location once: evidence, calls and related locations are sets. */
export function locationSet<T extends { file: string; line: number; column?: number }>(locations: readonly T[]): T[] {
  const sorted = [...locations].sort(compareLocation);
  return sorted.filter((l, i) => i === 0 || compareLocation(l, sorted[i - 1]!) !== 0);
}

export function projectLocation(l: Location): TruthLocation {
  return { file: l.file, line: l.line, column: l.column };
}

/** `file:line:column`, the key of per-statement facts such as `statementKinds`. */
export function locationKey(l: TruthLocation): string {
  return `${l.file}:${l.line}:${l.column}`;
}

export function projectUnit(u: Unit): TruthUnit {
  return { name: u.name, kind: u.kind, path: u.path, language: u.language };
}

export function projectUnitDetails(u: Unit): TruthUnitDetails {
  return { name: u.name, manifest: u.manifest, workspace: u.workspace, kindSource: u.kindSource };
}

const compareVia = (a: { unit: string; function: string }, b: { unit: string; function: string }): number =>
  a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : a.function < b.function ? -1 : a.function > b.function ? 1 : 0;

/** An edge of the model, or of the truth, with evidence and calls as sorted sets and only the fields the truth records. */
export function projectEdge(e: Edge | TruthEdge): TruthEdge {
  const out: TruthEdge = { from: e.from, to: e.to, kind: e.kind, scope: e.scope, evidence: locationSet(e.evidence.map(projectLocation)) };
  if (e.optional) out.optional = true;
  if (e.target !== undefined) out.target = e.target;
  if (e.rename !== undefined) out.rename = e.rename;
  if (e.typeOnly) out.typeOnly = true;
  if (e.usage !== undefined) out.usage = e.usage;
  if (e.service !== undefined) out.service = e.service;
  if (e.endpoint !== undefined) out.endpoint = e.endpoint;
  if (e.topic !== undefined) out.topic = e.topic;
  if (e.via !== undefined && e.via.length > 0) out.via = e.via.map((v) => ({ unit: v.unit, function: v.function })).sort(compareVia);
  if (e.calls !== undefined && e.calls.length > 0) out.calls = locationSet(e.calls.map(projectLocation));
  return out;
}

/** An edge with its evidence as a sorted list, duplicates kept: for edges whose evidence the truth lists location by location. */
export function projectEdgeEvidenceList(e: Edge | TruthEdge): TruthEdge {
  return { ...projectEdge(e), evidence: e.evidence.map(projectLocation).sort(compareLocation) };
}

/** A source edge (import, grpc, http, event) as `sourceEdges` records it: without `typeOnly`, which the import edges' truth carries. */
export function projectSourceEdge(e: Edge | TruthEdge): TruthEdge {
  const { typeOnly: _typeOnly, ...out } = projectEdge(e);
  return out;
}

export function projectTopic(t: Topic | TruthTopic): TruthTopic {
  return { topic: t.topic, producers: [...t.producers].sort(), consumers: [...t.consumers].sort() };
}

export function projectTableAccess(a: TableAccess): TruthTableAccess {
  const out: TruthTableAccess = {
    unit: a.unit,
    table: a.table,
    datastore: a.datastore,
    database: a.database,
    op: a.op,
    scope: a.scope,
    dynamic: a.dynamic,
    uncertain: a.uncertain,
    location: projectLocation(a.location),
  };
  if (a.via) out.via = { function: a.via.function };
  return out;
}

/** Each item once: a library statement reached from two call sites of one unit is one row. */
export function uniqueByCanonical<T>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = canonical(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Owners as a list of `{ table, service, source }`, for a set comparison. */
export function ownerList(owners: Readonly<Record<string, TableOwner | { service: string; source: string }>>): { table: string; service: string; source: string }[] {
  return Object.entries(owners).map(([table, o]) => ({ table, service: o.service, source: o.source }));
}

export function projectDiagnostic(d: Diagnostic): TruthDiagnostic {
  return { severity: d.severity, code: d.code, file: d.location?.file ?? null, line: d.location?.line ?? null };
}

/** A finding of a run; related locations as a set of (file, line): their order is not part of the truth. */
export function projectFinding(f: Finding): TruthFinding {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    messageId: f.messageId,
    path: String(f.data.path ?? ''),
    file: f.location.file,
    line: f.location.line,
    column: f.location.column,
    related: locationSet(f.related.map((r) => ({ file: r.location.file, line: r.location.line }))),
  };
}

/** A finding of the truth, related locations as the same kind of set. */
export function normaliseFinding(f: TruthFinding): TruthFinding {
  return { ...f, related: locationSet(f.related) };
}

/** The exit code the CLI would give these findings (no baseline, no --max-warnings). */
export function exitCodeOf(findings: readonly Finding[]): 0 | 1 {
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

/** CLI-style args (`--include-tests`, `-c file`) as run() options for a fixture directory. */
export function runOptions(fixtureRoot: string, args: readonly string[]): Parameters<typeof run>[0] {
  const options: Parameters<typeof run>[0] = { root: '.', cwd: fixtureRoot, includeTests: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--include-tests') options.includeTests = true;
    else if (arg === '-c' || arg === '--config') options.configPath = args[++i];
    else throw new Error(`expected-truth: runOptions does not understand the argument ${arg}`);
  }
  return options;
}
