import path from 'node:path';
import type * as TsMorph from 'ts-morph';
import type { Unit } from '../types.js';
import type { TypeScriptApi } from './file-context.js';
import { isTsJsPackage } from './sources.js';

const posix = path.posix;

/**
 * Resolves a bare specifier through the tsconfig `paths`/`baseUrl` of the importing file's package
 * (`~/db.server` -> `apps/webapp/app/db.server.ts`), with the compiler's own module resolution, as
 * the import scanner does (decision 0016). Returns a repository file, or undefined (an external
 * package, a file outside the repository, a package without path mappings). Results are cached.
 */
export function tsconfigModuleResolver(ts: TypeScriptApi, root: string, units: readonly Unit[], files: readonly string[]): (from: string, specifier: string) => string | undefined {
  const fileSet = new Set(files);
  const packages = units.filter(isTsJsPackage);
  const options = new Map<string, TsMorph.ts.CompilerOptions | undefined>();
  const cache = new Map<string, string | undefined>();
  const optionsFor = (unit: Unit): TsMorph.ts.CompilerOptions | undefined => {
    if (options.has(unit.name)) return options.get(unit.name);
    let result: TsMorph.ts.CompilerOptions | undefined;
    const config = ['tsconfig.json', 'jsconfig.json'].map((name) => (unit.path === '.' ? name : posix.join(unit.path, name))).find((f) => fileSet.has(f));
    if (config) {
      const host: TsMorph.ts.ParseConfigFileHost = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined };
      const parsed = ts.getParsedCommandLineOfConfigFile(path.join(root, config), {}, host);
      const { paths, baseUrl, pathsBasePath } = parsed?.options ?? {};
      if (paths !== undefined || baseUrl !== undefined) {
        result = { ...(paths ? { paths } : {}), ...(baseUrl ? { baseUrl } : {}), ...(pathsBasePath ? { pathsBasePath } : {}), moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext, allowJs: true };
      }
    }
    options.set(unit.name, result);
    return result;
  };
  return (from, specifier) => {
    let owner: Unit | undefined;
    for (const unit of packages) if ((unit.path === '.' || from.startsWith(`${unit.path}/`)) && (!owner || unit.path.length > owner.path.length)) owner = unit;
    if (!owner) return undefined;
    const key = `${owner.name}\u0000${specifier}`;
    if (cache.has(key)) return cache.get(key);
    const mapping = optionsFor(owner);
    let found: string | undefined;
    if (mapping) {
      const resolved = ts.resolveModuleName(specifier, path.join(root, from), mapping, ts.sys).resolvedModule;
      if (resolved && !resolved.isExternalLibraryImport) {
        const relative = path.relative(root, resolved.resolvedFileName).split(path.sep).join('/');
        if (fileSet.has(relative) && !relative.split('/').includes('node_modules')) found = relative;
      }
    }
    cache.set(key, found);
    return found;
  };
}
