import path from 'node:path';
import type * as TsMorph from 'ts-morph';
import type { Scope, Unit } from '../types.js';
import { compareStrings } from '../../util/location.js';
import type { TypeScriptApi } from './file-context.js';
import { scanTsSource, type TsFileFacts, type TsScanOptions } from './facts.js';

// Which files are read, and their scope: one set of rules for this and the import scanner (decision 0016).
import { isScannedSource, isTsJsPackage } from './source-files.js';

export { hasTsJsUnits, isScannedSource, isTsJsPackage } from './source-files.js';
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', 'dist']);
export const TEST_DIRS: ReadonlySet<string> = new Set(['test', 'tests', '__tests__', '__mocks__', '__fixtures__', 'e2e']);
export const TEST_FILE = /\.(?:test|spec)\.[cm]?[jt]sx?$/;
const posix = path.posix;

export interface UnitSourceFile {
  file: string;
  scope: Scope;
}

/** The deepest package whose directory holds the file (walking its directories up; the first listed of packages sharing one). */
function ownerOf(byDir: ReadonlyMap<string, Unit>, file: string): Unit | undefined {
  for (let dir = posix.dirname(file); ; dir = posix.dirname(dir)) {
    const unit = byDir.get(dir);
    if (unit || dir === '.' || dir === '/') return unit;
  }
}

/** The TS/JS source files of each TS/JS package unit (a nested package owns its files), sorted. */
export function unitSourceFiles(units: readonly Unit[], files: readonly string[]): Map<string, UnitSourceFile[]> {
  const packages = units.filter(isTsJsPackage);
  const result = new Map<string, UnitSourceFile[]>(packages.map((u) => [u.name, []]));
  const byDir = new Map<string, Unit>();
  for (const unit of packages) if (!byDir.has(unit.path)) byDir.set(unit.path, unit);
  for (const file of [...files].sort(compareStrings)) {
    if (!isScannedSource(file)) continue;
    const owner = ownerOf(byDir, file);
    if (!owner) continue;
    const segments = (owner.path === '.' ? file : file.slice(owner.path.length + 1)).split('/');
    const dirs = segments.slice(0, -1);
    if (dirs.some((s) => SKIPPED_DIRS.has(s))) continue;
    const scope: Scope = dirs.some((s) => TEST_DIRS.has(s)) || TEST_FILE.test(file) ? 'test' : 'prod';
    result.get(owner.name)!.push({ file, scope });
  }
  return result;
}

/**
 * Parses each TS/JS file once: `parse` is handed to the import scanner (which then shares the
 * tree), and the file's facts are taken from the same tree; `facts` parses files nobody parsed yet.
 * Only the facts are kept, so memory does not grow with the syntax trees.
 */
export class TsSourceCache {
  private readonly cache = new Map<string, TsFileFacts | undefined>();
  /** Files whose facts could not be read (reported as diagnostics by the model). */
  readonly failures: { file: string; message: string }[] = [];

  /** Files of TS/JS package units: only their facts are taken (the import scanner parses folder-declared units too). */
  private readonly wanted: Set<string>;

  /**
   * No walk reads JSDoc (it hangs off nodes, `forEachChild` never visits it), so it is not parsed
   * (decision 0016). The script kind comes from the file's extension, the compiler's default.
   */
  private readonly options: TsMorph.ts.CreateSourceFileOptions;
  private readonly scanOptions: TsScanOptions;

  constructor(
    private readonly ts: TypeScriptApi,
    units: readonly Unit[],
    files: readonly string[],
    private readonly readText: (file: string) => string | undefined,
  ) {
    this.options = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
    // The knex query builder is looked for only when some package depends on knex: it classifies
    // many calls (`db('users')` looks like any call with a string), ~6% of a large TS scan.
    this.scanOptions = { knexBuilder: units.some((u) => u.externalDependencies.some((d) => d.name === 'knex')) };
    this.wanted = new Set([...unitSourceFiles(units, files).values()].flatMap((list) => list.map((f) => f.file)));
  }

  parse = (file: string, text: string): TsMorph.ts.SourceFile => {
    const source = this.ts.createSourceFile(file, text, this.options, false);
    if (this.wanted.has(file) && !this.cache.has(file)) this.cache.set(file, this.scan(source, file));
    return source;
  };

  facts(file: string): TsFileFacts | undefined {
    if (!this.cache.has(file)) {
      const text = this.readText(file);
      this.cache.set(file, text === undefined ? undefined : this.scan(this.ts.createSourceFile(file, text, this.options, false), file));
    }
    return this.cache.get(file);
  }

  /**
   * Sets every node's `parent`, which the fact scanner walks; the import walk does not need them.
   * The same pointers as `createSourceFile(.., setParentNodes: true)` (no JSDoc nodes here), in
   * about half its time: its generic work-queue traversal costs more than this recursion.
   */
  private setParents(source: TsMorph.ts.SourceFile): void {
    const ts = this.ts;
    let parent: TsMorph.ts.Node = source;
    const visit = (child: TsMorph.ts.Node): void => {
      const saved = parent;
      (child as { parent: TsMorph.ts.Node }).parent = parent;
      parent = child;
      ts.forEachChild(child, visit);
      parent = saved;
    };
    ts.forEachChild(source, visit);
  }

  private scan(source: TsMorph.ts.SourceFile, file: string): TsFileFacts | undefined {
    this.setParents(source);
    try {
      return scanTsSource(this.ts, source, file, this.scanOptions);
    } catch (error) {
      // Malformed input must not stop the run: the compiler's parser never throws, but our walk might.
      this.failures.push({ file, message: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
  }
}
