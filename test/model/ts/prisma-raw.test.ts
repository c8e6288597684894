import { describe, expect, it } from 'vitest';
import { accessLines, diagnosticLines, runRepo, workspace } from './helpers.js';

// `$queryRaw` substitutions that are SQL text, not bind parameters (trigger.dev, docs/evaluation.md):
// `Prisma.raw(..)` / `Prisma.sql` fragments in a schema or clause position, also through a
// workspace package re-exporting '@prisma/client'.

const DATASOURCE = 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n';

describe('Prisma raw fragments inside $queryRaw', () => {
  it('a runtime Prisma.raw / Prisma.sql([..]) schema qualifier, a literal Prisma.raw, fragments from consts, Prisma.empty, Prisma.join', async () => {
    const result = await runRepo(
      workspace({
        'packages/api/prisma/schema.prisma': DATASOURCE,
        'packages/api/src/db.ts': [
          "import { Prisma } from '@prisma/client';",
          'export const rawSchema = Prisma.raw(process.env.DB_SCHEMA!);',
          'export const sqlSchema = Prisma.sql([`${process.env.DB_SCHEMA}`]);',
          'export const notArchived = Prisma.sql`AND archived = false`;',
          '',
        ].join('\n'),
        'packages/api/src/main.ts': [
          "import { PrismaClient, Prisma } from '@prisma/client';",
          "import { rawSchema, sqlSchema, notArchived } from './db';",
          'const prisma = new PrismaClient();',
          'const audit = Prisma.raw(\'"audit"\');',
          'const order = Prisma.sql`ORDER BY id`;',
          'export async function run(id: number, flag: boolean, desc: boolean) {',
          '  await prisma.$queryRaw`SELECT * FROM ${rawSchema}."TaskRun" WHERE id = ${id}`;',
          '  await prisma.$queryRaw`SELECT * FROM ${sqlSchema}."Batch" b WHERE b.id = ${id} ${flag ? notArchived : Prisma.empty} ${order}`;',
          '  await prisma.$executeRaw`DELETE FROM ${audit}.logs WHERE id = ${id}`;',
          '  await prisma.$queryRaw`SELECT * FROM users WHERE id IN (${Prisma.join([1, 2])}) ORDER BY ${desc ? Prisma.sql`id DESC` : Prisma.sql`id ASC`}`;',
          '}',
          '',
        ].join('\n'),
      }),
    );
    expect(accessLines(result)).toEqual([
      '@x/api read postgres:Batch prod select @api/src/main.ts:8:25 dynamic',
      '@x/api read postgres:TaskRun prod select @api/src/main.ts:7:25 dynamic',
      '@x/api write postgres:audit.logs prod delete @api/src/main.ts:9:27',
      '@x/api read postgres:users prod select @api/src/main.ts:10:25',
    ]);
    expect(diagnosticLines(result, ['sql-parse-error', 'sql-unresolved'])).toEqual([]);
  });

  it('Prisma imported through a workspace package re-exporting @prisma/client (and a file re-exporting it again)', async () => {
    const result = await runRepo(
      workspace(
        {
          'packages/db/prisma/schema.prisma': DATASOURCE,
          'packages/db/src/index.ts': "export * from '@prisma/client';\n",
          'packages/api/src/db.server.ts': [
            "import { Prisma, PrismaClient } from '@x/db';",
            'export { Prisma };',
            'export const prisma = new PrismaClient();',
            'export const schema = Prisma.sql([`${process.env.DB_SCHEMA}`]);',
            '',
          ].join('\n'),
          'packages/api/src/main.ts': [
            "import { Prisma } from '@x/db';",
            "import { prisma, schema, Prisma as P } from './db.server';",
            'export async function run(id: number, flag: boolean) {',
            '  await prisma.$queryRaw`SELECT * FROM ${schema}."TaskRun" WHERE id = ${id} ${flag ? Prisma.sql`AND x = ${id}` : Prisma.empty}`;',
            '  await prisma.$queryRaw(P.sql`SELECT * FROM ${P.raw(\'"Job"\')} WHERE id = ${id}`);',
            '}',
            '',
          ].join('\n'),
        },
        { api: ['@x/db'] },
      ),
    );
    expect(accessLines(result)).toEqual([
      '@x/api read postgres:Job prod select @api/src/main.ts:5:31',
      '@x/api read postgres:TaskRun prod select @api/src/main.ts:4:25 dynamic',
    ]);
    expect(diagnosticLines(result, ['sql-parse-error', 'sql-unresolved'])).toEqual([]);
  });

  it('keeps precision: plain values stay bind parameters; a look-alike `Prisma` of a package that does not re-export @prisma/client is no fragment', async () => {
    const result = await runRepo(
      workspace(
        {
          'packages/api/prisma/schema.prisma': DATASOURCE,
          'packages/lib/src/index.ts': [
            'export const Prisma = { raw: (s: string) => s, sql: (s: TemplateStringsArray, ...v: unknown[]) => s.join("") };',
            'export const tableName = "secrets";',
            '',
          ].join('\n'),
          'packages/api/src/main.ts': [
            "import { PrismaClient } from '@prisma/client';",
            "import { Prisma, tableName } from '@x/lib';",
            'const prisma = new PrismaClient();',
            "const schemaName = 'audit';",
            'export async function run(id: number) {',
            '  await prisma.$queryRaw`SELECT * FROM ${schemaName}."Plain" WHERE id = ${id}`;',
            '  await prisma.$queryRaw`SELECT * FROM ${Prisma.raw(\'fake\')}."LookAlike" WHERE id = ${id}`;',
            '  await prisma.$queryRaw`SELECT * FROM ${tableName} WHERE id = ${id}`;',
            "  await prisma.$queryRaw`SELECT * FROM users WHERE name = ${'x'} AND id = ${id}`;",
            '  await prisma.$queryRawUnsafe(`SELECT * FROM ${process.env.WORKER_SCHEMA}.jobs`);',
            '}',
            '',
          ].join('\n'),
        },
        { api: ['@x/lib'] },
      ),
    );
    // `${schemaName}` and the look-alike stay `$1` (rejected by the parser, read conservatively as uncertain); `users` as before.
    expect(accessLines(result).filter((l) => !l.includes('uncertain'))).toContain('@x/api read postgres:users prod select @api/src/main.ts:9:25');
    expect(accessLines(result).some((l) => /postgres:(audit\.Plain|Plain|fake\.LookAlike|LookAlike|secrets|jobs) /.test(l))).toBe(false);
    // A runtime schema that is no Prisma raw fragment may be another schema (graphile-worker's): the table stays unknown.
    expect(accessLines(result)).toContain('@x/api read postgres:? prod select @api/src/main.ts:10:32 dynamic');
  });
});
