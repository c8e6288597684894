import type { Diagnostic, Location } from '../../model/types.js';
import { JsonLocations, JsonSyntaxError, locateJsonKeys } from './json-locations.js';

/** The package.json fields that declare dependencies, in the order they are read. */
export const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;
export type NpmDependencyField = (typeof DEPENDENCY_FIELDS)[number];

/** One dependency entry as written: `"@nova/db": "workspace:*"`. */
export interface NpmDependencyDeclaration {
  /** The key: the name code imports. */
  key: string;
  /** The version spec as written (`^1.2.0`, `workspace:*`, `file:../db`, `npm:other@1`, `github:a/b`). */
  spec: string;
  field: NpmDependencyField;
  /** The key in package.json (its opening quote to its closing quote). */
  location: Location;
}

/** `workspaces` of a workspace root: the array, or `{ packages: [...] }` (yarn classic). */
export interface NpmWorkspacesField {
  patterns: string[];
  /** Where each pattern is written (same order as `patterns`). */
  patternLocations: Location[];
  location: Location;
}

/** Facts from one package.json. A document that does not parse yields only `diagnostics`. */
export interface PackageJson {
  file: string;
  parsed: boolean;
  name?: string;
  /** The `name` key, or the start of the document when there is none. */
  location: Location;
  workspaces?: NpmWorkspacesField;
  /** `scripts.start` is a non-empty string. */
  hasStartScript: boolean;
  /** Names of the `bin` entries (a string `bin` is named after the package, without its scope). */
  bins: string[];
  /** `main`, `module`, `exports`, `types` or `typings` is declared. */
  hasEntryPoint: boolean;
  dependencies: NpmDependencyDeclaration[];
  diagnostics: Diagnostic[];
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function locate(file: string, locations: JsonLocations, path: readonly (string | number)[]): Location {
  const span = locations.find(path);
  if (!span) return { file, line: 1, column: 1 };
  return { file, line: span.line, column: span.column, endLine: span.line, endColumn: span.endColumn };
}

function empty(file: string, diagnostics: Diagnostic[]): PackageJson {
  return { file, parsed: false, location: { file, line: 1, column: 1 }, hasStartScript: false, bins: [], hasEntryPoint: false, dependencies: [], diagnostics };
}

/** Line and column of a `JSON.parse` error, for the rare input the locator accepts but the parser does not. */
function positionFromMessage(text: string, message: string): { line: number; column: number } {
  const match = /position (\d+)/.exec(message);
  if (!match) return { line: 1, column: 1 };
  const offset = Math.min(Number(match[1]), text.length);
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

/** Reads one package.json. Pure: (path, text) -> facts; never throws. */
export function scanPackageJson(file: string, text: string): PackageJson {
  let raw: unknown;
  let locations: JsonLocations;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    let where = positionFromMessage(text, (error as Error).message);
    let detail = (error as Error).message;
    try {
      locateJsonKeys(text);
    } catch (located) {
      if (located instanceof JsonSyntaxError) {
        where = { line: located.line, column: located.column };
        detail = located.message;
      }
    }
    return empty(file, [
      {
        severity: 'warning',
        code: 'manifest-parse-error',
        message: `package.json is not valid JSON: ${detail}; the package is not analysed`,
        location: { file, line: where.line, column: where.column },
      },
    ]);
  }
  try {
    locations = locateJsonKeys(text);
  } catch {
    // JSON.parse accepted what the locator rejects: keep the facts, without key positions.
    locations = new JsonLocations();
  }
  const diagnostics: Diagnostic[] = [];
  if (!isObject(raw)) {
    return empty(file, [
      { severity: 'warning', code: 'manifest-parse-error', message: 'package.json is not a JSON object; the package is not analysed', location: { file, line: 1, column: 1 } },
    ]);
  }
  const name = typeof raw.name === 'string' && raw.name.trim() !== '' ? raw.name : undefined;
  const facts: PackageJson = {
    file,
    parsed: true,
    location: name !== undefined ? locate(file, locations, ['name']) : { file, line: 1, column: 1 },
    hasStartScript: isObject(raw.scripts) && typeof raw.scripts.start === 'string' && raw.scripts.start.trim() !== '',
    bins: binNames(raw.bin, name),
    hasEntryPoint: ['main', 'module', 'exports', 'types', 'typings'].some((key) => raw[key] !== undefined),
    dependencies: [],
    diagnostics,
  };
  if (name !== undefined) facts.name = name;
  if (raw.workspaces !== undefined) {
    const workspaces = readWorkspaces(file, raw.workspaces, locations, diagnostics);
    if (workspaces) facts.workspaces = workspaces;
  }
  for (const field of DEPENDENCY_FIELDS) {
    const table = raw[field];
    if (table === undefined) continue;
    if (!isObject(table)) {
      diagnostics.push({
        severity: 'warning',
        code: 'manifest-invalid-dependency',
        message: `\`${field}\` is not an object of name -> version; it is ignored`,
        location: locate(file, locations, [field]),
      });
      continue;
    }
    for (const [key, spec] of Object.entries(table)) {
      const location = locate(file, locations, [field, key]);
      if (typeof spec !== 'string') {
        diagnostics.push({
          severity: 'warning',
          code: 'manifest-invalid-dependency',
          message: `dependency \`${key}\` in \`${field}\` is not a version string; it is ignored`,
          location,
        });
        continue;
      }
      facts.dependencies.push({ key, spec: spec.trim(), field, location });
    }
  }
  return facts;
}

function binNames(bin: unknown, name: string | undefined): string[] {
  if (typeof bin === 'string') return name !== undefined ? [name.replace(/^@[^/]+\//, '')] : [];
  if (isObject(bin)) return Object.keys(bin).filter((key) => typeof bin[key] === 'string').sort();
  return [];
}

function readWorkspaces(file: string, value: unknown, locations: JsonLocations, diagnostics: Diagnostic[]): NpmWorkspacesField | undefined {
  const location = locate(file, locations, ['workspaces']);
  let list: unknown = value;
  let base: (string | number)[] = ['workspaces'];
  if (isObject(value)) {
    list = value.packages;
    base = ['workspaces', 'packages'];
  }
  if (!Array.isArray(list)) {
    diagnostics.push({
      severity: 'warning',
      code: 'manifest-invalid-workspaces',
      message: '`workspaces` is neither an array of globs nor `{ "packages": [...] }`; no workspace member is read from it',
      location,
    });
    return undefined;
  }
  const patterns: string[] = [];
  const patternLocations: Location[] = [];
  list.forEach((pattern, index) => {
    const at = locate(file, locations, [...base, index]);
    if (typeof pattern !== 'string' || pattern.trim() === '') {
      diagnostics.push({ severity: 'warning', code: 'manifest-invalid-workspaces', message: 'a `workspaces` entry is not a non-empty string; it is ignored', location: at });
      return;
    }
    patterns.push(pattern.trim());
    patternLocations.push(at);
  });
  return { patterns, patternLocations, location };
}
