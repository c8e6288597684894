import { parse, TomlError } from 'smol-toml';
import type { CrateEdgeKind, Diagnostic, Location } from '../../model/types.js';
import { locateTomlKeys, type TomlLocations } from './toml-locations.js';

/** A dependency entry as written, before workspace inheritance or path resolution. */
export interface DependencyDeclaration {
  /** The key: the name code uses for the crate. */
  key: string;
  kind: CrateEdgeKind;
  target?: string;
  /** `package = "..."`: the real package name when the key is a rename. */
  package?: string;
  path?: string;
  git?: string;
  /** `key.workspace = true`: the details come from `[workspace.dependencies]`. */
  inheritsWorkspace: boolean;
  optional: boolean;
  location: Location;
}

export interface WorkspaceSection {
  members: string[];
  /** Where each `members` entry is written (same order as `members`). */
  memberLocations: Location[];
  exclude: string[];
  /** `[workspace.dependencies]`, keyed by dependency key. */
  dependencies: Map<string, DependencyDeclaration>;
  location: Location;
}

export interface BinaryTarget {
  name?: string;
  path?: string;
}

export interface PackageSection {
  name: string;
  location: Location;
  /** `package.workspace = "..."`: an explicit path to the workspace root. */
  workspace?: string;
  autobins: boolean;
  bins: BinaryTarget[];
  /** `[lib] path`, when declared. */
  libPath?: string;
  /** `build = "..."` / `build = false`; undefined means the default `build.rs` if it exists. */
  build?: string | false;
}

/** Facts from one Cargo.toml. A manifest that does not parse yields only `diagnostics`. */
export interface CargoManifest {
  file: string;
  package?: PackageSection;
  workspace?: WorkspaceSection;
  dependencies: DependencyDeclaration[];
  diagnostics: Diagnostic[];
}

const DEPENDENCY_TABLES: readonly [string, CrateEdgeKind][] = [
  ['dependencies', 'crate'],
  ['dev-dependencies', 'crate-dev'],
  ['dev_dependencies', 'crate-dev'],
  ['build-dependencies', 'crate-build'],
  ['build_dependencies', 'crate-build'],
];

type TomlTable = Record<string, unknown>;

function isTable(value: unknown): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function locate(file: string, locations: TomlLocations, path: readonly string[]): Location {
  const span = locations.find(path);
  if (!span) return { file, line: 1, column: 1 };
  const location: Location = { file, line: span.line, column: span.column, endLine: span.line, endColumn: span.endColumn };
  if (span.valueEndLine !== undefined) location.entryEndLine = span.valueEndLine;
  return location;
}

function readDependencyTable(
  file: string,
  table: unknown,
  tablePath: readonly string[],
  kind: CrateEdgeKind,
  target: string | undefined,
  locations: TomlLocations,
  diagnostics: Diagnostic[],
): DependencyDeclaration[] {
  if (!isTable(table)) return [];
  const declarations: DependencyDeclaration[] = [];
  for (const [key, value] of Object.entries(table)) {
    const location = locate(file, locations, [...tablePath, key]);
    if (typeof value === 'string') {
      declarations.push({ key, kind, target, inheritsWorkspace: false, optional: false, location });
      continue;
    }
    if (!isTable(value)) {
      diagnostics.push({
        severity: 'warning',
        code: 'manifest-invalid-dependency',
        message: `dependency \`${key}\` is neither a version string nor a table; it is ignored`,
        location,
      });
      continue;
    }
    declarations.push({
      key,
      kind,
      target,
      package: stringOrUndefined(value.package),
      path: stringOrUndefined(value.path),
      git: stringOrUndefined(value.git),
      inheritsWorkspace: value.workspace === true,
      optional: value.optional === true,
      location,
    });
  }
  return declarations;
}

function readBins(value: unknown): BinaryTarget[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isTable).map((bin) => ({ name: stringOrUndefined(bin.name), path: stringOrUndefined(bin.path) }));
}

/** Reads one Cargo.toml: package, workspace and every dependency table, each with its line. */
export function scanCargoManifest(file: string, text: string): CargoManifest {
  let document: TomlTable;
  try {
    document = parse(text) as TomlTable;
  } catch (error) {
    const line = error instanceof TomlError ? error.line : 1;
    const column = error instanceof TomlError ? error.column : 1;
    const reason = ((error as Error).message.split('\n')[0] ?? 'parse error').replace(/^Invalid TOML document: /, '');
    return {
      file,
      dependencies: [],
      diagnostics: [{
        severity: 'warning',
        code: 'manifest-parse-error',
        message: `cannot parse manifest: ${reason}; its crate is left out of the analysis`,
        location: { file, line, column },
      }],
    };
  }
  const locations = locateTomlKeys(text);
  const diagnostics: Diagnostic[] = [];
  const dependencies: DependencyDeclaration[] = [];
  for (const [tableName, kind] of DEPENDENCY_TABLES) {
    dependencies.push(...readDependencyTable(file, document[tableName], [tableName], kind, undefined, locations, diagnostics));
  }
  if (isTable(document.target)) {
    for (const [target, tables] of Object.entries(document.target)) {
      if (!isTable(tables)) continue;
      for (const [tableName, kind] of DEPENDENCY_TABLES) {
        dependencies.push(
          ...readDependencyTable(file, tables[tableName], ['target', target, tableName], kind, target, locations, diagnostics),
        );
      }
    }
  }

  let packageSection: PackageSection | undefined;
  const pkg = document.package ?? document.project;
  if (isTable(pkg)) {
    const name = stringOrUndefined(pkg.name);
    if (name === undefined) {
      diagnostics.push({
        severity: 'warning',
        code: 'manifest-missing-name',
        message: '`[package]` has no `name`; its crate is left out of the analysis',
        location: locate(file, locations, ['package']),
      });
    } else {
      const lib = document.lib;
      const build = pkg.build;
      packageSection = {
        name,
        location: locate(file, locations, ['package', 'name']),
        workspace: stringOrUndefined(pkg.workspace),
        autobins: pkg.autobins !== false,
        bins: readBins(document.bin),
        libPath: isTable(lib) ? stringOrUndefined(lib.path) : undefined,
        build: build === false ? false : stringOrUndefined(build),
      };
    }
  }

  let workspaceSection: WorkspaceSection | undefined;
  if (isTable(document.workspace)) {
    const ws = document.workspace;
    const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
    const wsDependencies = new Map<string, DependencyDeclaration>();
    for (const declaration of readDependencyTable(
      file, ws.dependencies, ['workspace', 'dependencies'], 'crate', undefined, locations, diagnostics,
    )) {
      wsDependencies.set(declaration.key, declaration);
    }
    const members = strings(ws.members);
    workspaceSection = {
      members,
      memberLocations: members.map((member) => locateArrayString(file, text, locations, ['workspace', 'members'], member)),
      exclude: strings(ws.exclude),
      dependencies: wsDependencies,
      location: locate(file, locations, ['workspace']),
    };
  }
  return { file, package: packageSection, workspace: workspaceSection, dependencies, diagnostics };
}

/** Position of a string entry of an array value, searched from the array's key onwards. */
function locateArrayString(file: string, text: string, locations: TomlLocations, keyPath: readonly string[], value: string): Location {
  const key = locations.get(keyPath);
  const fallback = locate(file, locations, keyPath);
  if (!key) return fallback;
  let offset = 0;
  for (let line = 1; line < key.line; line++) offset = text.indexOf('\n', offset) + 1;
  for (const quoted of [JSON.stringify(value), `'${value}'`]) {
    const at = text.indexOf(quoted, offset);
    if (at < 0) continue;
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    return { file, line, column, endLine: line, endColumn: column + quoted.length };
  }
  return fallback;
}
