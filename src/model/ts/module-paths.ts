import path from 'node:path';
import type * as TsMorph from 'ts-morph';
import type { PackageJson } from '../../scan/npm/package-json.js';
import type { Unit } from '../types.js';
import type { TypeScriptApi } from './file-context.js';
import { isTsJsPackage } from './sources.js';
import { deepestContaining } from '../../util/repo-path.js';

const posix = path.posix;

/** `@scope/name/sub` -> `@scope/name`; `name/sub` -> `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Units by name, and workspace package name (`@nova/db`) -> the unit of that package.json. */
export function unitLookups(units: readonly Unit[], packageJsons: readonly PackageJson[]): { unitByName: Map<string, Unit>; unitByPackage: Map<string, Unit> } {
  const unitByName = new Map(units.map((u) => [u.name, u]));
  const unitByManifest = new Map(units.map((u) => [u.manifest, u]));
  const unitByPackage = new Map<string, Unit>();
  for (const pkg of packageJsons) {
    const unit = pkg.name !== undefined ? unitByManifest.get(pkg.file) : undefined;
    if (unit && pkg.name !== undefined) unitByPackage.set(pkg.name, unit);
  }
  return { unitByName, unitByPackage };
}

/** Resolution through one tsconfig's path mappings: its options, the compiler's cache for them, our memo of answers. */
export interface PathMapping {
  options: TsMorph.ts.CompilerOptions;
  cache: TsMorph.ts.ModuleResolutionCache;
  /** Importer directory + specifier -> repository file (undefined: no repository file). */
  resolved: Map<string, string | undefined>;
}

/**
 * `ts.sys` with file and directory existence, reads and realpath remembered for the run: module
 * resolution probes the same `node_modules` directories and package.json files from every importer.
 * The tree does not change while we read it.
 */
function cachingResolutionHost(ts: TypeScriptApi): TsMorph.ts.ModuleResolutionHost {
  const memo = <T>(fn: (p: string) => T): ((p: string) => T) => {
    const seen = new Map<string, T>();
    return (p) => {
      if (!seen.has(p)) seen.set(p, fn(p));
      return seen.get(p)!;
    };
  };
  const sys = ts.sys;
  return {
    fileExists: memo((p) => sys.fileExists(p)),
    directoryExists: memo((p) => sys.directoryExists(p)),
    readFile: memo((p) => sys.readFile(p)),
    ...(sys.realpath ? { realpath: memo(sys.realpath.bind(sys)) } : {}),
    getCurrentDirectory: () => sys.getCurrentDirectory(),
    getDirectories: memo((p) => sys.getDirectories(p)),
    useCaseSensitiveFileNames: sys.useCaseSensitiveFileNames,
  };
}

/**
 * tsconfig `paths`/`baseUrl` resolution for one run, shared by the import scanner and the source
 * facts (decision 0016, "Cost"): each tsconfig.json (or jsconfig.json) is parsed once per
 * directory, `extends` followed through one `extendedConfigCache`, and file system probes are
 * remembered. Callers choose the directory (which tsconfig applies) and the compiler options
 * added to the mapping; each such pair gets its own resolution cache, since answers depend on them.
 */
export class TsconfigPaths {
  readonly fileSet: ReadonlySet<string>;
  // Only the options are used, never the file list: no `include` globs expanded over the package's tree.
  private readonly configHost: TsMorph.ts.ParseConfigFileHost;
  /** A base config `extends`-ed by every package is parsed once, not once per package (as `tsc --build` does). */
  private readonly extendedConfigCache = new Map<string, TsMorph.ts.ExtendedConfigCacheEntry>();
  private readonly pathOptionsByDir = new Map<string, TsMorph.ts.CompilerOptions | undefined>();
  private readonly mappings = new Map<TsMorph.ts.CompilerOptions, Map<string, PathMapping | undefined>>();
  private readonly host: TsMorph.ts.ModuleResolutionHost;

  constructor(
    private readonly ts: TypeScriptApi,
    /** Absolute path of the analysed root (tsconfig files are read from disk, `extends` included). */
    private readonly root: string,
    files: readonly string[] | ReadonlySet<string>,
  ) {
    this.fileSet = files instanceof Set ? files : new Set(files);
    this.configHost = { ...ts.sys, readDirectory: () => [], onUnRecoverableConfigFileDiagnostic: () => undefined };
    this.host = cachingResolutionHost(ts);
  }

  /** `paths`/`baseUrl`/`pathsBasePath` of the tsconfig.json (or jsconfig.json) in a directory, `extends` followed; undefined when it has neither. */
  private pathOptions(directory: string): TsMorph.ts.CompilerOptions | undefined {
    if (this.pathOptionsByDir.has(directory)) return this.pathOptionsByDir.get(directory);
    let result: TsMorph.ts.CompilerOptions | undefined;
    const config = ['tsconfig.json', 'jsconfig.json'].map((name) => posix.join(directory, name)).find((f) => this.fileSet.has(f));
    if (config) {
      const parsed = this.ts.getParsedCommandLineOfConfigFile(path.join(this.root, config), {}, this.configHost, this.extendedConfigCache);
      if (parsed && (parsed.options.paths !== undefined || parsed.options.baseUrl !== undefined)) {
        const { paths, baseUrl, pathsBasePath } = parsed.options;
        result = { ...(paths ? { paths } : {}), ...(baseUrl ? { baseUrl } : {}), ...(pathsBasePath ? { pathsBasePath } : {}) };
      }
    }
    this.pathOptionsByDir.set(directory, result);
    return result;
  }

  /**
   * The mapping of the tsconfig in `directory` with bundler resolution and `extra` options (pass
   * the same object each time: it keys the cache); undefined when that tsconfig maps nothing.
   */
  mapping(directory: string, extra: TsMorph.ts.CompilerOptions): PathMapping | undefined {
    let byDir = this.mappings.get(extra);
    if (!byDir) this.mappings.set(extra, (byDir = new Map()));
    if (!byDir.has(directory)) {
      const ts = this.ts;
      const pathOptions = this.pathOptions(directory);
      const options: TsMorph.ts.CompilerOptions | undefined = pathOptions && { ...pathOptions, moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext, allowJs: true, ...extra };
      const canonical = ts.sys.useCaseSensitiveFileNames ? (f: string): string => f : (f: string): string => f.toLowerCase();
      byDir.set(directory, options && { options, cache: ts.createModuleResolutionCache(ts.sys.getCurrentDirectory(), canonical, options), resolved: new Map() });
    }
    return byDir.get(directory);
  }

  /** The repository file a bare specifier resolves to through the mapping, or undefined (external, built-in, outside the repository, unresolved). */
  resolve(mapping: PathMapping, file: string, specifier: string): string | undefined {
    // The compiler's answer depends only on the options, the importer's directory and the file system.
    const key = `${posix.dirname(file)}\u0000${specifier}`;
    if (mapping.resolved.has(key)) return mapping.resolved.get(key);
    let found: string | undefined;
    const resolved = this.ts.resolveModuleName(specifier, path.join(this.root, file), mapping.options, this.host, mapping.cache).resolvedModule;
    if (resolved && !resolved.isExternalLibraryImport) {
      const repoRelative = path.relative(this.root, resolved.resolvedFileName).split(path.sep).join('/');
      if (!repoRelative.startsWith('../') && !path.isAbsolute(repoRelative) && !repoRelative.split('/').includes('node_modules')) found = repoRelative;
    }
    mapping.resolved.set(key, found);
    return found;
  }
}

/** What the source facts resolve with: no JSON modules or arbitrary extensions (unlike the import scanner). */
const FACT_OPTIONS: TsMorph.ts.CompilerOptions = {};

/**
 * Resolves a bare specifier through the tsconfig `paths`/`baseUrl` of the importing file's package
 * (`~/db.server` -> `apps/webapp/app/db.server.ts`), with the compiler's own module resolution, as
 * the import scanner does (decision 0016). Returns a discovered repository file, or undefined (an
 * external package, a file outside the repository, a package without path mappings). Results are
 * cached per package and specifier. `tsconfigs` lets it share the tsconfig reads of the import scanner.
 */
export function tsconfigModuleResolver(
  ts: TypeScriptApi,
  root: string,
  units: readonly Unit[],
  files: readonly string[],
  tsconfigs: TsconfigPaths = new TsconfigPaths(ts, root, files),
): (from: string, specifier: string) => string | undefined {
  const packages = units.filter(isTsJsPackage);
  const cache = new Map<string, string | undefined>();
  return (from, specifier) => {
    const owner = deepestContaining(packages, from);
    if (!owner) return undefined;
    const key = `${owner.name}\u0000${specifier}`;
    if (cache.has(key)) return cache.get(key);
    const mapping = tsconfigs.mapping(owner.path, FACT_OPTIONS);
    const resolved = mapping ? tsconfigs.resolve(mapping, from, specifier) : undefined;
    const found = resolved !== undefined && tsconfigs.fileSet.has(resolved) ? resolved : undefined;
    cache.set(key, found);
    return found;
  };
}
