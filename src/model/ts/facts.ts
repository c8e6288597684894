import type * as TsMorph from 'ts-morph';
import type { Location } from '../types.js';
import { FileContext, isLibraryModule, type ImportRef, type NameCandidates, type StrPart, type TypeScriptApi, type UrlSource, type Value } from './file-context.js';
import { collectSql, fragmentOf, type SqlCandidate } from './sql-sites.js';
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
  /** A const holding a SQL fragment (`Prisma.sql`..``, `Prisma.raw(x)`): its parts, inlined where a template substitutes it. */
  fragment?: StrPart[];
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

/** A site found in the file, with the function of the file that holds it (`FnKey`; library crediting). */
export type Located<T> = T & { fn?: string };

/**
 * A class as a call's receiver or a base class: one of this file (its key), or an imported one.
 */
export type ClassRef = { local: string } | { ref: ImportRef };

/** What a call or reference names, as far as the file can tell; resolved by the unit-level model. */
export type CallTarget =
  /** A top-level function, class or variable of this file (`key` as in `TsFileFacts.functions`). */
  | { kind: 'local'; key: string }
  /** A name imported from the repository (called, constructed, or a value whose member is called). */
  | { kind: 'import'; ref: ImportRef }
  /** `x.m()` on an instance of a known class (`this.m()`, `this.field.m()` with a typed field). */
  | { kind: 'method'; cls: ClassRef; name: string };

export interface CallFact {
  target: CallTarget;
  location: Location;
}

/**
 * A function of the file for library crediting, keyed by `FnKey`: a top-level function, class or
 * variable by its name (`default` for an anonymous default export), a class member as
 * `Class.member` (`Class.#m`, `Class.constructor`). Nested functions belong to their outer key.
 */
export interface FnFact {
  calls: CallFact[];
  /** A class: its base class (`this.m()` of an inherited member is the base's). */
  base?: ClassRef;
}

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
  /** Functions of the file and the calls each makes (a class calls its public members and its base class). */
  functions: Map<string, FnFact>;
  /** Calls made at module level (no enclosing function). */
  moduleCalls: CallFact[];
  /** Export name -> key in `functions` of what it names. */
  exportKeys: Map<string, string>;
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
/** What the scan looks for beyond the defaults. */
export interface TsScanOptions {
  /** knex query-builder chains (`db('users').first()`); only worth the cost when the repository depends on knex. */
  knexBuilder: boolean;
}

export function scanTsSource(ts: TypeScriptApi, source: TsMorph.ts.SourceFile, file: string, options: TsScanOptions = { knexBuilder: true }): TsFileFacts {
  const ctx = new FileContext(ts, source, file);
  const facts: TsFileFacts = { file, exports: new Map(), reexports: [], sql: [], prisma: [], http: [], topics: [], grpc: [], functions: new Map(), moduleCalls: [], exportKeys: new Map() };

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

  // Names declared at the top of the file (functions, classes, variables): keys of `functions`.
  const topLevel = new Set<string>();
  for (const statement of source.statements) {
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) topLevel.add(statement.name.text);
    if (ts.isVariableStatement(statement)) for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) topLevel.add(d.name.text);
  }

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
        // `export const schema = Prisma.sql([..])`: inlined where a SQL template substitutes it.
        const fragment = !ts.isIdentifier(inner) ? fragmentOf(ctx, init) : undefined;
        if (fragment) fact.fragment = fragment;
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
      facts.exportKeys.set(name, statement.name?.text ?? 'default');
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
      facts.exportKeys.set(name, statement.name?.text ?? 'default');
    } else if (ts.isTypeAliasDeclaration(statement) || ts.isInterfaceDeclaration(statement)) {
      // A type may share its name with a value (`export const User = z.object(..); export type User = ..`): both are kept.
      const type = ts.isTypeAliasDeclaration(statement) ? ctx.classifyType(statement.type) : ctx.shapeOf(statement.members, 0);
      facts.exports.set(name, { ...facts.exports.get(name), ...(type ? { type } : {}) });
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name)) continue;
        const exported = declaration === statement.declarationList.declarations[0] ? name : hasExportModifier(ts, statement) ? declaration.name.text : exportedLocals.get(declaration.name.text);
        if (exported !== undefined) exportValue(exported, declaration.initializer, declaration.type);
        if (exported !== undefined) facts.exportKeys.set(exported, declaration.name.text);
      }
    } else if (ts.isExportAssignment(statement)) {
      exportValue('default', statement.expression, undefined);
      // `export default Engine;` names the class's key, anything else is a function of its own.
      const local = ts.isIdentifier(statement.expression) ? statement.expression.text : undefined;
      facts.exportKeys.set('default', local !== undefined && topLevel.has(local) ? local : 'default');
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Functions and the calls they make (library crediting follows them inside a package).
  // ---------------------------------------------------------------------------------------------
  const fnOf = (key: string): FnFact => {
    let fact = facts.functions.get(key);
    if (!fact) facts.functions.set(key, (fact = { calls: [] }));
    return fact;
  };
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement)) fnOf(statement.name?.text ?? 'default');
    else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) fnOf(declaration.name.text);
    } else if (ts.isExportAssignment(statement) && facts.exportKeys.get('default') === 'default') fnOf('default');
    else if (ts.isClassDeclaration(statement)) {
      const cls = statement.name?.text ?? 'default';
      const own = fnOf(cls);
      // Whoever holds an instance may call any member but private and protected ones; the constructor runs on `new`.
      for (const member of statement.members) {
        const name = memberName(ts, member);
        if (name === undefined) continue;
        fnOf(`${cls}.${name}`);
        const hidden = name.startsWith('#') || (ts.canHaveModifiers(member) && (ts.getModifiers(member) ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword));
        if (!hidden || ts.isConstructorDeclaration(member)) own.calls.push({ target: { kind: 'local', key: `${cls}.${name}` }, location: ctx.location(member) });
      }
      const base = statement.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
      const baseClass = base ? classRefOfName(base) : undefined;
      if (baseClass) own.base = baseClass;
      if (base && baseClass) own.calls.push({ target: 'local' in baseClass ? { kind: 'local', key: baseClass.local } : { kind: 'import', ref: baseClass.ref }, location: ctx.location(base) });
    }
  }

  /** The key of the top-level declaration (or class member) holding a node; undefined at module level. */
  const keyOf = (node: TsMorph.ts.Node): string | undefined => {
    let current: TsMorph.ts.Node = node;
    let member: TsMorph.ts.ClassElement | undefined;
    while (current.parent && !ts.isSourceFile(current.parent)) {
      if (ts.isClassDeclaration(current.parent) && ts.isSourceFile(current.parent.parent) && ts.isClassElement(current)) member = current;
      current = current.parent;
    }
    if (current === node) return undefined;
    if (ts.isFunctionDeclaration(current)) return current.name?.text ?? 'default';
    if (ts.isClassDeclaration(current)) {
      const cls = current.name?.text ?? 'default';
      const name = member ? memberName(ts, member) : undefined;
      return name !== undefined ? `${cls}.${name}` : cls;
    }
    if (ts.isVariableStatement(current)) {
      const declaration = current.declarationList.declarations.find((d) => d.pos <= node.pos && node.end <= d.end);
      return declaration && ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
    }
    if (ts.isExportAssignment(current)) return 'default';
    return undefined;
  };
  const add = <T>(list: Located<T>[], site: T, node: TsMorph.ts.Node): void => {
    const fn = keyOf(node);
    list.push((fn !== undefined ? { ...site, fn } : { ...site }) as Located<T>);
  };

  /** The key of a top-level declaration of this file (function, class, variable), else undefined. */
  function topLevelKey(declaration: TsMorph.ts.Node): string | undefined {
    if ((ts.isFunctionDeclaration(declaration) || ts.isClassDeclaration(declaration)) && ts.isSourceFile(declaration.parent)) return declaration.name?.text;
    if (ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name) && ts.isVariableStatement(declaration.parent.parent) && ts.isSourceFile(declaration.parent.parent.parent)) return declaration.name.text;
    return undefined;
  }
  /** A repository import (not a library's, not a namespace). */
  function importRefOf(name: TsMorph.ts.Identifier): ImportRef | undefined {
    const declaration = ctx.lookup(name.text, name);
    if (declaration?.kind !== 'import' || isLibraryModule(declaration.module!) || declaration.imported === '*') return undefined;
    return { from: file, module: declaration.module!, name: declaration.imported! };
  }
  /** A class named by an expression: one of this file's top-level classes, or an imported one. */
  function classRefOfName(expr: TsMorph.ts.Expression): ClassRef | undefined {
    const node = ctx.unwrap(expr);
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      // `ns.Engine` with `ns` a namespace import of the repository.
      const declaration = ctx.lookup(node.expression.text, node);
      return declaration?.kind === 'import' && declaration.imported === '*' && !isLibraryModule(declaration.module!) ? { ref: { from: file, module: declaration.module!, name: node.name.text } } : undefined;
    }
    if (!ts.isIdentifier(node)) return undefined;
    const declaration = ctx.lookup(node.text, node);
    if (declaration?.kind === 'function' && ts.isClassDeclaration(declaration.node)) {
      const key = topLevelKey(declaration.node);
      return key !== undefined ? { local: key } : undefined;
    }
    const ref = importRefOf(node);
    return ref ? { ref } : undefined;
  }
  function classRefOfType(type: TsMorph.ts.TypeNode | undefined): ClassRef | undefined {
    if (!type || !ts.isTypeReferenceNode(type)) return undefined;
    const name = type.typeName;
    if (ts.isIdentifier(name)) return classRefOfName(name);
    if (!ts.isIdentifier(name.left)) return undefined;
    const declaration = ctx.lookup(name.left.text, type);
    return declaration?.kind === 'import' && declaration.imported === '*' && !isLibraryModule(declaration.module!) ? { ref: { from: file, module: declaration.module!, name: name.right.text } } : undefined;
  }
  /** The top-level class enclosing a node (for `this`), by key. */
  const enclosingClass = (node: TsMorph.ts.Node): TsMorph.ts.ClassDeclaration | undefined => {
    let current: TsMorph.ts.Node | undefined = node.parent;
    while (current && !ts.isClassLike(current)) current = current.parent;
    return current && ts.isClassDeclaration(current) && ts.isSourceFile(current.parent) ? current : undefined;
  };
  /** The class of a call's receiver, when its declaration says: `new X()`, `x: X`, `const x = new X()`, a typed field `this.x`. */
  const classOfReceiver = (expr: TsMorph.ts.Expression): ClassRef | undefined => {
    const node = ctx.unwrap(expr);
    if (ts.isNewExpression(node)) return classRefOfName(node.expression);
    if (ts.isIdentifier(node)) {
      const declaration = ctx.lookup(node.text, node);
      const decl = declaration?.node;
      if (declaration?.kind === 'var' && decl && ts.isVariableDeclaration(decl)) {
        const init = decl.initializer ? ctx.unwrap(decl.initializer) : undefined;
        return init && ts.isNewExpression(init) ? classRefOfName(init.expression) : classRefOfType(decl.type);
      }
      return declaration?.kind === 'param' && decl && ts.isParameter(decl) ? classRefOfType(decl.type) : undefined;
    }
    if (!ts.isPropertyAccessExpression(node) || node.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
    const cls = enclosingClass(node);
    const field = node.name.text;
    for (const member of cls?.members ?? []) {
      if (ts.isPropertyDeclaration(member) && memberName(ts, member) === field) {
        const init = member.initializer ? ctx.unwrap(member.initializer) : undefined;
        return init && ts.isNewExpression(init) ? classRefOfName(init.expression) : classRefOfType(member.type);
      }
      if (ts.isConstructorDeclaration(member)) {
        const param = member.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === field && (ts.getModifiers(p) ?? []).length > 0);
        if (param) return classRefOfType(param.type);
      }
    }
    return undefined;
  };
  /** What a call's callee or a function reference names; undefined for anything dynamic. */
  const targetOf = (expr: TsMorph.ts.Expression, callee: boolean): CallTarget | undefined => {
    const node = ctx.unwrap(expr);
    if (ts.isIdentifier(node)) {
      const declaration = ctx.lookup(node.text, node);
      const key = declaration && (declaration.kind === 'function' || declaration.kind === 'var') ? topLevelKey(declaration.node) : undefined;
      if (key !== undefined) return { kind: 'local', key };
      const ref = importRefOf(node);
      return ref ? { kind: 'import', ref } : undefined;
    }
    if (!ts.isPropertyAccessExpression(node)) return undefined;
    const name = node.name.text;
    // `this.handle.bind(this)`, `f.call(..)`: the function bound or called.
    if (callee && (name === 'bind' || name === 'call' || name === 'apply')) {
      const inner = targetOf(node.expression, false);
      if (inner) return inner;
    }
    if (node.expression.kind === ts.SyntaxKind.ThisKeyword) {
      const cls = enclosingClass(node);
      return cls ? { kind: 'method', cls: { local: cls.name?.text ?? 'default' }, name } : undefined;
    }
    if (ts.isIdentifier(node.expression)) {
      const declaration = ctx.lookup(node.expression.text, node);
      if (declaration?.kind === 'import' && declaration.imported === '*' && !isLibraryModule(declaration.module!)) return { kind: 'import', ref: { from: file, module: declaration.module!, name } };
    }
    if (!callee) return undefined;
    const cls = classOfReceiver(node.expression);
    if (cls) return { kind: 'method', cls, name };
    // A member of a value the file does not type (an imported or top-level object): that value's code is reached.
    return ts.isIdentifier(node.expression) ? targetOf(node.expression, false) : undefined;
  };
  const record = (node: TsMorph.ts.Node, target: CallTarget | undefined, at: TsMorph.ts.Node): void => {
    if (!target) return;
    const key = keyOf(node);
    const call = { target, location: ctx.location(at) };
    if (key !== undefined && facts.functions.has(key)) facts.functions.get(key)!.calls.push(call);
    else facts.moduleCalls.push(call);
  };

  const visit = (node: TsMorph.ts.Node): void => {
    const sql = collectSql(ctx, node, options.knexBuilder);
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
      record(node, targetOf(callee, true), callee);
      // A function handed over as a callback (`worker.process(handle)`, `on('x', this.#onX)`) may be called.
      for (const arg of node.arguments ?? []) if (ts.isIdentifier(arg) || ts.isPropertyAccessExpression(arg)) record(node, targetOf(arg, false), arg);
    } else if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.initializer) || ts.isPropertyAccessExpression(node.initializer))) {
      // Handlers listed in an object (`jobs: { run: this.run }`).
      record(node, targetOf(node.initializer, false), node.initializer);
    } else if (ts.isShorthandPropertyAssignment(node)) {
      record(node, targetOf(node.name, false), node.name);
    }
    // A SQL template's substitutions are part of its statement (fragments), not statements of their own.
    if (sql && ts.isTaggedTemplateExpression(node)) return;
    ts.forEachChild(node, visit);
  };
  visit(source);
  return facts;
}

/** A class member's name in keys (`constructor`, `#private`); undefined for computed names and static blocks. */
function memberName(ts: TypeScriptApi, member: TsMorph.ts.ClassElement): string | undefined {
  if (ts.isConstructorDeclaration(member)) return 'constructor';
  const name = member.name;
  if (!name) return undefined;
  return ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) ? name.text : undefined;
}
