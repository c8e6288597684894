import picomatch from 'picomatch';
import { defineRule, type DraftFinding, type RelatedLocation, type Suggestion, type TextEdit } from '../src/check/types.js';
import { SYNCHRONOUS_EDGE_KINDS, type Edge, type EdgeKind, type ExternalDependency, type Location, type Unit } from '../src/model/types.js';
import { compareLocations, compareStrings, formatLocation } from '../src/util/location.js';

export interface ForbidEntry {
  /** Unit name or path glob of the depending unit. */
  from: string;
  /** Unit name or path glob of the unit depended on (services and libraries alike). */
  to: string;
  /** Edge kinds this entry forbids; absent: the synchronous kinds. */
  kinds?: EdgeKind[];
  /** Type-only imports (`import type`, erased at compile time) do not count against this entry. */
  allowTypeOnly?: boolean;
  because: string;
}

export interface ForbiddenDependencyOptions {
  forbid: ForbidEntry[];
  /** Unit glob -> the only unit globs it may depend on. */
  allow: Record<string, string[]>;
  /** Unit glob -> external crates (package names or globs) it must not depend on. */
  bannedCrates: Record<string, string[]>;
}

type MessageId = 'forbidden' | 'notAllowed' | 'bannedCrate';

const EDGE_KINDS: EdgeKind[] = ['crate', 'crate-dev', 'crate-build', 'package', 'package-dev', 'import', 'grpc', 'http', 'event'];
const MANIFEST_KINDS = new Set<EdgeKind>(['crate', 'crate-dev', 'crate-build']);

type UnitMatcher = (unit: Unit) => boolean;

/** A glob over unit names or unit paths (`feed-service`, `backend/*-service`). */
function unitMatcher(glob: string): UnitMatcher {
  const isMatch = picomatch(glob, { dot: true });
  return (unit) => isMatch(unit.name) || isMatch(unit.path);
}

/** The kinds a forbid entry or the allow-list looks at; `--include-tests` adds dev-dependencies. */
function effectiveKinds(kinds: readonly EdgeKind[] | undefined, includeTests: boolean): Set<EdgeKind> {
  const result = new Set(kinds ?? SYNCHRONOUS_EDGE_KINDS);
  if (kinds === undefined && includeTests) {
    result.add('crate-dev');
    result.add('package-dev');
  }
  return result;
}

/** Where a finding about an edge points: the first call for gRPC and HTTP, else the first evidence. */
function primaryOf(edges: readonly Edge[]): Location {
  const calls = edges.flatMap((e) => e.calls ?? []).sort(compareLocations);
  return calls[0] ?? edges[0]!.evidence[0]!;
}

function isCall(edge: Edge, location: Location): boolean {
  return edge.calls?.some((c) => compareLocations(c, location) === 0) ?? false;
}

/** What a piece of evidence is, in a related location's message. */
function roleOf(edge: Edge, location: Location, manifest: string): string {
  switch (edge.kind) {
    case 'crate':
    case 'crate-dev':
    case 'crate-build':
      return location.file === manifest ? 'declared here' : 'inherited from [workspace.dependencies]';
    case 'package':
    case 'package-dev':
      return 'declared here';
    case 'grpc':
      return isCall(edge, location) ? 'call' : 'client';
    case 'http':
      return isCall(edge, location) ? 'call' : 'target';
    case 'import':
      return 'import';
    case 'event':
      return `topic ${edge.topic ?? ''}`.trim();
  }
}

/** How the primary place of an edge is named in a display-only suggestion. */
function siteOf(edges: readonly Edge[], primary: Location): string {
  const edge = edges.find((e) => e.evidence.some((l) => compareLocations(l, primary) === 0)) ?? edges[0]!;
  switch (edge.kind) {
    case 'grpc':
      return isCall(edge, primary) ? 'gRPC call' : 'gRPC client';
    case 'http':
      return isCall(edge, primary) ? 'HTTP request' : 'HTTP target';
    case 'import':
      return 'import';
    default:
      return `${edge.kind} evidence`;
  }
}

/** Every piece of evidence of the edges except the primary one, in order, without repeats. */
function edgeEvidence(edges: readonly Edge[], primary: Location, manifest: string): RelatedLocation[] {
  const related: RelatedLocation[] = [];
  const seen = new Set([formatLocation(primary)]);
  for (const edge of edges) {
    for (const location of edge.evidence) {
      const key = formatLocation(location);
      if (seen.has(key)) continue;
      seen.add(key);
      const test = edge.scope === 'test' ? ', test' : '';
      related.push({ location, message: `${edge.from} → ${edge.to} (${edge.kind}${test}): ${roleOf(edge, location, manifest)}` });
    }
  }
  return related;
}

/**
 * The whole-line deletion of a manifest entry, when its key span is the entry's own key
 * (`key = ...`, `"key" = ...`, `key.workspace = true`); undefined for a `[dependencies.key]` table.
 */
function deleteLine(location: Location, keys: readonly string[]): TextEdit | undefined {
  const width = (location.endColumn ?? location.column) - location.column;
  const ownLine = keys.some((key) => [key, `"${key}"`, `${key}.workspace`, `"${key}".workspace`].some((written) => written.length === width));
  if (!ownLine) return undefined;
  // An inline table or array broken over lines is deleted through its last line, never cut in half.
  const lastLine = location.entryEndLine ?? location.line;
  return { file: location.file, range: { startLine: location.line, startColumn: 1, endLine: lastLine + 1, endColumn: 1 }, text: '' };
}

/** Deletes every line of `manifest` that declares the dependency: unsafe, since code may still use it. */
function removalSuggestion(title: string, manifest: string, declarations: readonly Location[], keys: readonly string[]): Suggestion {
  const lines = declarations
    .filter((l) => l.file === manifest)
    .filter((l, i, all) => all.findIndex((o) => o.line === l.line) === i)
    .sort(compareLocations);
  const edits = lines.map((l) => deleteLine(l, keys));
  if (edits.length > 0 && edits.every((e) => e !== undefined)) return { title, applicability: 'unsafe', edits: edits as TextEdit[] };
  return { title: `${title} (it is written as a table of its own: delete that table)`, applicability: 'display-only', edits: [] };
}

/** The keys under which a manifest may declare a dependency on a workspace member. */
function manifestKeys(edges: readonly Edge[], to: Unit): string[] {
  const renames = edges.map((e) => e.rename).filter((r): r is string => r !== undefined);
  return [...renames, to.name.split('@')[0]!];
}

function configRelated(configLocation: Location | undefined, message: string): RelatedLocation[] {
  return configLocation ? [{ location: configLocation, message }] : [];
}

export default defineRule<ForbiddenDependencyOptions, MessageId>({
  id: 'forbidden-dependency',
  meta: {
    description: 'A unit must not depend on units or external crates that the config forbids it',
    kind: 'problem',
    defaultSeverity: 'error',
    fix: 'sometimes',
    tags: ['architecture', 'dependencies'],
    messages: {
      forbidden: '{from} must not depend on {to} ({kind}): {because}',
      notAllowed: '{from} depends on {to} ({kind}), which is not in its allow-list ({allowed})',
      bannedCrate: '{unit} must not depend on the {what} {crate}{renamed}: it is banned for units matching "{pattern}"',
    },
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        forbid: {
          type: 'array',
          description: 'Edges that must not exist: {from, to, kinds?, because}. `from` and `to` are globs over unit names or paths.',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['from', 'to', 'because'],
            properties: {
              from: { type: 'string', minLength: 1, description: 'Unit name or path glob of the depending unit.' },
              to: { type: 'string', minLength: 1, description: 'Unit name or path glob of the unit depended on (a service or a library).' },
              kinds: {
                type: 'array',
                minItems: 1,
                items: { type: 'string', enum: EDGE_KINDS },
                description: 'Edge kinds this entry forbids. Default: the synchronous ones (crate, crate-build, import, grpc, http).',
              },
              allowTypeOnly: {
                type: 'boolean',
                description: 'When true, type-only imports (`import type`, `export type`, `import("x")` in a type) are allowed; only value imports of this pair are reported. Default: false.',
              },
              because: { type: 'string', minLength: 1, description: 'Why the edge is forbidden; shown in the message.' },
            },
          },
        },
        allow: {
          type: 'object',
          description: 'Allow-lists: unit glob -> the unit globs it may depend on; any other synchronous edge of a matching unit is a finding.',
          propertyNames: { type: 'string', minLength: 1 },
          additionalProperties: { type: 'array', items: { type: 'string', minLength: 1 } },
        },
        bannedCrates: {
          type: 'object',
          description: 'Unit glob -> external crates (package names or globs) it must not depend on, e.g. {"backend/graphql-gateway": ["sqlx"]}.',
          propertyNames: { type: 'string', minLength: 1 },
          additionalProperties: { type: 'array', items: { type: 'string', minLength: 1 } },
        },
      },
    },
    defaults: { forbid: [], allow: {}, bannedCrates: {} },
  },
  *check({ model, options, includeTests, configLocation }) {
    const units = new Map(model.units.map((u) => [u.name, u]));
    const forbid = options.forbid.map((entry, index) => ({
      ...entry,
      index,
      isFrom: unitMatcher(entry.from),
      isTo: unitMatcher(entry.to),
      kindSet: effectiveKinds(entry.kinds, includeTests),
    }));
    const allowLists = Object.entries(options.allow).map(([pattern, targets]) => ({
      pattern,
      targets,
      isFrom: unitMatcher(pattern),
      isTarget: targets.map(unitMatcher),
    }));
    const allowKinds = effectiveKinds(undefined, includeTests);

    // One finding per (from, to, kind): the model may split an edge by scope or gRPC service.
    const groups = new Map<string, Edge[]>();
    for (const edge of model.edges) {
      if (edge.scope === 'test' && !includeTests) continue;
      if (edge.from === edge.to || !units.has(edge.from) || !units.has(edge.to)) continue;
      const key = `${edge.from}\u0000${edge.to}\u0000${edge.kind}`;
      const list = groups.get(key) ?? [];
      list.push(edge);
      groups.set(key, list);
    }
    for (const edges of groups.values()) {
      const { from: fromName, to: toName, kind } = edges[0]!;
      const from = units.get(fromName)!;
      const to = units.get(toName)!;
      const primary = primaryOf(edges);
      const evidence = edgeEvidence(edges, primary, from.manifest);
      const identity = [fromName, toName, kind];
      const valueEdges = edges.filter((e) => !e.typeOnly);
      // An entry that allows type-only imports matches only when a value import exists, and reports only those.
      const entry = forbid.find((f) => f.kindSet.has(kind) && f.isFrom(from) && f.isTo(to) && (f.allowTypeOnly !== true || valueEdges.length > 0));
      if (entry) {
        const reported = entry.allowTypeOnly === true ? valueEdges : edges;
        const at = reported === edges ? primary : primaryOf(reported);
        const suggestion: Suggestion = MANIFEST_KINDS.has(kind)
          ? removalSuggestion(`Remove the ${toName} dependency from ${from.manifest}`, from.manifest, edges.flatMap((e) => e.evidence), manifestKeys(edges, to))
          : { title: `${entry.because}: replace the ${siteOf(reported, at)} at ${formatLocation(at)}`, applicability: 'display-only', edits: [] };
        yield {
          messageId: 'forbidden',
          data: { from: fromName, to: toName, kind, because: entry.because, entry: `forbid[${entry.index}]` },
          location: at,
          related: [
            ...(reported === edges ? evidence : edgeEvidence(reported, at, from.manifest)),
            ...configRelated(configLocation, `forbidden by forbid[${entry.index}] (${entry.from} → ${entry.to}): ${entry.because}`),
          ],
          identity,
          suggestions: [suggestion],
        };
        continue;
      }
      if (!allowKinds.has(kind)) continue;
      const lists = allowLists.filter((a) => a.isFrom(from));
      if (lists.length === 0 || lists.some((a) => a.isTarget.some((isTarget) => isTarget(to)))) continue;
      const allowed = [...new Set(lists.flatMap((a) => a.targets))];
      const shown = allowed.length > 0 ? allowed.join(', ') : 'nothing';
      const pattern = lists[0]!.pattern;
      const suggestion: Suggestion = MANIFEST_KINDS.has(kind)
        ? removalSuggestion(`Remove the ${toName} dependency from ${from.manifest}`, from.manifest, edges.flatMap((e) => e.evidence), manifestKeys(edges, to))
        : {
            title: `${fromName} may depend only on ${shown}: replace the ${siteOf(edges, primary)} at ${formatLocation(primary)}, or add ${toName} to allow["${pattern}"]`,
            applicability: 'display-only',
            edits: [],
          };
      yield {
        messageId: 'notAllowed',
        data: { from: fromName, to: toName, kind, allowed: shown, pattern },
        location: primary,
        related: [...evidence, ...configRelated(configLocation, `allow["${pattern}"]: ${fromName} may depend only on ${shown}`)],
        identity,
        suggestions: [suggestion],
      };
    }

    yield* bannedCrateFindings(model.units, options.bannedCrates, includeTests, configLocation);
  },
});

/** One finding per unit and banned crate, at its first declaration, with the others related. */
function* bannedCrateFindings(
  units: readonly Unit[],
  bannedCrates: Record<string, string[]>,
  includeTests: boolean,
  configLocation: Location | undefined,
): Generator<DraftFinding<MessageId>> {
  const bans = Object.entries(bannedCrates).map(([pattern, crates]) => ({ pattern, isUnit: unitMatcher(pattern), isCrate: picomatch(crates) }));
  for (const unit of [...units].sort((a, b) => compareStrings(a.name, b.name))) {
    const applying = bans.filter((b) => b.isUnit(unit));
    if (applying.length === 0) continue;
    const byCrate = new Map<string, { pattern: string; declarations: ExternalDependency[] }>();
    for (const dependency of unit.externalDependencies) {
      if (dependency.scope === 'test' && !includeTests) continue;
      const ban = applying.find((b) => b.isCrate(dependency.name));
      if (!ban) continue;
      const group = byCrate.get(dependency.name) ?? { pattern: ban.pattern, declarations: [] };
      group.declarations.push(dependency);
      byCrate.set(dependency.name, group);
    }
    for (const [crate, { pattern, declarations }] of byCrate) {
      const sorted = [...declarations].sort((a, b) => compareLocations(a.location, b.location));
      const first = sorted[0]!;
      const renames = [...new Set(sorted.map((d) => d.rename).filter((r): r is string => r !== undefined))];
      const npm = unit.manifest.endsWith('package.json');
      yield {
        messageId: 'bannedCrate',
        data: { unit: unit.name, what: npm ? 'package' : 'crate', crate, pattern, renamed: renames.length > 0 ? ` (declared as ${renames.join(', ')})` : '' },
        location: first.location,
        related: [
          ...sorted.slice(1).map((d) => ({
            location: d.location,
            message: `${unit.name} → ${crate} (${d.kind}${d.target ? `, ${d.target}` : ''}${d.scope === 'test' ? ', test' : ''}): declared here`,
          })),
          ...configRelated(configLocation, `bannedCrates["${pattern}"] bans ${crate}`),
        ],
        identity: [unit.name, crate],
        // Deleting a JSON line can leave the previous entry's comma dangling: for package.json the removal is shown, not applied.
        suggestions: [
          npm
            ? { title: `Remove "${crate}" from the dependencies of ${unit.manifest}`, applicability: 'display-only', edits: [] }
            : removalSuggestion(`Remove ${first.rename ?? crate} from ${unit.manifest}`, unit.manifest, sorted.map((d) => d.location), sorted.map((d) => d.rename ?? d.name)),
        ],
      };
    }
  }
}
