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
  const prefix = dir === '.' ? '' : `${dir}/`;
  const autodiscovered: [string, CrateRootKind][] = [
    ['src/bin/', 'bin'],
    ['tests/', 'test'],
    ['benches/', 'bench'],
    ['examples/', 'example'],
  ];
  if (pkg.autobins) add(join(dir, 'src/main.rs'), 'bin');
  for (const file of files) {
    if (!file.startsWith(prefix)) continue;
    const rest = file.slice(prefix.length);
    for (const [folder, kind] of autodiscovered) {
      if (kind === 'bin' && !pkg.autobins) continue;
      if (!rest.startsWith(folder)) continue;
      const inner = rest.slice(folder.length);
      if (/^[^/]+\.rs$/.test(inner) || /^[^/]+\/main\.rs$/.test(inner)) add(file, kind);
    }
  }
  if (pkg.build !== false) add(join(dir, pkg.build ?? 'build.rs'), 'build');
  return roots;
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
): ModuleTree {
  const fileSet = new Set(files);
  const compiled = new Map<string, CompiledFile>();
  const diagnostics: Diagnostic[] = [];
  // A file belongs to the crate of the nearest directory holding a Cargo.toml, member or not.
  const crateDirs = [...manifests.keys()].map((m) => posix.dirname(m)).sort((a, b) => b.length - a.length);
  const ownerDir = (file: string): string | undefined =>
    crateDirs.find((dir) => dir === '.' || file.startsWith(`${dir}/`));
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
    if (!unit) continue;
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
