import { describe, expect, it } from 'vitest';
import { accessLines, edgeLines, runRepo, workspace } from './helpers.js';

// Calls inside one library package are followed (decision 0017, "Libraries"): a site in a private
// method, a non-exported helper or another module of the package belongs to the services that
// reach it through the package's exported entry points.

const SCHEMA = ['datasource db {', '  provider = "postgresql"', '  url      = env("DATABASE_URL")', '}', 'model User {', '  id Int @id', '  @@map("users")', '}', 'model Post {', '  id Int @id', '}', ''].join('\n');

const CLIENT = ["import { PrismaClient } from '@prisma/client';", 'const prisma = new PrismaClient();'];

const lines = (...rows: string[]): string => [...rows, ''].join('\n');

describe('TypeScript library crediting through calls inside the library', () => {
  it('an exported class method calling a private method: credited to the service calling the method, and to one constructing the class; an uncalled private method stays', async () => {
    const result = await runRepo(
      workspace(
        {
          'packages/db/prisma/schema.prisma': SCHEMA,
          'packages/db/src/engine.ts': lines(
            ...CLIENT,
            'export class Engine {',
            '  async trigger() { return this.#create(); }',
            '  async #create() { return prisma.user.create({ data: { id: 1 } }); }',
            '  private async unused() { return prisma.post.deleteMany(); }',
            '}',
          ),
          'packages/api/src/main.ts': lines("import { Engine } from '@x/db';", 'export async function run(engine: Engine) {', '  await engine.trigger();', '}'),
          'packages/worker/src/main.ts': lines("import { Engine } from '@x/db';", 'export const engine = new Engine();'),
        },
        { api: ['@x/db'], worker: ['@x/db'] },
      ),
    );
    expect(accessLines(result)).toEqual([
      '@x/api write postgres:users prod prisma.create @db/src/engine.ts:5:28 via @x/db::Engine.trigger → @x/db::Engine.#create from api/src/main.ts:3:9',
      '@x/db write postgres:Post prod prisma.deleteMany @db/src/engine.ts:6:35',
      '@x/worker write postgres:users prod prisma.create @db/src/engine.ts:5:28 via @x/db::Engine.trigger → @x/db::Engine.#create from worker/src/main.ts:2:27',
    ]);
  });

  it('an exported function calling a non-exported function of the same file; an unreached helper stays with the library', async () => {
    const result = await runRepo(
      workspace(
        {
          'packages/db/prisma/schema.prisma': SCHEMA,
          'packages/db/src/index.ts': lines(
            ...CLIENT,
            'async function insertUser() { return prisma.user.create({ data: { id: 1 } }); }',
            'export async function saveUser() { return insertUser(); }',
            'async function orphan() { return prisma.user.deleteMany(); }',
          ),
          'packages/api/src/main.ts': lines("import { saveUser } from '@x/db';", 'await saveUser();'),
        },
        { api: ['@x/db'] },
      ),
    );
    expect(accessLines(result)).toEqual([
      '@x/api write postgres:users prod prisma.create @db/src/index.ts:3:38 via @x/db::saveUser → @x/db::insertUser from api/src/main.ts:2:7',
      '@x/db write postgres:users prod prisma.deleteMany @db/src/index.ts:5:34',
    ]);
  });

  it('an exported function calling a function imported from another file of the package (relative import)', async () => {
    const result = await runRepo(
      workspace(
        {
          'packages/db/prisma/schema.prisma': SCHEMA,
          'packages/db/src/client.ts': lines(...CLIENT, 'export { prisma };'),
          'packages/db/src/write.ts': lines("import { prisma } from './client.js';", 'export async function persist() { return prisma.post.update({ where: { id: 1 }, data: {} }); }'),
          'packages/db/src/index.ts': lines("import { persist } from './write.js';", 'export async function createPost() { return persist(); }'),
          'packages/api/src/main.ts': lines("import { createPost } from '@x/db';", 'await createPost();'),
        },
        { api: ['@x/db'] },
      ),
    );
    expect(accessLines(result)).toEqual(['@x/api write postgres:Post prod prisma.update @db/src/write.ts:2:42 via @x/db::createPost → @x/db::persist from api/src/main.ts:2:7']);
  });

  it('a chain of three: exported function, same-file helper, a class method of another module built with new', async () => {
    const result = await runRepo(
      workspace(
        {
          'packages/db/prisma/schema.prisma': SCHEMA,
          'packages/db/src/store.ts': lines(...CLIENT, 'export class Store {', '  async put() { return prisma.user.upsert({ where: { id: 1 }, create: { id: 1 }, update: {} }); }', '}'),
          'packages/db/src/index.ts': lines(
            "import { Store } from './store.js';",
            'const store = new Store();',
            'function step() { return store.put(); }',
            'export function start() { return step(); }',
          ),
          'packages/worker/src/main.ts': lines("import { start } from '@x/db';", 'start();'),
        },
        { worker: ['@x/db'] },
      ),
    );
    expect(accessLines(result)).toEqual([
      '@x/worker write postgres:users prod prisma.upsert @db/src/store.ts:4:24 via @x/db::start → @x/db::step → @x/db::Store.put from worker/src/main.ts:2:1',
    ]);
  });

  it('a cycle of calls inside the library terminates; a cycle nothing outside reaches stays with the library', async () => {
    const result = await runRepo(
      workspace(
        {
          'packages/db/prisma/schema.prisma': SCHEMA,
          'packages/db/src/index.ts': lines(
            ...CLIENT,
            'export async function ping(n: number): Promise<void> { if (n > 0) await pong(n - 1); }',
            'async function pong(n: number): Promise<void> { await prisma.user.update({ where: { id: n }, data: {} }); await ping(n); }',
            'async function a(): Promise<void> { await prisma.post.findMany(); await b(); }',
            'async function b(): Promise<void> { await a(); }',
          ),
          'packages/api/src/main.ts': lines("import { ping } from '@x/db';", 'await ping(3);'),
        },
        { api: ['@x/db'] },
      ),
    );
    expect(accessLines(result)).toEqual([
      '@x/api write postgres:users prod prisma.update @db/src/index.ts:4:55 via @x/db::ping → @x/db::pong from api/src/main.ts:2:7',
      '@x/db read postgres:Post prod prisma.findMany @db/src/index.ts:5:43',
    ]);
  });

  it('follows library → library production calls through private helpers, and HTTP sites too', async () => {
    const result = await runRepo(
      workspace(
        {
          'packages/lib/src/index.ts': lines("import { notify } from '@x/db';", 'function inner() { return notify(); }', 'export function outer() { return inner(); }'),
          'packages/db/src/index.ts': lines('function send() { return fetch(`${process.env.WORKER_URL}/jobs`); }', 'export function notify() { return send(); }'),
          'packages/api/src/main.ts': lines("import { outer } from '@x/lib';", 'outer();'),
        },
        { api: ['@x/lib'], lib: ['@x/db'] },
      ),
    );
    // An edge merges its credits: `via` is the set of functions on the way, sorted.
    expect(edgeLines(result)).toEqual([
      '@x/api -> @x/worker http prod called WORKER_URL @api/src/main.ts:2:1,db/src/index.ts:1:26,db/src/index.ts:1:47 via @x/db::notify,@x/db::send,@x/lib::inner,@x/lib::outer',
    ]);
  });

  it('precision: a same-named function of another package, a dynamic call and a call on an unknown receiver do not credit', async () => {
    const result = await runRepo(
      workspace(
        {
          'packages/db/prisma/schema.prisma': SCHEMA,
          'packages/db/src/index.ts': lines(
            ...CLIENT,
            'async function insertUser() { return prisma.user.create({ data: { id: 1 } }); }',
            'export class Router {',
            '  async route(name: string) { return (this as any)[name](); }',
            '  private async secret() { return prisma.user.delete({ where: { id: 1 } }); }',
            '}',
            'export async function relay(other: { insertUser(): Promise<void> }, cb: () => Promise<void>) { await other.insertUser(); await cb(); }',
          ),
          'packages/lib/src/index.ts': lines('export async function insertUser() { return 1; }'),
          'packages/api/src/main.ts': lines(
            "import { insertUser } from '@x/lib';",
            "import { Router, relay } from '@x/db';",
            'await insertUser();',
            "await new Router().route('secret');",
            'await relay({ insertUser }, insertUser);',
          ),
        },
        { api: ['@x/db', '@x/lib'] },
      ),
    );
    expect(accessLines(result)).toEqual([
      '@x/db write postgres:users prod prisma.create @db/src/index.ts:3:38',
      '@x/db write postgres:users prod prisma.delete @db/src/index.ts:6:35',
    ]);
  });
});
