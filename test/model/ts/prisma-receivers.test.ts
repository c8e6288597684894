import { describe, expect, it } from 'vitest';
import { accessLines, runRepo, workspace } from './helpers.js';

// Receivers found on the trigger.dev dev set (docs/evaluation.md): clients whose type or class
// comes through a workspace package re-exporting '@prisma/client', type aliases of PrismaClient,
// class fields, base classes in other files, wrappers, tsconfig paths, typed callbacks.

const SCHEMA = [
  'datasource db {',
  '  provider = "postgresql"',
  '  url      = env("DATABASE_URL")',
  '}',
  'model User {',
  '  id Int @id',
  '  @@map("users")',
  '}',
  'model Post {',
  '  id Int @id',
  '}',
  '',
].join('\n');

/** `@x/db` re-exports Prisma's client and adds type aliases of it, as a database package does. */
const DB_PACKAGE = {
  'packages/db/prisma/schema.prisma': SCHEMA,
  'packages/db/src/index.ts': "export * from '@prisma/client';\nexport * from './transaction';\n",
  'packages/db/src/transaction.ts': [
    "import { PrismaClient } from '@prisma/client';",
    "export type TxClient = Omit<PrismaClient, '$connect' | '$transaction'>;",
    'export type ClientOrTx = PrismaClient | TxClient;',
    'export async function $transaction<R>(prisma: ClientOrTx, fn: (tx: TxClient) => Promise<R>): Promise<R> {',
    '  return fn(prisma as TxClient);',
    '}',
    '',
  ].join('\n'),
};

describe('Prisma receivers known through types, classes and workspace re-exports', () => {
  it('new PrismaClient() and a parameter typed with a type alias, both imported from a package re-exporting @prisma/client', async () => {
    const result = await runRepo(
      workspace(
        {
          ...DB_PACKAGE,
          'packages/api/src/main.ts': [
            "import { PrismaClient, type ClientOrTx } from '@x/db';",
            'const prisma = new PrismaClient();',
            'await prisma.user.findMany();',
            'export async function save(db: ClientOrTx) {',
            '  await db.post.create({ data: {} });',
            '}',
            '',
          ].join('\n'),
        },
        { api: ['@x/db'] },
      ),
    );
    expect(accessLines(result)).toEqual([
      '@x/api write postgres:Post prod prisma.create @api/src/main.ts:5:9',
      '@x/api read postgres:users prod prisma.findMany @api/src/main.ts:3:7',
    ]);
  });

  it('class fields: a constructor parameter property, a private #field assigned from a typed parameter, a base class in another file', async () => {
    const result = await runRepo(
      workspace(
        {
          ...DB_PACKAGE,
          'packages/api/src/base.ts': [
            "import type { ClientOrTx } from '@x/db';",
            'export abstract class BaseService {',
            '  constructor(protected readonly _prisma: ClientOrTx) {}',
            '}',
            '',
          ].join('\n'),
          'packages/api/src/services.ts': [
            "import { PrismaClient } from '@x/db';",
            "import { BaseService } from './base';",
            'export class Presenter {',
            '  #client: PrismaClient;',
            '  constructor(client: PrismaClient) {',
            '    this.#client = client;',
            '  }',
            '  list() { return this.#client.user.findFirst(); }',
            '}',
            'export class Remover extends BaseService {',
            '  run() { return this._prisma.post.deleteMany(); }',
            '}',
            '',
          ].join('\n'),
        },
        { api: ['@x/db'] },
      ),
    );
    expect(accessLines(result)).toEqual([
      '@x/api write postgres:Post prod prisma.deleteMany @api/src/services.ts:11:18',
      '@x/api read postgres:users prod prisma.findFirst @api/src/services.ts:8:19',
    ]);
  });

  it('a client exported through a generic wrapper and a tsconfig path alias, a typed callback of an imported function, `??`', async () => {
    const result = await runRepo(
      workspace(
        {
          ...DB_PACKAGE,
          'packages/api/tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '~/*': ['./app/*'] } } }),
          'packages/api/app/utils/singleton.ts': 'export function singleton<T>(name: string, make: () => T): T {\n  return make();\n}\n',
          'packages/api/app/db.server.ts': [
            "import { PrismaClient, $transaction } from '@x/db';",
            "import { singleton } from './utils/singleton';",
            'export { $transaction };',
            "export const prisma = singleton('prisma', getClient);",
            'function getClient() {',
            '  const client = new PrismaClient();',
            '  return client;',
            '}',
            '',
          ].join('\n'),
          'packages/api/app/models/user.server.ts': [
            "import { prisma, $transaction } from '~/db.server';",
            "import type { TxClient } from '@x/db';",
            'export async function rename(tx?: TxClient) {',
            '  await prisma.user.update({ where: { id: 1 }, data: {} });',
            '  await $transaction(prisma, async (t) => {',
            '    await t.post.upsert({ where: { id: 1 }, create: {}, update: {} });',
            '  });',
            '  const db = tx ?? prisma;',
            '  return db.user.count();',
            '}',
            '',
          ].join('\n'),
        },
        { api: ['@x/db'] },
      ),
    );
    expect(accessLines(result)).toEqual([
      '@x/api write postgres:Post prod prisma.upsert @api/app/models/user.server.ts:6:11',
      '@x/api read postgres:users prod prisma.count @api/app/models/user.server.ts:9:10',
      '@x/api write postgres:users prod prisma.update @api/app/models/user.server.ts:4:9',
    ]);
  });

  it('a member of a typed resources object (`this.$.prisma`) and of an instance of a repository class', async () => {
    const result = await runRepo(
      workspace(
        {
          ...DB_PACKAGE,
          'packages/api/src/resources.ts': "import { PrismaClient } from '@x/db';\nexport type Resources = { prisma: PrismaClient; name: string };\n",
          'packages/api/src/engine.ts': [
            "import { PrismaClient } from '@x/db';",
            'export class Engine {',
            '  prisma: PrismaClient;',
            '  constructor() { this.prisma = new PrismaClient(); }',
            '}',
            '',
          ].join('\n'),
          'packages/api/src/system.ts': [
            "import type { Resources } from './resources';",
            "import { Engine } from './engine';",
            'export class System {',
            '  private readonly $: Resources;',
            '  constructor(options: { resources: Resources }) { this.$ = options.resources; }',
            '  get() { return this.$.prisma.user.findUnique({ where: { id: 1 } }); }',
            '}',
            'const engine = new Engine();',
            'await engine.prisma.post.findMany();',
            '',
          ].join('\n'),
        },
        { api: ['@x/db'] },
      ),
    );
    expect(accessLines(result)).toEqual([
      '@x/api read postgres:Post prod prisma.findMany @api/src/system.ts:9:7',
      '@x/api read postgres:users prod prisma.findUnique @api/src/system.ts:6:18',
    ]);
  });

  it('destructured parameters: typed by an object type, an interface of another file, with a default, renamed, of a callback typed by the function it is passed to', async () => {
    const result = await runRepo(
      workspace(
        {
          ...DB_PACKAGE,
          'packages/api/src/ctx.ts': [
            "import type { PrismaClient } from '@x/db';",
            'export interface Ctx { prisma: PrismaClient; name: string }',
            'export function withCtx(name: string, fn: (ctx: Ctx) => Promise<void>) {}',
            '',
          ].join('\n'),
          'packages/api/src/main.ts': [
            "import { PrismaClient, type ClientOrTx } from '@x/db';",
            "import { withCtx, type Ctx } from './ctx';",
            'const prisma = new PrismaClient();',
            'export function a({ prisma }: { prisma: ClientOrTx }) {',
            '  return prisma.user.findMany();',
            '}',
            'export async function b({ prisma: db, name }: Ctx) {',
            '  await db.post.create({ data: {} });',
            '}',
            'export async function c({ prismaClient = prisma }: { prismaClient?: ClientOrTx } = {}) {',
            '  await prismaClient.user.delete({ where: { id: 1 } });',
            '}',
            "withCtx('x', async ({ prisma }) => { await prisma.post.count(); });",
            'export const d = async ({ prisma }: Ctx) => prisma.user.upsert({ where: { id: 1 }, create: {}, update: {} });',
            '',
          ].join('\n'),
        },
        { api: ['@x/db'] },
      ),
    );
    expect(accessLines(result)).toEqual([
      '@x/api read postgres:Post prod prisma.count @api/src/main.ts:13:44',
      '@x/api write postgres:Post prod prisma.create @api/src/main.ts:8:9',
      '@x/api read postgres:users prod prisma.findMany @api/src/main.ts:5:10',
      '@x/api write postgres:users prod prisma.delete @api/src/main.ts:11:9',
      '@x/api write postgres:users prod prisma.upsert @api/src/main.ts:14:45',
    ]);
  });

  it('indexed access types: `Options["prisma"]` of an interface of the file or an imported type', async () => {
    const result = await runRepo(
      workspace(
        {
          ...DB_PACKAGE,
          'packages/api/src/options.ts': "import type { ClientOrTx } from '@x/db';\nexport type RepoOptions = { prisma: ClientOrTx; limit: number };\n",
          'packages/api/src/main.ts': [
            "import type { PrismaClient } from '@x/db';",
            "import type { RepoOptions } from './options';",
            'interface Options { prisma: PrismaClient }',
            'export function a(prisma: Options["prisma"]) {',
            '  return prisma.user.findMany();',
            '}',
            "export function b(db: RepoOptions['prisma']) {",
            '  return db.post.findFirst();',
            '}',
            '',
          ].join('\n'),
        },
        { api: ['@x/db'] },
      ),
    );
    expect(accessLines(result)).toEqual([
      '@x/api read postgres:Post prod prisma.findFirst @api/src/main.ts:8:10',
      '@x/api read postgres:users prod prisma.findMany @api/src/main.ts:5:10',
    ]);
  });

  it('keeps precision: destructured and indexed members that are not shown to be Prisma clients', async () => {
    const result = await runRepo(
      workspace(
        {
          ...DB_PACKAGE,
          'packages/lib/src/index.ts': 'export type Store = { user: { findMany(): unknown[] } };\nexport type Ctx = { prisma: Store; name: string };\n',
          'packages/api/src/main.ts': [
            "import type { PrismaClient } from '@x/db';",
            "import type { Store, Ctx } from '@x/lib';",
            'export function a({ prisma }: { prisma: Store }) { return prisma.user.findMany(); }',
            'export function b({ prisma }: Ctx) { return prisma.user.findMany(); }',
            'export function c({ prisma }) { return prisma.user.findMany(); }',
            'export function d({ prisma }: any) { return prisma.user.findMany(); }',
            'export function e({ client: prisma }: { prisma: PrismaClient; client: Store }) { return prisma.user.findMany(); }',
            'interface Options { prisma: PrismaClient; store: Store }',
            "export function f(x: Options['store'], y: Ctx['prisma'], z: Options['missing']) { x.user.findMany(); y.user.findMany(); z.user.findMany(); }",
            'export function g([prisma]: [PrismaClient]) { return prisma.user.findMany(); }',
            '',
          ].join('\n'),
        },
        { api: ['@x/db', '@x/lib'] },
      ),
    );
    // `g` destructures an array (a tuple type is not read): no access, which is a miss, not a false one.
    expect(accessLines(result)).toEqual([]);
  });

  it('keeps precision: look-alike types, classes and members that are not Prisma clients', async () => {
    const result = await runRepo(
      workspace(
        {
          ...DB_PACKAGE,
          // A package with its own class called PrismaClient (no re-export of @prisma/client).
          'packages/lib/src/index.ts': 'export class PrismaClient { user = { findMany: () => [] }; }\nexport type Store = { user: { findMany(): unknown[] } };\n',
          'packages/api/src/cache.ts': 'export class Cache {\n  user = new Map();\n  constructor(readonly name: string) {}\n}\n',
          'packages/api/src/main.ts': [
            "import { PrismaClient, type Store } from '@x/lib';",
            "import { Cache } from './cache';",
            "import { singleton } from './single';",
            'const fake = new PrismaClient();',
            'fake.user.findMany();',
            'export function f(store: Store, cache: Cache) {',
            '  store.user.findMany();',
            '  cache.user.delete(1);',
            "  const made = singleton('x', () => new Cache('y'));",
            '  made.user.delete(1);',
            '}',
            '',
          ].join('\n'),
          'packages/api/src/single.ts': 'export function singleton<T>(name: string, make: () => T): T {\n  return make();\n}\n',
        },
        { api: ['@x/db', '@x/lib'] },
      ),
    );
    expect(accessLines(result)).toEqual([]);
  });
});
