import path from 'node:path';
import type * as TsMorph from 'ts-morph';
import type { PackageJson } from '../scan/npm/package-json.js';
import type { Diagnostic, Edge, Location, Unit } from './types.js';
import { EdgeSet } from './rust/edge-set.js';
import { compareStrings } from '../util/location.js';
import { packageNameOf, TsconfigPaths, unitLookups, type PathMapping } from './ts/module-paths.js';
import { isScannedSource, isTsJsPackage, SKIPPED_DIRS, TEST_DIRS, TEST_FILE } from './ts/sources.js';

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
  /** tsconfig reads shared with the source facts' resolver (`tsconfigModuleResolver`). Default: this run's own. */
  tsconfigs?: TsconfigPaths;
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

export { hasTsJsUnits } from './ts/source-files.js';

/** Added to a tsconfig's path mappings for imports: JSON modules and `x.d.css.ts`-style declarations resolve too. */
const IMPORT_OPTIONS: TsMorph.ts.CompilerOptions = { resolveJsonModule: true, allowArbitraryExtensions: true };

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
  const { unitByName, unitByPackage } = unitLookups(inputs.units, inputs.packageJsons);
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
  const tsconfigs = inputs.tsconfigs ?? new TsconfigPaths(ts, inputs.root, fileSet);
  const mappingFor = (unit: Unit, file: string, declared: boolean): PathMapping | undefined => {
    const configDir = declared ? nearestConfigDirectory(file, fileSet) : unit.path;
    return configDir === undefined ? undefined : tsconfigs.mapping(configDir, IMPORT_OPTIONS);
  };
  const targetOfFile = (file: string): Unit | undefined => declaredOwner.get(file) ?? targetContaining(file);

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
        const resolved = tsconfigs.resolve(mapping, file, specifier);
        if (resolved === undefined) continue;
        target = targetOfFile(resolved);
      }
      if (!target || target === unit) continue;
      edges.add({ from: unit.name, to: target.name, kind: 'import', scope, evidence: [site.location], ...(site.typeOnly ? { typeOnly: true as const } : {}) });
    }
  }
  return { edges: edges.toArray(), diagnostics: [] };
}
