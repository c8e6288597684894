import { describe, expect, it } from 'vitest';
import { scanPrismaSchema } from '../../../src/scan/prisma/schema.js';

const schema = [
  '// Nova gateway schema',
  'generator client {',
  '  provider = "prisma-client-js"',
  '  previewFeatures = ["multiSchema"]',
  '}',
  '',
  'datasource db {',
  '  provider = "postgresql" // the shared cluster',
  '  url      = env("DATABASE_URL")',
  '  schemas  = ["public", "auth"]',
  '}',
  '',
  'model User {',
  '  id    Int    @id @default(autoincrement())',
  '  email String @unique @map("email_address")',
  '  posts Post[]',
  '  note  String? // "@@map(\\"not_this\\")" in a comment',
  '  @@map("users")',
  '}',
  '',
  'model Post {',
  '  id       Int  @id',
  '  author   User @relation(fields: [authorId], references: [id])',
  '  authorId Int',
  '}',
  '',
  'model Session {',
  '  id String @id',
  '  @@map(name: "sessions")',
  '  @@schema("auth")',
  '}',
  '',
  'enum Role {',
  '  USER',
  '  ADMIN',
  '}',
  '',
  'view UserInfo {',
  '  id Int @unique',
  '}',
  '',
].join('\n');

describe('Prisma schema scanner', () => {
  it('reads the datasource provider, models, @@map, @@schema, views and field types', () => {
    const result = scanPrismaSchema('apps/api/prisma/schema.prisma', schema);
    expect(result.diagnostics).toEqual([]);
    expect(result.provider).toBe('postgresql');
    expect(result.models.map((m) => ({ name: m.name, table: m.table, schema: m.schema, view: m.view, line: m.location.line, column: m.location.column }))).toEqual([
      { name: 'User', table: 'users', schema: undefined, view: false, line: 13, column: 7 },
      { name: 'Post', table: 'Post', schema: undefined, view: false, line: 21, column: 7 },
      { name: 'Session', table: 'sessions', schema: 'auth', view: false, line: 27, column: 7 },
      { name: 'UserInfo', table: 'UserInfo', schema: undefined, view: true, line: 38, column: 6 },
    ]);
    expect(result.models[0]!.fields).toEqual([
      { name: 'id', type: 'Int', list: false },
      { name: 'email', type: 'String', list: false },
      { name: 'posts', type: 'Post', list: true },
      { name: 'note', type: 'String', list: false },
    ]);
  });

  it('a field @map renames a column, not the table', () => {
    const result = scanPrismaSchema('schema.prisma', 'model Account {\n  id Int @id @map("account_id")\n}\n');
    expect(result.models[0]!.table).toBe('Account');
  });

  it('a missing closing brace is a diagnostic with a line, and the models before it are kept', () => {
    const result = scanPrismaSchema('schema.prisma', 'datasource db {\n  provider = "sqlite"\n}\nmodel A {\n  id Int @id\n@@map("a")\nmodel B {\n  id Int @id\n}\n');
    expect(result.provider).toBe('sqlite');
    expect(result.models.map((m) => `${m.name}:${m.table}`)).toEqual(['A:a', 'B:B']);
    expect(result.diagnostics.map((d) => `${d.code}:${d.location?.line}`)).toEqual(['prisma-schema-parse-error:7']);
  });

  it('garbage, an unterminated string and an unclosed block never throw', () => {
    const result = scanPrismaSchema('schema.prisma', 'this is not prisma\nmodel X {\n  id String @default("oops\n');
    expect(result.diagnostics.map((d) => `${d.code}:${d.location?.line}`)).toEqual(['prisma-schema-parse-error:1', 'prisma-schema-parse-error:2', 'prisma-schema-parse-error:3']);
    expect(result.models.map((m) => m.name)).toEqual(['X']);
    expect(() => scanPrismaSchema('schema.prisma', '\u0000\uFFFD}}}{{{')).not.toThrow();
  });
});
