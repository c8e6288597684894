import path from 'node:path';
import type * as TsMorph from 'ts-morph';
import type { PackageJson } from '../scan/npm/package-json.js';
import type { Diagnostic, Edge, Location, Unit } from './types.js';
import { EdgeSet } from './rust/edge-set.js';
import { compareStrings } from '../util/location.js';

/** The TypeScript compiler API as ts-morph ships it. */
export type TypeScriptApi = typeof TsMorph.ts;

/**
 * Loads the compiler (~0.55 s, decision 0016): only called when the repository has a TypeScript
 * or JavaScript unit, so Rust-only runs never pay for it.
 */
export async function loadTypeScript(): Promise<TypeScriptApi> {
  return (await import('ts-morph')).ts;
}

const posix = path.posix;
const SOURCE = /\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const DECLARATION = /\.d\.(?:ts|mts|cts)$|\.d\.[^/]*\.ts$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist']);
const TEST_DIRS = new Set(['test', 'tests', '__tests__', '__mocks__']);
const TEST_FILE = /\.(?:test|spec)\.[cm]?[jt]sx?$/;

export interface TsImportInputs {
  /** Absolute path of the analysed root (tsconfig files are read from disk, `extends` included). */
  root: string;
  /** Every unit of the model; imports may point at any of them. TS/JS package units and declared units are scanned. */
  units: readonly Unit[];
  /** Declared unit name -> the files it claims (`buildDeclaredUnits().filesOf`): membership is by glob, not directory. */
  declaredFiles?: ReadonlyMap<string, readonly string[]>;
  packageJsons: readonly PackageJson[];
  files: readonly string[];
  readText: (file: string) => string | undefined;
  /** Parses a file; lets the source-facts scanner share the tree (decision 0017). Default: a fresh parse. */
  parse?: (file: string, text: string) => TsMorph.ts.SourceFile;
}

/**
 * The unit whose directory contains a path (the deepest one; nested packages own their files), by
 * walking the path's directories up through a directory -> unit map: one lookup per level instead
 * of a scan over all units per import. Of units sharing a directory the first listed wins, as before.
 */
function unitsByDirectory(units: readonly Unit[]): (file: string) => Unit | undefined {
  const byDir = new Map<string, Unit>();
  for (const unit of units) if (!byDir.has(unit.path)) byDir.set(unit.path, unit);
  return (file) => {
    for (let dir = file; ; dir = posix.dirname(dir)) {
      const unit = byDir.get(dir);
      if (unit) return unit;
      if (dir === '.' || dir === '/' || dir === '') return undefined;
    }
  };
}

/** `@scope/name/sub` -> `@scope/name`; `name/sub` -> `name`. */
function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

interface ImportSite {
  specifier: string;
  typeOnly: boolean;
  location: Location;
}

/** Every static import/export-from, `require('x')`, `import('x')` and `import x = require('x')` with a literal. */
function importSites(ts: TypeScriptApi, file: string, text: string, parse?: TsImportInputs['parse']): ImportSite[] {
  const source = parse ? parse(file, text) : ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const sites: ImportSite[] = [];
  const add = (literal: TsMorph.ts.Node, specifier: string, typeOnly: boolean): void => {
    const start = source.getLineAndCharacterOfPosition(literal.getStart(source));
    const end = source.getLineAndCharacterOfPosition(literal.getEnd());
    sites.push({
      specifier,
      typeOnly,
      location: { file, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 },
    });
  };
  const isLiteral = (node: TsMorph.ts.Node | undefined): node is TsMorph.ts.StringLiteral | TsMorph.ts.NoSubstitutionTemplateLiteral =>
    node !== undefined && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node));
  const site = (node: TsMorph.ts.Node): void => {
    if (ts.isImportDeclaration(node) && isLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier, node.moduleSpecifier.text, node.importClause?.phaseModifier === ts.SyntaxKind.TypeKeyword);
    } else if (ts.isExportDeclaration(node) && isLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier, node.moduleSpecifier.text, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && isLiteral(node.moduleReference.expression)) {
      add(node.moduleReference.expression, node.moduleReference.expression.text, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && isLiteral(node.argument.literal)) {
      add(node.argument.literal, node.argument.literal.text, true);
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1 && isLiteral(node.arguments[0])) {
      const callee = node.expression;
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require' && node.arguments.length === 1;
      if (isImport || isRequire) add(node.arguments[0], node.arguments[0].text, false);
    }
  };
  const visit = (node: TsMorph.ts.Node): void => {
    site(node);
    ts.forEachChild(node, visit);
  };
  // Every site's node holds the word `import`, `export` or `require` in its own text, so a subtree
  // whose span holds none of them has no site and is not walked: most of a file's nodes. A keyword
  // or `require` written with a `\u` escape would not show in the text, so such files get the full walk.
  if (text.includes('\\u')) {
    visit(source);
    return sites;
  }
  const words = keywordPositions(text);
  const visitPruned = (node: TsMorph.ts.Node): void => {
    if (!holdsAny(words, node.pos, node.end)) return;
    site(node);
    ts.forEachChild(node, visitPruned);
  };
  visitPruned(source);
  return sites;
}

const SITE_WORDS = ['import', 'export', 'require'];

/** Where `import`, `export` and `require` occur in the text (anywhere, comments and strings too), ascending. */
function keywordPositions(text: string): number[] {
  const positions: number[] = [];
  for (const word of SITE_WORDS) {
    for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + word.length)) positions.push(at);
  }
  return positions.sort((a, b) => a - b);
}

/** Whether a position in the sorted list lies in [start, end). */
function holdsAny(positions: readonly number[], start: number, end: number): boolean {
  let low = 0;
  let high = positions.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (positions[mid]! < start) low = mid + 1;
    else high = mid;
  }
  return low < positions.length && positions[low]! < end;
}

/** What reading tsconfig files shares across one run. */
interface ConfigReader {
  host: TsMorph.ts.ParseConfigFileHost;
  /** A base config `extends`-ed by every package is parsed once, not once per package (as `tsc --build` does). */
  extendedConfigCache: Map<string, TsMorph.ts.ExtendedConfigCacheEntry>;
}

function configReader(ts: TypeScriptApi): ConfigReader {
  return {
    // Only the options are used, never the file list: no `include` globs expanded over the package's tree.
    host: { ...ts.sys, readDirectory: () => [], onUnRecoverableConfigFileDiagnostic: () => undefined },
    extendedConfigCache: new Map(),
  };
}

/** `paths`/`baseUrl` of the tsconfig.json (or jsconfig.json) in a directory, `extends` followed; undefined when it has neither. */
function pathMappingOptions(ts: TypeScriptApi, reader: ConfigReader, root: string, directory: string, files: ReadonlySet<string>): TsMorph.ts.CompilerOptions | undefined {
  const config = ['tsconfig.json', 'jsconfig.json'].map((name) => posix.join(directory, name)).find((f) => files.has(f));
  if (!config) return undefined;
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(root, config), {}, reader.host, reader.extendedConfigCache);
  if (!parsed || (parsed.options.paths === undefined && parsed.options.baseUrl === undefined)) return undefined;
  const { paths, baseUrl, pathsBasePath } = parsed.options;
  return {
    ...(paths ? { paths } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    ...(pathsBasePath ? { pathsBasePath } : {}),
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    module: ts.ModuleKind.ESNext,
    allowJs: true,
    resolveJsonModule: true,
    allowArbitraryExtensions: true,
  };
}

function isTsJsPackage(unit: Unit): boolean {
  return (unit.language === 'typescript' || unit.language === 'javascript') && unit.manifest.endsWith('package.json');
}

function isScannedSource(file: string): boolean {
  return SOURCE.test(file) && !DECLARATION.test(file);
}

/**
 * Whether the repository has something this scanner reads (decides whether the compiler loads at
 * all): a TS/JS package unit, or a folder-declared unit holding a TS/JS source file.
 */
export function hasTsJsUnits(units: readonly Unit[], declaredFiles?: ReadonlyMap<string, readonly string[]>): boolean {
  return units.some(isTsJsPackage) || [...(declaredFiles?.values() ?? [])].some((files) => files.some(isScannedSource));
}

/** A tsconfig's resolution options, with the compiler's resolution cache and our memo of answers for them. */
interface Mapping {
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

/** What TypeScript tries for a written extension (NodeNext and bundler: `./x.js` is `./x.ts` before `./x.js`). */
const EXTENSION_CANDIDATES: [RegExp, string[]][] = [
  [/\.js$/, ['.ts', '.tsx', '.d.ts', '.js', '.jsx']],
  [/\.jsx$/, ['.tsx', '.d.ts', '.jsx']],
  [/\.mjs$/, ['.mts', '.d.mts', '.mjs']],
  [/\.cjs$/, ['.cts', '.d.cts', '.cjs']],
];
const BARE_EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mts', '.cts', '.mjs', '.cjs'];
const INDEX_FILES = ['index.ts', 'index.tsx', 'index.d.ts', 'index.js', 'index.jsx'];

/**
 * The repository file a relative specifier (already joined to the importer's directory) names,
 * probing as the compiler does: the written `.js`/`.mjs`/`.cjs` swapped for its TypeScript source
 * first, then the file as written, then extensionless forms and a directory's `index`. Undefined
 * when no discovered file fits.
 */
function resolveRelativeFile(joined: string, files: ReadonlySet<string>): string | undefined {
  for (const [written, candidates] of EXTENSION_CANDIDATES) {
    if (!written.test(joined)) continue;
    const stem = joined.replace(written, '');
    const found = candidates.map((ext) => stem + ext).find((f) => files.has(f));
    if (found) return found;
  }
  if (files.has(joined)) return joined;
  return [...BARE_EXTENSIONS.map((ext) => joined + ext), ...INDEX_FILES.map((index) => `${joined}/${index}`)].find((f) => files.has(f));
}

/** The nearest tsconfig.json (or jsconfig.json) in the file's directory or above it, as `tsc` finds it. */
function nearestConfigDirectory(file: string, files: ReadonlySet<string>): string | undefined {
  for (let dir = posix.dirname(file); ; dir = posix.dirname(dir)) {
    if (['tsconfig.json', 'jsconfig.json'].some((name) => files.has(dir === '.' ? name : `${dir}/${name}`))) return dir;
    if (dir === '.') return undefined;
  }
}

/**
 * `import` edges between units from TypeScript/JavaScript sources. A source file belongs to the
 * folder-declared unit that claims it (config `units`; it wins over a package that contains it,
 * being the finer unit), else to the deepest TS/JS package whose directory holds it, else to no
 * unit (and gives no edge). A specifier is resolved in order: a workspace package's name
 * (`@nova/db`, `@nova/db/sub`) gives that package's unit; a relative path is probed to a file as
 * the compiler does and gives the declared unit claiming that file, else the unit whose directory
 * contains the path; anything else goes through tsconfig `paths`/`baseUrl` with the compiler's own
 * resolution (the package's own tsconfig, or for a declared unit's file the nearest one above it).
 * Imports inside a unit and of external packages make no edge.
 */
export function buildTsImportEdges(ts: TypeScriptApi, inputs: TsImportInputs): { edges: Edge[]; diagnostics: Diagnostic[] } {
  const edges = new EdgeSet();
  const fileSet = new Set(inputs.files);
  const unitByName = new Map(inputs.units.map((u) => [u.name, u]));
  const unitByManifest = new Map(inputs.units.map((u) => [u.manifest, u]));
  const unitByPackage = new Map<string, Unit>();
  for (const pkg of inputs.packageJsons) {
    const unit = pkg.name !== undefined ? unitByManifest.get(pkg.file) : undefined;
    if (unit && pkg.name !== undefined) unitByPackage.set(pkg.name, unit);
  }
  const declaredOwner = new Map<string, Unit>();
  for (const [name, files] of inputs.declaredFiles ?? []) {
    const unit = unitByName.get(name);
    if (unit) for (const file of files) declaredOwner.set(file, unit);
  }
  // Directory-based units are targets by containment; declared units only through the files they claim.
  const targets = inputs.units.filter((u) => u.kindSource !== 'config:units');
  const packageUnits = inputs.units.filter(isTsJsPackage);
  const targetContaining = unitsByDirectory(targets);
  const packageContaining = unitsByDirectory(packageUnits);
  // Path mappings are read once per tsconfig directory (a package's own, or the nearest one above a declared unit's file).
  const reader = configReader(ts);
  const canonical = ts.sys.useCaseSensitiveFileNames ? (f: string): string => f : (f: string): string => f.toLowerCase();
  const mappings = new Map<string, Mapping | undefined>();
  const mappingFor = (unit: Unit, file: string, declared: boolean): Mapping | undefined => {
    const configDir = declared ? nearestConfigDirectory(file, fileSet) : unit.path;
    if (configDir === undefined) return undefined;
    if (!mappings.has(configDir)) {
      const options = pathMappingOptions(ts, reader, inputs.root, configDir, fileSet);
      mappings.set(configDir, options && { options, cache: ts.createModuleResolutionCache(ts.sys.getCurrentDirectory(), canonical, options), resolved: new Map() });
    }
    return mappings.get(configDir);
  };
  const targetOfFile = (file: string): Unit | undefined => declaredOwner.get(file) ?? targetContaining(file);
  const host = cachingResolutionHost(ts);
  /** The repository file a bare specifier resolves to through the mapping, or undefined (external, built-in, unresolved). */
  const resolveBare = (mapping: Mapping, file: string, specifier: string): string | undefined => {
    // The compiler's answer depends only on the options, the importer's directory and the file system.
    const key = `${posix.dirname(file)}\u0000${specifier}`;
    if (mapping.resolved.has(key)) return mapping.resolved.get(key);
    let found: string | undefined;
    const resolved = ts.resolveModuleName(specifier, path.join(inputs.root, file), mapping.options, host, mapping.cache).resolvedModule;
    if (resolved && !resolved.isExternalLibraryImport) {
      const repoRelative = path.relative(inputs.root, resolved.resolvedFileName).split(path.sep).join('/');
      if (!repoRelative.startsWith('../') && !path.isAbsolute(repoRelative) && !repoRelative.split('/').includes('node_modules')) found = repoRelative;
    }
    mapping.resolved.set(key, found);
    return found;
  };

  for (const file of [...inputs.files].sort(compareStrings)) {
    if (!isScannedSource(file)) continue;
    const declared = declaredOwner.get(file);
    const unit = declared ?? packageContaining(file);
    if (!unit) continue;
    // A declared unit's path is only its globs' common base, so its files are judged by their repository path.
    const relative = declared || unit.path === '.' ? file : file.slice(unit.path.length + 1);
    const segments = relative.split('/');
    if (segments.slice(0, -1).some((s) => SKIPPED_DIRS.has(s))) continue;
    const text = inputs.readText(file);
    if (text === undefined) continue;
    const scope = segments.slice(0, -1).some((s) => TEST_DIRS.has(s)) || TEST_FILE.test(file) ? 'test' : 'prod';
    for (const site of importSites(ts, file, text, inputs.parse)) {
      let target: Unit | undefined;
      const { specifier } = site;
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        if (specifier.startsWith('/')) continue;
        const joined = posix.normalize(posix.join(posix.dirname(file), specifier));
        if (joined === '..' || joined.startsWith('../')) continue;
        const resolved = resolveRelativeFile(joined, fileSet);
        target = (resolved !== undefined ? declaredOwner.get(resolved) : undefined) ?? targetContaining(joined);
      } else if (unitByPackage.has(packageNameOf(specifier))) {
        target = unitByPackage.get(packageNameOf(specifier));
      } else if (!specifier.startsWith('node:')) {
        const mapping = mappingFor(unit, file, declared !== undefined);
        if (!mapping) continue;
        const resolved = resolveBare(mapping, file, specifier);
        if (resolved === undefined) continue;
        target = targetOfFile(resolved);
      }
      if (!target || target === unit) continue;
      edges.add({ from: unit.name, to: target.name, kind: 'import', scope, evidence: [site.location], ...(site.typeOnly ? { typeOnly: true as const } : {}) });
    }
  }
  return { edges: edges.toArray(), diagnostics: [] };
}
