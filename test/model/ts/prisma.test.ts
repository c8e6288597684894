import { describe, expect, it } from 'vitest';
import { accessLines, diagnosticLines, runRepo, workspace } from './helpers.js';

const SCHEMA = [
  'datasource db {',
  '  provider = "postgresql"',
  '  url      = env("DATABASE_URL")',
  '}',
  'model User {',
  '  id    Int    @id',
  '  posts Post[]',
  '  @@map("users")',
  '}',
  'model Post {',
  '  id Int @id',
  '}',
  'model AuditEntry {',
  '  id Int @id',
  '  @@map("audit_entries")',
  '  @@schema("audit")',
  '}',
  '',
].join('\n');

describe('Prisma model access', () => {
  it('reads and writes of the mapped table, on new PrismaClient(), a $transaction tx and a client exported by another file', async () => {
    const result = await runRepo(
      workspace({
        'packages/api/prisma/schema.prisma': SCHEMA,
        'packages/api/src/client.ts': "import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n",
        'packages/api/src/users.ts': [
          "import { prisma } from './client.js';",
          'export async function run() {',
          '  await prisma.user.findMany({ include: { posts: true } });',
          '  await prisma.post.create({ data: {} });',
          '  await prisma.$transaction(async (tx) => {',
          '    await tx.auditEntry.deleteMany();',
          '    await tx.user.count();',
          '  });',
          '}',
          '',
        ].join('\n'),
      }),
    );
    expect(accessLines(result)).toEqual([
      '@x/api write postgres:Post prod prisma.create @api/src/users.ts:4:9',
      '@x/api write postgres:audit.audit_entries prod prisma.deleteMany @api/src/users.ts:6:11',
      '@x/api read postgres:users prod prisma.findMany @api/src/users.ts:3:9',
      '@x/api read postgres:users prod prisma.count @api/src/users.ts:7:11',
    ]);
    expect(result.model.tableAccesses.find((a) => a.statementKind === 'prisma.findMany')?.statement).toBe('prisma.user.findMany');
  });

  it('no access without a PrismaClient receiver; an unknown model is a diagnostic; the sqlite provider gives each service its own table', async () => {
    const result = await runRepo(
      workspace({
        'packages/api/prisma/schema.prisma': 'datasource db {\n  provider = "sqlite"\n  url = "file:dev.db"\n}\nmodel Session {\n  id String @id\n}\n',
        'packages/api/src/main.ts': [
          "import { PrismaClient } from '@prisma/client';",
          'const db = new PrismaClient();',
          'const cache = { session: { findMany: () => [] } };',
          'cache.session.findMany();',
          'await db.session.upsert({ where: { id: "1" }, create: {}, update: {} });',
          'await db.ghost.findFirst();',
          '',
        ].join('\n'),
      }),
    );
    expect(accessLines(result)).toEqual(['@x/api write sqlite:Session prod prisma.upsert @api/src/main.ts:5:7']);
    expect(result.model.tableAccesses[0]!.database).toBe('sqlite:@x/api');
    expect(diagnosticLines(result, ['prisma-model-unknown'])).toEqual(['prisma-model-unknown @api/src/main.ts:6:7']);
  });

  it('a service using the client a library exports gets the library schema, and a malformed schema is a diagnostic', async () => {
    const result = await runRepo(
      workspace(
        {
          'packages/db/prisma/schema.prisma': SCHEMA,
          'packages/db/prisma/broken.prisma': 'model Broken {\n  id Int @id\n',
          'packages/db/src/index.ts': "import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\nexport async function listUsers() { return prisma.user.findMany(); }\n",
          'packages/api/src/main.ts': "import { prisma, listUsers } from '@x/db';\nawait prisma.post.findUnique({ where: { id: 1 } });\nawait listUsers();\n",
        },
        { api: ['@x/db'] },
      ),
    );
    expect(accessLines(result)).toEqual([
      '@x/api read postgres:Post prod prisma.findUnique @api/src/main.ts:2:7',
      '@x/api read postgres:users prod prisma.findMany @db/src/index.ts:3:44 via @x/db::listUsers from api/src/main.ts:3:7',
    ]);
    expect(diagnosticLines(result, ['prisma-schema-parse-error'])).toEqual(['prisma-schema-parse-error @db/prisma/broken.prisma:1:1']);
  });
});

describe('Prisma schema ownership', () => {
  it('a schema belongs to the deepest package holding it, also below a root package and in a one-letter directory', async () => {
    const result = await runRepo({
      'package.json': JSON.stringify({ name: 'root', version: '1.0.0', dependencies: { react: '18.0.0' } }),
      'a/package.json': JSON.stringify({ name: 'a', version: '1.0.0', scripts: { start: 'node .' }, dependencies: { '@prisma/client': '5.0.0' } }),
      'a/prisma/schema.prisma': 'datasource db {\n  provider = "sqlite"\n  url = "file:dev.db"\n}\nmodel User {\n  id Int @id\n  @@map("users")\n}\n',
      'a/src/main.ts': "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nawait prisma.user.findMany();\n",
    });
    expect(accessLines(result)).toEqual(['a read sqlite:users prod prisma.findMany @a/src/main.ts:3:7']);
    expect(diagnosticLines(result, ['prisma-model-unknown'])).toEqual([]);
  });
});
