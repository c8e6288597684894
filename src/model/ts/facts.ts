import type * as TsMorph from 'ts-morph';
import type { Location } from '../types.js';
import { FileContext, isLibraryModule, type ImportRef, type NameCandidates, type StrPart, type TypeScriptApi, type UrlSource, type Value } from './file-context.js';
import { collectSql, type SqlCandidate } from './sql-sites.js';
import { collectPrismaCall, type PrismaCandidate } from './prisma.js';
import { collectHttp, type HttpCandidate } from './http.js';
import { collectTopics, type TopicCandidate } from './events.js';
import { collectGrpc, type GrpcCandidate } from './grpc.js';

/** What another file can import from this one, evaluated in this file's context. */
export interface ExportFact {
  value?: Value;
  /** A function: what calling it returns, when its return type or single return says. */
  returns?: Value;
  str?: StrPart[];
  url?: UrlSource[];
  names?: NameCandidates;
  /** A type alias or interface: what a value declared with it is (`ClientOrTx` -> a Prisma client). */
  type?: Value;
  /** A class: its instances' members, and its base class when imported. */
  classInfo?: { members: Record<string, Value>; base?: Value };
  /** A function's callbacks: per argument position, per callback parameter, the declared type. */
  callbacks?: Record<number, Record<number, Value>>;
  /** A generic wrapper (`singleton<T>(name, make: () => T): T`): which argument it returns (or calls and returns). */
  returnsArg?: { index: number; call: boolean };
}

/** A site found in the file, with the exported top-level function that holds it (library crediting). */
export type Located<T> = T & { fn?: string };

/** Everything the TypeScript/JavaScript source model needs from one file; no syntax tree is kept. */
export interface TsFileFacts {
  file: string;
  exports: Map<string, ExportFact>;
  /** `export * from './x'` (name `*`) and `export { a as b } from './x'`. */
  reexports: { module: string; name: string; as: string }[];
  sql: Located<SqlCandidate>[];
  prisma: Located<PrismaCandidate>[];
  http: Located<HttpCandidate>[];
  topics: Located<TopicCandidate>[];
  grpc: Located<GrpcCandidate>[];
  /** Calls of (and `new` on) imported names of the repository: where units enter library code. */
  importedCalls: { ref: ImportRef; location: Location; fn?: string }[];
}

function hasExportModifier(ts: TypeScriptApi, node: TsMorph.ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

function hasDefaultModifier(ts: TypeScriptApi, node: TsMorph.ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
}

/** Whether an initializer can be a string worth evaluating as text, URL or name. */
function stringish(ts: TypeScriptApi, node: TsMorph.ts.Expression): boolean {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node) || ts.isBinaryExpression(node) || ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isArrayLiteralExpression(node) || ts.isConditionalExpression(node);
}

/**
 * Reads one parsed file (parent pointers set): SQL, Prisma, HTTP, topic and gRPC sites, what it
 * exports, and its calls into imported names. Receivers are classified from what the file shows;
 * a receiver imported from another file stays a reference, resolved by the unit-level model.
 */
export function scanTsSource(ts: TypeScriptApi, source: TsMorph.ts.SourceFile, file: string): TsFileFacts {
  const ctx = new FileContext(ts, source, file);
  const facts: TsFileFacts = { file, exports: new Map(), reexports: [], sql: [], prisma: [], http: [], topics: [], grpc: [], importedCalls: [] };

  // Exported names: `export function f`, `export const x`, `export { a as b }`, `export default`.
  const exportedLocals = new Map<string, string>();
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      const module = statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
      const clause = statement.exportClause;
      if (module !== undefined && !clause) facts.reexports.push({ module, name: '*', as: '*' });
      if (clause && ts.isNamedExports(clause)) {
        for (const element of clause.elements) {
          const local = (element.propertyName ?? element.name).text;
          const imported = module === undefined ? ctx.imports.get(local) : undefined;
          if (module !== undefined) facts.reexports.push({ module, name: local, as: element.name.text });
          // `import { a } from 'm'; export { a }` (also `export type { A }`) re-exports `a` of 'm'.
          else if (imported && imported.imported !== '*' && (imported.imported !== 'default' || !isLibraryModule(imported.module))) facts.reexports.push({ module: imported.module, name: imported.imported, as: element.name.text });
          else exportedLocals.set(local, element.name.text);
        }
      }
    }
  }
  const exportNameOf = (statement: TsMorph.ts.Statement): string | undefined => {
    if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isInterfaceDeclaration(statement)) {
      if (hasExportModifier(ts, statement) && hasDefaultModifier(ts, statement)) return 'default';
      const name = statement.name?.text;
      if (name === undefined) return undefined;
      return hasExportModifier(ts, statement) ? name : exportedLocals.get(name);
    }
    if (ts.isVariableStatement(statement)) {
      const first = statement.declarationList.declarations[0];
      const name = first && ts.isIdentifier(first.name) ? first.name.text : undefined;
      if (name === undefined) return undefined;
      return hasExportModifier(ts, statement) ? name : exportedLocals.get(name);
    }
    if (ts.isExportAssignment(statement)) return 'default';
    return undefined;
  };

  const exportValue = (name: string, init: TsMorph.ts.Expression | undefined, type: TsMorph.ts.TypeNode | undefined): void => {
    const fact: ExportFact = facts.exports.get(name)?.type ? { type: facts.exports.get(name)!.type! } : {};
    if (init) {
      const inner = ctx.unwrap(init);
      if (ts.isArrowFunction(inner) || ts.isFunctionExpression(inner)) {
        const returned = inner.type ? ctx.classifyType(inner.type) : !ts.isBlock(inner.body) ? ctx.classify(inner.body) : undefined;
        if (returned) fact.returns = returned;
        const passes = ctx.returnsArgument(inner);
        if (passes) fact.returnsArg = passes;
        const callbacks = ctx.callbackParameters([inner]);
        if (Object.keys(callbacks).length > 0) fact.callbacks = callbacks;
      } else {
        const value = ctx.classify(init);
        if (value) fact.value = value;
        if (stringish(ts, inner)) {
          fact.str = ctx.str(init);
          fact.url = ctx.urlSources(init);
          fact.names = ctx.names(init);
        }
      }
    }
    if (!fact.value && type) {
      const typed = ctx.classifyType(type);
      if (typed) fact.value = typed;
    }
    facts.exports.set(name, fact);
  };

  const seenFunctions = new Set<string>();
  for (const statement of source.statements) {
    const name = exportNameOf(statement);
    if (name === undefined) continue;
    if (ts.isFunctionDeclaration(statement)) {
      // Overloads: the first declaration of the name speaks for all of them.
      if (seenFunctions.has(name)) continue;
      seenFunctions.add(name);
      const fact: ExportFact = { ...facts.exports.get(name) };
      const overloads = ctx.overloads(statement);
      const implementation = overloads.find((o) => o.body) ?? statement;
      const returns = statement.type ? ctx.classifyType(statement.type) : undefined;
      const single = implementation.body?.statements.filter(ts.isReturnStatement);
      const returned = returns ?? (single && single.length === 1 && single[0]!.expression ? ctx.classify(single[0]!.expression) : undefined);
      if (returned) fact.returns = returned;
      const passes = ctx.returnsArgument(statement);
      if (passes) fact.returnsArg = passes;
      const callbacks = ctx.callbackParameters(overloads);
      if (Object.keys(callbacks).length > 0) fact.callbacks = callbacks;
      facts.exports.set(name, fact);
    } else if (ts.isClassDeclaration(statement)) {
      facts.exports.set(name, { ...facts.exports.get(name), classInfo: ctx.classMembers(statement) });
    } else if (ts.isTypeAliasDeclaration(statement) || ts.isInterfaceDeclaration(statement)) {
      // A type may share its name with a value (`export const User = z.object(..); export type User = ..`): both are kept.
      const type = ts.isTypeAliasDeclaration(statement) ? ctx.classifyType(statement.type) : ctx.shapeOf(statement.members, 0);
      facts.exports.set(name, { ...facts.exports.get(name), ...(type ? { type } : {}) });
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name)) continue;
        const exported = declaration === statement.declarationList.declarations[0] ? name : hasExportModifier(ts, statement) ? declaration.name.text : exportedLocals.get(declaration.name.text);
        if (exported !== undefined) exportValue(exported, declaration.initializer, declaration.type);
      }
    } else if (ts.isExportAssignment(statement)) {
      exportValue('default', statement.expression, undefined);
    }
  }

  // The exported top-level function or const that encloses a node (sites in it are credited to its callers).
  const enclosingExport = (node: TsMorph.ts.Node): string | undefined => {
    let current: TsMorph.ts.Node = node;
    while (current.parent && !ts.isSourceFile(current.parent)) current = current.parent;
    if (current === node || !ts.isStatement(current)) return undefined;
    return exportNameOf(current);
  };
  const add = <T>(list: Located<T>[], site: T, node: TsMorph.ts.Node): void => {
    const fn = enclosingExport(node);
    list.push((fn !== undefined ? { ...site, fn } : { ...site }) as Located<T>);
  };

  const visit = (node: TsMorph.ts.Node): void => {
    const sql = collectSql(ctx, node);
    if (sql) add(facts.sql, sql, node);
    const prisma = collectPrismaCall(ctx, node);
    if (prisma) add(facts.prisma, prisma, node);
    const http = collectHttp(ctx, node);
    if (http) add(facts.http, http, node);
    const topic = collectTopics(ctx, node);
    if (topic) add(facts.topics, topic, node);
    const grpc = collectGrpc(ctx, node);
    if (grpc) add(facts.grpc, grpc, node);
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = ctx.unwrap(node.expression);
      const value = ts.isIdentifier(callee) || (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) ? ctx.classify(callee) : undefined;
      if (value?.type === 'import' && value.ref.name !== '*') {
        const fn = enclosingExport(node);
        facts.importedCalls.push({ ref: value.ref, location: ctx.location(callee), ...(fn !== undefined ? { fn } : {}) });
      }
    }
    // A SQL template's substitutions are part of its statement (fragments), not statements of their own.
    if (sql && ts.isTaggedTemplateExpression(node)) return;
    ts.forEachChild(node, visit);
  };
  visit(source);
  return facts;
}
