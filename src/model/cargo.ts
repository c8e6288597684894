import path from 'node:path';
import picomatch from 'picomatch';
import type { CargoManifest, DependencyDeclaration } from '../scan/cargo/manifest.js';
import type { Diagnostic, Edge, ExternalDependency, KindSource, Location, Unit, UnitKind } from './types.js';
import { compareLocations, compareStrings } from '../util/location.js';
import { addManifestEdge } from './manifest-edges.js';
import { dirOf, isInside, normalizeRelative } from '../util/repo-path.js';

export interface UnitClassification {
  services: readonly string[] | undefined;
  libraries: readonly string[] | undefined;
}

export interface CargoGraph {
  units: Unit[];
  edges: Edge[];
  diagnostics: Diagnostic[];
}

const posix = path.posix;

function posixNormalize(file: string): string {
  return posix.normalize(file.replace(/\\/g, '/'));
}

interface Membership {
  /** Workspace manifest that claims the package. */
  workspace: string;
}

/** Which package manifests each workspace's `members` globs select, minus its `exclude` paths. */
function resolveMemberships(
  manifests: readonly CargoManifest[],
  diagnostics: Diagnostic[],
): { members: Map<string, Membership>; excluded: Map<string, string> } {
  const packageDirs = new Map<string, CargoManifest>();
  for (const manifest of manifests) if (manifest.package) packageDirs.set(dirOf(manifest.file), manifest);
  const members = new Map<string, Membership>();
  const excluded = new Map<string, string>();
  // Deeper workspaces first, so a nested workspace keeps its own members.
  const workspaces = manifests
    .filter((m) => m.workspace)
    .sort((a, b) => dirOf(b.file).split('/').length - dirOf(a.file).split('/').length || compareStrings(a.file, b.file));
  for (const manifest of workspaces) {
    const ws = manifest.workspace!;
    const wsDir = dirOf(manifest.file);
    const excludes = ws.exclude.map((e) => normalizeRelative(wsDir, e)).filter((e): e is string => e !== undefined);
    const claim = (dir: string): void => {
      if (excludes.some((e) => isInside(dir, e))) {
        excluded.set(dir, manifest.file);
        return;
      }
      if (!members.has(dir)) members.set(dir, { workspace: manifest.file });
    };
    if (manifest.package) claim(wsDir);
    for (const pattern of ws.members) {
      const normalized = normalizeRelative(wsDir, pattern);
      if (normalized === undefined) {
        diagnostics.push({
          severity: 'warning',
          code: 'member-outside-repository',
          message: `workspace member \`${pattern}\` points outside the analysed directory; it is not analysed`,
          location: ws.location,
        });
        continue;
      }
      const isMatch = picomatch(normalized, { dot: true });
      let matched = 0;
      for (const dir of packageDirs.keys()) {
        if (isMatch(dir)) {
          claim(dir);
          matched++;
        }
      }
      if (matched === 0 && !/[*?[]/.test(pattern)) {
        diagnostics.push({
          severity: 'warning',
          code: 'member-not-found',
          message: `workspace member \`${pattern}\` has no readable Cargo.toml with a [package]`,
          location: ws.memberLocations[ws.members.indexOf(pattern)] ?? ws.location,
        });
      }
    }
    // Cargo also makes every path dependency inside the workspace directory a member.
    const queue = [...members].filter(([, m]) => m.workspace === manifest.file).map(([dir]) => dir);
    while (queue.length > 0) {
      const dir = queue.pop()!;
      const member = packageDirs.get(dir);
      if (!member) continue;
      for (const declaration of member.dependencies) {
        const inherited = declaration.inheritsWorkspace ? ws.dependencies.get(declaration.key) : undefined;
        const base = inherited ? wsDir : dir;
        const relative = inherited ? inherited.path : declaration.path;
        if (relative === undefined) continue;
        const target = normalizeRelative(base, relative);
        if (target === undefined || !isInside(target, wsDir) || members.has(target) || !packageDirs.has(target)) continue;
        if (excludes.some((e) => isInside(target, e))) continue;
        members.set(target, { workspace: manifest.file });
        queue.push(target);
      }
    }
  }
  return { members, excluded };
}

function matchesAny(patterns: readonly string[] | undefined, unitPath: string, name: string): boolean {
  if (!patterns || patterns.length === 0) return false;
  const isMatch = picomatch([...patterns], { dot: true });
  return isMatch(unitPath) || isMatch(name);
}

/** Service or library: config globs first, else "has a binary target". */
export function classifyUnit(
  unitPath: string,
  name: string,
  binaries: readonly string[],
  classification: UnitClassification,
): { kind: UnitKind; kindSource: KindSource } {
  if (matchesAny(classification.libraries, unitPath, name)) return { kind: 'library', kindSource: 'config:libraries' };
  if (matchesAny(classification.services, unitPath, name)) return { kind: 'service', kindSource: 'config:services' };
  if (classification.services !== undefined) return { kind: 'library', kindSource: 'config:services' };
  return binaries.length > 0
    ? { kind: 'service', kindSource: 'binary-target' }
    : { kind: 'library', kindSource: 'no-binary-target' };
}

/** Binary target names per Cargo's target auto-discovery, plus `[[bin]]` entries; `binFiles` are the files under any `src/bin/`. */
function findBinaries(manifest: CargoManifest, files: ReadonlySet<string>, binFiles: readonly string[]): string[] {
  const dir = dirOf(manifest.file);
  const prefix = dir === '.' ? '' : `${dir}/`;
  const pkg = manifest.package!;
  const names = new Set<string>();
  // A file an explicit [[bin]] already builds is not discovered a second time.
  const explicitPaths = new Set(pkg.bins.filter((b) => b.path !== undefined).map((b) => posixNormalize(`${prefix}${b.path}`)));
  for (const bin of pkg.bins) names.add(bin.name ?? pkg.name);
  if (pkg.autobins) {
    if (files.has(`${prefix}src/main.rs`) && !explicitPaths.has(`${prefix}src/main.rs`)) names.add(pkg.name);
    const binDir = `${prefix}src/bin/`;
    for (const file of binFiles) {
      if (!file.startsWith(binDir) || explicitPaths.has(file)) continue;
      const rest = file.slice(binDir.length);
      const single = /^([^/]+)\.rs$/.exec(rest);
      const nested = /^([^/]+)\/main\.rs$/.exec(rest);
      if (single) names.add(single[1]!);
      else if (nested) names.add(nested[1]!);
    }
  }
  return [...names].sort(compareStrings);
}

function hasLibrary(manifest: CargoManifest, files: ReadonlySet<string>): boolean {
  const dir = dirOf(manifest.file);
  const prefix = dir === '.' ? '' : `${dir}/`;
  return manifest.package!.libPath !== undefined || files.has(`${prefix}src/lib.rs`);
}

interface ResolvedDependency {
  declaration: DependencyDeclaration;
  packageName: string;
  path?: string;
  git?: string;
  evidence: Location[];
}

/**
 * Units and crate edges of every Cargo workspace in the repository: members, workspace
 * inheritance, renames, target-specific tables; non-members are noted, not analysed.
 */
export function buildCargoGraph(
  manifests: readonly CargoManifest[],
  files: ReadonlySet<string>,
  classification: UnitClassification,
): CargoGraph {
  const diagnostics: Diagnostic[] = [];
  for (const manifest of manifests) diagnostics.push(...manifest.diagnostics);
  const byFile = new Map(manifests.map((m) => [m.file, m]));
  const { members, excluded } = resolveMemberships(manifests, diagnostics);
  const workspaceDirs = manifests.filter((m) => m.workspace).map((m) => dirOf(m.file));

  // Decide which package manifests are units.
  const unitManifests: { manifest: CargoManifest; workspace: string }[] = [];
  for (const manifest of manifests) {
    if (!manifest.package) continue;
    const dir = dirOf(manifest.file);
    const membership = members.get(dir);
    if (membership) {
      unitManifests.push({ manifest, workspace: membership.workspace });
      continue;
    }
    const excludedBy = excluded.get(dir);
    if (excludedBy) {
      diagnostics.push({
        severity: 'info',
        code: 'excluded-from-workspace',
        message: `crate \`${manifest.package.name}\` is excluded by the workspace at ${excludedBy}; it is not analysed`,
        location: manifest.package.location,
      });
      continue;
    }
    const enclosing = workspaceDirs.filter((w) => w !== dir && isInside(dir, w)).sort((a, b) => b.length - a.length)[0];
    if (enclosing !== undefined) {
      const wsFile = enclosing === '.' ? 'Cargo.toml' : `${enclosing}/Cargo.toml`;
      diagnostics.push({
        severity: 'info',
        code: 'not-a-workspace-member',
        message: `crate \`${manifest.package.name}\` is not a member of the workspace at ${wsFile} (no \`members\` entry matches it); it is not analysed`,
        location: manifest.package.location,
      });
      continue;
    }
    unitManifests.push({ manifest, workspace: manifest.file });
  }
  // Units, with unique names.
  const units: Unit[] = [];
  const unitByDir = new Map<string, Unit>();
  const seenNames = new Map<string, Unit>();
  unitManifests.sort((a, b) => compareStrings(a.manifest.file, b.manifest.file));
  // Candidates for binary auto-discovery, found once rather than by walking every file per unit.
  const binFiles = [...files].filter((file) => file.includes('src/bin/'));
  for (const { manifest, workspace } of unitManifests) {
    const pkg = manifest.package!;
    const dir = dirOf(manifest.file);
    const binaries = findBinaries(manifest, files, binFiles);
    let name = pkg.name;
    const clash = seenNames.get(name);
    if (clash) {
      name = `${pkg.name}@${dir}`;
      diagnostics.push({
        severity: 'warning',
        code: 'duplicate-unit-name',
        message: `two crates are named \`${pkg.name}\` (${clash.manifest} and ${manifest.file}); this one is called \`${name}\``,
        location: pkg.location,
      });
    }
    const { kind, kindSource } = classifyUnit(dir, name, binaries, classification);
    const unit: Unit = {
      name,
      kind,
      path: dir,
      language: 'rust',
      manifest: manifest.file,
      workspace,
      kindSource,
      binaries,
      hasLibrary: hasLibrary(manifest, files),
      externalDependencies: [],
    };
    seenNames.set(pkg.name, unit);
    units.push(unit);
    unitByDir.set(dir, unit);
  }

  // Edges. Members mostly inherit the same [workspace.dependencies] paths, so each path is normalised once.
  const normalizedPaths = new Map<string, string | undefined>();
  const resolvePath = (from: string, relative: string): string | undefined => {
    const key = `${from}\u0000${relative}`;
    if (normalizedPaths.has(key)) return normalizedPaths.get(key);
    const normalized = normalizeRelative(from, relative);
    normalizedPaths.set(key, normalized);
    return normalized;
  };
  const edgeIndex = new Map<string, Edge>();
  for (const unit of units) {
    const manifest = byFile.get(unit.manifest)!;
    const workspaceManifest = byFile.get(unit.workspace);
    for (const declaration of manifest.dependencies) {
      const resolved = resolveDeclaration(declaration, unit.path, workspaceManifest, resolvePath, diagnostics);
      if (!resolved) continue;
      const scope = declaration.kind === 'crate-dev' ? 'test' : 'prod';
      const rename = declaration.key !== resolved.packageName ? declaration.key : undefined;
      if (resolved.path !== undefined) {
        const target = unitByDir.get(resolved.path);
        if (target) {
          if (target.manifest !== unit.manifest) {
            const targetName = byFile.get(target.manifest)!.package!.name;
            if (targetName !== resolved.packageName) {
              diagnostics.push({
                severity: 'warning',
                code: 'dependency-name-mismatch',
                message: `dependency \`${declaration.key}\` expects package \`${resolved.packageName}\` but ${target.manifest} is \`${targetName}\``,
                location: declaration.location,
              });
            }
          }
          addManifestEdge(edgeIndex, {
            from: unit.name,
            to: target.name,
            kind: declaration.kind,
            scope,
            evidence: resolved.evidence,
            optional: declaration.optional || undefined,
            target: declaration.target,
            rename,
          });
          continue;
        }
        const targetManifest = byFile.get(resolved.path === '.' ? 'Cargo.toml' : `${resolved.path}/Cargo.toml`);
        diagnostics.push(
          targetManifest === undefined
            ? {
                severity: 'warning',
                code: 'unresolved-path-dependency',
                message: `path dependency \`${declaration.key}\` points to ${resolved.path}, which has no Cargo.toml`,
                location: declaration.location,
              }
            : {
                severity: 'info',
                code: 'path-dependency-not-a-unit',
                message: `path dependency \`${declaration.key}\` points to ${targetManifest.file}, which is not an analysed workspace member; recorded as external`,
                location: declaration.location,
              },
        );
      }
      const external: ExternalDependency = {
        name: resolved.packageName,
        kind: declaration.kind,
        scope,
        source: resolved.path !== undefined ? 'path' : resolved.git !== undefined ? 'git' : 'registry',
        optional: declaration.optional,
        location: declaration.location,
      };
      if (rename) external.rename = rename;
      if (declaration.target) external.target = declaration.target;
      unit.externalDependencies.push(external);
    }
    unit.externalDependencies.sort(
      (a, b) => compareStrings(a.name, b.name) || compareStrings(a.kind, b.kind) || compareLocations(a.location, b.location),
    );
  }
  // Evidence keeps declaration order: the member's own line first, then the
  // [workspace.dependencies] entry it inherits from, so the primary location is the member's.
  const edges = [...edgeIndex.values()];
  edges.sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to) || compareStrings(a.kind, b.kind));
  return { units, edges, diagnostics };
}

/** `manifestDir` is the declaring manifest's directory; `resolvePath` is `normalizeRelative`, memoised. */
function resolveDeclaration(
  declaration: DependencyDeclaration,
  manifestDir: string,
  workspaceManifest: CargoManifest | undefined,
  resolvePath: (from: string, relative: string) => string | undefined,
  diagnostics: Diagnostic[],
): ResolvedDependency | undefined {
  if (!declaration.inheritsWorkspace) {
    const resolvedPath = declaration.path !== undefined ? resolvePath(manifestDir, declaration.path) : undefined;
    if (declaration.path !== undefined && resolvedPath === undefined) {
      diagnostics.push({
        severity: 'info',
        code: 'path-dependency-outside-repository',
        message: `path dependency \`${declaration.key}\` points outside the analysed directory; recorded as external`,
        location: declaration.location,
      });
    }
    return {
      declaration,
      packageName: declaration.package ?? declaration.key,
      path: resolvedPath,
      git: declaration.git,
      evidence: [declaration.location],
    };
  }
  const inherited = workspaceManifest?.workspace?.dependencies.get(declaration.key);
  if (!inherited || !workspaceManifest) {
    diagnostics.push({
      severity: 'warning',
      code: 'workspace-dependency-missing',
      message: `\`${declaration.key}.workspace = true\` but the workspace${workspaceManifest ? ` at ${workspaceManifest.file}` : ''} has no \`[workspace.dependencies] ${declaration.key}\``,
      location: declaration.location,
    });
    return undefined;
  }
  const resolvedPath = inherited.path !== undefined ? resolvePath(dirOf(workspaceManifest.file), inherited.path) : undefined;
  return {
    declaration,
    packageName: inherited.package ?? declaration.key,
    path: resolvedPath,
    git: inherited.git,
    evidence: [declaration.location, inherited.location],
  };
}
