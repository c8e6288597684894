import type * as TsMorph from 'ts-morph';
import type { Location } from '../types.js';
import { DYNAMIC_PLACEHOLDER } from '../rust/index.js';
import type { Client, FileContext, NameCandidates, StrPart, Value } from './file-context.js';

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
  const ts = ctx.ts;
  const node = ctx.unwrap(expr);
  // A fragment (`${sql`AND x = ${y}`}`, `${Prisma.sql`..`}`) is part of the statement.
  if (ts.isTaggedTemplateExpression(node) && depth < 4 && tagFamily(ctx, node.tag)) return templateParts(ctx, node.template, depth + 1);
  if (ts.isCallExpression(node)) {
    const callee = ctx.unwrap(node.expression);
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
    const owner = ts.isPropertyAccessExpression(callee) ? callee.expression : callee;
    const family = tagFamily(ctx, owner);
    const prisma = ctx.importedName(owner)?.module === '@prisma/client';
    // postgres.js `sql(identifier)`, `sql.unsafe(x)`; slonik `sql.identifier([..])`; `Prisma.raw(x)`: text chosen at run time.
    const raw = (family?.family === 'postgres' && (ts.isIdentifier(callee) || name === 'unsafe')) || (family?.family === 'slonik' && name === 'identifier') || (prisma && name === 'raw');
    if (raw) {
      const arg = node.arguments[0];
      const text = arg && name !== 'identifier' && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) ? arg.text : undefined;
      return [text !== undefined ? { kind: 'text', value: text } : { kind: 'dynamic' }];
    }
  }
  return [{ kind: 'param' }];
}

/** SQL sites at this node: tagged templates of SQL tags, and calls of SQL methods on a receiver. */
export function collectSql(ctx: FileContext, node: TsMorph.ts.Node): SqlCandidate | undefined {
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
    const inner = ctx.unwrap(arg0);
    const template = ts.isTaggedTemplateExpression(inner) && tagFamily(ctx, inner.tag)?.family === 'prisma-sql' ? templateParts(ctx, inner.template) : undefined;
    variants.prisma = { sink: `prisma.${method}`, ...optionalText(template ?? textOf(arg0)) };
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
 */
export function renderSql(parts: readonly StrPart[]): { sql: string; dynamic: boolean } {
  let sql = '';
  let param = 0;
  let dynamic = false;
  for (const part of parts) {
    if (part.kind === 'text') sql += part.value;
    else if (part.kind === 'param') sql += `$${++param}`;
    else {
      dynamic = true;
      if (/\bVALUES\s*$/i.test(sql) || /\bIN\s*$/i.test(sql)) sql += `(${DYNAMIC_PLACEHOLDER})`;
      else if (/\bSET\s*$/i.test(sql)) sql += `${DYNAMIC_PLACEHOLDER} = NULL`;
      else if (/\bINSERT\s+INTO\s+[\w."]+\s*$/i.test(sql)) sql += `(${DYNAMIC_PLACEHOLDER}) VALUES (${DYNAMIC_PLACEHOLDER})`;
      else sql += ` ${DYNAMIC_PLACEHOLDER} `;
    }
  }
  return { sql, dynamic };
}
