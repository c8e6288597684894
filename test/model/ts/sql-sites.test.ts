import { describe, expect, it } from 'vitest';
import { accessLines, diagnosticLines, runRepo, workspace } from './helpers.js';

describe('TypeScript SQL sites', () => {
  it('pg: new Pool/Client from pg, typed parameters, pool.connect() results, query({ text })', async () => {
    const result = await runRepo(
      workspace({
        'packages/api/src/db.ts': [
          "import { Pool, type PoolClient } from 'pg';",
          "import pg from 'pg';",
          'const pool = new Pool();',
          'const other = new pg.Client();',
          "export async function a() { await pool.query('SELECT id FROM users WHERE id = $1', [1]); }",
          "export async function b(client: PoolClient) { await client.query({ text: 'DELETE FROM sessions WHERE id = $1', values: [1] }); }",
          "export async function c() { const conn = await pool.connect(); await conn.query('UPDATE accounts SET x = 1'); await other.query('BEGIN'); }",
          '',
        ].join('\n'),
      }),
    );
    expect(accessLines(result)).toEqual([
      '@x/api write postgres:accounts prod update @api/src/db.ts:7:81',
      '@x/api write postgres:sessions prod delete @api/src/db.ts:6:74',
      '@x/api read postgres:users prod select @api/src/db.ts:5:46',
    ]);
  });

  it('a .query() on a receiver not shown to be a pg client, or SQL-like log text, is no access', async () => {
    const result = await runRepo(
      workspace({
        'packages/api/src/main.ts': [
          "import { logger } from './log.js';",
          "import { Pool } from 'pg';",
          'const pool = new Pool();',
          'const search = { query: (q: string) => q };',
          "search.query('SELECT * FROM users');",
          "logger.query('DELETE FROM audit_log');",
          "console.log('failed to insert into users');",
          "const msg = 'UPDATE accounts SET x = 1';",
          'console.error(msg);',
          "void pool.query('COMMIT');",
          '',
        ].join('\n'),
        'packages/api/src/log.ts': 'export const logger = { query: (s: string) => s };\n',
      }),
    );
    expect(accessLines(result)).toEqual([]);
  });

  it('consts in the file, imported consts of another file of the unit, + concatenation, runtime values -> dynamic', async () => {
    const result = await runRepo(
      workspace({
        'packages/api/src/queries.ts': "export const USERS = 'users';\nexport const BY_ID = 'SELECT * FROM ' + USERS + ' WHERE id = $1';\n",
        'packages/api/src/main.ts': [
          "import { Pool } from 'pg';",
          "import { BY_ID } from './queries.js';",
          "import * as q from './queries.js';",
          'const pool = new Pool();',
          "const ORDERS = 'orders';",
          'export async function run(table: string, build: () => string) {',
          '  await pool.query(BY_ID, [1]);',
          "  await pool.query(`INSERT INTO ${ORDERS} (id) VALUES ($1)`, [1]);",
          "  await pool.query('DELETE FROM ' + table + ' WHERE id = $1');",
          "  await pool.query(`SELECT * FROM ${q.USERS} u JOIN carts c ON c.user_id = u.id WHERE u.id = ${table}`);",
          '  await pool.query(build());',
          '}',
          '',
        ].join('\n'),
      }),
    );
    expect(accessLines(result)).toEqual([
      '@x/api write postgres:? prod delete @api/src/main.ts:9:20 dynamic',
      '@x/api read postgres:carts prod select @api/src/main.ts:10:20 dynamic',
      '@x/api write postgres:orders prod insert @api/src/main.ts:8:20',
      '@x/api read postgres:users prod select @api/src/main.ts:10:20 dynamic',
      '@x/api read postgres:users prod select @api/src/queries.ts:2:22',
    ]);
    expect(diagnosticLines(result, ['sql-unresolved'])).toEqual(['sql-unresolved @api/src/main.ts:11:20']);
  });

  it('postgres.js: tagged templates with parameters, fragments, sql(identifier) in a table position, sql.begin transactions', async () => {
    const result = await runRepo(
      workspace({
        'packages/api/src/main.ts': [
          "import postgres from 'postgres';",
          'const sql = postgres(process.env.DATABASE_URL!);',
          'export async function run(id: number, table: string) {',
          '  await sql`SELECT * FROM users WHERE id = ${id} ${id > 0 ? sql`AND active` : sql``}`;',
          '  await sql`SELECT * FROM ${sql(table)} WHERE id = ${id}`;',
          '  await sql.begin(async (tx) => { await tx`DELETE FROM carts WHERE id = ${id}`; });',
          '  await sql.unsafe(`UPDATE stock SET n = 0`);',
          '  const notSql = (s: TemplateStringsArray) => s;',
          '  notSql`SELECT * FROM nothing`;',
          '}',
          '',
        ].join('\n'),
      }),
    );
    expect(accessLines(result)).toEqual([
      '@x/api read postgres:? prod select @api/src/main.ts:5:12 dynamic',
      '@x/api write postgres:carts prod delete @api/src/main.ts:6:43',
      '@x/api write postgres:stock prod update @api/src/main.ts:7:20',
      '@x/api read postgres:users prod select @api/src/main.ts:4:12',
    ]);
  });

  it('knex query builder: db(table) and db.from/table/into chains read or write their tables, joins read theirs; a look-alike does not', async () => {
    const result = await runRepo(
      workspace(
        {
          'packages/api/src/main.ts': [
            "import knex from 'knex';",
            "const db = knex({ client: 'pg' });",
            'export async function run(id: number) {',
            "  await db('users').where({ id }).first();",
            "  await db('orders as o').join('customers', 'o.customer_id', 'customers.id').select('o.id');",
            "  await db('carts').where({ id }).del();",
            "  await db.insert({ sku: 'x' }).into('stock');",
            "  await db.from('invoices').update({ paid: true });",
            "  await db.table('coupons');",
            '  const lookAlike = (t: string) => ({ where: () => t });',
            "  lookAlike('secrets').where();",
            '}',
            '',
          ].join('\n'),
        },
        { api: ['knex', 'pg'] },
      ),
    );
    expect(accessLines(result)).toEqual([
      '@x/api write postgres:carts prod delete @api/src/main.ts:6:9',
      '@x/api read postgres:coupons prod select @api/src/main.ts:9:9',
      '@x/api read postgres:customers prod select @api/src/main.ts:5:9',
      '@x/api write postgres:invoices prod update @api/src/main.ts:8:9',
      '@x/api read postgres:orders prod select @api/src/main.ts:5:9',
      '@x/api write postgres:stock prod insert @api/src/main.ts:7:9',
      '@x/api read postgres:users prod select @api/src/main.ts:4:9',
    ]);
    expect(result.model.tableAccesses.find((a) => a.table === 'users')?.statement).toBe('SELECT * FROM "users"');
  });

  it('slonik tags, knex.raw, Prisma raw queries (tagged, Prisma.sql, Unsafe with a literal or a runtime value)', async () => {
    const result = await runRepo(
      workspace({
        'packages/api/prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n',
        'packages/api/src/main.ts': [
          "import { createPool, sql } from 'slonik';",
          "import knex from 'knex';",
          "import { PrismaClient, Prisma } from '@prisma/client';",
          'const pool = await createPool(process.env.DATABASE_URL!);',
          "const db = knex({ client: 'pg' });",
          'const prisma = new PrismaClient();',
          'export async function run(id: number, q: string) {',
          '  await pool.one(sql.type(Row)`SELECT * FROM invoices WHERE id = ${id}`);',
          '  await pool.query(sql.unsafe`DELETE FROM drafts`);',
          "  await db.raw('TRUNCATE audit_log');",
          '  await prisma.$queryRaw`SELECT * FROM "public"."users" WHERE id = ${id}`;',
          '  await prisma.$executeRaw(Prisma.sql`UPDATE "orders" SET paid = true WHERE id = ${id}`);',
          "  await prisma.$queryRawUnsafe('SELECT * FROM coupons');",
          '  await prisma.$executeRawUnsafe(q);',
          '}',
          'declare const Row: unknown;',
          '',
        ].join('\n'),
      }),
    );
    expect(accessLines(result)).toEqual([
      '@x/api write postgres:audit_log prod truncate @api/src/main.ts:10:16',
      '@x/api read postgres:coupons prod select @api/src/main.ts:13:32',
      '@x/api write postgres:drafts prod delete @api/src/main.ts:9:30',
      '@x/api read postgres:invoices prod select @api/src/main.ts:8:31',
      '@x/api write postgres:orders prod update @api/src/main.ts:12:38',
      '@x/api read postgres:users prod select @api/src/main.ts:11:25',
    ]);
    expect(diagnosticLines(result, ['sql-unresolved'])).toEqual(['sql-unresolved @api/src/main.ts:14:34']);
  });

  it('ClickHouse: client.query({ query }) and insert({ table }) are ClickHouse tables, apart from a PostgreSQL table of the same name', async () => {
    const result = await runRepo(
      workspace({
        'packages/api/src/main.ts': [
          "import { createClient } from '@clickhouse/client';",
          "import { Pool } from 'pg';",
          'const ch = createClient({ url: process.env.CLICKHOUSE_URL });',
          'const pool = new Pool();',
          'export async function run() {',
          "  await ch.query({ query: 'SELECT count() FROM events WHERE ts > now() - INTERVAL 1 DAY', format: 'JSONEachRow' });",
          "  await ch.insert({ table: 'events', values: [], format: 'JSONEachRow' });",
          "  await pool.query('INSERT INTO events (id) VALUES ($1)', [1]);",
          '}',
          '',
        ].join('\n'),
      }),
    );
    expect(accessLines(result)).toEqual([
      '@x/api read clickhouse:events prod select @api/src/main.ts:6:27',
      '@x/api write clickhouse:events prod insert @api/src/main.ts:7:28',
      '@x/api write postgres:events prod insert @api/src/main.ts:8:20',
    ]);
    const ids = result.model.tableAccesses.map((a) => (a.database === 'postgres' ? a.table : `${a.database}:${a.table}`));
    expect(new Set(ids)).toEqual(new Set(['clickhouse:events', 'events']));
  });

  it('a statement in an exported library function is credited to the services calling it (via), else stays with the library; test files are test scope', async () => {
    const result = await runRepo(
      workspace(
        {
          'packages/db/src/index.ts': [
            "import { Pool } from 'pg';",
            'const pool = new Pool();',
            "export async function saveUser() { await pool.query('INSERT INTO users (id) VALUES (1)'); }",
            "export async function unused() { await pool.query('DELETE FROM users'); }",
            '',
          ].join('\n'),
          'packages/api/src/main.ts': "import { saveUser } from '@x/db';\nawait saveUser();\n",
          'packages/worker/src/main.test.ts': "import { saveUser } from '@x/db';\nawait saveUser();\n",
        },
        { api: ['@x/db'], worker: ['@x/db'] },
      ),
    );
    expect(accessLines(result)).toEqual([
      '@x/api write postgres:users prod insert @db/src/index.ts:3:53 via @x/db::saveUser from api/src/main.ts:2:7',
      '@x/db write postgres:users prod delete @db/src/index.ts:4:51',
      '@x/worker write postgres:users test insert @db/src/index.ts:3:53 via @x/db::saveUser from worker/src/main.test.ts:2:7',
    ]);
  });
});
