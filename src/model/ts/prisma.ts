import type * as TsMorph from 'ts-morph';
import type { PrismaModel, PrismaSchema } from '../../scan/prisma/schema.js';
import type { Datastore, Location } from '../types.js';
import type { FileContext, Value } from './file-context.js';

/** Prisma Client model methods that read rows ... */
export const PRISMA_READS = new Set(['findMany', 'findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'count', 'aggregate', 'groupBy']);
/** ... and those that write them. */
export const PRISMA_WRITES = new Set(['create', 'createMany', 'createManyAndReturn', 'update', 'updateMany', 'updateManyAndReturn', 'upsert', 'delete', 'deleteMany']);

/** `prisma.user.findMany(..)`: a model method called on something that may be a PrismaClient. */
export interface PrismaCandidate {
  receiver: Value;
  /** The client property as written (`user`). */
  property: string;
  method: string;
  /** The call expression's start (`prisma` of `prisma.user.findMany(..)`). */
  location: Location;
}

export function collectPrismaCall(ctx: FileContext, node: TsMorph.ts.Node): PrismaCandidate | undefined {
  const ts = ctx.ts;
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return undefined;
  const method = node.expression.name.text;
  if (!PRISMA_READS.has(method) && !PRISMA_WRITES.has(method)) return undefined;
  const modelAccess = ctx.unwrap(node.expression.expression);
  if (!ts.isPropertyAccessExpression(modelAccess) || modelAccess.name.text.startsWith('$')) return undefined;
  const receiver = ctx.classify(modelAccess.expression);
  if (!receiver) return undefined;
  return { receiver, property: modelAccess.name.text, method, location: ctx.location(node.expression) };
}

/** Prisma's `provider` as a datastore; undefined for providers without SQL tables we model (MongoDB, SQL Server). */
export function prismaDatastore(provider: string | undefined): Datastore | undefined {
  switch (provider) {
    case undefined:
    case 'postgresql':
    case 'postgres':
    case 'cockroachdb':
      return 'postgres';
    case 'mysql':
      return 'mysql';
    case 'sqlite':
      return 'sqlite';
    default:
      return undefined;
  }
}

/** The client property of a model: `User` -> `user`, `OrderItem` -> `orderItem`. */
export function clientProperty(model: string): string {
  return model.charAt(0).toLowerCase() + model.slice(1);
}

/** The table id a model is stored in: `users`, or `auth.users` with `@@schema("auth")` (public is the default schema). */
export function modelTable(model: PrismaModel): string {
  return model.schema !== undefined && model.schema !== 'public' ? `${model.schema}.${model.table}` : model.table;
}

/** Looks up a model by client property in the given schemas, first schema first. */
export function findModel(schemas: readonly PrismaSchema[], property: string): { schema: PrismaSchema; model: PrismaModel } | undefined {
  for (const schema of schemas) {
    const model = schema.models.find((m) => clientProperty(m.name) === property || m.name === property);
    if (model) return { schema, model };
  }
  return undefined;
}
