import type * as TsMorph from 'ts-morph';
import type { Location } from '../types.js';
import { DYNAMIC_PLACEHOLDER } from '../rust/index.js';
import { isDeferred, isLibraryModule, type Client, type FileContext, type ImportRef, type NameCandidates, type StrPart, type Value } from './file-context.js';

type Expression = TsMorph.ts.Expression;

/** How one receiver type runs the call: the sink name, the statement text, or the tables a ClickHouse insert writes. */
export interface SqlVariant {
  sink: string;
  /** The statement's parts; absent when nothing of it is known (a runtime value). */
  text?: StrPart[];
  /** `client.insert({ table: 'x' })` (ClickHouse): written tables, no statement text. */
  insertTable?: NameCandidates;
}

/** A call or tagged template that runs SQL when its receiver is (or resolves to) one of the variants' client types. */
export interface SqlCandidate {
  /** The receiver; absent when the construct itself is a SQL sink (a postgres.js or slonik `sql` tag): then the `postgres` variant applies. */
  receiver?: Value;
  variants: Partial<Record<Client['type'], SqlVariant>>;
  location: Location;
}

/** pg / postgres.js / slonik / Prisma read the text the same way: PostgreSQL unless the Prisma provider says otherwise. */
const SLONIK_QUERY_TAGS = new Set(['unsafe', 'type', 'typeAlias']);
const CLICKHOUSE_METHODS = new Set(['query', 'command', 'exec']);

/**
 * The family of a SQL tag: `postgres` (a postgres.js `sql` instance), `slonik` (the `sql` tag of
 * slonik, its `unsafe`, `type(T)` and `typeAlias(..)` forms), `prisma-sql` (`Prisma.sql`), or a
 * Prisma client's `$queryRaw`/`$executeRaw` (the receiver decides).
 */
function tagFamily(ctx: FileContext, tag: Expression): { family: 'postgres' | 'slonik' | 'prisma-sql' } | { family: 'prisma-raw'; receiver: Value; method: string } | undefined {
  const ts = ctx.ts;
  let node = ctx.unwrap(tag);
  // `sql.type(User)` and `sql.typeAlias('user')` are calls returning the tag.
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && (node.expression.name.text === 'type' || node.expression.name.text === 'typeAlias')) node = node.expression;
  if (ts.isPropertyAccessExpression(node)) {
    const member = node.name.text;
    if (member === '$queryRaw' || member === '$executeRaw') {
      const receiver = ctx.classify(node.expression);
      return receiver ? { family: 'prisma-raw', receiver, method: member } : undefined;
    }
    const imported = ctx.importedName(node.expression);
    if (imported?.module === 'slonik' && imported.name === 'sql' && SLONIK_QUERY_TAGS.has(member)) return { family: 'slonik' };
    if (imported?.module === '@prisma/client' && member === 'sql') return { family: 'prisma-sql' };
    return undefined;
  }
  if (ts.isIdentifier(node)) {
    const imported = ctx.importedName(node);
    if (imported?.module === 'slonik' && imported.name === 'sql') return { family: 'slonik' };
    const value = ctx.classify(node);
    if (value?.type === 'postgres') return { family: 'postgres' };
  }
  return undefined;
}

/** Parts of a tagged SQL template: substitutions are bind parameters, nested fragments inline, identifiers runtime values. */
export function templateParts(ctx: FileContext, template: TsMorph.ts.TemplateLiteral, depth = 0): StrPart[] {
  const ts = ctx.ts;
  if (ts.isNoSubstitutionTemplateLiteral(template)) return [{ kind: 'text', value: template.text, location: ctx.location(template) }];
  const parts: StrPart[] = [{ kind: 'text', value: template.head.text, location: ctx.location(template) }];
  for (const span of template.templateSpans) {
    parts.push(...substitution(ctx, span.expression, depth));
    parts.push({ kind: 'text', value: span.literal.text });
  }
  return parts;
}

function substitution(ctx: FileContext, expr: Expression, depth: number): StrPart[] {
  return fragmentOf(ctx, expr, depth) ?? [{ kind: 'param' }];
}

/**
 * `X` of `X.sql`/`X.raw(..)`/`X.empty`/`X.join(..)` when it may be Prisma's namespace: imported
 * from '@prisma/client' (`true`), or a name imported from the repository (a workspace package may
 * re-export '@prisma/client'; the unit-level model decides).
 */
function prismaNamespace(ctx: FileContext, expr: Expression): true | ImportRef | undefined {
  const ts = ctx.ts;
  const node = ctx.unwrap(expr);
  if (!ts.isIdentifier(node)) return undefined;
  const declaration = ctx.lookup(node.text, node);
  if (declaration?.kind !== 'import') return undefined;
  if (declaration.module === '@prisma/client') return true;
  if (isLibraryModule(declaration.module!) || declaration.imported === '*') return undefined;
  return { from: ctx.file, module: declaration.module!, name: declaration.imported! };
}

/** Parts of a Prisma fragment, kept conditional when the namespace is only known once other files are read. */
function prismaParts(ns: true | ImportRef, parts: StrPart[]): StrPart[] {
  return ns === true ? parts : [{ kind: 'prisma', ns, parts }];
}

/** A part of a Prisma raw text: literal text (located at the statement, not here), or a runtime value marked as raw. */
function rawPart(part: StrPart): StrPart {
  if (part.kind === 'text') return { kind: 'text', value: part.value };
  return part.kind === 'dynamic' ? { kind: 'dynamic', prismaRaw: true } : part;
}

/** Whether a fragment holds no text at all (`Prisma.empty`, `sql```). */
function isEmpty(parts: readonly StrPart[]): boolean {
  return parts.every((p) => (p.kind === 'text' && p.value.trim() === '') || (p.kind === 'prisma' && isEmpty(p.parts)));
}

/**
 * The parts of a substitution that is SQL text rather than a value: a nested fragment
 * (`${sql`AND x = ${y}`}`, `${Prisma.sql`..`}`), a raw or identifier value (`Prisma.raw(x)`,
 * postgres.js `sql(x)`, slonik `sql.identifier`), `Prisma.empty`, a const (of the file or
 * imported) holding one, or a conditional between fragments. Undefined for a plain value: it is a
 * bind parameter.
 */
export function fragmentOf(ctx: FileContext, expr: Expression, depth = 0): StrPart[] | undefined {
  const ts = ctx.ts;
  const node = ctx.unwrap(expr);
  if (depth > 4) return undefined;
  if (ts.isTaggedTemplateExpression(node)) {
    if (tagFamily(ctx, node.tag)) return templateParts(ctx, node.template, depth + 1);
    const tag = ctx.unwrap(node.tag);
    const ns = ts.isPropertyAccessExpression(tag) && tag.name.text === 'sql' ? prismaNamespace(ctx, tag.expression) : undefined;
    return ns ? prismaParts(ns, templateParts(ctx, node.template, depth + 1)) : undefined;
  }
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'empty') {
    const ns = prismaNamespace(ctx, node.expression);
    return ns ? prismaParts(ns, []) : undefined;
  }
  if (ts.isCallExpression(node)) {
    const callee = ctx.unwrap(node.expression);
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
    const owner = ts.isPropertyAccessExpression(callee) ? callee.expression : callee;
    const arg = node.arguments[0];
    const ns = ts.isPropertyAccessExpression(callee) ? prismaNamespace(ctx, owner) : undefined;
    if (ns && name === 'raw' && arg) {
      // `Prisma.raw(x)`: text, known when `x` is (a literal, a const), else a runtime value.
      return prismaParts(ns, ctx.str(arg).map(rawPart));
    }
    if (ns && name === 'sql' && arg) {
      // `Prisma.sql(strings, ...values)`: the strings are text, the values parameters.
      const strings = ctx.unwrap(arg);
      if (!ts.isArrayLiteralExpression(strings)) return prismaParts(ns, [{ kind: 'dynamic', prismaRaw: true }]);
      const parts: StrPart[] = [];
      strings.elements.forEach((element, i) => {
        if (i > 0) parts.push({ kind: 'param' });
        parts.push(...ctx.str(element).map(rawPart));
      });
      return prismaParts(ns, parts);
    }
    // `Prisma.join(values)`: a list of bind parameters.
    if (ns && name === 'join') return prismaParts(ns, [{ kind: 'param' }]);
    const family = tagFamily(ctx, owner);
    // postgres.js `sql(identifier)`, `sql.unsafe(x)`; slonik `sql.identifier([..])`: text chosen at run time.
    if ((family?.family === 'postgres' && (ts.isIdentifier(callee) || name === 'unsafe')) || (family?.family === 'slonik' && name === 'identifier')) {
      const text = arg && name !== 'identifier' && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) ? arg.text : undefined;
      return [text !== undefined ? { kind: 'text', value: text } : { kind: 'dynamic' }];
    }
    return undefined;
  }
  if (ts.isIdentifier(node)) {
    const declaration = ctx.lookup(node.text, node);
    if (declaration?.kind === 'var' && declaration.isConst && ts.isVariableDeclaration(declaration.node) && declaration.node.initializer) return fragmentOf(ctx, declaration.node.initializer, depth + 1);
    // An imported const: a fragment if the exporting file says so, else a parameter (decided once every file is read).
    if (declaration?.kind === 'import' && !isLibraryModule(declaration.module!) && declaration.imported !== '*') return [{ kind: 'fragment', ref: { from: ctx.file, module: declaration.module!, name: declaration.imported! } }];
    return undefined;
  }
  if (ts.isConditionalExpression(node)) {
    // `${flag ? Prisma.sql`AND ..` : Prisma.empty}`: the clause is read (a superset of the tables);
    // between two clauses, the first (the other's tables are not read).
    const whenTrue = fragmentOf(ctx, node.whenTrue, depth + 1);
    const whenFalse = fragmentOf(ctx, node.whenFalse, depth + 1);
    if (!whenTrue || !whenFalse) return undefined;
    return isEmpty(whenTrue) ? whenFalse : whenTrue;
  }
  return undefined;
}

/** SQL sites at this node: tagged templates of SQL tags, and calls of SQL methods on a receiver. */
export function collectSql(ctx: FileContext, node: TsMorph.ts.Node, knexBuilders = true): SqlCandidate | undefined {
  const ts = ctx.ts;
  if (ts.isTaggedTemplateExpression(node)) {
    const family = tagFamily(ctx, node.tag);
    if (!family || family.family === 'prisma-sql') return undefined;
    const text = templateParts(ctx, node.template);
    const location = ctx.location(node.template);
    if (family.family === 'prisma-raw') return { receiver: family.receiver, variants: { prisma: { sink: `prisma.${family.method}`, text } }, location };
    // The tag itself is the sink (a postgres.js instance or slonik's `sql`): both run PostgreSQL.
    return { variants: { postgres: { sink: family.family === 'postgres' ? 'postgres.js' : 'slonik.sql', text } }, location };
  }
  const builder = knexBuilders ? knexBuilder(ctx, node) : undefined;
  if (builder) return builder;
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return undefined;
  const method = node.expression.name.text;
  const arg0 = node.arguments[0];
  if (!arg0) return undefined;
  const variants: SqlCandidate['variants'] = {};
  const textOf = (expr: Expression): StrPart[] | undefined => {
    const parts = ctx.str(expr);
    return parts.some((p) => p.kind !== 'dynamic') ? parts : undefined;
  };
  const objectLiteral = ts.isObjectLiteralExpression(ctx.unwrap(arg0));
  if (method === 'query') {
    // pg: `query('..', params)` or `query({ text: '..', values })`.
    const text = objectLiteral ? ctx.property(arg0, ['text']) : arg0;
    variants.pg = { sink: 'pg.query', ...(text ? optionalText(textOf(text)) : {}) };
  }
  if (method === 'unsafe') variants.postgres = { sink: 'postgres.unsafe', ...optionalText(textOf(arg0)) };
  if (method === 'raw') variants.knex = { sink: 'knex.raw', ...optionalText(textOf(arg0)) };
  if (method === '$queryRawUnsafe' || method === '$executeRawUnsafe') variants.prisma = { sink: `prisma.${method}`, ...optionalText(textOf(arg0)) };
  if (method === '$queryRaw' || method === '$executeRaw') {
    // `$queryRaw(Prisma.sql`..`)`: the template's text, substitutions as parameters.
    // A fragment built in place (`Prisma.sql`..``, `Prisma.raw(..)`, also with a re-exported `Prisma`); else the text as a string.
    const inner = ctx.unwrap(arg0);
    const fragment = ts.isTaggedTemplateExpression(inner) || ts.isCallExpression(inner) ? fragmentOf(ctx, inner) : undefined;
    variants.prisma = { sink: `prisma.${method}`, ...optionalText(fragment ?? textOf(arg0)) };
  }
  if (CLICKHOUSE_METHODS.has(method) && objectLiteral) {
    const query = ctx.property(arg0, ['query']);
    if (query) variants.clickhouse = { sink: `clickhouse.${method}`, ...optionalText(textOf(query)) };
  }
  if (method === 'insert' && objectLiteral) {
    const table = ctx.property(arg0, ['table']);
    if (table) variants.clickhouse = { sink: 'clickhouse.insert', insertTable: ctx.names(table) };
  }
  if (Object.keys(variants).length === 0) return undefined;
  const receiver = ctx.classify(node.expression.expression);
  // An unknown receiver is never a SQL sink: `logger.query('SELECT ..')` is not a database call.
  if (!receiver) return undefined;
  const textLocation = firstTextLocation(Object.values(variants)) ?? ctx.location(arg0);
  return { receiver, variants, location: textLocation };
}

/** Methods that may start a knex query-builder chain on a knex instance (`db.from('t')`, `db.insert(..).into('t')`). */
const KNEX_CHAIN_STARTS = new Set(['select', 'from', 'table', 'into', 'insert', 'upsert', 'update', 'del', 'delete', 'truncate', 'where', 'first', 'count', 'pluck', 'distinct', 'increment', 'decrement']);
const KNEX_TABLE_METHODS = new Set(['from', 'table', 'into']);
const KNEX_JOIN = /^(?:join|innerJoin|leftJoin|leftOuterJoin|rightJoin|rightOuterJoin|fullOuterJoin|crossJoin)$/;

/**
 * A knex query-builder chain rooted at this call: `db('users').where(..).first()`,
 * `db.insert(..).into('stock')`, `db.from('invoices').update(..)`. It is read as the SQL it
 * builds, reduced to what tables and op it touches (`SELECT * FROM "users" JOIN "c" ON true`,
 * `UPDATE "t" SET ..`), so the statement analysis stays the single judge. Only a chain whose
 * receiver is (or resolves to) a knex instance counts; the table must be a string literal.
 */
function knexBuilder(ctx: FileContext, node: TsMorph.ts.Node): SqlCandidate | undefined {
  const ts = ctx.ts;
  if (!ts.isCallExpression(node)) return undefined;
  const callee = ctx.unwrap(node.expression);
  const isRootExpression = (e: Expression): boolean => ts.isIdentifier(e) || e.kind === ts.SyntaxKind.ThisKeyword || ts.isPropertyAccessExpression(e);
  const isKnex = (value: Value | undefined): value is Value => value !== undefined && (value.type === 'knex' || isDeferred(value));
  const methods: { name: string; args: readonly Expression[] }[] = [];
  let receiver: Value | undefined;
  let table: string | undefined;
  const literal = (e: Expression | undefined): string | undefined => {
    const inner = e ? ctx.unwrap(e) : undefined;
    return inner && (ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner)) ? inner.text : undefined;
  };
  // `db('users')` or `this.db('users')`; never `x.query('..')`, a method call on some other client.
  const calledInstance = ts.isIdentifier(callee) || (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword);
  // The literal check first: classifying every called name would cost more than it finds.
  const direct = calledInstance && literal(node.arguments[0]) !== undefined ? ctx.classify(callee) : undefined;
  if (isKnex(direct)) {
    // `db('users')`: the instance called with a table.
    receiver = direct;
    table = literal(node.arguments[0]);
  } else if (ts.isPropertyAccessExpression(callee) && KNEX_CHAIN_STARTS.has(callee.name.text) && isRootExpression(ctx.unwrap(callee.expression))) {
    const owner = ctx.classify(callee.expression);
    if (!isKnex(owner)) return undefined;
    receiver = owner;
    methods.push({ name: callee.name.text, args: node.arguments });
  } else {
    return undefined;
  }
  // Climb the chain: `x(..).m(..).n(..)`.
  let current: TsMorph.ts.Node = node;
  for (;;) {
    const access = current.parent;
    if (!access || !ts.isPropertyAccessExpression(access) || access.expression !== current) break;
    const call = access.parent;
    if (!call || !ts.isCallExpression(call) || call.expression !== access) break;
    methods.push({ name: access.name.text, args: call.arguments });
    current = call;
  }
  table ??= methods.map((m) => (KNEX_TABLE_METHODS.has(m.name) ? literal(m.args[0]) : undefined)).find((t) => t !== undefined);
  if (table === undefined) return undefined;
  const identifier = (written: string): string => written.trim().split(/\s+as\s+|\s+/i)[0]!.split('.').map((part) => `"${part.replace(/"/g, '""')}"`).join('.');
  const target = identifier(table);
  const names = new Set(methods.map((m) => m.name));
  let sql: string;
  if (names.has('insert') || names.has('upsert')) sql = `INSERT INTO ${target} DEFAULT VALUES`;
  else if (names.has('update') || names.has('increment') || names.has('decrement')) sql = `UPDATE ${target} SET boundary_lint_column = 1`;
  else if (names.has('del') || names.has('delete')) sql = `DELETE FROM ${target}`;
  else if (names.has('truncate')) sql = `TRUNCATE ${target}`;
  else {
    const joins = methods.filter((m) => KNEX_JOIN.test(m.name)).map((m) => literal(m.args[0])).filter((t): t is string => t !== undefined);
    sql = `SELECT * FROM ${target}${joins.map((j) => ` JOIN ${identifier(j)} ON true`).join('')}`;
  }
  return { receiver, variants: { knex: { sink: 'knex.builder', text: [{ kind: 'text', value: sql }] } }, location: ctx.location(node) };
}

function optionalText(text: StrPart[] | undefined): { text?: StrPart[] } {
  return text ? { text } : {};
}

function firstTextLocation(variants: readonly (SqlVariant | undefined)[]): Location | undefined {
  for (const variant of variants) {
    for (const part of variant?.text ?? []) if (part.kind === 'text' && part.location) return part.location;
    if (variant?.insertTable?.values[0]) return variant.insertTable.values[0].location;
  }
  return undefined;
}

/**
 * The statement text of resolved parts: bind parameters numbered `$1..`, runtime values as the
 * placeholder identifier (a row in `VALUES`, an assignment after `SET`, a list after `IN`, a
 * column list and row after `INSERT INTO t`), so the statement still parses.
 *
 * A runtime Prisma raw text qualifying a name (`${Prisma.raw(schema)}."TaskRun"`,
 * `${Prisma.sql([schema])}."TaskRun"`) is left out: the table is `TaskRun`, dynamic, its schema
 * unknown (read as the one unqualified names resolve to). That is the idiom for the client's own
 * schema (trigger.dev's `sqlDatabaseSchema`). Any other runtime value there stays the placeholder,
 * so the table is `?`, as Rust's `format!` gives it (`${env.WORKER_SCHEMA}.jobs` of another schema).
 */
export function renderSql(parts: readonly StrPart[]): { sql: string; dynamic: boolean } {
  let sql = '';
  let param = 0;
  let dynamic = false;
  let dropDot = false;
  for (const [i, part] of parts.entries()) {
    if (part.kind === 'text') {
      sql += dropDot ? part.value.replace(/^\s*\./, '') : part.value;
      if (part.value !== '') dropDot = false;
    } else if (part.kind === 'dynamic') {
      dynamic = true;
      const next = parts.slice(i + 1).find((p) => p.kind !== 'text' || p.value !== '');
      if (part.prismaRaw && next?.kind === 'text' && /^\s*\.\s*["\w]/.test(next.value)) dropDot = true;
      else if (/\bVALUES\s*$/i.test(sql) || /\bIN\s*$/i.test(sql)) sql += `(${DYNAMIC_PLACEHOLDER})`;
      else if (/\bSET\s*$/i.test(sql)) sql += `${DYNAMIC_PLACEHOLDER} = NULL`;
      else if (/\bINSERT\s+INTO\s+[\w."]+\s*$/i.test(sql)) sql += `(${DYNAMIC_PLACEHOLDER}) VALUES (${DYNAMIC_PLACEHOLDER})`;
      else sql += ` ${DYNAMIC_PLACEHOLDER} `;
    } else sql += `$${++param}`; // a parameter; unresolved fragments are parameters too (the model resolves them first)
  }
  return { sql, dynamic };
}
