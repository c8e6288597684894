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
  /** Every unit of the model; imports may point at any of them, only TS/JS package units are scanned. */
  units: readonly Unit[];
  packageJsons: readonly PackageJson[];
  files: readonly string[];
  readText: (file: string) => string | undefined;
}

function isInside(file: string, dir: string): boolean {
  return dir === '.' || file === dir || file.startsWith(`${dir}/`);
}

/** The unit whose directory contains the path (the deepest one; nested packages own their files). */
function unitContaining(units: readonly Unit[], file: string): Unit | undefined {
  let best: Unit | undefined;
  for (const unit of units) {
    if (isInside(file, unit.path) && (!best || unit.path.length > best.path.length)) best = unit;
  }
  return best;
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
function importSites(ts: TypeScriptApi, file: string, text: string): ImportSite[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
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
  const visit = (node: TsMorph.ts.Node): void => {
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
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites;
}

/** `paths`/`baseUrl` of the unit's own tsconfig.json (or jsconfig.json), `extends` followed; undefined when it has neither. */
function pathMappingOptions(ts: TypeScriptApi, root: string, unit: Unit, files: ReadonlySet<string>): TsMorph.ts.CompilerOptions | undefined {
  const config = ['tsconfig.json', 'jsconfig.json'].map((name) => posix.join(unit.path, name)).find((f) => files.has(f));
  if (!config) return undefined;
  const host: TsMorph.ts.ParseConfigFileHost = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined };
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(root, config), {}, host);
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

/** Whether the repository has a unit this scanner reads (decides whether the compiler loads at all). */
export function hasTsJsUnits(units: readonly Unit[]): boolean {
  return units.some(isTsJsPackage);
}

/**
 * `import` edges between units from the sources of TypeScript/JavaScript package units. A
 * specifier is resolved in order: a workspace package's name (`@nova/db`, `@nova/db/sub`) gives that
 * package's unit; a relative path gives the unit whose directory contains it; anything else goes
 * through the unit's tsconfig `paths`/`baseUrl` with the compiler's own resolution. Imports inside a
 * unit and of external packages make no edge.
 */
export function buildTsImportEdges(ts: TypeScriptApi, inputs: TsImportInputs): { edges: Edge[]; diagnostics: Diagnostic[] } {
  const edges = new EdgeSet();
  const fileSet = new Set(inputs.files);
  const unitByManifest = new Map(inputs.units.map((u) => [u.manifest, u]));
  const unitByPackage = new Map<string, Unit>();
  for (const pkg of inputs.packageJsons) {
    const unit = pkg.name !== undefined ? unitByManifest.get(pkg.file) : undefined;
    if (unit && pkg.name !== undefined) unitByPackage.set(pkg.name, unit);
  }
  // Only directory-based units are import targets (declared units are file globs; not yet).
  const targets = inputs.units.filter((u) => u.kindSource !== 'config:units');
  const sourceUnits = inputs.units.filter(isTsJsPackage);
  const sorted = [...inputs.files].sort(compareStrings);
  for (const unit of sourceUnits) {
    let mapping: TsMorph.ts.CompilerOptions | undefined | null = null;
    for (const file of sorted) {
      if (!SOURCE.test(file) || DECLARATION.test(file) || !isInside(file, unit.path)) continue;
      const relative = unit.path === '.' ? file : file.slice(unit.path.length + 1);
      const segments = relative.split('/');
      if (segments.slice(0, -1).some((s) => SKIPPED_DIRS.has(s))) continue;
      if (unitContaining(sourceUnits, file) !== unit) continue;
      const text = inputs.readText(file);
      if (text === undefined) continue;
      const scope = segments.slice(0, -1).some((s) => TEST_DIRS.has(s)) || TEST_FILE.test(file) ? 'test' : 'prod';
      for (const site of importSites(ts, file, text)) {
        let target: Unit | undefined;
        const { specifier } = site;
        if (specifier.startsWith('.') || specifier.startsWith('/')) {
          if (specifier.startsWith('/')) continue;
          const joined = posix.normalize(posix.join(posix.dirname(file), specifier));
          if (joined === '..' || joined.startsWith('../')) continue;
          target = unitContaining(targets, joined);
        } else if (unitByPackage.has(packageNameOf(specifier))) {
          target = unitByPackage.get(packageNameOf(specifier));
        } else if (!specifier.startsWith('node:')) {
          if (mapping === null) mapping = pathMappingOptions(ts, inputs.root, unit, fileSet);
          if (!mapping) continue;
          const resolved = ts.resolveModuleName(specifier, path.join(inputs.root, file), mapping, ts.sys).resolvedModule;
          if (!resolved || resolved.isExternalLibraryImport) continue;
          const repoRelative = path.relative(inputs.root, resolved.resolvedFileName).split(path.sep).join('/');
          if (repoRelative.startsWith('../') || path.isAbsolute(repoRelative) || repoRelative.split('/').includes('node_modules')) continue;
          target = unitContaining(targets, repoRelative);
        }
        if (!target || target === unit) continue;
        edges.add({ from: unit.name, to: target.name, kind: 'import', scope, evidence: [site.location], ...(site.typeOnly ? { typeOnly: true as const } : {}) });
      }
    }
  }
  return { edges: edges.toArray(), diagnostics: [] };
}
