import picomatch from 'picomatch';
import type { Diagnostic, Language, Unit } from './types.js';
import { compareStrings } from '../util/location.js';

/** A config `units` entry (src/config/resolve.ts DeclaredUnitConfig; the model does not import config). */
export interface DeclaredUnit {
  name: string;
  paths: readonly string[];
  kind: 'service' | 'library';
  language?: Language;
}

export interface DeclaredUnits {
  units: Unit[];
  /** Unit name -> the repository files that belong to it (each file to at most one unit). */
  filesOf: Map<string, string[]>;
  diagnostics: Diagnostic[];
}

const EXTENSION_LANGUAGE: [RegExp, Language][] = [
  [/\.(?:ts|tsx|mts|cts)$/, 'typescript'],
  [/\.(?:js|jsx|mjs|cjs)$/, 'javascript'],
  [/\.rs$/, 'rust'],
];

/** A glob without wildcards names a file or a directory: `src/scan` means `src/scan` and everything below it. */
function expand(pattern: string): string[] {
  const clean = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  return picomatch.scan(clean).isGlob ? [clean] : [clean, `${clean}/**`];
}

/** The directory every glob of the unit starts in (their static parts' common ancestor), `.` at the root. */
function baseDirectory(patterns: readonly string[]): string {
  const bases = patterns.map((pattern) => {
    const clean = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
    const scanned = picomatch.scan(clean);
    return (scanned.isGlob ? scanned.base : clean).split('/').filter((s) => s !== '' && s !== '.');
  });
  const common: string[] = [];
  for (let i = 0; ; i++) {
    const segment = bases[0]?.[i];
    if (segment === undefined || bases.some((b) => b[i] !== segment)) break;
    common.push(segment);
  }
  return common.length > 0 ? common.join('/') : '.';
}

/** The language most of the unit's source files are written in (TypeScript wins a tie with JavaScript). */
function inferLanguage(files: readonly string[]): Language | undefined {
  const counts = new Map<Language, number>();
  for (const file of files) {
    const match = EXTENSION_LANGUAGE.find(([pattern]) => pattern.test(file));
    if (match) counts.set(match[1], (counts.get(match[1]) ?? 0) + 1);
  }
  let best: Language | undefined;
  for (const [, language] of EXTENSION_LANGUAGE) {
    if ((counts.get(language) ?? 0) > (best ? counts.get(best)! : 0)) best = language;
  }
  return best;
}

/**
 * How specifically a glob claims a file: a path without wildcards naming the file itself beats
 * every glob; otherwise the number of literal directory segments before the first wildcard
 * (`src/scan/sql/**` = 3 beats `src/scan/**` = 2 beats `src/**` = 1).
 */
function specificity(pattern: string, file: string): number {
  const clean = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  const scanned = picomatch.scan(clean);
  if (!scanned.isGlob && clean === file) return Number.POSITIVE_INFINITY;
  return (scanned.isGlob ? scanned.base : clean).split('/').filter((s) => s !== '' && s !== '.').length;
}

/**
 * Units declared by folder in the config (`units`), for any language. Each unit is the set of
 * files its globs match. A file matched by several declared units belongs to the most specific
 * one (see `specificity`; nesting `src/scan/sql/**` inside `src/scan/**` is deliberate and
 * silent); when the best ones tie it belongs to the first declared, and the tie is a diagnostic
 * (once per pair of units, at the first such file).
 */
export function buildDeclaredUnits(
  declared: readonly DeclaredUnit[],
  files: readonly string[],
  options: { manifest: string; takenNames?: ReadonlySet<string> },
): DeclaredUnits {
  const diagnostics: Diagnostic[] = [];
  const matchers = declared.map((unit) => unit.paths.map((pattern) => ({ pattern, isMatch: picomatch(expand(pattern), { dot: true }) })));
  const filesOf = new Map<string, string[]>(declared.map((u) => [u.name, []]));
  const overlaps = new Map<string, { first: string; count: number; a: string; b: string }>();
  for (const file of files) {
    let best = Number.NEGATIVE_INFINITY;
    let owners: DeclaredUnit[] = [];
    declared.forEach((unit, i) => {
      const score = Math.max(...matchers[i]!.filter((m) => m.isMatch(file)).map((m) => specificity(m.pattern, file)));
      if (score === Number.NEGATIVE_INFINITY || score < best) return;
      if (score > best) owners = [];
      best = score;
      owners.push(unit);
    });
    if (owners.length === 0) continue;
    filesOf.get(owners[0]!.name)!.push(file);
    for (let i = 0; i < owners.length; i++) {
      for (let j = i + 1; j < owners.length; j++) {
        const key = `${owners[i]!.name}\u0000${owners[j]!.name}`;
        const overlap = overlaps.get(key);
        if (overlap) overlap.count++;
        else overlaps.set(key, { first: file, count: 1, a: owners[i]!.name, b: owners[j]!.name });
      }
    }
  }
  for (const overlap of overlaps.values()) {
    diagnostics.push({
      severity: 'warning',
      code: 'file-in-two-units',
      message:
        `${overlap.count === 1 ? 'this file matches' : `${overlap.count} files (this is the first) match`} the paths of both declared units ` +
        `\`${overlap.a}\` and \`${overlap.b}\` equally specifically; a file belongs to one unit, so it is counted in \`${overlap.a}\` only. Narrow the \`paths\` globs.`,
      location: { file: overlap.first, line: 1, column: 1 },
    });
  }
  const taken = options.takenNames ?? new Set<string>();
  const units: Unit[] = [];
  for (const unit of declared) {
    const unitFiles = filesOf.get(unit.name)!;
    const path = baseDirectory(unit.paths);
    let name = unit.name;
    if (taken.has(name)) {
      name = `${unit.name}@${path}`;
      diagnostics.push({
        severity: 'warning',
        code: 'duplicate-unit-name',
        message: `the declared unit \`${unit.name}\` has the name of a package or crate; it is called \`${name}\``,
        location: { file: options.manifest, line: 1, column: 1 },
      });
    }
    if (unitFiles.length === 0) {
      diagnostics.push({
        severity: 'warning',
        code: 'declared-unit-without-files',
        message: `no file matches the paths of the declared unit \`${unit.name}\` (${unit.paths.join(', ')})`,
        location: { file: options.manifest, line: 1, column: 1 },
      });
    }
    units.push({
      name,
      kind: unit.kind,
      path,
      language: unit.language ?? inferLanguage(unitFiles) ?? 'typescript',
      manifest: options.manifest,
      workspace: options.manifest,
      kindSource: 'config:units',
      binaries: [],
      hasLibrary: unit.kind === 'library',
      externalDependencies: [],
    });
  }
  // Keyed by the final unit name (a renamed unit keeps its files).
  const byName = new Map(units.map((unit, i) => [unit.name, filesOf.get(declared[i]!.name)!]));
  units.sort((a, b) => compareStrings(a.name, b.name));
  return { units, filesOf: byName, diagnostics };
}
