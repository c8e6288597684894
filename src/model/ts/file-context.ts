import type * as TsMorph from 'ts-morph';
import type { Location } from '../types.js';

/** The TypeScript compiler API as ts-morph ships it (decision 0016). */
export type TypeScriptApi = typeof TsMorph.ts;
type Node = TsMorph.ts.Node;
type Expression = TsMorph.ts.Expression;

/** A name imported from another module: resolved across files once every file of the unit is read. */
export interface ImportRef {
  /** The importing file. */
  from: string;
  /** The specifier as written (`./db.js`, `@nova/db`). */
  module: string;
  /** The exported name (`default` for a default import). */
  name: string;
}

/** Part of a string built by code: literal text, a bind parameter, a runtime value, or an imported const. */
export type StrPart =
  | { kind: 'text'; value: string; location?: Location }
  | { kind: 'param' }
  /** `prismaRaw`: the runtime text of a `Prisma.raw(x)`/`Prisma.sql([x])` fragment (a qualifier of it is left out, see `renderSql`). */
  | { kind: 'dynamic'; prismaRaw?: true }
  | { kind: 'ref'; ref: ImportRef }
  /**
   * A SQL fragment written with `ns.sql`/`ns.raw`/`ns.empty` where `ns` is imported from the
   * repository: its parts count only if `ns` is Prisma's namespace (a workspace package
   * re-exporting '@prisma/client'); else it is a bind parameter.
   */
  | { kind: 'prisma'; ns: ImportRef; parts: StrPart[] }
  /** A substitution naming an imported const: the SQL fragment it holds (`ExportFact.fragment`), else a bind parameter. */
  | { kind: 'fragment'; ref: ImportRef };

/** Where a URL comes from: an env var, a config field, a URL literal, or an imported const. */
export type UrlSource =
  | { kind: 'env'; name: string; location: Location }
  | { kind: 'field'; name: string; location: Location }
  | { kind: 'url'; value: string; location: Location }
  | { kind: 'ref'; ref: ImportRef };

/** Candidate values of a topic or queue name (a literal, a const, an env var's default). */
export interface NameCandidates {
  values: { value: string; location: Location }[];
  refs: ImportRef[];
  /** Built at run time (a template with substitutions): no name can be given. */
  templated: boolean;
}

/** What a receiver is, as far as this file can tell. */
export type Client =
  | { type: 'pg' | 'postgres' | 'slonik' | 'knex' | 'prisma' | 'clickhouse' | 'kafka' | 'kafka-producer' | 'kafka-consumer' | 'grpc-server' }
  | { type: 'http'; lib: 'axios' | 'got' | 'ky'; base: UrlSource[] }
  | { type: 'queue'; name: NameCandidates }
  /** `grpc.loadPackageDefinition(..)` and property paths below it (`proto.nova.user.v1`). */
  | { type: 'grpc-package'; path: string[] }
  /** A gRPC client: `full` is a dotted proto path when known (`nova.user.v1.UserService`), else `name` (`UserService`). */
  | { type: 'grpc-client'; name: string; full?: string };

/** An argument of a call to an imported function: its value, and what calling it returns (a callback). */
export interface CallArg {
  value?: Value;
  returns?: Value;
}

/** Members of an object type or of a class's instances (`{ prisma: PrismaClient }`), each as its file saw it. */
export interface Shape {
  type: 'shape';
  members: Record<string, Value>;
}

/**
 * What a value is when the file cannot finish the answer: resolved by the unit-level model once
 * every file is read (`resolveValue` in index.ts). Each carries the importing file in its refs.
 */
export type Deferred =
  /** The value an imported name holds (`called`: what calling it returns; `args` for generic wrappers). */
  | { type: 'import'; ref: ImportRef; called: boolean; args?: CallArg[] }
  /** A value declared with an imported type (`db: ClientOrTx`, `PrismaClient` re-exported by a workspace package). */
  | { type: 'typed'; ref: ImportRef }
  /** `new X(..)` with `X` imported from the repository (a re-exported library class, or a class of the repository). */
  | { type: 'new'; ref: ImportRef; grpc?: string }
  /** A member of the instances of an imported class (`this._prisma` declared in a base class of another file). */
  | { type: 'member'; ref: ImportRef; name: string }
  /** A property of a value (`this.$.prisma`, `engine.prisma`). */
  | { type: 'prop'; of: Value; name: string }
  /** One of several values (`tx ?? prisma`, `PrismaClient | TxClient`): the first that is a client. */
  | { type: 'either'; options: Value[] }
  /** Parameter `param` of the callback given as argument `arg` to an imported function (its declared type says). */
  | { type: 'param'; ref: ImportRef; arg: number; param: number };

/** A client, a shape, or a value whose resolution needs other files. */
export type Value = Client | Shape | Deferred;

const DEFERRED = new Set<string>(['import', 'typed', 'new', 'member', 'prop', 'either', 'param']);

/** One value from several candidates: undefined when none, the value itself when one. */
export function either(values: readonly (Value | undefined)[]): Value | undefined {
  const options = values.filter((v): v is Value => v !== undefined);
  if (options.length <= 1) return options[0];
  // A concrete client among the options decides at once (`PrismaClient | undefined`, `tx ?? new Pool()`).
  return options.find(isClient) ?? { type: 'either', options };
}

export function isDeferred(value: Value | undefined): value is Deferred {
  return value !== undefined && DEFERRED.has(value.type);
}

export function isClient(value: Value | undefined): value is Client {
  return value !== undefined && value.type !== 'shape' && !DEFERRED.has(value.type);
}

export interface Declaration {
  kind: 'var' | 'param' | 'function' | 'import' | 'type';
  node: Node;
  /** For imports: the module and the imported name (`default`, `*` for a namespace). */
  module?: string;
  imported?: string;
  isConst?: boolean;
}

/** Modules whose imports are clients or tags themselves, never repository code. */
const LIBRARY_MODULES = new Set([
  'pg', 'postgres', 'slonik', 'knex', '@prisma/client', '@clickhouse/client', 'axios', 'got', 'ky', 'bullmq', 'kafkajs',
  '@grpc/grpc-js', '@grpc/proto-loader', '@connectrpc/connect', '@bufbuild/connect', 'node-fetch', 'undici', 'cross-fetch',
]);

/** Types that say which driver a parameter or variable holds (the module they come from must match). */
const CLIENT_TYPES: Record<string, Record<string, Client['type']>> = {
  pg: { Pool: 'pg', Client: 'pg', PoolClient: 'pg' },
  '@prisma/client': { PrismaClient: 'prisma', TransactionClient: 'prisma' },
  knex: { Knex: 'knex' },
  '@clickhouse/client': { ClickHouseClient: 'clickhouse' },
  postgres: { Sql: 'postgres', TransactionSql: 'postgres', ReservedSql: 'postgres' },
  slonik: { DatabasePool: 'slonik', DatabasePoolConnection: 'slonik', DatabaseTransactionConnection: 'slonik', DatabaseConnection: 'slonik', CommonQueryMethods: 'slonik' },
  kafkajs: { Producer: 'kafka-producer', Consumer: 'kafka-consumer', Kafka: 'kafka' },
  '@grpc/grpc-js': { Server: 'grpc-server' },
  // Connect's router: `(router: ConnectRouter) => router.service(ElizaService, impl)` serves the service.
  '@connectrpc/connect': { ConnectRouter: 'grpc-server' },
  '@bufbuild/connect': { ConnectRouter: 'grpc-server' },
};

/** The client a value of a library type is (`PrismaClient` of '@prisma/client'), wherever the name was imported from. */
export function libraryType(module: string, name: string): Client | undefined {
  const kind = CLIENT_TYPES[module]?.[name];
  if (kind) return { type: kind } as Client;
  if (module === 'bullmq' && name === 'Queue') return { type: 'queue', name: { values: [], refs: [], templated: false } };
  return undefined;
}

/** The client `new X(..)` of a library class makes, without looking at its arguments. */
export function libraryConstruct(module: string, name: string): Client | undefined {
  if (module === 'pg' && (name === 'Pool' || name === 'Client')) return { type: 'pg' };
  if (module === '@prisma/client' && name === 'PrismaClient') return { type: 'prisma' };
  if (module === 'kafkajs' && name === 'Kafka') return { type: 'kafka' };
  if (module === '@grpc/grpc-js' && name === 'Server') return { type: 'grpc-server' };
  return undefined;
}

/** Generic types that hold a value of their first argument's type, as far as a receiver goes. */
const WRAPPER_TYPES = new Set(['Promise', 'Awaited', 'Omit', 'Pick', 'Readonly', 'Required', 'Partial', 'NonNullable']);

/** Methods of a client whose callback's first parameter is a client of the same kind (transactions, reserved connections). */
const CALLBACK_CLIENTS: Partial<Record<Client['type'], Set<string>>> = {
  prisma: new Set(['$transaction']),
  postgres: new Set(['begin', 'reserve', 'savepoint']),
  knex: new Set(['transaction']),
  slonik: new Set(['connect', 'transaction']),
};

const DEPTH = 6;

export function isLibraryModule(module: string): boolean {
  return LIBRARY_MODULES.has(module) || module.startsWith('node:');
}

/** The declarations, imports and value resolution of one parsed file. */
export class FileContext {
  readonly imports = new Map<string, { module: string; imported: string }>();
  private readonly declarations = new Map<Node, Map<string, Declaration>>();

  constructor(
    readonly ts: TypeScriptApi,
    readonly source: TsMorph.ts.SourceFile,
    readonly file: string,
  ) {
    this.collect(source);
  }

  location(node: Node): Location {
    const start = this.source.getLineAndCharacterOfPosition(node.getStart(this.source));
    const end = this.source.getLineAndCharacterOfPosition(node.getEnd());
    return { file: this.file, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
  }

  // ------------------------------------------------------------------------------------------
  // Declarations and scopes
  // ------------------------------------------------------------------------------------------

  private isScope(node: Node): boolean {
    const ts = this.ts;
    return ts.isSourceFile(node) || ts.isBlock(node) || ts.isModuleBlock(node) || ts.isFunctionLike(node) || ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isCaseBlock(node) || ts.isCatchClause(node) || ts.isClassLike(node);
  }

  private scopeOf(node: Node): Node {
    let current = node.parent;
    while (current && !this.isScope(current)) current = current.parent;
    return current ?? this.source;
  }

  private declare(scope: Node, name: string, declaration: Declaration): void {
    let map = this.declarations.get(scope);
    if (!map) this.declarations.set(scope, (map = new Map()));
    if (!map.has(name)) map.set(name, declaration);
  }

  /** `require('m')` with a literal: the module. */
  private requiredModule(node: Node | undefined): string | undefined {
    const ts = this.ts;
    if (!node || !ts.isCallExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== 'require') return undefined;
    const arg = node.arguments[0];
    return arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) ? arg.text : undefined;
  }

  private collect(root: Node): void {
    const ts = this.ts;
    const visit = (node: Node): void => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const module = node.moduleSpecifier.text;
        const clause = node.importClause;
        if (clause?.name) this.addImport(clause.name.text, module, 'default', clause.name);
        const bindings = clause?.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) this.addImport(bindings.name.text, module, '*', bindings);
        if (bindings && ts.isNamedImports(bindings)) {
          for (const element of bindings.elements) this.addImport(element.name.text, module, (element.propertyName ?? element.name).text, element);
        }
      } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
        this.addImport(node.name.text, node.moduleReference.expression.text, '*', node);
      } else if (ts.isVariableDeclaration(node)) {
        const required = this.requiredModule(node.initializer);
        const isConst = ts.isVariableDeclarationList(node.parent) && (node.parent.flags & ts.NodeFlags.Const) !== 0;
        if (ts.isIdentifier(node.name)) {
          if (required !== undefined) this.addImport(node.name.text, required, '*', node);
          else this.declare(this.scopeOf(node), node.name.text, { kind: 'var', node, isConst });
        } else if (ts.isObjectBindingPattern(node.name)) {
          for (const element of node.name.elements) {
            if (!ts.isIdentifier(element.name)) continue;
            const key = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : element.name.text;
            if (required !== undefined) this.addImport(element.name.text, required, key, element);
            else this.declare(this.scopeOf(node), element.name.text, { kind: 'var', node: element, isConst });
          }
        }
      } else if (ts.isParameter(node) && ts.isIdentifier(node.name)) {
        this.declare(node.parent, node.name.text, { kind: 'param', node });
      } else if (ts.isBindingElement(node) && ts.isIdentifier(node.name) && this.parameterOf(node)) {
        // `({ prisma }: Ctx) => ..`: each name of a destructured parameter, scoped to its function.
        this.declare(this.parameterOf(node)!.parent, node.name.text, { kind: 'param', node });
      } else if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && node.name) {
        this.declare(this.scopeOf(node), node.name.text, { kind: 'function', node });
      } else if (ts.isTypeAliasDeclaration(node) || ts.isInterfaceDeclaration(node)) {
        this.declare(this.scopeOf(node), node.name.text, { kind: 'type', node });
      }
      ts.forEachChild(node, visit);
    };
    visit(root);
  }

  /** The parameter a binding element destructures, through nested patterns. */
  private parameterOf(element: TsMorph.ts.BindingElement): TsMorph.ts.ParameterDeclaration | undefined {
    let current: Node = element.parent.parent;
    while (this.ts.isBindingElement(current)) current = current.parent.parent;
    return this.ts.isParameter(current) ? current : undefined;
  }

  private addImport(local: string, module: string, imported: string, node: Node): void {
    this.imports.set(local, { module, imported });
    this.declare(this.source, local, { kind: 'import', node, module, imported });
  }

  /** The declaration an identifier refers to, walking out through enclosing scopes. */
  lookup(name: string, at: Node): Declaration | undefined {
    let current: Node | undefined = at;
    while (current) {
      const found = this.declarations.get(current)?.get(name);
      if (found) return found;
      current = current.parent;
    }
    return undefined;
  }

  /** Parentheses, `as`, `!`, `satisfies`, `await`, type assertions removed. */
  unwrap(node: Expression): Expression {
    const ts = this.ts;
    let current = node;
    for (;;) {
      if (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isNonNullExpression(current) || ts.isAwaitExpression(current) || ts.isTypeAssertionExpression(current) || ts.isSatisfiesExpression(current)) current = current.expression;
      else return current;
    }
  }

  /**
   * The library import an expression names: `Pool` imported from 'pg' or `pg.Pool` with `pg` the
   * default/namespace import of 'pg' give `{ module: 'pg', name: 'Pool' }`; a default or
   * namespace import alone gives name `default`.
   */
  importedName(expr: Expression): { module: string; name: string } | undefined {
    const ts = this.ts;
    const node = this.unwrap(expr);
    if (ts.isIdentifier(node)) {
      const declaration = this.lookup(node.text, node);
      if (declaration?.kind !== 'import') return undefined;
      return { module: declaration.module!, name: declaration.imported === '*' ? 'default' : declaration.imported! };
    }
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      const declaration = this.lookup(node.expression.text, node);
      if (declaration?.kind !== 'import' || (declaration.imported !== '*' && declaration.imported !== 'default')) return undefined;
      return { module: declaration.module!, name: node.name.text };
    }
    return undefined;
  }

  // ------------------------------------------------------------------------------------------
  // What a value is
  // ------------------------------------------------------------------------------------------

  /** The client (or imported value) an expression evaluates to, when the file shows it. */
  classify(expr: Expression, depth = 0): Value | undefined {
    if (depth > DEPTH) return undefined;
    const ts = this.ts;
    const node = this.unwrap(expr);
    if (ts.isIdentifier(node)) return this.classifyIdentifier(node, depth);
    if (ts.isNewExpression(node)) return this.classifyNew(node, depth);
    if (ts.isCallExpression(node)) return this.classifyCall(node, depth);
    if (ts.isPropertyAccessExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ThisKeyword) return this.classifyThisMember(node, depth);
      // A property path is finite syntax: it does not count towards the depth of followed bindings.
      const inner = this.classify(node.expression, depth);
      if (inner?.type === 'grpc-package') return { type: 'grpc-package', path: [...inner.path, node.name.text] };
      if (ts.isIdentifier(node.expression)) {
        const declaration = this.lookup(node.expression.text, node);
        if (declaration?.kind === 'import' && declaration.imported === '*' && !isLibraryModule(declaration.module!)) {
          return { type: 'import', ref: { from: this.file, module: declaration.module!, name: node.name.text }, called: false };
        }
      }
      // `options.prisma` of a typed object, `engine.prisma` of a class instance.
      if (inner?.type === 'shape') return inner.members[node.name.text];
      if (inner && isDeferred(inner)) return { type: 'prop', of: inner, name: node.name.text };
      return undefined;
    }
    if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      return either([this.classify(node.left, depth + 1), this.classify(node.right, depth + 1)]);
    }
    if (ts.isConditionalExpression(node)) return either([this.classify(node.whenTrue, depth + 1), this.classify(node.whenFalse, depth + 1)]);
    return undefined;
  }

  private classifyIdentifier(node: TsMorph.ts.Identifier, depth: number): Value | undefined {
    const ts = this.ts;
    const declaration = this.lookup(node.text, node);
    if (!declaration) return undefined;
    if (declaration.kind === 'import') {
      const module = declaration.module!;
      if (isLibraryModule(module)) {
        const whole = declaration.imported === 'default' || declaration.imported === '*';
        if (module === 'axios' && whole) return { type: 'http', lib: 'axios', base: [] };
        if (module === 'got' && whole) return { type: 'http', lib: 'got', base: [] };
        if (module === 'ky' && whole) return { type: 'http', lib: 'ky', base: [] };
        return undefined;
      }
      return { type: 'import', ref: { from: this.file, module, name: declaration.imported === '*' ? '*' : declaration.imported! }, called: false };
    }
    if (declaration.kind === 'var') {
      const decl = declaration.node;
      if (ts.isVariableDeclaration(decl)) {
        const fromInit = decl.initializer ? this.classify(decl.initializer, depth + 1) : undefined;
        return fromInit ?? (decl.type ? this.classifyType(decl.type, depth + 1) : undefined);
      }
      return undefined;
    }
    if (declaration.kind === 'param' && ts.isBindingElement(declaration.node)) return this.classifyBinding(declaration.node, depth);
    if (declaration.kind === 'param') {
      const param = declaration.node as TsMorph.ts.ParameterDeclaration;
      if (param.type) {
        const typed = this.classifyType(param.type, depth + 1);
        if (typed) return typed;
      }
      return this.classifyCallbackParameter(param, depth);
    }
    return undefined;
  }

  /**
   * A name destructured from a parameter (`{ prisma }: Ctx`, `{ prisma: db }`, nested patterns):
   * the member of what the parameter is (its type, else where the callback goes); with no member
   * known, the default (`{ prisma = db }`), as the compiler infers it. Array patterns are not read.
   */
  private classifyBinding(element: TsMorph.ts.BindingElement, depth: number): Value | undefined {
    const ts = this.ts;
    if (depth > DEPTH || !ts.isObjectBindingPattern(element.parent)) return undefined;
    const property = element.propertyName ?? element.name;
    const key = ts.isIdentifier(property) || ts.isStringLiteral(property) ? property.text : undefined;
    if (key === undefined) return undefined;
    const holder = element.parent.parent;
    let whole: Value | undefined;
    if (ts.isParameter(holder)) whole = holder.type ? this.classifyType(holder.type, depth + 1) : this.classifyCallbackParameter(holder, depth + 1);
    else if (ts.isBindingElement(holder)) whole = this.classifyBinding(holder, depth + 1);
    const member = whole ? this.memberOf(whole, key) : undefined;
    return member ?? (element.initializer ? this.classify(element.initializer, depth + 1) : undefined);
  }

  /** Member `name` of a value: known now for a shape, later for a deferred value; a client has none. */
  private memberOf(value: Value, name: string): Value | undefined {
    if (value.type === 'shape') return value.members[name];
    return isDeferred(value) ? { type: 'prop', of: value, name } : undefined;
  }

  /**
   * A callback's parameter typed by where the callback goes: `prisma.$transaction(async (tx) => ..)`,
   * `sql.begin(async (sql) => ..)` (the first parameter is a client of the same kind), or the
   * declared parameter type of a function it is passed to (`$transaction(prisma, async (tx) => ..)`).
   */
  private classifyCallbackParameter(param: TsMorph.ts.ParameterDeclaration, depth: number): Value | undefined {
    const ts = this.ts;
    const fn = param.parent;
    if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
    const call = fn.parent;
    if (!ts.isCallExpression(call)) return undefined;
    const argIndex = call.arguments.indexOf(fn);
    const paramIndex = fn.parameters.indexOf(param);
    const callee = this.unwrap(call.expression);
    if (ts.isIdentifier(callee) && argIndex >= 0) {
      const declaration = this.lookup(callee.text, callee);
      if (declaration?.kind === 'import' && !isLibraryModule(declaration.module!) && declaration.imported !== '*') {
        return { type: 'param', ref: { from: this.file, module: declaration.module!, name: declaration.imported! }, arg: argIndex, param: paramIndex };
      }
      if (declaration?.kind === 'function' && ts.isFunctionDeclaration(declaration.node)) {
        return this.callbackParameters(this.overloads(declaration.node), depth)[argIndex]?.[paramIndex];
      }
    }
    if (paramIndex !== 0 || !ts.isPropertyAccessExpression(callee)) return undefined;
    const owner = this.classify(callee.expression, depth + 1);
    const method = callee.name.text;
    // An imported client (`prisma` from './client.js'): the callback gets the same kind, checked when it resolves.
    if (isDeferred(owner)) return method === '$transaction' || method === 'begin' || method === 'transaction' ? (owner.type === 'import' && owner.called ? undefined : owner) : undefined;
    if (!isClient(owner)) return undefined;
    return CALLBACK_CLIENTS[owner.type]?.has(method) ? ({ type: owner.type } as Client) : undefined;
  }

  /** The declarations of a function with its overloads (`function f(a: A); function f(b: B); function f(x) {..}`). */
  overloads(fn: TsMorph.ts.FunctionDeclaration): TsMorph.ts.FunctionDeclaration[] {
    const ts = this.ts;
    const name = fn.name?.text;
    const container = fn.parent;
    if (name === undefined || !container || !(ts.isSourceFile(container) || ts.isBlock(container) || ts.isModuleBlock(container))) return [fn];
    return container.statements.filter((s): s is TsMorph.ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === name);
  }

  /** Per argument position, per callback parameter: what the declared function types of the parameters say (overloads merged). */
  callbackParameters(declarations: readonly TsMorph.ts.SignatureDeclarationBase[], depth = 0): Record<number, Record<number, Value>> {
    const ts = this.ts;
    const result: Record<number, Record<number, Value>> = {};
    for (const declaration of declarations) {
      declaration.parameters.forEach((parameter, argIndex) => {
        const types = parameter.type && ts.isUnionTypeNode(parameter.type) ? parameter.type.types : parameter.type ? [parameter.type] : [];
        for (const type of types) {
          const fnType = ts.isParenthesizedTypeNode(type) ? type.type : type;
          if (!ts.isFunctionTypeNode(fnType)) continue;
          fnType.parameters.forEach((inner, paramIndex) => {
            const value = inner.type ? this.classifyType(inner.type, depth + 1) : undefined;
            if (!value) return;
            result[argIndex] ??= {};
            result[argIndex]![paramIndex] ??= value;
          });
        }
      });
    }
    return result;
  }

  /**
   * A generic wrapper's result: `function singleton<T>(name: string, make: () => T): T` returns what
   * calling its argument 1 returns; `function id<T>(x: T): T` returns its argument 0.
   */
  returnsArgument(fn: TsMorph.ts.SignatureDeclarationBase): { index: number; call: boolean } | undefined {
    const ts = this.ts;
    const typeParameters = new Set((fn.typeParameters ?? []).map((t) => t.name.text));
    const typeParameterOf = (type: TsMorph.ts.TypeNode | undefined): string | undefined => {
      if (!type || !ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return undefined;
      if (type.typeName.text === 'Promise' && type.typeArguments?.[0]) return typeParameterOf(type.typeArguments[0]);
      return typeParameters.has(type.typeName.text) && !type.typeArguments ? type.typeName.text : undefined;
    };
    const returned = typeParameterOf(fn.type);
    if (returned === undefined) return undefined;
    for (const [index, parameter] of fn.parameters.entries()) {
      if (typeParameterOf(parameter.type) === returned) return { index, call: false };
      const type = parameter.type;
      if (type && ts.isFunctionTypeNode(type) && typeParameterOf(type.type) === returned) return { index, call: true };
    }
    return undefined;
  }

  /** The members a class's instances have, as far as its declaration shows, and its base class when imported. */
  classMembers(cls: TsMorph.ts.ClassLikeDeclaration, depth = 0): { members: Record<string, Value>; base?: Value } {
    const ts = this.ts;
    const members: Record<string, Value> = {};
    const names = new Set<string>();
    for (const member of cls.members) {
      if (ts.isPropertyDeclaration(member) && (ts.isIdentifier(member.name) || ts.isPrivateIdentifier(member.name))) names.add(member.name.text);
      if (ts.isConstructorDeclaration(member)) for (const param of member.parameters) if (ts.isIdentifier(param.name) && ts.getModifiers(param)?.length) names.add(param.name.text);
    }
    for (const name of names) {
      const value = this.ownMember(cls, name, depth);
      if (value) members[name] = value;
    }
    let base: Value | undefined;
    const baseNode = depth < DEPTH ? this.baseClass(cls) : undefined;
    if (baseNode && 'cls' in baseNode) {
      const inherited = this.classMembers(baseNode.cls, depth + 1);
      for (const [name, value] of Object.entries(inherited.members)) members[name] ??= value;
      base = inherited.base;
    } else if (baseNode) base = baseNode.value;
    return base ? { members, base } : { members };
  }

  /** `extends X`: a class of this file, or the imported class as a value; undefined otherwise. */
  private baseClass(cls: TsMorph.ts.ClassLikeDeclaration): { cls: TsMorph.ts.ClassLikeDeclaration } | { value: Value } | undefined {
    const ts = this.ts;
    const clause = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
    const expr = clause?.types[0]?.expression;
    if (!expr || !ts.isIdentifier(expr)) return undefined;
    const declaration = this.lookup(expr.text, expr);
    if (declaration?.kind === 'function' && ts.isClassLike(declaration.node) && declaration.node !== cls) return { cls: declaration.node };
    if (declaration?.kind === 'import' && !isLibraryModule(declaration.module!) && declaration.imported !== '*') {
      return { value: { type: 'import', ref: { from: this.file, module: declaration.module!, name: declaration.imported! }, called: false } };
    }
    if (declaration?.kind === 'import') {
      // `class Db extends PrismaClient` of a library: its instances are the library's client.
      const own = libraryConstruct(declaration.module!, declaration.imported === '*' ? 'default' : declaration.imported!);
      if (own) return { value: own };
    }
    return undefined;
  }

  /** A member declared by the class itself: a property (initializer, else type), a constructor parameter property, or `this.x = ..` in the constructor. */
  private ownMember(cls: TsMorph.ts.ClassLikeDeclaration, name: string, depth: number): Value | undefined {
    const ts = this.ts;
    for (const member of cls.members) {
      if (ts.isPropertyDeclaration(member) && (ts.isIdentifier(member.name) || ts.isPrivateIdentifier(member.name)) && member.name.text === name) {
        const value = (member.initializer ? this.classify(member.initializer, depth + 1) : undefined) ?? (member.type ? this.classifyType(member.type, depth + 1) : undefined);
        if (value) return value;
      }
    }
    for (const member of cls.members) {
      if (!ts.isConstructorDeclaration(member)) continue;
      for (const param of member.parameters) {
        if (ts.isIdentifier(param.name) && param.name.text === name && param.type) {
          const typed = this.classifyType(param.type, depth + 1);
          if (typed) return typed;
        }
      }
      // `this.pool = new Pool(..)`, `this.#prisma = prisma` in the constructor.
      for (const statement of member.body?.statements ?? []) {
        if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression) || statement.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
        const left = statement.expression.left;
        if (ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword && left.name.text === name) {
          const value = this.classify(statement.expression.right, depth + 1);
          if (value) return value;
        }
      }
    }
    return undefined;
  }

  /** `this.pool`: a member of the enclosing class, or inherited from its base class (here or imported). */
  private classifyThisMember(node: TsMorph.ts.PropertyAccessExpression, depth: number): Value | undefined {
    const ts = this.ts;
    let cls: Node | undefined = node.parent;
    while (cls && !ts.isClassLike(cls)) cls = cls.parent;
    if (!cls || !ts.isClassLike(cls)) return undefined;
    const name = node.name.text;
    let current: TsMorph.ts.ClassLikeDeclaration = cls;
    for (let level = 0; level < DEPTH; level++) {
      const own = this.ownMember(current, name, depth);
      if (own) return own;
      const base = this.baseClass(current);
      if (!base) return undefined;
      if ('value' in base) {
        // A library class as base (`extends PrismaClient`): `this.user` is no client of its own.
        return base.value.type === 'import' ? { type: 'member', ref: base.value.ref, name } : undefined;
      }
      current = base.cls;
    }
    return undefined;
  }

  /**
   * What a type annotation says a value is: a client type of its library (`pg.Pool`, `PrismaClient`,
   * `Promise<Pool>`, `Omit<PrismaClient, ..>`), a union holding one, a type alias or interface of this
   * file, an object type's members, or an imported name resolved later.
   */
  classifyType(type: TsMorph.ts.TypeNode, depth = 0): Value | undefined {
    if (depth > DEPTH) return undefined;
    const ts = this.ts;
    if (ts.isParenthesizedTypeNode(type)) return this.classifyType(type.type, depth + 1);
    if (ts.isUnionTypeNode(type) || ts.isIntersectionTypeNode(type)) return either(type.types.map((member) => this.classifyType(member, depth + 1)));
    if (ts.isTypeLiteralNode(type)) return this.shapeOf(type.members, depth);
    if (ts.isIndexedAccessTypeNode(type)) {
      // `Options["prisma"]`: the member's type, of an object type, interface or imported type.
      const index = type.indexType;
      if (!ts.isLiteralTypeNode(index) || !ts.isStringLiteral(index.literal)) return undefined;
      const whole = this.classifyType(type.objectType, depth + 1);
      return whole ? this.memberOf(whole, index.literal.text) : undefined;
    }
    if (!ts.isTypeReferenceNode(type)) return undefined;
    const typeName = type.typeName;
    let module: string | undefined;
    let name: string;
    if (ts.isIdentifier(typeName)) {
      name = typeName.text;
      if (WRAPPER_TYPES.has(name) && type.typeArguments?.[0] && this.lookup(name, type) === undefined) return this.classifyType(type.typeArguments[0], depth + 1);
      const declaration = this.lookup(name, type);
      if (declaration?.kind === 'import') {
        module = declaration.module;
        if (!isLibraryModule(module!)) return declaration.imported === '*' ? undefined : { type: 'typed', ref: { from: this.file, module: module!, name: declaration.imported! } };
        name = declaration.imported === 'default' || declaration.imported === '*' ? name : declaration.imported!;
      } else if (declaration?.kind === 'type') {
        const node = declaration.node;
        if (ts.isTypeAliasDeclaration(node)) return this.classifyType(node.type, depth + 1);
        if (ts.isInterfaceDeclaration(node)) return this.shapeOf(node.members, depth);
        return undefined;
      } else if (declaration?.kind === 'function' && ts.isClassLike(declaration.node)) {
        return { type: 'shape', members: this.classMembers(declaration.node, depth + 1).members };
      }
    } else {
      name = typeName.right.text;
      const left = typeName.left;
      if (ts.isIdentifier(left)) {
        const declaration = this.lookup(left.text, type);
        // `pg.Pool`, `Prisma.TransactionClient` (the `Prisma` namespace is a named import of @prisma/client).
        if (declaration?.kind === 'import') module = declaration.module;
        if (declaration?.kind === 'import' && declaration.imported === '*' && !isLibraryModule(module!)) return { type: 'typed', ref: { from: this.file, module: module!, name } };
      }
    }
    if (module === undefined) return undefined;
    return libraryType(module, name);
  }

  /** The members of an object type or interface whose types say something. */
  shapeOf(members: TsMorph.ts.NodeArray<TsMorph.ts.TypeElement>, depth: number): Shape | undefined {
    const ts = this.ts;
    const result: Record<string, Value> = {};
    for (const member of members) {
      if (!ts.isPropertySignature(member) || !member.type || !(ts.isIdentifier(member.name) || ts.isStringLiteral(member.name))) continue;
      const value = this.classifyType(member.type, depth + 1);
      if (value) result[member.name.text] = value;
    }
    return Object.keys(result).length > 0 ? { type: 'shape', members: result } : undefined;
  }

  private classifyNew(node: TsMorph.ts.NewExpression, depth: number): Value | undefined {
    const ts = this.ts;
    const target = this.importedName(node.expression);
    const arg0 = node.arguments?.[0];
    if (target) {
      const { module, name } = target;
      if (module === 'bullmq' && name === 'Queue') return { type: 'queue', name: arg0 ? this.names(arg0) : { values: [], refs: [], templated: false } };
      const made = libraryConstruct(module, name);
      if (made) return made;
    }
    // `new proto.nova.user.v1.UserService(addr, creds)` below `grpc.loadPackageDefinition(..)`.
    const callee = this.classify(node.expression, depth);
    if (callee?.type === 'grpc-package' && callee.path.length > 0) {
      return { type: 'grpc-client', name: callee.path[callee.path.length - 1]!, full: callee.path.join('.') };
    }
    const callee0 = this.unwrap(node.expression);
    if (ts.isIdentifier(callee0)) {
      const declaration = this.lookup(callee0.text, callee0);
      const imported = declaration?.kind === 'import' ? declaration.imported! : undefined;
      // A class of the repository, or a library class re-exported by a workspace package (`PrismaClient`): resolved later.
      // Else `new UserServiceClient(addr, creds)` is taken for a generated gRPC client (ts-proto, grpc-tools), by name.
      if (imported && imported !== '*' && !isLibraryModule(declaration!.module!)) {
        const grpc = /^[A-Z]\w*Client$/.test(imported) ? imported.slice(0, -'Client'.length) : undefined;
        return { type: 'new', ref: { from: this.file, module: declaration!.module!, name: imported }, ...(grpc !== undefined ? { grpc } : {}) };
      }
      if (declaration?.kind === 'function' && ts.isClassLike(declaration.node)) {
        const { members, base } = this.classMembers(declaration.node, depth + 1);
        if (base && isClient(base)) return base;
        return { type: 'shape', members };
      }
    }
    return undefined;
  }

  /** What calling a function of this file returns: its declared return type, else its single returned value. */
  private returnsOf(fn: Node, depth: number): Value | undefined {
    const ts = this.ts;
    if (depth > DEPTH) return undefined;
    if (ts.isFunctionDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) {
      if (fn.type) return this.classifyType(fn.type, depth + 1);
      if (ts.isArrowFunction(fn) && !ts.isBlock(fn.body)) return this.classify(fn.body, depth + 1);
      if (fn.body && ts.isBlock(fn.body)) {
        const returns = fn.body.statements.filter(ts.isReturnStatement);
        if (returns.length === 1 && returns[0]!.expression) return this.classify(returns[0]!.expression, depth + 1);
      }
      return undefined;
    }
    if (ts.isVariableDeclaration(fn) && fn.initializer) {
      const init = this.unwrap(fn.initializer);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return this.returnsOf(init, depth + 1);
    }
    return undefined;
  }

  /** An argument as a generic wrapper may use it: its value, and what calling it returns. */
  private callArg(arg: Expression, depth: number): CallArg {
    const ts = this.ts;
    const node = this.unwrap(arg);
    const result: CallArg = {};
    if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
      const returns = this.returnsOf(node, depth);
      if (returns) result.returns = returns;
      return result;
    }
    if (ts.isIdentifier(node)) {
      const declaration = this.lookup(node.text, node);
      if (declaration && (declaration.kind === 'function' || declaration.kind === 'var')) {
        const returns = this.returnsOf(declaration.node, depth);
        if (returns) result.returns = returns;
      }
    }
    const value = this.classify(node, depth + 1);
    if (value) result.value = value;
    return result;
  }

  private classifyCall(node: TsMorph.ts.CallExpression, depth: number): Value | undefined {
    const ts = this.ts;
    const target = this.importedName(node.expression);
    const arg0 = node.arguments[0];
    if (target) {
      const { module, name } = target;
      if (module === 'postgres' && name === 'default') return { type: 'postgres' };
      if (module === 'slonik' && name === 'createPool') return { type: 'slonik' };
      if (module === 'knex' && (name === 'default' || name === 'knex')) return { type: 'knex' };
      if (module === '@clickhouse/client' && (name === 'createClient' || name === 'default')) return { type: 'clickhouse' };
      if (module === '@grpc/grpc-js' && name === 'loadPackageDefinition') return { type: 'grpc-package', path: [] };
      if ((module === '@connectrpc/connect' || module === '@bufbuild/connect') && (name === 'createClient' || name === 'createPromiseClient') && arg0) {
        const service = this.unwrap(arg0);
        const serviceName = ts.isIdentifier(service) ? this.importedAs(service) : ts.isPropertyAccessExpression(service) ? service.name.text : undefined;
        if (serviceName) return { type: 'grpc-client', name: serviceName };
      }
      if (module === 'axios' && name === 'create') return { type: 'http', lib: 'axios', base: arg0 ? this.objectUrl(arg0, ['baseURL']) : [] };
      if ((module === 'got' && name === 'extend') || (module === 'ky' && (name === 'create' || name === 'extend'))) {
        return { type: 'http', lib: module, base: arg0 ? this.objectUrl(arg0, ['prefixUrl']) : [] };
      }
    }
    const callee = this.unwrap(node.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const owner = this.classify(callee.expression, depth + 1);
      const method = callee.name.text;
      if (isClient(owner)) {
        if (owner.type === 'pg' && method === 'connect') return { type: 'pg' };
        if (owner.type === 'kafka' && method === 'producer') return { type: 'kafka-producer' };
        if (owner.type === 'kafka' && method === 'consumer') return { type: 'kafka-consumer' };
        if (owner.type === 'prisma' && method === '$extends') return { type: 'prisma' };
        if (owner.type === 'http' && (method === 'create' || method === 'extend')) {
          return { type: 'http', lib: owner.lib, base: [...owner.base, ...(arg0 ? this.objectUrl(arg0, owner.lib === 'axios' ? ['baseURL'] : ['prefixUrl']) : [])] };
        }
      }
      // `db.createPool()` with `db` a namespace import: the module's exported function.
      if (owner?.type === 'import' && !owner.called && owner.ref.name === '*') return { type: 'import', ref: { ...owner.ref, name: method }, called: true };
    }
    if (ts.isIdentifier(callee)) {
      const declaration = this.lookup(callee.text, callee);
      if (declaration?.kind === 'import' && !isLibraryModule(declaration.module!)) {
        const args = node.arguments.length > 0 && depth < DEPTH ? node.arguments.map((a) => this.callArg(a, depth + 1)) : undefined;
        const value: Value = { type: 'import', ref: { from: this.file, module: declaration.module!, name: declaration.imported === '*' ? 'default' : declaration.imported! }, called: true };
        return args && args.some((a) => a.value || a.returns) ? { ...value, args } : value;
      }
      const fn = declaration?.node;
      if (fn && ts.isFunctionDeclaration(fn)) {
        // A local generic wrapper: `singleton('x', () => new Pool())`.
        const passes = this.returnsArgument(fn);
        const arg = passes ? node.arguments[passes.index] : undefined;
        if (passes && arg) {
          const { value, returns } = this.callArg(arg, depth + 1);
          const result = passes.call ? returns : value;
          if (result) return result;
        }
      }
      // A local factory with a declared return type or a single returned value: `function createPool(): Pool { .. }`.
      if (fn) return this.returnsOf(fn, depth + 1);
    }
    return undefined;
  }

  /** The name an identifier was imported as (`UserService`), or its own name when local. */
  private importedAs(node: TsMorph.ts.Identifier): string {
    const declaration = this.lookup(node.text, node);
    return declaration?.kind === 'import' && declaration.imported !== '*' && declaration.imported !== 'default' ? declaration.imported! : node.text;
  }

  /** A property of an object literal (directly or through a const). */
  property(expr: Expression, names: readonly string[], depth = 0): Expression | undefined {
    const ts = this.ts;
    const node = this.unwrap(expr);
    if (ts.isIdentifier(node) && depth < DEPTH) {
      const declaration = this.lookup(node.text, node);
      if (declaration?.kind === 'var' && ts.isVariableDeclaration(declaration.node) && declaration.node.initializer) return this.property(declaration.node.initializer, names, depth + 1);
      return undefined;
    }
    if (!ts.isObjectLiteralExpression(node)) return undefined;
    for (const prop of node.properties) {
      if (ts.isPropertyAssignment(prop) && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name)) && names.includes(prop.name.text)) return prop.initializer;
      if (ts.isShorthandPropertyAssignment(prop) && names.includes(prop.name.text)) return prop.name;
    }
    return undefined;
  }

  private objectUrl(expr: Expression, names: readonly string[]): UrlSource[] {
    const value = this.property(expr, names);
    return value ? this.urlSources(value) : [];
  }

  // ------------------------------------------------------------------------------------------
  // Strings
  // ------------------------------------------------------------------------------------------

  /** The text of an expression as far as the file shows it: literals, templates, `+`, consts, imported consts. */
  str(expr: Expression, depth = 0): StrPart[] {
    const ts = this.ts;
    const node = this.unwrap(expr);
    if (depth > DEPTH) return [{ kind: 'dynamic' }];
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [{ kind: 'text', value: node.text, location: this.location(node) }];
    if (ts.isNumericLiteral(node)) return [{ kind: 'text', value: node.text }];
    if (ts.isTemplateExpression(node)) {
      const parts: StrPart[] = [{ kind: 'text', value: node.head.text, location: this.location(node) }];
      for (const span of node.templateSpans) {
        parts.push(...this.str(span.expression, depth + 1));
        parts.push({ kind: 'text', value: span.literal.text });
      }
      return parts;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return [...this.str(node.left, depth + 1), ...this.str(node.right, depth + 1)];
    if (ts.isIdentifier(node)) {
      const declaration = this.lookup(node.text, node);
      if (declaration?.kind === 'var' && declaration.isConst && ts.isVariableDeclaration(declaration.node) && declaration.node.initializer) return this.str(declaration.node.initializer, depth + 1);
      if (declaration?.kind === 'import' && !isLibraryModule(declaration.module!) && declaration.imported !== '*') {
        return [{ kind: 'ref', ref: { from: this.file, module: declaration.module!, name: declaration.imported! } }];
      }
      return [{ kind: 'dynamic' }];
    }
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      const declaration = this.lookup(node.expression.text, node);
      if (declaration?.kind === 'import' && declaration.imported === '*' && !isLibraryModule(declaration.module!)) {
        return [{ kind: 'ref', ref: { from: this.file, module: declaration.module!, name: node.name.text } }];
      }
      // `QUERIES.byId`: a property of a const object literal.
      const value = this.property(node.expression, [node.name.text]);
      if (value) return this.str(value, depth + 1);
    }
    return [{ kind: 'dynamic' }];
  }

  /** Where a URL comes from: env vars, config fields, URL literals, imported consts. */
  urlSources(expr: Expression, depth = 0): UrlSource[] {
    const ts = this.ts;
    const node = this.unwrap(expr);
    if (depth > DEPTH) return [];
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [{ kind: 'url', value: node.text, location: this.location(node) }];
    if (ts.isTemplateExpression(node)) {
      // The base is the head (`http://user-service:8080/users/${id}`) or the first substitution (`${base}/users`).
      if (node.head.text !== '') return [{ kind: 'url', value: node.head.text, location: this.location(node) }];
      return this.urlSources(node.templateSpans[0]!.expression, depth + 1);
    }
    if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      if (op === ts.SyntaxKind.PlusToken) return this.urlSources(node.left, depth + 1);
      if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken) return [...this.urlSources(node.left, depth + 1), ...this.urlSources(node.right, depth + 1)];
      return [];
    }
    if (ts.isConditionalExpression(node)) return [...this.urlSources(node.whenTrue, depth + 1), ...this.urlSources(node.whenFalse, depth + 1)];
    const env = this.envName(node);
    // Located at the variable's name (`USER_SERVICE_URL` after `env.`), as a Rust env var's string is.
    if (env !== undefined) return [{ kind: 'env', name: env, location: this.location(ts.isPropertyAccessExpression(node) ? node.name : (node as TsMorph.ts.ElementAccessExpression).argumentExpression) }];
    if (ts.isIdentifier(node)) {
      const declaration = this.lookup(node.text, node);
      if (declaration?.kind === 'var' && ts.isVariableDeclaration(declaration.node) && declaration.node.initializer) return this.urlSources(declaration.node.initializer, depth + 1);
      if (declaration?.kind === 'var' && ts.isBindingElement(declaration.node)) return [{ kind: 'field', name: node.text, location: this.location(node) }];
      if (declaration?.kind === 'import' && !isLibraryModule(declaration.module!) && declaration.imported !== '*') {
        return [{ kind: 'ref', ref: { from: this.file, module: declaration.module!, name: declaration.imported! } }];
      }
      return [];
    }
    if (ts.isPropertyAccessExpression(node)) {
      // `config.userServiceUrl`, `this.settings.userServiceUrl`: the field names the service; a const object literal's value too.
      const value = this.property(node.expression, [node.name.text]);
      return [{ kind: 'field', name: node.name.text, location: this.location(node.name) }, ...(value ? this.urlSources(value, depth + 1) : [])];
    }
    if (ts.isNewExpression(node) && this.importedName(node.expression) === undefined && ts.isIdentifier(node.expression) && node.expression.text === 'URL') {
      // `new URL('/users', base)`: the base names the host.
      const [path, base] = node.arguments ?? [];
      return [...(base ? this.urlSources(base, depth + 1) : []), ...(path ? this.urlSources(path, depth + 1) : [])];
    }
    if (ts.isCallExpression(node)) {
      // `env('USER_SERVICE_URL')`, `config.get('USER_SERVICE_URL')`: a setting read by name.
      const callee = node.expression.getText(this.source);
      const arg = node.arguments[0];
      if (/env|conf|setting/i.test(callee) && arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg))) return [{ kind: 'env', name: arg.text, location: this.location(arg) }];
    }
    return [];
  }

  /** An env var read (`env.X` or `env['X']` on Node's process object, `import.meta.env.X`): the variable name. */
  envName(node: Expression): string | undefined {
    const ts = this.ts;
    const base = ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) ? node.expression : undefined;
    if (!base || !ts.isPropertyAccessExpression(base) || base.name.text !== 'env') return undefined;
    const owner = base.expression;
    if (!((ts.isIdentifier(owner) && owner.text === 'process' && this.lookup('process', owner) === undefined) || ts.isMetaProperty(owner))) return undefined;
    if (ts.isPropertyAccessExpression(node)) return node.name.text;
    const arg = (node as TsMorph.ts.ElementAccessExpression).argumentExpression;
    return ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg) ? arg.text : undefined;
  }

  /** Candidate names of a topic or queue: literals, consts, an env var's default (`env.X ?? 'x'`), array elements. */
  names(expr: Expression, depth = 0): NameCandidates {
    const ts = this.ts;
    const node = this.unwrap(expr);
    const result: NameCandidates = { values: [], refs: [], templated: false };
    if (depth > DEPTH) return result;
    const merge = (other: NameCandidates): void => {
      result.values.push(...other.values);
      result.refs.push(...other.refs);
      result.templated ||= other.templated;
    };
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) result.values.push({ value: node.text, location: this.location(node) });
    else if (ts.isTemplateExpression(node)) result.templated = true;
    else if (ts.isArrayLiteralExpression(node)) for (const element of node.elements) merge(this.names(element, depth + 1));
    else if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      merge(this.names(node.left, depth + 1));
      merge(this.names(node.right, depth + 1));
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) result.templated = true;
    else if (ts.isIdentifier(node)) {
      const declaration = this.lookup(node.text, node);
      if (declaration?.kind === 'var' && ts.isVariableDeclaration(declaration.node) && declaration.node.initializer) merge(this.names(declaration.node.initializer, depth + 1));
      else if (declaration?.kind === 'import' && !isLibraryModule(declaration.module!) && declaration.imported !== '*') result.refs.push({ from: this.file, module: declaration.module!, name: declaration.imported! });
    } else if (ts.isPropertyAccessExpression(node) && this.envName(node) === undefined) {
      if (ts.isIdentifier(node.expression)) {
        const declaration = this.lookup(node.expression.text, node);
        if (declaration?.kind === 'import' && declaration.imported === '*' && !isLibraryModule(declaration.module!)) {
          result.refs.push({ from: this.file, module: declaration.module!, name: node.name.text });
          return result;
        }
      }
      const value = this.property(node.expression, [node.name.text]);
      if (value) merge(this.names(value, depth + 1));
    }
    return result;
  }
}
