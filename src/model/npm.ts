import path from 'node:path';
import picomatch from 'picomatch';
import type { NpmDependencyDeclaration, PackageJson } from '../scan/npm/package-json.js';
import type { PnpmWorkspace } from '../scan/npm/pnpm-workspace.js';
import type { Diagnostic, Edge, ExternalDependency, KindSource, Language, Location, PackageEdgeKind, Unit, UnitKind } from './types.js';
import type { UnitClassification } from './cargo.js';
import { compareLocations, compareStrings } from '../util/location.js';
import { addManifestEdge } from './manifest-edges.js';
import { dirOf, isInside, normalizeRelative } from '../util/repo-path.js';

export interface NpmGraph {
  units: Unit[];
  edges: Edge[];
  diagnostics: Diagnostic[];
}

export interface NpmGraphOptions extends UnitClassification {
  /** Names already used by other units (Cargo crates): a package with one of them gets `name@path`. */
  takenNames?: ReadonlySet<string>;
}

const posix = path.posix;

const TS_SOURCE = /\.(?:ts|tsx|mts|cts)$/;
/** What Node resolves a package without `main` or `exports` to (plus their TypeScript sources). */
const INDEX_FILES = ['index.js', 'index.mjs', 'index.cjs', 'index.ts', 'index.mts', 'index.cts', 'index.tsx', 'index.jsx'];

/** A workspace root: a package.json with `workspaces`, or a pnpm-workspace.yaml (which pnpm reads instead). */
interface WorkspaceRoot {
  dir: string;
  /** The file that lists the members: `pnpm-workspace.yaml` or the root `package.json`. */
  file: string;
  patterns: string[];
  patternLocations: Location[];
  location: Location;
}

function workspaceRoots(packageJsons: readonly PackageJson[], pnpmWorkspaces: readonly PnpmWorkspace[]): WorkspaceRoot[] {
  const roots = new Map<string, WorkspaceRoot>();
  for (const pnpm of pnpmWorkspaces) {
    roots.set(dirOf(pnpm.file), { dir: dirOf(pnpm.file), file: pnpm.file, patterns: pnpm.patterns, patternLocations: pnpm.patternLocations, location: pnpm.location });
  }
  for (const pkg of packageJsons) {
    if (!pkg.workspaces || roots.has(dirOf(pkg.file))) continue;
    roots.set(dirOf(pkg.file), {
      dir: dirOf(pkg.file),
      file: pkg.file,
      patterns: pkg.workspaces.patterns,
      patternLocations: pkg.workspaces.patternLocations,
      location: pkg.workspaces.location,
    });
  }
  // Deeper roots first, so a nested workspace keeps its own members.
  return [...roots.values()].sort((a, b) => b.dir.split('/').length - a.dir.split('/').length || compareStrings(a.dir, b.dir));
}

const isGlob = (pattern: string): boolean => /[*?[\]{}()!+@]/.test(pattern);

/** Which package directories each workspace root's globs select, minus its negated (`!`) globs. */
function resolveMemberships(
  roots: readonly WorkspaceRoot[],
  packageDirs: readonly string[],
  diagnostics: Diagnostic[],
): { members: Map<string, WorkspaceRoot>; excluded: Map<string, WorkspaceRoot> } {
  const members = new Map<string, WorkspaceRoot>();
  const excluded = new Map<string, WorkspaceRoot>();
  for (const root of roots) {
    const include: { glob: string; index: number }[] = [];
    const exclude: string[] = [];
    root.patterns.forEach((raw, index) => {
      const negated = raw.startsWith('!');
      const pattern = (negated ? raw.slice(1) : raw).replace(/\/package\.json$/, '').replace(/\/+$/, '');
      const normalized = normalizeRelative(root.dir, pattern);
      if (normalized === undefined) {
        diagnostics.push({
          severity: 'warning',
          code: 'member-outside-repository',
          message: `workspace pattern \`${raw}\` points outside the analysed directory; it is not analysed`,
          location: root.patternLocations[index] ?? root.location,
        });
        return;
      }
      if (negated) exclude.push(normalized);
      else include.push({ glob: normalized, index });
    });
    const isExcluded = exclude.length > 0 ? picomatch(exclude, { dot: true }) : () => false;
    for (const { glob, index } of include) {
      const isMatch = picomatch(glob, { dot: true });
      let matched = 0;
      for (const dir of packageDirs) {
        if (dir === root.dir || !isInside(dir, root.dir) || !isMatch(dir)) continue;
        matched++;
        if (isExcluded(dir)) {
          if (!members.has(dir)) excluded.set(dir, root);
          continue;
        }
        if (!members.has(dir)) members.set(dir, root);
      }
      if (matched === 0 && !isGlob(root.patterns[index]!)) {
        diagnostics.push({
          severity: 'warning',
          code: 'member-not-found',
          message: `workspace member \`${root.patterns[index]}\` has no readable package.json with a \`name\``,
          location: root.patternLocations[index] ?? root.location,
        });
      }
    }
  }
  for (const dir of members.keys()) excluded.delete(dir);
  return { members, excluded };
}

/** Service or library: config globs first, else "has a `start` script or a Dockerfile". */
function classifyPackage(
  unitPath: string,
  name: string,
  pkg: PackageJson,
  hasDockerfile: boolean,
  classification: UnitClassification,
): { kind: UnitKind; kindSource: KindSource } {
  const matches = (patterns: readonly string[] | undefined): boolean => {
    if (!patterns || patterns.length === 0) return false;
    const isMatch = picomatch([...patterns], { dot: true });
    return isMatch(unitPath) || isMatch(name);
  };
  if (matches(classification.libraries)) return { kind: 'library', kindSource: 'config:libraries' };
  if (matches(classification.services)) return { kind: 'service', kindSource: 'config:services' };
  if (classification.services !== undefined) return { kind: 'library', kindSource: 'config:services' };
  if (pkg.hasStartScript) return { kind: 'service', kindSource: 'start-script' };
  if (hasDockerfile) return { kind: 'service', kindSource: 'dockerfile' };
  return { kind: 'library', kindSource: 'no-start-script' };
}

/** How a version spec says where the package comes from. */
type SpecTarget =
  | { type: 'workspace'; name?: string }
  | { type: 'path'; path: string }
  | { type: 'alias'; name: string }
  | { type: 'git' }
  | { type: 'registry' };

/** Reads a version spec: `workspace:*`, `workspace:^1.0.0`, `workspace:other@*`, `file:../db`, `link:../db`, `npm:x@1`, git URLs. */
export function parseSpec(spec: string): SpecTarget {
  if (spec.startsWith('workspace:')) {
    const rest = spec.slice('workspace:'.length);
    if (rest.startsWith('.') || rest.startsWith('/')) return { type: 'path', path: rest };
    // `workspace:@scope/name@range` or `workspace:name@range` (pnpm aliases); a bare range otherwise.
    const alias = /^((?:@[^/@\s]+\/)?[^@\s/]+)@/.exec(rest);
    return alias && !/^[\^~*<>=\d]/.test(rest) ? { type: 'workspace', name: alias[1]! } : { type: 'workspace' };
  }
  if (spec.startsWith('file:') || spec.startsWith('link:') || spec.startsWith('portal:')) return { type: 'path', path: spec.slice(spec.indexOf(':') + 1) };
  if (spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('/') || spec.startsWith('~/')) return { type: 'path', path: spec };
  if (spec.startsWith('npm:')) {
    const match = /^npm:((?:@[^/@\s]+\/)?[^@\s]+)/.exec(spec);
    return match ? { type: 'alias', name: match[1]! } : { type: 'registry' };
  }
  if (/^(?:git\+|git:|github:|gitlab:|bitbucket:|gist:)/.test(spec) || /\.git(?:#.*)?$/.test(spec) || /^[\w.-]+\/[\w.-]+(?:#.*)?$/.test(spec)) return { type: 'git' };
  return { type: 'registry' };
}

const KIND_OF: Record<NpmDependencyDeclaration['field'], PackageEdgeKind> = {
  dependencies: 'package',
  peerDependencies: 'package',
  optionalDependencies: 'package',
  devDependencies: 'package-dev',
};

/**
 * A package.json beside a Cargo.toml that declares only devDependencies, no entry point, no bin
 * and no start script: how Rust repositories pin prettier, husky or commitlint. Not a unit (it
 * would cover the whole directory and load the TypeScript compiler for a config file).
 */
function isToolingManifest(pkg: PackageJson, files: readonly string[]): boolean {
  if (pkg.hasStartScript || pkg.hasEntryPoint || pkg.bins.length > 0) return false;
  if (pkg.dependencies.some((d) => d.field !== 'devDependencies')) return false;
  const dir = dirOf(pkg.file);
  return files.includes(dir === '.' ? 'Cargo.toml' : `${dir}/Cargo.toml`);
}

/**
 * Units and package edges of the npm/yarn/pnpm workspaces in the repository: workspace members
 * (their globs, minus negated ones), and packages outside any workspace (standalone). A workspace
 * root's own package.json is the project shell, not a unit.
 */
export function buildNpmGraph(
  packageJsons: readonly PackageJson[],
  pnpmWorkspaces: readonly PnpmWorkspace[],
  files: readonly string[],
  options: NpmGraphOptions,
): NpmGraph {
  const diagnostics: Diagnostic[] = [];
  for (const pkg of packageJsons) diagnostics.push(...pkg.diagnostics);
  for (const pnpm of pnpmWorkspaces) diagnostics.push(...pnpm.diagnostics);
  const roots = workspaceRoots(packageJsons, pnpmWorkspaces);
  const rootDirs = new Set(roots.map((r) => r.dir));
  const byDir = new Map<string, PackageJson>();
  for (const pkg of packageJsons) byDir.set(dirOf(pkg.file), pkg);

  // Packages with a name can be members; a nameless one is noted.
  const named: PackageJson[] = [];
  for (const pkg of packageJsons) {
    if (!pkg.parsed || rootDirs.has(dirOf(pkg.file))) continue;
    if (pkg.name === undefined) {
      diagnostics.push({
        severity: 'warning',
        code: 'manifest-missing-name',
        message: 'package.json has no `name`; it is not analysed as a package',
        location: pkg.location,
      });
      continue;
    }
    named.push(pkg);
  }
  const { members, excluded } = resolveMemberships(roots, named.map((p) => dirOf(p.file)), diagnostics);

  const unitPackages: { pkg: PackageJson; workspace?: WorkspaceRoot }[] = [];
  for (const pkg of named) {
    const dir = dirOf(pkg.file);
    const root = members.get(dir);
    if (root) {
      unitPackages.push({ pkg, workspace: root });
      continue;
    }
    const excludedBy = excluded.get(dir);
    if (excludedBy) {
      diagnostics.push({
        severity: 'info',
        code: 'excluded-from-workspace',
        message: `package \`${pkg.name}\` is excluded by a negated pattern of the workspace at ${excludedBy.file}; it is not analysed`,
        location: pkg.location,
      });
      continue;
    }
    const enclosing = roots.filter((r) => isInside(dir, r.dir)).sort((a, b) => b.dir.length - a.dir.length)[0];
    if (enclosing) {
      diagnostics.push({
        severity: 'info',
        code: 'not-a-workspace-member',
        message: `package \`${pkg.name}\` is not a member of the workspace at ${enclosing.file} (no pattern matches it); it is not analysed`,
        location: pkg.location,
      });
      continue;
    }
    if (isToolingManifest(pkg, files)) {
      diagnostics.push({
        severity: 'info',
        code: 'tooling-package-json',
        message: `package \`${pkg.name}\` sits beside a Cargo.toml and declares only devDependencies, no entry point and no start script: repository tooling (formatters, git hooks), not a unit; declare it in \`units\` to analyse it`,
        location: pkg.location,
      });
      continue;
    }
    unitPackages.push({ pkg });
  }
  unitPackages.sort((a, b) => compareStrings(a.pkg.file, b.pkg.file));

  // Language and Dockerfiles from the file list, each file credited to its nearest package directory.
  const unitDirs = new Set(unitPackages.map((u) => dirOf(u.pkg.file)));
  const typescriptDirs = new Set<string>();
  const dockerDirs = new Set<string>();
  for (const file of files) {
    const base = posix.basename(file);
    const isTs = base === 'tsconfig.json' || (TS_SOURCE.test(base) && !/\.d\.[mc]?ts$/.test(base));
    const isDocker = base === 'Dockerfile';
    if (!isTs && !isDocker) continue;
    let dir = dirOf(file);
    for (;;) {
      if (unitDirs.has(dir)) {
        if (isTs) typescriptDirs.add(dir);
        // A Dockerfile counts only in the package's own directory.
        if (isDocker && dir === dirOf(file)) dockerDirs.add(dir);
        break;
      }
      if (dir === '.') break;
      dir = dirOf(dir);
    }
  }

  const fileSet = new Set(files);
  const units: Unit[] = [];
  const unitByDir = new Map<string, Unit>();
  const packageByUnit = new Map<Unit, PackageJson>();
  const seenNames = new Map<string, string>();
  for (const name of options.takenNames ?? []) seenNames.set(name, 'another unit');
  for (const { pkg, workspace } of unitPackages) {
    const dir = dirOf(pkg.file);
    let name = pkg.name!;
    const clash = seenNames.get(name);
    if (clash !== undefined) {
      name = `${pkg.name}@${dir}`;
      diagnostics.push({
        severity: 'warning',
        code: 'duplicate-unit-name',
        message: `two units are named \`${pkg.name}\` (${clash} and ${pkg.file}); this one is called \`${name}\``,
        location: pkg.location,
      });
    } else {
      seenNames.set(name, pkg.file);
    }
    const language: Language = typescriptDirs.has(dir) ? 'typescript' : 'javascript';
    const { kind, kindSource } = classifyPackage(dir, name, pkg, dockerDirs.has(dir), options);
    const unit: Unit = {
      name,
      kind,
      path: dir,
      language,
      manifest: pkg.file,
      workspace: workspace?.file ?? pkg.file,
      kindSource,
      binaries: [...pkg.bins],
      hasLibrary: pkg.hasEntryPoint || INDEX_FILES.some((index) => fileSet.has(dir === '.' ? index : `${dir}/${index}`)),
      externalDependencies: [],
    };
    units.push(unit);
    unitByDir.set(dir, unit);
    packageByUnit.set(unit, pkg);
  }

  // Edges: a dependency on a package of the same workspace (by name), or on a package directory (by path).
  const edgeIndex = new Map<string, Edge>();
  for (const unit of units) {
    const pkg = packageByUnit.get(unit)!;
    const dir = unit.path;
    const sameWorkspace = new Map<string, Unit>();
    if (unit.workspace !== unit.manifest) {
      for (const other of units) if (other.workspace === unit.workspace) sameWorkspace.set(packageByUnit.get(other)!.name!, other);
    }
    for (const declaration of pkg.dependencies) {
      const kind = KIND_OF[declaration.field];
      const scope = kind === 'package-dev' ? 'test' : 'prod';
      const optional = declaration.field === 'optionalDependencies';
      const target = parseSpec(declaration.spec);
      let to: Unit | undefined;
      let packageName = declaration.key;
      let source: ExternalDependency['source'] = 'registry';
      if (target.type === 'workspace') {
        packageName = target.name ?? declaration.key;
        to = sameWorkspace.get(packageName);
        if (!to) {
          diagnostics.push({
            severity: 'warning',
            code: 'unresolved-workspace-dependency',
            message:
              unit.workspace === unit.manifest
                ? `\`${declaration.key}\`: \`${declaration.spec}\` but ${unit.manifest} belongs to no workspace`
                : `\`${declaration.key}\`: \`${declaration.spec}\` but the workspace at ${unit.workspace} has no package named \`${packageName}\``,
            location: declaration.location,
          });
          continue;
        }
      } else if (target.type === 'path') {
        source = 'path';
        const resolved = target.path.startsWith('~') || posix.isAbsolute(target.path) ? undefined : normalizeRelative(dir, target.path);
        if (resolved === undefined) {
          diagnostics.push({
            severity: 'info',
            code: 'path-dependency-outside-repository',
            message: `path dependency \`${declaration.key}\` (\`${declaration.spec}\`) points outside the analysed directory; recorded as external`,
            location: declaration.location,
          });
        } else if (!/\.(?:tgz|tar\.gz|tar)$/.test(resolved)) {
          to = unitByDir.get(resolved);
          if (!to) {
            const targetPackage = byDir.get(resolved);
            diagnostics.push(
              targetPackage === undefined
                ? {
                    severity: 'warning',
                    code: 'unresolved-path-dependency',
                    message: `path dependency \`${declaration.key}\` points to ${resolved}, which has no package.json`,
                    location: declaration.location,
                  }
                : {
                    severity: 'info',
                    code: 'path-dependency-not-a-unit',
                    message: `path dependency \`${declaration.key}\` points to ${targetPackage.file}, which is not an analysed package; recorded as external`,
                    location: declaration.location,
                  },
            );
          } else if (packageByUnit.get(to)!.name !== declaration.key) {
            packageName = packageByUnit.get(to)!.name!;
          }
        }
      } else if (target.type === 'alias') {
        packageName = target.name;
      } else if (target.type === 'git') {
        source = 'git';
      } else {
        // A plain range naming a package of the same workspace: npm and yarn link the workspace package.
        to = sameWorkspace.get(declaration.key);
      }
      const rename = packageName !== declaration.key ? declaration.key : undefined;
      if (to) {
        addManifestEdge(edgeIndex, { from: unit.name, to: to.name, kind, scope, evidence: [declaration.location], optional: optional || undefined, rename });
        continue;
      }
      const external: ExternalDependency = { name: packageName, kind, scope, source, optional, location: declaration.location };
      if (rename) external.rename = rename;
      unit.externalDependencies.push(external);
    }
    unit.externalDependencies.sort(
      (a, b) => compareStrings(a.name, b.name) || compareStrings(a.kind, b.kind) || compareLocations(a.location, b.location),
    );
  }
  const edges = [...edgeIndex.values()];
  edges.sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to) || compareStrings(a.kind, b.kind));
  return { units, edges, diagnostics };
}
