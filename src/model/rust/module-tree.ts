import path from 'node:path';
import type { CargoManifest } from '../../scan/cargo/manifest.js';
import type { RustFileFacts } from '../../scan/rust/facts.js';
import type { Diagnostic, Scope, Unit } from '../types.js';
import { compareStrings } from '../../util/location.js';

const posix = path.posix;

export type CrateRootKind = 'lib' | 'bin' | 'build' | 'test' | 'bench' | 'example';

export interface CompiledFile {
  file: string;
  unit: string;
  /** `test` for files under tests/, benches/, examples/ or declared under `#[cfg(test)]`. */
  scope: Scope;
  /** The crate root this file was reached from. */
  root: CrateRootKind;
  /** Module path inside the crate, e.g. `['clients', 'feed']`; `[]` for a root. */
  modulePath: string[];
}

export interface ModuleTree {
  /** Every compiled `.rs` file, sorted by path. */
  files: CompiledFile[];
  diagnostics: Diagnostic[];
}

/** Reads the facts of a file (the caller caches and reports unreadable files); undefined when it cannot be read. */
export type FactsReader = (file: string) => RustFileFacts | undefined;

interface Root {
  file: string;
  kind: CrateRootKind;
}

function join(dir: string, file: string): string {
  return dir === '.' || dir === '' ? file : posix.join(dir, file);
}

/** Crate roots per Cargo's target auto-discovery plus explicit `[lib]`, `[[bin]]` and `build` entries. */
export function crateRoots(unit: Unit, manifest: CargoManifest, files: ReadonlySet<string>): Root[] {
  const dir = unit.path;
  const roots: Root[] = [];
  const add = (file: string, kind: CrateRootKind): void => {
    const normalized = posix.normalize(file);
    if (files.has(normalized) && !roots.some((r) => r.file === normalized)) roots.push({ file: normalized, kind });
  };
  const pkg = manifest.package!;
  add(join(dir, pkg.libPath ?? 'src/lib.rs'), 'lib');
  for (const bin of pkg.bins) {
    if (bin.path) add(join(dir, bin.path), 'bin');
    else if (bin.name) {
      add(join(dir, `src/bin/${bin.name}.rs`), 'bin');
      add(join(dir, `src/bin/${bin.name}/main.rs`), 'bin');
      if (bin.name === pkg.name) add(join(dir, 'src/main.rs'), 'bin');
    }
  }
  if (pkg.autobins) add(join(dir, 'src/main.rs'), 'bin');
  // In file order, as Cargo's directory walk would meet them.
  const candidates: { at: number; file: string; kind: CrateRootKind }[] = [];
  for (const [folder, kind] of AUTODISCOVERED) {
    if (kind === 'bin' && !pkg.autobins) continue;
    for (const { at, file } of autodiscoveryCandidates(files).get(`${dir === '' ? '.' : dir}\u0000${folder}`) ?? []) candidates.push({ at, file, kind });
  }
  for (const { file, kind } of candidates.sort((a, b) => a.at - b.at)) add(file, kind);
  if (pkg.build !== false) add(join(dir, pkg.build ?? 'build.rs'), 'build');
  return roots;
}

const fileSets = new WeakMap<readonly string[], ReadonlySet<string>>();

/** The repository's files as a set, made once per list (each batch of a large workspace asks). */
function fileSetOf(files: readonly string[]): ReadonlySet<string> {
  let set = fileSets.get(files);
  if (!set) fileSets.set(files, (set = new Set(files)));
  return set;
}

/** Folders whose `x.rs` and `x/main.rs` Cargo makes targets of their own. */
const AUTODISCOVERED: readonly [string, CrateRootKind][] = [
  ['src/bin', 'bin'],
  ['tests', 'test'],
  ['benches', 'bench'],
  ['examples', 'example'],
];
const AUTODISCOVERED_FOLDERS = new Set(AUTODISCOVERED.map(([folder]) => folder));

const candidatesCache = new WeakMap<ReadonlySet<string>, Map<string, { at: number; file: string }[]>>();

/**
 * The files that could be autodiscovered targets, by crate directory and folder
 * (`services/feed\0tests` -> its `tests/x.rs` and `tests/x/main.rs`), in file order. Built once
 * per file set: a unit's roots were found by testing every file of the repository against its
 * directory, which a workspace resolved in batches paid units x files times per batch.
 */
function autodiscoveryCandidates(files: ReadonlySet<string>): Map<string, { at: number; file: string }[]> {
  let byFolder = candidatesCache.get(files);
  if (byFolder) return byFolder;
  byFolder = new Map();
  let at = -1;
  for (const file of files) {
    at++;
    if (!file.endsWith('.rs')) continue;
    const parts = file.split('/');
    // `<dir>/<folder>/x.rs`, or `<dir>/<folder>/x/main.rs`.
    const depths = parts[parts.length - 1] === 'main.rs' ? [2, 3] : [2];
    for (const depth of depths) {
      for (const folderLength of [1, 2]) {
        const end = parts.length - depth;
        const start = end - folderLength + 1;
        if (start < 0 || end < 0) continue;
        const folder = parts.slice(start, end + 1).join('/');
        if (!AUTODISCOVERED_FOLDERS.has(folder)) continue;
        const dir = start === 0 ? '.' : parts.slice(0, start).join('/');
        const key = `${dir}\u0000${folder}`;
        const list = byFolder.get(key);
        if (list === undefined) byFolder.set(key, [{ at, file }]);
        else list.push({ at, file });
      }
    }
  }
  candidatesCache.set(files, byFolder);
  return byFolder;
}

function isModRs(file: string, isRoot: boolean, viaPathAttribute: boolean): boolean {
  return isRoot || viaPathAttribute || posix.basename(file) === 'mod.rs';
}

/**
 * The files each crate compiles: from its roots through `mod x;` declarations (`x.rs` or
 * `x/mod.rs`, nested under inline modules, or `#[path]`). `.rs` files of the unit that no root
 * reaches are noted once as not compiled; they contribute no facts.
 */
export function buildModuleTree(
  units: readonly Unit[],
  manifests: ReadonlyMap<string, CargoManifest>,
  files: readonly string[],
  readFacts: FactsReader,
  /** Report only about these units' files (the rest are read as their dependencies); all when undefined. */
  reportFor?: ReadonlySet<string>,
): ModuleTree {
  const fileSet = fileSetOf(files);
  const compiled = new Map<string, CompiledFile>();
  const diagnostics: Diagnostic[] = [];
  // A file belongs to the crate of the nearest directory holding a Cargo.toml, member or not.
  const crateDirs = new Set([...manifests.keys()].map((m) => posix.dirname(m)));
  const ownerDir = (file: string): string | undefined => {
    for (let dir = posix.dirname(file); dir !== '.'; dir = posix.dirname(dir)) if (crateDirs.has(dir)) return dir;
    return crateDirs.has('.') ? '.' : undefined;
  };
  const unitByDir = new Map(units.map((u) => [u.path, u]));

  for (const unit of units) {
    const manifest = manifests.get(unit.manifest);
    if (!manifest?.package) continue;
    const queue: { file: string; scope: Scope; root: CrateRootKind; modulePath: string[]; modRs: boolean }[] = [];
    for (const root of crateRoots(unit, manifest, fileSet)) {
      const scope: Scope = root.kind === 'test' || root.kind === 'bench' || root.kind === 'example' ? 'test' : 'prod';
      queue.push({ file: root.file, scope, root: root.kind, modulePath: [], modRs: true });
    }
    while (queue.length > 0) {
      const current = queue.shift()!;
      const known = compiled.get(current.file);
      if (known && (known.scope === 'prod' || current.scope === 'test')) continue;
      compiled.set(current.file, { file: current.file, unit: unit.name, scope: current.scope, root: current.root, modulePath: current.modulePath });
      const facts = readFacts(current.file);
      if (!facts) continue;
      const fileScope: Scope = facts.fileIsTest ? 'test' : current.scope;
      if (fileScope !== current.scope) compiled.get(current.file)!.scope = fileScope;
      const dir = posix.dirname(current.file);
      const moduleDir = current.modRs ? dir : posix.join(dir, posix.basename(current.file, '.rs'));
      for (const declaration of facts.mods) {
        const scope: Scope = declaration.test || fileScope === 'test' ? 'test' : 'prod';
        const base = declaration.inlineParents.length > 0 ? posix.join(moduleDir, ...declaration.inlineParents) : moduleDir;
        let target: string | undefined;
        let viaPath = false;
        if (declaration.pathAttribute !== undefined) {
          const relativeTo = declaration.inlineParents.length > 0 ? base : dir;
          target = posix.normalize(posix.join(relativeTo, declaration.pathAttribute));
          viaPath = true;
          if (!fileSet.has(target)) target = undefined;
        } else {
          const flat = posix.join(base, `${declaration.name}.rs`);
          const nested = posix.join(base, declaration.name, 'mod.rs');
          target = fileSet.has(flat) ? flat : fileSet.has(nested) ? nested : undefined;
        }
        if (target === undefined) {
          if (reportFor && !reportFor.has(unit.name)) continue;
          diagnostics.push({
            severity: 'warning',
            code: 'module-not-found',
            message: `\`mod ${declaration.name};\` has no file (looked for ${declaration.pathAttribute ?? `${declaration.name}.rs and ${declaration.name}/mod.rs`} under ${base})`,
            location: declaration.location,
          });
          continue;
        }
        queue.push({
          file: target,
          scope,
          root: current.root,
          modulePath: [...current.modulePath, ...declaration.inlineParents, declaration.name],
          modRs: isModRs(target, false, viaPath),
        });
      }
    }
  }

  for (const file of files) {
    if (!file.endsWith('.rs') || compiled.has(file)) continue;
    const owner = ownerDir(file);
    const unit = owner === undefined ? undefined : unitByDir.get(owner);
    // Files of crates that are not units were noted with their crate already.
    if (!unit || (reportFor && !reportFor.has(unit.name))) continue;
    diagnostics.push({
      severity: 'info',
      code: 'not-compiled',
      message: `not compiled: no crate root of \`${unit.name}\` reaches this file through \`mod\` declarations; its contents are ignored`,
      location: { file, line: 1, column: 1 },
    });
  }
  const sorted = [...compiled.values()].sort((a, b) => compareStrings(a.file, b.file));
  return { files: sorted, diagnostics };
}
